"""Split a help article into translatable blocks, byte for byte.

A :class:`Document` is the original text plus the spans of its translatable
blocks: front-matter values meant for readers (``title``, ``description``),
headings, paragraphs, list items, table cells, admonition titles, content-tab
labels, definition terms and bodies, footnotes, and the alt text of an image
that stands alone. Everything between blocks (markers, indentation, code
blocks, HTML, snippet includes, attr_list ``{#id}``) is skeleton and is never
sent to an engine. Because blocks are spans of the original text,
``doc.render()`` returns the file unchanged and ``doc.render({i: text})``
replaces exactly block ``i``.

Why not markdown-it-py: MkDocs renders with Python-Markdown + pymdown, whose
block rules differ from CommonMark where it matters here (4-space nesting in
lists, ``!!!``/``???`` admonitions, ``===`` tabs, md_in_html, a list needing a
blank line before it). markdown-it-py would give us CommonMark's structure,
not the one readers see. This module follows Python-Markdown's rules line by
line instead, keeping exact offsets so the round trip is lossless by
construction. (markdown-it-py is used where CommonMark inline rules suffice.)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from helpglot.errors import ContentError

#: Front-matter keys whose values readers see.
READER_KEYS = ("title", "description")
HASH_LEN = 12

_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})")
_ATX = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_ATX_TAIL = re.compile(r"(?:[ \t]+#+)?[ \t]*(\{[^}\n]*\})?[ \t]*$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST = re.compile(r"([-*+]|\d{1,9}[.)])([ \t]+|$)")
_ADMONITION = re.compile(r'(!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"(.*)")?[ \t]*$')
_TAB = re.compile(r'===[!+]{0,2}[ \t]+"(.*)"[ \t]*$')
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:[ \t]*")
_DEFINITION = re.compile(r":[ \t]{1,3}")
_TABLE_SEP = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_LINK_DEF = re.compile(r"\[[^\]]+\]:[ \t]*\S")
_ABBR = re.compile(r"\*\[[^\]]+\]:")
_SNIPPET = re.compile(r";?-{1,}8<-{1,}")
_ATTR_LINE = re.compile(r"\{:?[^}]*\}[ \t]*$")
_HTML_OPEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*)>?")
_IMAGE_ONLY = re.compile(r"!\[(?P<alt>[^\]]*)\]\([^)]*\)(?:\{[^}]*\})?[ \t]*$")
_FM_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")


def block_hash(text: str) -> str:
    """sha256 of the text with whitespace folded, shortened: whitespace edits change nothing."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:HASH_LEN]


@dataclass(frozen=True)
class Block:
    """One translatable span of a document."""

    index: int
    kind: str  # meta, heading, paragraph, list_item, table_cell, admonition_title, tab_label, ...
    start: int
    end: int
    line: int
    text: str
    detail: str = ""  # heading level, meta key, list marker type, table position
    context: tuple[str, ...] = ()  # enclosing containers, e.g. ("admonition", "list")

    @property
    def hash(self) -> str:
        return block_hash(self.text)

    @property
    def signature(self) -> str:
        """What must match between a source block and its translation."""
        if self.kind in ("heading", "meta", "table_cell"):
            return f"{self.kind}:{self.detail}"
        return self.kind


@dataclass(frozen=True)
class Document:
    """A Markdown file and its blocks, as exact spans."""

    text: str
    blocks: tuple[Block, ...]
    front_matter: tuple[int, int] | None = None  # span of the YAML between the --- lines
    path: str = ""

    @property
    def hashes(self) -> list[str]:
        return [block.hash for block in self.blocks]

    def render(self, replacements: dict[int, str] | None = None) -> str:
        """The document with some blocks' text replaced (none: the original, byte for byte)."""
        if not replacements:
            return self.text
        out: list[str] = []
        pos = 0
        for block in self.blocks:
            if block.index in replacements:
                out.append(self.text[pos : block.start])
                out.append(replacements[block.index])
                pos = block.end
        out.append(self.text[pos:])
        return "".join(out)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1


@dataclass
class _State:
    text: str
    path: str
    blocks: list[Block] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)

    def add(self, kind: str, start: int, end: int, detail: str = "", context: tuple = ()) -> None:
        raw = self.text[start:end]
        stripped = raw.strip()
        if not stripped:
            return
        lead = len(raw) - len(raw.lstrip())
        start += lead
        end = start + len(stripped)
        self.blocks.append(
            Block(
                index=len(self.blocks),
                kind=kind,
                start=start,
                end=end,
                line=self.line(start),
                text=stripped,
                detail=detail,
                context=context,
            )
        )

    def line(self, offset: int) -> int:
        from bisect import bisect_right

        return bisect_right(self.line_starts, offset)


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the first character after the region indent
    end: int  # offset of the end of the line, excluding the newline
    text: str  # the line with the region indent removed, no newline
    number: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))


def _error(path: str, line: int, message: str) -> ContentError:
    return ContentError(f"{path or '<text>'}:{line}: {message}")


def _front_matter(state: _State, lines: list[_Line]) -> tuple[int, tuple[int, int] | None]:
    """Reader-facing values of the YAML front matter; returns the first body line."""
    if not lines or lines[0].text.rstrip() != "---":
        return 0, None
    for i in range(1, len(lines)):
        if lines[i].text.rstrip() in ("---", "..."):
            break
    else:
        raise _error(
            state.path, 1, "front matter opened with '---' is never closed; add a '---' line "
            "after the last key"
        )
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    fm_start, fm_end = lines[1].start if i > 1 else lines[i].start, lines[i].start
    try:
        data = yaml.load(state.text[fm_start:fm_end], Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise _error(state.path, line, f"broken front matter: {problem}; fix the YAML") from None
    if data is not None and not isinstance(data, dict):
        raise _error(state.path, 2, "front matter must be a mapping of keys to values")
    for line in lines[1:i]:
        match = _FM_KEY.match(line.text)
        if not match or match.group(1) not in READER_KEYS or line.indent:
            continue
        value_start = line.start + match.start(2)
        value = match.group(2).rstrip()
        if value[:1] in ("'", '"') and len(value) >= 2 and value[-1] == value[0]:
            state.add("meta", value_start + 1, value_start + len(value) - 1, match.group(1))
        elif value and value[0] not in "|>[{&*!":
            state.add("meta", value_start, value_start + len(value), match.group(1))
    return i + 1, (fm_start, fm_end)


def _starts_block(line: _Line) -> bool:
    """Does this line start a construct that ends a paragraph?"""
    text = line.text
    if line.indent >= 4:
        return False
    s = text.lstrip(" ")
    if not s:
        return True
    first = s[0]
    if first == "#" and _ATX.match(s):
        return True
    if first in "`~" and _FENCE.match(text):
        return True
    if first in "!?" and _ADMONITION.match(s):
        return True
    if first == "=" and _TAB.match(s):
        return True
    if first in "-*_" and _HR.match(s):
        return True
    if first == "<" and _HTML_OPEN.match(s):
        return True
    return False


class _Parser:
    def __init__(self, state: _State) -> None:
        self.state = state

    # region: a list of lines sharing one indentation level
    def region(self, lines: list[_Line], context: tuple[str, ...]) -> None:
        i = 0
        n = len(lines)
        while i < n:
            line = lines[i]
            if line.blank:
                i += 1
                continue
            i = self.construct(lines, i, context)

    def construct(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        state = self.state
        line = lines[i]
        text = line.text
        indent = line.indent
        s = text[indent:]
        first = s[0]
        if indent >= 4:
            return self.skip_indented_code(lines, i)
        if first in "`~":
            fence = _FENCE.match(text)
            if fence:
                return self.skip_fence(lines, i, fence)
        if first == "#":
            match = _ATX.match(s)
            if match:
                body_start = indent + match.end()
                tail = _ATX_TAIL.search(text, body_start)
                end = tail.start() if tail else len(text)
                state.add("heading", line.start + body_start, line.start + end,
                          str(len(match.group(1))), context)
                return i + 1
        if first in "!?":
            match = _ADMONITION.match(s)
            if match:
                if match.group(2):
                    title_start = line.start + indent + match.start(2)
                    state.add("admonition_title", title_start, title_start + len(match.group(2)),
                              "", context)
                return self.nested(lines, i + 1, indent + 4, context + ("admonition",))
        if first == "=":
            match = _TAB.match(s)
            if match:
                label_start = line.start + indent + match.start(1)
                state.add("tab_label", label_start, label_start + len(match.group(1)), "", context)
                return self.nested(lines, i + 1, indent + 4, context + ("tab",))
        if first in "-*_" and _HR.match(s):
            return i + 1
        if first == "<":
            if s.startswith("<!--"):
                return self.skip_until(lines, i, "-->")
            match = _HTML_OPEN.match(s)
            if match:
                return self.html(lines, i, match, context)
        if first == "[":
            match = _FOOTNOTE.match(s)
            if match:
                return self.footnote(lines, i, indent + match.end(), context)
            if _LINK_DEF.match(s):
                return i + 1
        if first == "*" and _ABBR.match(s):
            return i + 1
        if first in ";-" and _SNIPPET.match(s):
            return i + 1
        if first == "{" and _ATTR_LINE.match(s):
            return i + 1
        match = _LIST.match(s)
        if match:
            return self.list_items(lines, i, context)
        if "|" in s and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1].text.strip()) \
                and "-" in lines[i + 1].text:
            return self.table(lines, i, context)
        return self.paragraph(lines, i, context)

    def skip_fence(self, lines: list[_Line], i: int, fence: re.Match) -> int:
        marker = fence.group(2)
        closing = re.compile(r" {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
        for j in range(i + 1, len(lines)):
            if closing.match(lines[j].text):
                return j + 1
        raise _error(
            self.state.path, lines[i].number,
            f"code fence {marker} opened here is never closed; add a closing {marker} line",
        )

    def skip_indented_code(self, lines: list[_Line], i: int) -> int:
        j = i
        while j < len(lines) and (lines[j].blank or lines[j].indent >= 4):
            j += 1
        while j > i and lines[j - 1].blank:
            j -= 1
        return max(j, i + 1)

    def skip_until(self, lines: list[_Line], i: int, marker: str) -> int:
        for j in range(i, len(lines)):
            if marker in lines[j].text:
                return j + 1
        return len(lines)

    def children(self, lines: list[_Line], i: int, indent: int) -> tuple[list[_Line], int]:
        """Lines indented by ``indent`` or blank, from ``i``; re-based to that indent."""
        j = i
        while j < len(lines):
            line = lines[j]
            if line.blank or line.indent >= indent:
                j += 1
                continue
            break
        while j > i and lines[j - 1].blank:
            j -= 1
        sub = []
        for line in lines[i:j]:
            cut = min(indent, line.indent)
            sub.append(_Line(line.start + cut, line.end, line.text[cut:], line.number))
        return sub, j

    def nested(self, lines: list[_Line], i: int, indent: int, context: tuple[str, ...]) -> int:
        sub, j = self.children(lines, i, indent)
        self.region(sub, context)
        return j

    def html(self, lines: list[_Line], i: int, match: re.Match, context: tuple[str, ...]) -> int:
        """Raw HTML is skeleton; md_in_html (``markdown`` attribute) content is parsed."""
        attrs = match.group(3) or ""
        tag = match.group(2).lower()
        if re.search(r"\bmarkdown(?:=|\b)", attrs) and not match.group(1):
            depth = 0
            for j in range(i, len(lines)):
                text = lines[j].text
                depth += len(re.findall(rf"<{tag}\b", text, re.I))
                depth -= len(re.findall(rf"</{tag}\s*>", text, re.I))
                if depth <= 0:
                    inner = lines[i + 1 : j]
                    self.region(inner, context + ("html",))
                    return j + 1
            raise _error(self.state.path, lines[i].number,
                         f"<{tag} markdown> opened here is never closed; add </{tag}>")
        j = i
        while j < len(lines) and not lines[j].blank:
            j += 1
        return j

    def footnote(self, lines: list[_Line], i: int, text_at: int, context: tuple[str, ...]) -> int:
        line = lines[i]
        j = i + 1
        while j < len(lines) and not lines[j].blank and not _starts_block(lines[j]) \
                and lines[j].indent < 4:
            j += 1
        self.state.add("footnote", line.start + text_at, lines[j - 1].end, "", context)
        return self.nested(lines, j, 4, context + ("footnote",))

    def paragraph(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        state = self.state
        j = i + 1
        while j < len(lines):
            nxt = lines[j]
            if nxt.blank or _starts_block(nxt):
                break
            if _SETEXT.match(nxt.text.strip()) and nxt.indent < 4 and j == i + 1:
                level = "1" if nxt.text.strip()[0] == "=" else "2"
                tail = _ATX_TAIL.search(lines[i].text)
                end = lines[i].start + (tail.start() if tail and tail.group(1) else len(lines[i].text))
                state.add("heading", lines[i].start, end, level, context)
                return j + 1
            if _DEFINITION.match(nxt.text) and nxt.indent == 0:
                break
            j += 1
        # definition list: term line(s) followed by ":   definition"
        if j < len(lines) and _DEFINITION.match(lines[j].text) and not lines[j].blank:
            state.add("def_term", lines[i].start, lines[j - 1].end, "", context)
            return self.definitions(lines, j, context)
        if j == i + 1 and not lines[i].blank:
            image = _IMAGE_ONLY.match(lines[i].text.strip())
            if image and lines[i].text.lstrip().startswith("!["):
                offset = lines[i].start + lines[i].text.index("![") + 2
                state.add("image_alt", offset, offset + len(image.group("alt")), "", context)
                return j
        last = lines[j - 1]
        end = last.end
        tail = _ATX_TAIL.search(last.text)
        if tail and tail.group(1) and tail.group(1).startswith("{:"):
            end = last.start + tail.start()
        state.add("paragraph", lines[i].start, end, "", context)
        return j

    def definitions(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        while i < len(lines) and _DEFINITION.match(lines[i].text):
            match = _DEFINITION.match(lines[i].text)
            j = i + 1
            while j < len(lines) and not lines[j].blank and not _starts_block(lines[j]) \
                    and not _DEFINITION.match(lines[j].text):
                j += 1
            self.state.add("def_body", lines[i].start + match.end(), lines[j - 1].end, "", context)
            i = self.nested(lines, j, 4, context + ("definition",))
            k = i
            while k < len(lines) and lines[k].blank:
                k += 1
            if k < len(lines) and _DEFINITION.match(lines[k].text):
                i = k
        return i

    def list_items(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        state = self.state
        ordered = None
        while i < len(lines):
            line = lines[i]
            if line.blank:
                k = i
                while k < len(lines) and lines[k].blank:
                    k += 1
                if k < len(lines) and lines[k].indent < 4 and _LIST.match(lines[k].text.lstrip(" ")):
                    i = k
                    continue
                return i
            s = line.text.lstrip(" ")
            match = _LIST.match(s) if line.indent < 4 else None
            if not match:
                return i
            is_ordered = match.group(1)[0].isdigit()
            if ordered is not None and is_ordered != ordered:
                return i
            ordered = is_ordered
            text_at = line.indent + match.end()
            j = i + 1
            while j < len(lines):
                nxt = lines[j]
                if nxt.blank or nxt.indent >= 4 or _starts_block(nxt):
                    break
                if _LIST.match(nxt.text.lstrip(" ")):
                    break
                j += 1
            task = re.match(r"\[[ xX]\][ \t]+", line.text[text_at:])
            if task:
                text_at += task.end()
            item_ctx = context + ("list",)
            state.add("list_item", line.start + text_at, lines[j - 1].end,
                      "ol" if ordered else "ul", context)
            i = self.nested(lines, j, 4, item_ctx)
        return i

    def table(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        row = 0
        j = i
        while j < len(lines) and not lines[j].blank and "|" in lines[j].text:
            if j == i + 1:
                j += 1
                continue
            self.cells(lines[j], row, context)
            row += 1
            j += 1
        return j

    def cells(self, line: _Line, row: int, context: tuple[str, ...]) -> None:
        text = line.text
        bounds = [k for k, ch in enumerate(text) if ch == "|" and (k == 0 or text[k - 1] != "\\")]
        # ignore pipes inside inline code
        in_code = [False] * (len(text) + 1)
        flag = False
        for k, ch in enumerate(text):
            if ch == "`":
                flag = not flag
            in_code[k] = flag
        bounds = [k for k in bounds if not in_code[k]]
        stripped = text.strip()
        edges = [-1] + bounds + [len(text)]
        col = 0
        for a, b in zip(edges, edges[1:], strict=False):
            if a == -1 and stripped.startswith("|"):
                continue
            if b == len(text) and stripped.endswith("|") and a == bounds[-1]:
                continue
            self.state.add("table_cell", line.start + a + 1, line.start + b,
                           f"{row}.{col}", context + ("table",))
            col += 1


def parse(text: str, path: str = "") -> Document:
    """Segment one Markdown document; ContentError names file and line on broken input."""
    state = _State(text=text, path=path)
    starts = [0]
    lines: list[_Line] = []
    pos = 0
    number = 1
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        lines.append(_Line(pos, pos + len(content), content, number))
        pos += len(raw)
        number += 1
        starts.append(pos)
    state.line_starts = starts
    first_body, fm = _front_matter(state, lines)
    _Parser(state).region(lines[first_body:], ())
    return Document(text=text, blocks=tuple(state.blocks), front_matter=fm, path=path)


def parse_file(path: str, display: str | None = None) -> Document:
    """Read and segment a file; a file that is not UTF-8 is a clear error, not a crash."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            f"{display or path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the file "
            "as UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return parse(text, display or path)
