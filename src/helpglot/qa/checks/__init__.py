"""The check registry, and the small helpers every built-in check shares.

Checks are found through the ``helpglot.checks`` entry-point group, built-ins
included, so a project or plugin adds a check the same way helpglot does. A
check whose entry point fails to import does not stop the run: it is reported
(:func:`load`) and ``helpglot check`` turns that into an error finding, so a
broken plugin is loud but the other checks still run.

The helpers here exist because several checks look at the same things: the
inline markup spans of a block (:func:`spans`), its reader-visible words
(:func:`plain`), the heading a block sits under (:func:`where`) for messages a
writer can act on, and the fenced code blocks the segmenter skips
(:func:`fences`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib.metadata import entry_points

from helpglot.markdown.inline import Span, protect
from helpglot.markdown.segment import Block, Document
from helpglot.qa.checks.base import Check

GROUP = "helpglot.checks"
_TAG = re.compile(r"</?[xg](?:\s[^<>]*)?/?>")
_FENCE_OPEN = re.compile(r"^(?P<lead>[ \t>]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")


@dataclass(frozen=True)
class Loaded:
    """The checks that loaded, and ``(name, reason)`` for each entry point that did not."""

    checks: tuple[Check, ...]
    failed: tuple[tuple[str, str], ...]


def load(only: tuple[str, ...] = ()) -> Loaded:
    """Instantiate every registered check (or those named in ``only``), sorted by id."""
    checks: list[Check] = []
    failed: list[tuple[str, str]] = []
    for ep in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        if only and ep.name not in only:
            continue
        try:
            check = ep.load()()
        except Exception as exc:  # a plugin may fail in any way; report it, keep going
            failed.append((ep.name, f"{type(exc).__name__}: {exc}"))
            continue
        if not isinstance(check, Check):
            failed.append((ep.name, "does not implement the Check interface (id, name, severity, run)"))
            continue
        checks.append(check)
    return Loaded(tuple(sorted(checks, key=lambda c: c.id)), tuple(failed))


def known_ids() -> frozenset[str]:
    """The ids of every registered check (entry-point names), loaded or not."""
    return frozenset(ep.name for ep in entry_points(group=GROUP))


_PROTECTED: dict[str, tuple[str, tuple[Span, ...]]] = {}


def _protected(text: str) -> tuple[str, tuple[Span, ...]]:
    """Several checks ask for the same block's spans: parse each block once per file.
    (A fixed-size LRU thrashed on long articles: 30,000 blocks, re-parsed by every check.)"""
    found = _PROTECTED.get(text)
    if found is None:
        if len(_PROTECTED) > 200_000:  # callers outside qa (the build, ratios) never forget
            _PROTECTED.clear()
        p = protect(text)
        found = _PROTECTED[text] = (p.text, p.spans)
    return found


def forget() -> None:
    """Drop the per-file caches; qa calls it after each file so memory stays per file."""
    _PROTECTED.clear()
    _PLAIN.clear()


def spans(text: str, *roles: str) -> list[Span]:
    """The inline markup spans of a block's text (only those of the given roles, if any)."""
    found = _protected(text)[1]
    return [s for s in found if not roles or s.role in roles]


_PLAIN: dict[str, str] = {}


def plain(text: str) -> str:
    """The words a reader sees: the block without code, URLs, HTML, placeholders or link targets.
    (Every check asks for the same blocks' words: kept with the spans, per file.)"""
    found = _PLAIN.get(text)
    if found is None:
        if len(_PLAIN) > 200_000:
            _PLAIN.clear()
        found = _PLAIN[text] = " ".join(html.unescape(_TAG.sub(" ", _protected(text)[0])).split())
    return found


_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)")


def target(span: Span) -> str | None:
    """The destination of a link or image span (``[t](dest "title")``), or None."""
    if span.role not in ("link", "image"):
        return None
    found = _TARGET.search(span.close if span.kind == "g" else span.markup)
    return found.group(1) if found else None


def heading_before(doc: Document, index: int) -> Block | None:
    """The last heading at or before block ``index``."""
    for block in reversed(doc.blocks[: index + 1]):
        if block.kind == "heading":
            return block
    return None


def short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def describe(block: Block) -> str:
    """A block as a writer names it: "heading 'Sign up'", "list item", "title"."""
    if block.kind == "heading":
        return f"level-{block.detail} heading '{short(block.text)}'"
    if block.kind == "meta":
        return f"front-matter '{block.detail}'"
    if block.kind == "table_cell":
        return f"table cell (row {block.detail.replace('.', ', column ')})"
    return block.kind.replace("_", " ")


def where(doc: Document, index: int) -> str:
    """Where block ``index`` of ``doc`` is: "the paragraph under heading 'X'"."""
    if index < 0:
        return "the start of the article"
    block = doc.blocks[index]
    if block.kind in ("heading", "meta"):
        return f"the {describe(block)}"
    head = heading_before(doc, index)
    under = f" under heading '{short(head.text)}'" if head else ""
    return f"the {describe(block)}{under}"


@dataclass(frozen=True)
class Fence:
    """A fenced code block: where it starts, after which block, its info string and body."""

    line: int
    after: int  # index of the last block before it, -1 if none
    info: str
    body: str


def fences(doc: Document) -> list[Fence]:
    """The fenced code blocks of a document (outside front matter), in order. Several checks ask
    for them: found once per document and kept on it (as safety keeps what it renders)."""
    cached = doc.__dict__.get("_helpglot_fences")
    if cached is None:
        cached = _fences(doc)
        object.__setattr__(doc, "_helpglot_fences", cached)
    return list(cached)


def _fences(doc: Document) -> tuple[Fence, ...]:
    lines = doc.text.split("\n")
    first = doc.line_of(doc.front_matter[1]) + 1 if doc.front_matter else 1
    block_lines = [b.line for b in doc.blocks]
    found: list[Fence] = []
    k = first - 1
    while k < len(lines):
        m = _FENCE_OPEN.match(lines[k].rstrip("\r"))
        if not m:
            k += 1
            continue
        char, size = m.group("fence")[0], len(m.group("fence"))
        close = re.compile(rf"^[ \t>]*{re.escape(char)}{{{size},}}[ \t]*$")
        j = k + 1
        while j < len(lines) and not close.match(lines[j].rstrip("\r")):
            j += 1
        lead = len(m.group("lead"))
        body = "\n".join(line[lead:] for line in lines[k + 1 : j])
        after = sum(1 for n in block_lines if n <= k + 1) - 1
        found.append(Fence(k + 1, after, m.group("info").strip(), body))
        k = j + 1
    return tuple(found)
