"""What a reader is told about a translated page, paragraph by paragraph.

One machine paragraph among fifty-nine reviewed ones is not "a machine-translated
article", and a page whose seven new paragraphs await review should not fall back to
English whole. :func:`plan` reads a translation's provenance and its freshness
changes and says, per block, what the reader must know: ``machine`` (a draft nobody
reviewed), ``stale`` (its English changed since), or ``english`` (the language
publishes reviewed text only, so the English source block stands in). The counts
feed the page notice ("3 of 59 paragraphs ..."), and :func:`mark` puts an invisible
sentinel at the start of each marked block's Markdown, which the adapter turns into
a class and a small, localized, screen-reader-visible label on the rendered element
(:func:`decorate`). Sentinels are private-use characters: they survive Markdown
rendering without changing any structure (a list stays one list), and every one is
removed from the HTML.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpglot import messages
from helpglot.drafting import skeleton
from helpglot.errors import HelpglotError
from helpglot.markdown.directives import strip_directives  # noqa: F401 (the build strips with it)
from helpglot.markdown.segment import Document, fill, parse, parse_file
from helpglot.settings import Settings
from helpglot.tracking.freshness import Change, align
from helpglot.tracking.provenance import Provenance
from helpglot.tracking.provenance import read as read_provenance

#: blocks whose rendered element can carry a mark (a heading's sentinel is also removed from the
#: table of contents by :func:`clean`; its id does not see it: slugs keep word characters only)
MARKABLE = frozenset({"paragraph", "list_item", "table_cell", "def_body", "footnote", "heading"})
CODES = {"machine": "m", "stale": "s", "english": "e"}
KINDS = {code: kind for kind, code in CODES.items()}
_OPEN, _CLOSE = "\ue000", "\ue001"
_SENTINEL = re.compile(f"{_OPEN}([mse]){_CLOSE}")
# the nearest opening block element before a sentinel (inline tags may sit between them)
_ELEMENT = re.compile(
    rf"<(p|li|td|th|dd|div|h[1-6])\b([^>]*)>((?:\s|<(?!/?(?:p|li|td|th|dd|div|h[1-6])\b)[^>]*>)*)"
    rf"{_OPEN}([mse]){_CLOSE}"
)


@dataclass(frozen=True)
class PagePlan:
    """Per-block states of one translated page and the counts its notice shows."""

    states: dict[int, str] = field(default_factory=dict)  # translation block index -> machine|stale|english
    english: dict[int, str] = field(default_factory=dict)  # block index -> source text shown instead
    total: int = 0  # body blocks (what the reader calls paragraphs, headings and list items)

    def count(self, kind: str) -> int:
        return sum(1 for state in self.states.values() if state == kind)

    @property
    def reviewed(self) -> int:
        return self.total - len(self.states)


def plan(translation: Document, prov: Provenance | None, source: Document | None,
         changes: Sequence[Change], publish_machine: bool) -> PagePlan:
    """The marks for one translation, or an empty plan when its provenance does not line up."""
    if prov is None or len(prov.blocks) != len(translation.blocks):
        return PagePlan()
    body = [b for b in translation.blocks if b.kind != "meta"]
    states: dict[int, str] = {}
    english: dict[int, str] = {}
    to_source: dict[int, int] = {}
    if source is not None:
        to_source = dict(align(prov.hashes, source.hashes).pairs)
    for change in changes:
        if change.kind == "changed" and change.old is not None:
            states[change.old] = "stale"
    for index, record in enumerate(prov.blocks):
        if record.status != "machine" or translation.blocks[index].kind == "meta":
            continue
        if publish_machine:
            states[index] = "machine"
        elif index in to_source and source is not None:
            states[index] = "english"
            english[index] = source.blocks[to_source[index]].text
    states = {i: s for i, s in states.items() if translation.blocks[i].kind != "meta"}
    return PagePlan(states, english, len(body))


def mark(translation: Document, page: PagePlan, offset: int) -> str:
    """The Markdown MkDocs renders (the file from ``offset`` on) with sentinels and English stand-ins."""
    out: list[str] = []
    pos = offset
    for block in translation.blocks:
        state = page.states.get(block.index)
        if state is None or block.start < offset:
            continue
        text = page.english.get(block.index, block.text)
        if block.kind in MARKABLE:
            text = f"{_OPEN}{CODES[state]}{_CLOSE}{text}"
        out.append(translation.text[pos : block.start])
        out.append(fill(translation.text, block, text))  # (an English title into an empty title place)
        pos = block.end
    out.append(translation.text[pos:])
    return "".join(out)


def decorate(html_text: str, labels: dict[str, str], source_lang: str) -> str:
    """Sentinels become a class on their block element and a small label; none survives."""

    def element(match: re.Match) -> str:
        tag, attrs, between, code = match.groups()
        kind = KINDS[code]
        extra = f' data-helpglot-block="{kind}"'
        if kind == "english":
            extra += f' lang="{html.escape(source_lang)}" dir="auto"'
        if 'class="' in attrs:
            attrs = attrs.replace('class="', f'class="helpglot-block helpglot-block--{kind} ', 1)
        else:
            attrs += f' class="helpglot-block helpglot-block--{kind}"'
        label = html.escape(labels[kind])
        badge = (f'<span class="helpglot-block-label" lang="{html.escape(labels["lang"])}" '
                 f'data-search-exclude>{label}</span> ')
        return f"<{tag}{attrs}{extra}>{between}{badge}"

    html_text = _ELEMENT.sub(element, html_text)
    return _SENTINEL.sub("", html_text)


def decorate_page(html_text: str, strings: dict[str, str], lang: str, source_lang: str) -> str:
    """:func:`decorate` with the reader's labels for the three block states."""
    labels = {"machine": strings["block_machine"], "stale": strings["block_stale"],
              "english": strings["block_english"], "lang": lang}
    return decorate(html_text, labels, source_lang)


def clean(text: str) -> str:
    """Text without sentinels (a heading's title in the table of contents)."""
    return _SENTINEL.sub("", text)


def page_notices(record: Any, plan: PagePlan | None, fallback: bool, strings: dict[str, str],
                 original: str | None) -> list[dict]:
    """The notices at the top of a page, in the reader's language: English stand-in, stale
    (whole or "N of M paragraphs"), machine draft, English paragraphs; ``original`` links to
    the English page. ``record`` is the translation's freshness record, if any."""
    notices: list[dict] = []
    if fallback:
        notices.append(
            {"kind": "fallback", "type": "info", "title": strings["fallback_title"],
             "text": strings["fallback_text"], "link": None}
        )
    elif record is not None and record.state in ("stale", "unaligned"):
        when = record.source_updated or record.since
        date = messages.format_date(when, strings) if when else "?"
        stale = plan.count("stale") if plan else 0
        text = strings["stale_text"].format(date=date)
        if 0 < stale < plan.total:
            text = strings["stale_part"].format(date=date, count=stale, total=plan.total)
        notices.append(
            {"kind": "stale", "type": "warning", "title": strings["stale_title"], "text": text,
             "link": original}
        )
    machine = plan.count("machine") if plan else len(record.machine_blocks) if record else 0
    if record is not None and record.machine_blocks and machine:
        text = strings["machine_text"]
        if plan is not None and machine < plan.total:
            text = strings["machine_part"].format(count=machine, total=plan.total)
        notices.append(
            {"kind": "machine", "type": "info", "title": strings["machine_title"], "text": text,
             "link": original}
        )
    english = plan.count("english") if plan else 0
    if english:
        notices.append(
            {"kind": "english", "type": "info", "title": strings["english_title"],
             "text": strings["english_part"].format(count=english, total=plan.total), "link": original}
        )
    return notices


@functools.lru_cache(maxsize=4096)
def _source_gaps(path: str, stamp: tuple[int, int]) -> tuple[Document, tuple[str, ...]] | None:
    """The source page and its gaps (code blocks, ``{#id}`` lines...), once per file version."""
    try:
        doc = parse_file(path)
    except (OSError, UnicodeDecodeError, HelpglotError):
        return None
    found = skeleton.gaps(doc, skeleton.body_start(doc)).values()
    return doc, tuple(g for g in found if g.strip())


def carry_skeleton(settings: Settings, markdown: str, path: Path, key: str) -> tuple[str, str | None]:
    """A translated page's Markdown with the source's newer code blocks and other skeleton gaps
    (:func:`helpglot.drafting.skeleton.published`), and the file's text as carried (None when
    nothing was carried). A translation that holds every gap of its source verbatim, the usual
    case, costs a few substring tests: no parse, no git."""
    source_path = settings.docs_dir / key
    try:
        stat = source_path.stat()
        full = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return markdown, None
    cached = _source_gaps(str(source_path), (stat.st_mtime_ns, stat.st_size))
    if cached is None or all(g in full for g in cached[1]):
        return markdown, None
    try:
        translation = parse(full, settings.rel(path))
        carried = skeleton.published(source_path, path, cached[0], translation)
    except HelpglotError:
        return markdown, None
    body, rest = markdown.rstrip(), full.rstrip()
    if carried is None or not rest.endswith(body):
        return markdown, None
    start = len(rest) - len(body)
    if carried[:start] != full[:start]:  # (a change above the body MkDocs handed over: leave it)
        return markdown, None
    return carried[start:].rstrip(), carried


def mark_page(settings: Settings, record: Any, markdown: str, path: Path, key: str,
              publish_machine: bool, carried: str | None = None) -> tuple[str, PagePlan | None, str | None]:
    """A translated page's Markdown with its machine, stale and English-instead blocks marked
    (see :func:`mark`), the page's plan, and the English title to show instead of a machine
    one when the language publishes reviewed text only. Anything unreadable leaves the page
    as it was: the build reports such files elsewhere. ``carried``: the file's text with the
    source's skeleton carried (:func:`carry_skeleton`), which ``markdown`` already shows."""
    if record is None or record.state not in ("machine", "stale"):
        return markdown, None, None
    try:
        full = carried if carried is not None else path.read_text(encoding="utf-8-sig")
        translation = parse(full, settings.rel(path))
        prov = read_provenance(translation)
        source = parse_file(str(settings.docs_dir / key))
    except (OSError, UnicodeDecodeError, HelpglotError):
        return markdown, None, None
    page = plan(translation, prov, source, record.changes, publish_machine)
    # MkDocs hands over the body after the front matter, with trailing white space stripped
    body, rest = markdown.rstrip(), full.rstrip()
    if not page.states or not rest.endswith(body):
        return markdown, page, None
    english_title = None
    title = next((b for b in translation.blocks if b.kind == "meta" and b.detail == "title"), None)
    if title is not None and page.english and prov.blocks[title.index].status == "machine":
        english_title = next((b.text for b in source.blocks if b.kind == "meta" and b.detail == "title"), None)
    return mark(translation, page, len(rest) - len(body)), page, english_title or None


def carry_and_mark(settings: Settings, record: Any, markdown: str, path: Path, key: str,
                   publish_machine: bool) -> tuple[str, PagePlan | None, str | None]:
    """:func:`carry_skeleton`, then :func:`mark_page`: the writer's newer code blocks first, so
    that no page shows an old URL unmarked."""
    markdown, carried = carry_skeleton(settings, markdown, path, key)
    return mark_page(settings, record, markdown, path, key, publish_machine, carried)

