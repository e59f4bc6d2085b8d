"""Help-center furniture around an article: the category's article list, the
last-updated date, "Was this article helpful?", related articles, contact.

Everything here is computed from the built navigation of one language and
plain settings, and handed to ``partials/helpglot-furniture.html``; the MkDocs
plugin only calls :func:`page_context`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote, urlsplit

from helpglot import messages
from helpglot.errors import ConfigError

_WORD = re.compile(r"\w{4,}", re.U)
RELATED_MAX = 3
VERDICT, COMMENT = "HELPGLOT_VERDICT", "HELPGLOT_COMMENT"  # filled in by helpglot.js


def check_urls(feedback_url: str | None, contact_url: str | None) -> None:
    """``feedback_url`` receives POSTs (http/https); ``contact_url`` may also be a mailto: link."""
    for key, value, schemes in (("feedback_url", feedback_url, ("http", "https")),
                                ("contact_url", contact_url, ("http", "https", "mailto"))):
        if value is None:
            continue
        parts = urlsplit(str(value))
        if parts.scheme not in schemes or not (parts.netloc or parts.scheme == "mailto" and parts.path):
            example = "https://example.com/feedback" if key == "feedback_url" else "mailto:support@example.com"
            raise ConfigError(
                f"mkdocs.yml: plugins.helpglot.{key}: '{value}' is not a {'/'.join(schemes)} URL. "
                f"Give a full URL such as {example}, or remove the setting."
            )


def _terms(page: Any) -> set[str]:
    meta = page.meta or {}
    text = f"{page.title or ''} {meta.get('description') or ''}"
    return {word.casefold() for word in _WORD.findall(text)}


def _category(page: Any) -> Any:
    parent = page.parent
    while parent is not None and parent.parent is not None:
        parent = parent.parent
    return parent


def _is_fallback(page: Any) -> bool:
    return bool((page.meta or {}).get("helpglot_fallback"))


def _item(page: Any) -> dict:
    meta = page.meta or {}
    return {"url": page.url, "title": page.title, "summary": meta.get("description") or "",
            "fallback": _is_fallback(page)}


def _related_index(nav: Any) -> list[tuple[int, Any, set[str], Any]]:
    """(order, page, terms, category) of every candidate page, computed once per built navigation:
    recomputing it for every page made related articles O(pages²) (a minute at 6,000 pages)."""
    cached = getattr(nav, "_helpglot_related", None)
    if cached is None:
        cached = [(order, other, _terms(other), _category(other)) for order, other in enumerate(nav.pages)
                  if not (other.is_homepage or other.is_index)]
        nav._helpglot_related = cached
    return cached


def related(page: Any, nav: Any, limit: int = RELATED_MAX) -> list[dict]:
    """Articles of the same category first, then others, ranked by shared words of title and description."""
    mine = _terms(page)
    category = _category(page)
    rows = _related_index(nav)
    same = [row for row in rows if category is not None and row[3] is category]
    # same-category articles always rank first: the others matter only when there are too few
    candidates = same if len(same) > limit else rows
    scored = []
    for order, other, terms, other_category in candidates:
        if other is page or other.url == page.url:
            continue
        shared = len(mine & terms)
        is_same = category is not None and other_category is category
        if not is_same and shared < 2:
            continue
        scored.append((not is_same, -shared, order, other))
    scored.sort(key=lambda row: row[:3])
    return [_item(row[3]) for row in scored[:limit]]


def category_listing(page: Any) -> dict | None:
    """A category's index page lists its articles with their one-line summary (phones have no sidebar)."""
    if not page.is_index or page.is_homepage or page.parent is None:
        return None
    articles = [_item(child) for child in page.parent.children
                if getattr(child, "is_page", False) and not child.is_index]
    return {"title": page.parent.title, "articles": articles} if articles else None


def feedback_link(contact_url: str | None, repo_url: str | None, title: str, url: str, lang: str) -> str | None:
    """The no-backend default: a prefilled e-mail to a mailto: ``contact_url``. Never a GitHub
    issue: a reader's comment is private by default (``repo_url`` is kept for callers, unused)."""
    body = f"Page: {url}\nLanguage: {lang}\nHelpful: {VERDICT}\n\n{COMMENT}"
    subject = f"Feedback: {title}"
    if contact_url and contact_url.startswith("mailto:"):
        return f"{contact_url}?subject={quote(subject)}&body={quote(body, safe='')}"
    return None


def updated(page: Any, lang: str, source_lang: str, fallback: bool, source_dates: dict[str, dt.date],
            key: str) -> dt.date | None:
    """A translation: its provenance's ``reviewed:`` date; English and fallbacks: the source's git date."""
    if lang != source_lang and not fallback:
        prov = (page.meta or {}).get("helpglot") or {}
        value = prov.get("reviewed") if isinstance(prov, dict) else None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
        return None
    return source_dates.get(key)


def page_context(page: Any, nav: Any, *, lang: str, source_lang: str, fallback: bool, strings: dict[str, str],
                 source_dates: dict[str, dt.date], key: str, feedback_url: str | None,
                 contact_url: str | None, repo_url: str | None, site_url: str | None) -> dict:
    is_article = not page.is_homepage and not page.is_index
    when = updated(page, lang, source_lang, fallback, source_dates, key)  # (sitemaps use it for every page)
    absolute = (site_url.rstrip("/") + "/" + page.url) if site_url else "/" + page.url
    link = None if feedback_url else feedback_link(contact_url, repo_url, page.title, absolute, lang)
    return {
        "is_home": page.is_homepage,
        "article": is_article,
        "page_id": key,
        "category": category_listing(page),
        "related": related(page, nav) if is_article else [],
        "updated": messages.format_date(when, strings) if when and is_article else None,
        "updated_iso": when.isoformat() if when else None,
        "feedback": {"endpoint": feedback_url, "link": link},
        "contact_url": contact_url,
    }
