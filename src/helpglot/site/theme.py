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


def install(config: Any, keep: Callable[[Any], None] | None = None) -> None:
    """helpglot's templates, CSS and JavaScript, added once (the config is reused per language);
    ``keep`` is given every Jinja environment the theme makes (:func:`keep_compiled`)."""
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
    if keep is not None:
        keep_compiled(config.theme, keep)


def keep_compiled(theme: Any, keep: Callable[[Any], None]) -> None:
    """Every Jinja environment the theme makes is given to ``keep`` (the plugin's: the process's
    compiled templates, :mod:`helpglot.site.jinjacache`), not only the build's: Material's search
    plugin makes one of its own at every build to read its language's strings, and compiled two
    templates three times per build (0.02 s of each save in ``helpglot serve``'s long-lived worker)."""
    make = getattr(theme, "get_env", None)
    if make is None or getattr(make, "helpglot_keeps_compiled", False):
        return

    def get_env() -> Any:
        env = make()
        keep(env)
        return env

    get_env.helpglot_keeps_compiled = True  # type: ignore[attr-defined]
    theme.get_env = get_env


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
