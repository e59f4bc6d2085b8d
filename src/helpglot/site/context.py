"""The ``helpglot`` variables templates read: a page's notices, reader strings, language
links and furniture (``page``), and the 404 page's (``not_found``).

Assembled here from values the adapter already holds, so templates and the plugin share
one definition of what a page tells its reader.
"""

from __future__ import annotations

from typing import Any

from helpglot.settings import Settings
from helpglot.site import furniture, notices, seo, siteout


def page(page: Any, nav: Any, settings: Settings, *, lang: str, strings: dict[str, str], fallback: bool,
         key: str, record: Any, plan: notices.PagePlan | None, versions: dict[str, seo.PageVersion],
         source_dates: dict, feedback_url: str | None, contact_url: str | None, repo_url: str | None,
         site_url: str | None) -> dict:
    """The ``helpglot`` template variable of an article page."""
    furniture_context = furniture.page_context(
        page, nav, lang=lang, source_lang=settings.source_lang, fallback=fallback, strings=strings,
        source_dates=source_dates, key=key, feedback_url=feedback_url, contact_url=contact_url,
        repo_url=repo_url, site_url=site_url)
    original = None
    alternates = getattr(page.file, "alternates", None) or {}
    if settings.source_lang in alternates:
        original = alternates[settings.source_lang].url or "./"
    page_notices = notices.page_notices(None if fallback else record, None if fallback else plan, fallback,
                                        strings, original)
    return {
        "lang": lang,
        "source_lang": settings.source_lang,
        "fallback": fallback,
        "notices": page_notices,
        "messages": strings,
        "home_links": {lg.code: lg.link.lstrip("/") or "./" for lg in settings.languages},
        "is_root_home": lang == settings.source_lang and page.is_homepage,
        "english_only": sorted(code for code, version in versions.items() if version.fallback),
        **furniture_context,
    }


def not_found(settings: Settings, lang: str, strings: dict[str, str], site_url: str | None,
              contact_url: str | None = None, nav: Any = None) -> tuple[dict, list[dict], str | None]:
    """The 404 page's ``helpglot`` variable, its language selector (each language's home) and
    its description (its language's home page's, see :func:`home_description`)."""
    variables = {"lang": lang, "source_lang": settings.source_lang, "fallback": False, "notices": [],
                 "messages": strings, "english_only": [], "not_found": True, "contact_url": contact_url}
    homes = [{"name": lg.name, "link": siteout.site_path(site_url, lg.link), "lang": lg.code}
             for lg in settings.languages]
    return variables, homes, home_description(nav)


def home_description(nav: Any) -> str | None:
    """The description of the language's home page, which the 404 page says too (its meta is
    read before MkDocs builds the 404)."""
    home = getattr(nav, "homepage", None)
    described = (getattr(home, "meta", None) or {}).get("description")
    return str(described) if described else None
