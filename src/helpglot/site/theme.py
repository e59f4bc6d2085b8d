"""What helpglot adds to the theme's configuration, once per build and once per language.

Its templates go after the user's ``custom_dir`` and before the theme's own, its CSS and
JavaScript are appended once, a large help center gets Material's ``navigation.prune``,
and each language gets the nav badge label and theme-toggle names in its own words. The
functions take MkDocs' config object but only read and write plain keys, so they stay
small and testable without a build.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpglot.site import readerui

TEMPLATES = Path(__file__).parent / "templates"
CSS = "assets/helpglot/helpglot.css"
JS = "assets/helpglot/helpglot.js"
FALLBACK_STATUS = "helpglot-english"  # Material's page status for an English stand-in page


def install(config: Any) -> None:
    """helpglot's templates, CSS and JavaScript, added once (the config is reused per language)."""
    if str(TEMPLATES) not in config.theme.dirs:
        # after the user's custom_dir, before the theme's own templates
        index = 1 if config.theme.custom_dir else 0
        config.theme.dirs.insert(index, str(TEMPLATES))
    if CSS not in [str(css) for css in config.extra_css]:
        config.extra_css.append(CSS)
    if JS not in [str(js) for js in config.extra_javascript]:
        config.extra_javascript.append(JS)
    # every language's sitemap.xml (and .gz) is helpglot's, written after its pages with the real
    # alternates (:func:`helpglot.site.siteout.write_sitemaps`): the theme's template, static-i18n's
    # version of it, was rendered for every page of every language only to be written over
    config.theme.static_templates.discard("sitemap.xml")


def prune_large_site(config: Any, limit: int, articles: Callable[[], int]) -> None:
    """A large help center gets Material's ``navigation.prune`` (see prune_nav_above in config.py);
    ``articles`` is only counted when it matters."""
    features = config.theme.get("features")
    if limit < 0 or config.theme.name != "material" or features is None or "navigation.prune" in features:
        return
    if articles() > limit:
        features.append("navigation.prune")


def per_language(config: Any, strings: dict[str, str], palette: Any, is_source: bool) -> None:
    """The language being built: its label for English stand-in pages in the navigation, and
    the theme toggle's names in the reader's language."""
    status = dict(config.extra.get("status") or {})
    status[FALLBACK_STATUS] = strings["nav_fallback"]
    config.extra["status"] = status
    if palette:
        config.theme["palette"] = copy.deepcopy(palette) if is_source else readerui.localize_palette(palette, strings)
