"""Reader-facing strings (notices, badges) in every site language.

Shipped defaults live in ``messages.yml`` next to this module; a site can
override any key per language in ``plugins.helpglot.messages``. Any other language
gets its strings through helpglot's own pipeline (``helpglot translate`` drafts them
into ``translations/<lang>/.helpglot-strings.yml``, see
:mod:`helpglot.tracking.readerstrings`). A key still without a text falls back to
English, and the caller is told so once, because a notice in the wrong language is
exactly what helpglot exists to prevent.
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


class ReaderStrings(dict):
    """A language's strings (key -> text) that also knows which keys are still English
    (``english``: tagged ``lang``/``dir`` on the page) and which are unreviewed machine drafts
    (``machine``: marked on the page and the status page)."""

    english: frozenset[str] = frozenset()
    machine: frozenset[str] = frozenset()


ISO_DATE = "%Y-%m-%d"


def missing(lang: str, source_lang: str, overrides: dict[str, Any] | None,
            drafted: dict[str, str] | None = None, where: str = "") -> str | None:
    """The warning for a language with reader strings still in English (None: it has them all)."""
    if lang == source_lang:
        return None
    left = sorted(messages_for(lang, overrides, drafted).english)
    if not left:
        return None
    shown = ", ".join(left[:6]) + (f" and {len(left) - 6} more" if len(left) > 6 else "")
    place = where or f"translations/{lang}/.helpglot-strings.yml"
    return (f"helpglot has no reader strings in '{lang}' for {len(left)} keys ({shown}); they are shown "
            f"in English (tagged lang=\"en\"). Run `helpglot translate --lang {lang}` to draft them with the "
            f"language's engine into {place} for review, or set plugins.helpglot.messages.{lang}.<key> "
            "in mkdocs.yml.")


def messages_for(lang: str, overrides: dict[str, Any] | None = None, drafted: dict[str, str] | None = None,
                 machine: frozenset[str] = frozenset()) -> ReaderStrings:
    """All strings for ``lang``: English defaults < the project's drafted strings (``drafted``,
    from ``translations/<lang>/.helpglot-strings.yml``; ``machine`` the unreviewed ones) <
    shipped language < site overrides."""
    table = shipped()
    english = table["en"]
    layers = [drafted or {}, table.get(lang.split("-")[0], {}), table.get(lang, {}),
              (overrides or {}).get(lang, {}) or {}]
    result = ReaderStrings(english)
    if lang.split("-")[0] != "en" and not has_language(lang):
        result["date_format"] = ISO_DATE  # never English month names on another language's page
    for layer in layers:
        result.update(layer)
    if lang.split("-")[0] != "en":
        given = {key for layer in layers for key in layer} | {"date_format"}
        result.english = frozenset(key for key in english if key not in given)
        later = {key for layer in layers[1:] for key in layer}
        result.machine = frozenset(key for key in machine if key not in later)
    return result


def format_date(value: dt.date, messages: dict[str, str]) -> str:
    fmt = messages.get("date_format", "%Y-%m-%d")
    try:
        return value.strftime(fmt)
    except ValueError:
        return value.isoformat()
