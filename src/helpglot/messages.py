"""Reader-facing strings (notices, badges) in every site language.

Shipped defaults live in ``messages.yml`` next to this module; a site can
override any key per language in ``plugins.helpglot.messages``. A language
without strings falls back to English, and the caller is told so once, because
a notice in the wrong language is exactly what helpglot exists to prevent.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

KEYS = (
    "date_format",
    "fallback_title",
    "fallback_text",
    "machine_title",
    "machine_text",
    "original_link",
    "stale_title",
    "stale_text",
    "machine_part",
    "stale_part",
    "english_title",
    "english_part",
    "block_machine",
    "block_stale",
    "block_english",
    "badge_english",
    "nav_fallback",
    "browse",
    "more_articles",
    "skip",
    "breadcrumb",
    "permalink",
    "theme_to_light",
    "theme_to_dark",
    "theme_to_auto",
    "made_with",
    "not_found_title",
    "not_found_text",
    "not_found_search",
    "not_found_home",
    "english_only",
    "search_english",
    "search_corrected",
    "search_none",
    "search_more",
    "search_popular",
    "footnote_back",
    "feedback_question",
    "feedback_yes",
    "feedback_no",
    "feedback_comment",
    "feedback_send",
    "feedback_thanks",
    "feedback_error",
    "feedback_link",
    "updated",
    "related",
    "contact_title",
    "contact_text",
    "contact_link",
    # default admonition titles: admonition_note, admonition_tip, ... (see messages.yml)
)


@lru_cache(maxsize=1)
def shipped() -> dict[str, dict[str, str]]:
    text = resources.files("helpglot").joinpath("messages.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def has_language(lang: str) -> bool:
    return lang in shipped() or lang.split("-")[0] in shipped()


def missing(lang: str, source_lang: str, overrides: dict[str, Any] | None) -> str | None:
    """The warning for a language helpglot has no reader strings for (None: it has them)."""
    if lang == source_lang or has_language(lang) or lang in (overrides or {}):
        return None
    return (f"helpglot has no reader notices in '{lang}'; English is used. Add them under "
            f"plugins.helpglot.messages.{lang} in mkdocs.yml (keys: {', '.join(KEYS)}).")


def messages_for(lang: str, overrides: dict[str, Any] | None = None) -> dict[str, str]:
    """All strings for ``lang``: English defaults < shipped language < site overrides."""
    table = shipped()
    result = dict(table["en"])
    result.update(table.get(lang.split("-")[0], {}))
    result.update(table.get(lang, {}))
    result.update((overrides or {}).get(lang, {}) or {})
    return result


def format_date(value: dt.date, messages: dict[str, str]) -> str:
    fmt = messages.get("date_format", "%Y-%m-%d")
    try:
        return value.strftime(fmt)
    except ValueError:
        return value.isoformat()
