"""Split a help article into translatable blocks, byte for byte.

A :class:`Document` is the original text plus the spans of its translatable
blocks: front-matter values meant for readers (``title``, ``description``),
headings, paragraphs, list items, table cells, admonition titles, content-tab
labels, definition terms and bodies, footnotes, and the alt text of an image
that stands alone. Everything between blocks (markers, indentation, code
blocks, HTML, snippet includes, attr_list ``{#id}``) is skeleton and is never
sent to an engine. Because blocks are spans of the original text,
``doc.render()`` returns the file unchanged and ``doc.render({i: text})``
replaces exactly block ``i``. Containers (admonitions, tabs, list items,
definitions, footnotes, blockquotes, md_in_html) are parsed recursively.

Why not markdown-it-py: MkDocs renders with Python-Markdown + pymdown, whose
block rules differ from CommonMark where it matters here (4-space nesting in
lists, ``!!!``/``???`` admonitions, ``===`` tabs, md_in_html, a list needing a
blank line before it). markdown-it-py would give us CommonMark's structure,
not the one readers see. :mod:`helpglot.markdown.blockrules` follows Python-Markdown's
rules line by line instead (checked against its output; quirks included, e.g. "#tag" is a
heading and a list keeps going when the marker type changes), keeping exact
offsets so the round trip is lossless by construction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from helpglot.errors import ContentError
from helpglot.markdown.blocklines import _NEWLINE
from helpglot.markdown.blockrules import _Parser, _run, _SignatureParser
from helpglot.markdown.blocks import HASH_LEN, READER_KEYS, Block, block_hash, fill
from helpglot.markdown.limits import over_budget

__all__ = ["HASH_LEN", "READER_KEYS", "Block", "Document", "Outline", "block_hash", "fill", "outline", "parse",
           "parse_file", "read_text"]


@dataclass(frozen=True)
class Document:
    """A Markdown file and its blocks, as exact spans."""

    text: str
    blocks: tuple[Block, ...]
    front_matter: tuple[int, int] | None = None  # span of the YAML between the --- lines
    path: str = ""
    meta: dict | None = field(default=None, compare=False, repr=False)  # the parsed front matter

    @cached_property
    def hashes(self) -> list[str]:
        """Computed once: ``status`` compares a source with each of its translations."""
        return [block.hash for block in self.blocks]

    @cached_property
    def signatures(self) -> list[str]:
        """Each block's :attr:`Block.signature`, computed once (see :attr:`hashes`)."""
        return [block.signature for block in self.blocks]

    def render(self, replacements: dict[int, str] | None = None) -> str:
        """The document with some blocks' text replaced (none: the original, byte for byte)."""
        out: list[str] = []
        pos = 0
        for block in self.blocks:
            if replacements and block.index in replacements:
                out += [self.text[pos : block.start], fill(self.text, block, replacements[block.index])]
                pos = block.end
        return "".join(out) + self.text[pos:]

    def line_of(self, offset: int) -> int:
        """1-based line of an offset, counting line breaks the way :func:`parse` does."""
        text = self.text
        if "\r" not in text:  # (the common case: counting is much faster than a regex scan)
            return text.count("\n", 0, offset) + 1
        return len(_NEWLINE.findall(text, 0, offset)) + 1


def parse(text: str, path: str = "") -> Document:
    """Segment one Markdown document; ContentError names file and line on broken input, or on
    a page over one of :mod:`helpglot.markdown.limits`' budgets (the parser recurses per level)."""
    _within_budget(text, path)
    parser = _Parser(text=text, path=path)
    fm = _run(parser)
    return Document(text=text, blocks=tuple(parser.blocks), front_matter=fm, path=path,
                    meta=parser.fm_data)


def _within_budget(text: str, path: str) -> None:
    overrun = over_budget(text)
    if overrun is not None:
        raise ContentError(f"{path}:{overrun.line}: {overrun.reason}")


@dataclass(frozen=True)
class Outline:
    """What :func:`outline` finds: a document's front matter and its blocks' signatures.

    Has the attributes of a :class:`Document` that :mod:`helpglot.tracking.provenance` reads, so
    provenance can be read from either.
    """

    text: str
    signatures: list[str]
    front_matter: tuple[int, int] | None = None
    path: str = ""
    meta: dict | None = field(default=None, compare=False, repr=False)

    def line_of(self, offset: int) -> int:
        """1-based line of an offset, as :meth:`Document.line_of`."""
        return Document.line_of(self, offset)  # type: ignore[arg-type]


def outline(text: str, path: str = "") -> Outline:
    """``[b.signature for b in parse(text, path).blocks]`` and the front matter, for less.

    Raises exactly what :func:`parse` raises: both run the same rules.
    """
    _within_budget(text, path)
    parser = _SignatureParser(text=text, path=path)
    fm = _run(parser)
    return Outline(text=text, signatures=parser.signatures, front_matter=fm, path=path,
                   meta=parser.fm_data)


def read_text(path: str, display: str | None = None) -> str:
    """A Markdown file's text; a file that is not UTF-8 is a clear error, not a crash."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:  # a symlink loop, a folder, no permission: a clear error, not a traceback
        raise ContentError(f"{display or path}:1: cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(re.findall(rb"\r\n|\r|\n", raw[: exc.start])) + 1
        raise ContentError(f"{display or path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); "
                           "save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def parse_file(path: str, display: str | None = None) -> Document:
    """Read and segment a file (see :func:`read_text`).

    One command often parses the same file twice (``check`` reads a translation for
    its checks and again while learning length ratios): the last few parses are kept,
    keyed by path and the text itself (not mtime, which can miss a same-size rewrite)."""
    text, shown = read_text(path, display), display or path
    key = (shown, text)
    doc = _RECENT.get(key)
    if doc is None:
        doc = parse(text, shown)
        _RECENT[key] = doc
        while len(_RECENT) > 4:
            del _RECENT[next(iter(_RECENT))]
    return doc


_RECENT: dict[tuple[str, str], Document] = {}
