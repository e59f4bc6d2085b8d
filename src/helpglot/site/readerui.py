"""A page entirely in the reader's language: the English strings MkDocs,
Python-Markdown and Material put into every page, replaced by the language's
messages (``messages.yml``).

Python-Markdown writes default admonition titles ("Note") and the heading
permalink tooltip ("Permanent link") in English whatever the page's language,
Material hard-codes its footer credit and takes theme-toggle names verbatim
from ``mkdocs.yml``. These are plain functions over HTML strings and config
values, so the plugin stays a thin adapter and each rule is testable alone.
"""

from __future__ import annotations

import copy
import functools
import html
import re
from typing import Any

# Material's admonition types and their aliases (https://squidfunk.github.io/mkdocs-material/reference/admonitions/)
ADMONITION_ALIASES = {
    "note": "note", "seealso": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info", "todo": "info",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug", "example": "example", "quote": "quote", "cite": "quote",
}
# <div class="admonition note"><p class="admonition-title">Note</p> and
# <details class="note"><summary>Note</summary> (pymdownx.details)
_ADMONITION = re.compile(r'(<div class="admonition ([\w-]+)[^"]*">\s*<p class="admonition-title">)([^<]*)(</p>)')
_DETAILS = re.compile(r'(<details class="([\w-]+)[^"]*"(?: open(?:="[^"]*")?)?>\s*<summary>)([^<]*)(</summary>)')
_SKIP = re.compile(r'<div data-md-component="skip">.*?</div>', re.S)
SKIP_TARGET = "helpglot-main"


def admonition_title(kind: str, strings: dict[str, str]) -> str | None:
    """The reader's word for a default admonition title, or None for an unknown type."""
    canonical = ADMONITION_ALIASES.get(kind.lower())
    return strings.get(f"admonition_{canonical}") if canonical else None


def localize_admonitions(text: str, strings: dict[str, str]) -> str:
    """Replace titles Python-Markdown made up from the type (``!!! note`` → "Note").

    Only a title that is exactly the capitalised type is a default one; a title
    an author or translator wrote ("Tip: use keyboard shortcuts") is kept.
    """

    def swap(match: re.Match) -> str:
        kind, title = match.group(2), match.group(3)
        if html.unescape(title).strip() != kind.capitalize():
            return match.group(0)
        word = admonition_title(kind, strings)
        if not word:
            return match.group(0)
        return match.group(1) + html.escape(word, quote=False) + match.group(4)

    return _DETAILS.sub(swap, _ADMONITION.sub(swap, text))


def localize_permalinks(text: str, english_title: str, strings: dict[str, str]) -> str:
    """The heading anchors' tooltip ``title="Permanent link"`` in the reader's language."""
    if not english_title:
        return text
    if 'class="headerlink" href="' not in text:
        return text
    pattern = re.compile(r'(class="headerlink" href="[^"]*" title=")' + re.escape(html.escape(english_title)) + '"')
    return pattern.sub(lambda m: m.group(1) + html.escape(strings["permalink"]) + '"', text)


_FOOTNOTE_BACK = re.compile(
    r'(class="footnote-backref" href="#fnref[^"]*" title=")Jump back to footnote (\d+) in the text"')


def localize_footnotes(text: str, strings: dict[str, str]) -> str:
    """Python-Markdown's footnote back-link tooltip ("Jump back to footnote 1 in the text")
    in the reader's language."""
    if "footnote-backref" not in text:
        return text
    def localized(match: re.Match) -> str:
        return match.group(1) + html.escape(strings["footnote_back"].replace("{n}", match.group(2))) + '"'

    return _FOOTNOTE_BACK.sub(localized, text)


#: Languages written right to left (ISO 639-1 and -3 codes).
RTL = frozenset("ar arc ckb dv fa he ps sd ug ur yi".split())
_HTML_TAG = re.compile(r"<html(?![^>]*\sdir=)([^>]*)>")


def direction(text: str, lang: str) -> str:
    """``dir="rtl"`` on the page of a right-to-left language: Material sets ``dir`` only from
    ``theme.direction``, one value for every language of the site, so an Arabic or Hebrew page
    would otherwise be laid out left to right."""
    if lang.split("-")[0].lower() not in RTL:
        return text
    return _HTML_TAG.sub(lambda m: f'<html{m.group(1)} dir="rtl">', text, count=1)


def skip_link(text: str, label: str) -> str:
    """Material's "Skip to content" jumps to the first heading of the table of contents,
    which is below the notices (or the closing "Still need help" on the home page):
    point it at the start of the main content instead, labelled in the reader's language."""
    link = f'<div data-md-component="skip"><a href="#{SKIP_TARGET}" class="md-skip">{html.escape(label)}</a></div>'
    return _SKIP.sub(lambda _m: link, text, count=1)


_SEARCH_DIALOG = re.compile(r'(<div class="md-search" data-md-component="search" role="dialog")(>)')
_SEARCH_LABEL = re.compile(r'<input type="text" class="md-search__input"[^>]*?aria-label="([^"]*)"')
_PATH_NAV = re.compile(r'(<nav class="md-path" aria-label=")[^"]*(")')
_EMPTY_TH = re.compile(r"<th([^>]*)>\s*</th>")


def landmarks(text: str, breadcrumb: str) -> str:
    """Names for Material's unnamed search dialog and its second "Navigation" landmark
    (the breadcrumb path), which screen readers otherwise cannot tell apart."""
    label = _SEARCH_LABEL.search(text)
    if label:
        text = _SEARCH_DIALOG.sub(lambda m: f'{m.group(1)} aria-label="{label.group(1)}"{m.group(2)}', text, count=1)
    return _PATH_NAV.sub(lambda m: m.group(1) + html.escape(breadcrumb) + m.group(2), text, count=1)


def empty_header_cells(text: str) -> str:
    """The empty top-left cell of a comparison table is no header: a ``<td>``, so
    screen readers do not announce a nameless column header."""
    return _EMPTY_TH.sub(lambda m: f"<td{m.group(1)}></td>", text)


# possessive white space: Material's nav is mostly indentation, and with plain \s* the three
# white-space groups backtracked against each other at every nav item (40% of a build at 1,000 articles)
_FALLBACK_NAV = re.compile(
    r'(<span class="md-ellipsis">)(\s*+)([^<]*?)(\s*+</span>\s*+)'
    r'<span class="md-status md-status--helpglot-english" title="([^"]*)">\s*</span>'
)


def fallback_nav_items(text: str, source_lang: str, badge: str) -> str:
    """An English-only article in the navigation: its English title tagged ``lang``, and the
    marker as visible text (Material's status icon is an empty span with a tooltip, which
    touch screens never show and screen readers skip)."""

    def swap(match: re.Match) -> str:
        title = match.group(3).strip()
        return (f'{match.group(1)}<span lang="{source_lang}" dir="auto">{title}</span>{match.group(4)}'
                f'<span class="md-status md-status--helpglot-english helpglot-status-text">{html.escape(badge)}</span>')

    if 'md-status--helpglot-english"' not in text:
        return text
    return _FALLBACK_NAV.sub(swap, text)


_HEADER_TOPIC = re.compile(
    r'(<div class="md-header__topic" data-md-component="header-topic">\s*<span class="md-ellipsis")>')
_TOC_LIST = re.compile(r'<ul class="md-nav__list" data-md-component="toc"')


def _footer_link(direction: str) -> re.Pattern:
    return re.compile(rf'(<a href="[^"]*" class="md-footer__link md-footer__link--{direction}") aria-label="[^"]*"'
                      r'(>.*?<div class="md-ellipsis")', re.S)


def tag_english(text: str, source_lang: str, page: bool, previous: bool, following: bool) -> str:
    """``lang`` on the English pieces Material repeats outside the article of an English
    fallback: its title in the header, its table of contents, and the titles of English
    neighbours in the footer (whose mixed-language aria-label gives way to the tagged text)."""
    attr = f' lang="{source_lang}" dir="auto"'
    if page:
        text = _HEADER_TOPIC.sub(lambda m: m.group(1) + attr + ">", text, count=1)
        text = _TOC_LIST.sub(lambda m: m.group(0) + attr, text)
    for direction, wanted in (("prev", previous), ("next", following)):
        if wanted:
            # the previous link keeps Material's aria-label: on a phone Material hides its title,
            # and the arrow alone would have no name
            keep = (lambda m: m.group(0) + attr) if direction == "prev" else (lambda m: m.group(1) + m.group(2) + attr)
            text = _footer_link(direction).sub(keep, text, count=1)
    return text


def _scheme_word(palette: dict) -> str:
    media = str(palette.get("media") or "")
    scheme = palette.get("scheme")
    if media.strip() == "(prefers-color-scheme)" and not scheme:
        return "theme_to_auto"
    if scheme == "slate" or "dark" in media:
        return "theme_to_dark"
    return "theme_to_light"


def localize_palette(palette: Any, strings: dict[str, str]) -> Any:
    """Theme toggles named in the reader's language.

    Material's toggle on palette N switches to palette N+1 (the last one back to
    the first), and its ``name`` describes that switch: so the name follows from
    the next palette's scheme, whatever English the site wrote in mkdocs.yml.
    """
    if not isinstance(palette, list) or len(palette) < 2:
        return palette
    result = copy.deepcopy(palette)
    for index, entry in enumerate(result):
        if isinstance(entry, dict) and isinstance(entry.get("toggle"), dict):
            following = result[(index + 1) % len(result)]
            entry["toggle"]["name"] = strings[_scheme_word(following)]
    return result


def section_titles(items: list, source: bool) -> None:
    """Section titles come from each category's index page (its ``title:``), so the navigation
    is translated too; a translation's title is escaped (untrusted text in the nav)."""
    from mkdocs.utils.meta import get_data

    from helpglot.qa.sanitize import escape_text

    for item in items:
        if getattr(item, "is_section", False):
            index = next((c for c in item.children if getattr(c, "is_page", False) and c.file.name == "index"), None)
            if index is not None:
                try:
                    _body, meta = get_data(index.file.content_string)
                except (OSError, UnicodeDecodeError):
                    meta = {}
                if isinstance(meta, dict) and meta.get("title"):
                    item.title = str(meta["title"]) if source else escape_text(meta["title"])
            section_titles(item.children, source)


def frame(text: str, strings: dict[str, str]) -> str:
    """The skip link and named landmarks every page gets, the 404 page included, and the
    state of the language's reader strings (:func:`mark_strings`)."""
    return mark_strings(landmarks(skip_link(text, strings["skip"]), strings["breadcrumb"]), strings)


_HTML_OPEN = re.compile(r"<html\b")
_TAGGED_ELSEWHERE = ("date_format", "made_with")  # no text; copyright.html tags the whole credit


@functools.lru_cache(maxsize=16)
def _english_texts(texts: tuple[str, ...]) -> re.Pattern | None:
    """Element text that is one of these English strings (a ``{placeholder}`` matches any text)."""
    alternatives = []
    for value in sorted(texts, key=len, reverse=True):
        pieces = re.split(r"\{\w+\}", value)
        if any("<" in p or ">" in p for p in pieces):
            continue
        alternatives.append("[^<>]*?".join(re.escape(html.escape(p, quote=False)) for p in pieces))
    if not alternatives:
        return None
    return re.compile(r">(\s*)(" + "|".join(alternatives) + r")(\s*)<")


def mark_strings(text: str, strings: dict[str, str]) -> str:
    """``data-helpglot-strings`` on ``<html>``: ``machine`` when some of the page's reader strings are
    unreviewed machine drafts, ``english`` when some are still English; and every such English text
    in the page tagged ``lang="en" dir="ltr"``, so a screen reader says it in English and an Arabic
    page does not put its full stop on the wrong side."""
    english = getattr(strings, "english", frozenset())
    states = [name for name, keys in (("machine", getattr(strings, "machine", ())), ("english", english)) if keys]
    if not states:
        return text
    text = _HTML_OPEN.sub(f'<html data-helpglot-strings="{" ".join(states)}"', text, count=1)
    pattern = _english_texts(tuple(sorted(strings[key] for key in english if key not in _TAGGED_ELSEWHERE)))
    if pattern is None:
        return text

    def tag(match: re.Match) -> str:
        opening = _LAST_TAG.match(text, text.rfind("<", 0, match.start() + 1))
        if opening and opening.group(1).lower() in _TEXT_ONLY:  # no markup inside <title>, <option>...
            return match.group(0)
        return f'>{match.group(1)}<span lang="en" dir="ltr">{match.group(2)}</span>{match.group(3)}<'

    return pattern.sub(tag, text)


_LAST_TAG = re.compile(r"<([A-Za-z][\w-]*)")
_TEXT_ONLY = frozenset({"title", "textarea", "option", "script", "style"})


def page_chrome(text: str, strings: dict[str, str], source_lang: str, fallback: bool,
                previous_english: bool, next_english: bool) -> str:
    """Everything around a built page's article in the reader's language: the skip link, named
    landmarks, the English badge on stand-in pages in the navigation, and ``lang`` on the
    English parts (the page itself, and footer links to English neighbours)."""
    text = fallback_nav_items(frame(text, strings), source_lang, strings["badge_english"])
    return tag_english(text, source_lang, fallback, previous_english, next_english)
