"""helpglot: a docs-as-code help center in many languages.

The core modules (settings, layout, messages, seo, search) know nothing about
MkDocs; :mod:`helpglot.site.plugin` is the thin adapter that wires them into
a MkDocs + Material + mkdocs-static-i18n build.
"""

from __future__ import annotations

__version__ = "0.1.0"
