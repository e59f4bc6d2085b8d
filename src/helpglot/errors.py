"""One error type for everything a user can act on.

Deriving from :class:`click.ClickException` means the CLI prints the message
and exits non-zero without a traceback; the MkDocs plugin re-raises the same
message as a ``PluginError`` so ``mkdocs build`` behaves the same way.
"""

from __future__ import annotations

import click


class HelpglotError(click.ClickException):
    """Bad input or a setting the user must fix; the message names where and how."""

    exit_code = 2


class ConfigError(HelpglotError):
    """A setting in mkdocs.yml is wrong."""


class ContentError(HelpglotError):
    """A Markdown file (front matter, fences, encoding) is broken."""
