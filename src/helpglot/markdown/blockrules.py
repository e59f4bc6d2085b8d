"""Python-Markdown's block rules, line by line, with exact offsets.

The engine behind :func:`helpglot.markdown.segment.parse` and :func:`helpglot.markdown.segment.outline`
(see :mod:`helpglot.markdown.segment` for the contract and why this is not markdown-it-py):
a recursive parser over regions of lines that records each translatable span.
:class:`_SignatureParser` runs the same rules recording only block signatures,
which is all ``status`` needs from a translation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from helpglot.errors import ContentError
from helpglot.markdown.blockcontainers import ContainerRules
from helpglot.markdown.blockfront import FrontMatterRules
from helpglot.markdown.blocklines import (  # the line vocabulary (see there)
    _ABBR,
    _ADMONITION,
    _ATTR_LINE,
    _ATX,
    _ATX_TAIL,
    _BLOCK_TAGS,
    _CONSTRUCT_FIRST,
    _DEFINITION,
    _FENCE,
    _FOOTNOTE,
    _GENERIC_BLOCK,
    _GENERIC_END,
    _HR,
    _HTML,
    _IMAGE_ONLY,
    _LINK_DEF,
    _LIST,
    _SETEXT,
    _SNIPPET,
    _TAB,
    _breaks,
    _error,
    _is_definition,
    _Line,
    _next,
    _split,
)
from helpglot.markdown.blocks import Block

_new = object.__new__


@dataclass
class _Parser(FrontMatterRules, ContainerRules):
    """Python-Markdown's block rules over lists of :class:`_Line`, recording blocks."""

    text: str
    path: str
    blocks: list[Block] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    fm_data: dict | None = None

    def add(self, kind: str, start: int, end: int, detail: str = "",
            context: tuple[str, ...] = (), slot: bool = False) -> None:
        """Record a block, trimmed of surrounding whitespace; an empty span is no block, except a
        ``slot`` (the title place of an untitled ``///`` admonition, see :meth:`generic_block`)."""
        raw = self.text[start:end]
        stripped = raw.strip()
        if not stripped and not slot:
            return
        if stripped and raw[0] != stripped[0]:
            start += len(raw) - len(raw.lstrip())
        # Block(...) without the frozen dataclass's per-field object.__setattr__: a large help
        # center makes millions of blocks, and this halves their cost
        blocks = self.blocks
        block = _new(Block)
        block.__dict__.update(index=len(blocks), kind=kind, start=start, end=start + len(stripped),
                              line=bisect_right(self.line_starts, start), text=stripped, detail=detail,
                              context=context)
        blocks.append(block)

    def region(self, lines: list[_Line], context: tuple[str, ...]) -> None:
        """Parse lines sharing one indentation level (the document, or a container's body)."""
        i = 0
        while i < len(lines):
            i = i + 1 if lines[i].blank else self.construct(lines, i, context)

    def construct(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        """Parse the construct starting at non-blank line ``i``; returns the line after it."""
        line = lines[i]
        s = line.body
        first = s[0]
        at = line.start + line.lead  # offset of s
        if line.indent >= 4:  # indented code
            return self.children(lines, i, 4)[1]
        if first not in _CONSTRUCT_FIRST:  # (most lines: only a table or a paragraph is possible)
            return self.table(lines, i, context) if self.is_table(lines, i) \
                else self.paragraph(lines, i, context)
        if first in "`~" and _FENCE.match(s):
            return self.skip_fence(lines, i)
        if first == "#" and line.lead == 0:
            body_start = _ATX.match(s).end()  # type: ignore[union-attr]
            end = _ATX_TAIL.search(s, body_start).start()  # type: ignore[union-attr]
            level = min(len(s) - len(s.lstrip("#")), 6)
            self.add("heading", at + body_start, at + end, str(level), context)
            return i + 1
        if first in "!?" and line.lead == 0 and (match := _ADMONITION.match(s)):
            if match.group(1):
                self.add("admonition_title", at + match.start(1), at + match.end(1), "", context)
            return self.nested(lines, i + 1, 4, context + ("admonition",))
        if first == "/" and (match := _GENERIC_BLOCK.match(s)):
            return self.generic_block(lines, i, match, context)
        if first == "/" and _GENERIC_END.match(s):
            return i + 1  # the end of a block whose header this region does not hold: a marker
        if first == "=" and line.lead == 0 and (match := _TAB.match(s)):
            self.add("tab_label", at + match.start(1), at + match.end(1), "", context)
            return self.nested(lines, i + 1, 4, context + ("tab",))
        if first == "<":
            if s.startswith("<!--"):
                end = next((j for j in range(i, len(lines)) if "-->" in lines[j].text), None)
                if end is not None:  # (an unclosed comment is shown as text)
                    return self.after(lines, end, lines[end].text.index("-->") + 3)
            elif (match := _HTML.match(s)) and match.group(2).lower() in _BLOCK_TAGS:
                return self.html(lines, i, match, context)
        if first == ">":
            return self.quote(lines, i, context)
        if first == "[" and (match := _FOOTNOTE.match(s)):
            j = self.more(lines, i + 1)
            self.add("footnote", at + match.end(), lines[j - 1].end, "", context)
            return self.nested(lines, j, 4, context + ("footnote",))
        if first in "-*_" and _HR.match(s) or first == "[" and _LINK_DEF.match(s) \
                or first == "*" and line.lead == 0 and _ABBR.match(s) \
                or first == "{" and _ATTR_LINE.match(s):
            return i + 1  # a rule, link reference, abbreviation or attr_list line
        if first in ";-" and (match := _SNIPPET.match(s)):
            if not match.group(1):  # block form: the lines up to the next bare marker are files
                for j in range(i + 1, len(lines)):
                    if (end := _SNIPPET.match(lines[j].body)) and not end.group(1):
                        return j + 1
            return i + 1
        if first == ":" and _DEFINITION.match(s) and any(not x.blank for x in lines[:i]):
            return self.definitions(lines, i, context)  # a definition with no term (not first)
        if _LIST.match(s):
            return self.list_items(lines, i, context)
        if self.is_table(lines, i):
            return self.table(lines, i, context)
        return self.paragraph(lines, i, context)

    def generic_block(self, lines: list[_Line], i: int, match: re.Match, context: tuple[str, ...]) -> int:
        """A pymdownx.blocks block (``/// note | Title``, ``//// tab | Python``, ``/// details``).

        The header and end lines and the indented YAML options under the header are skeleton;
        the title after ``|`` is a block (an admonition title, a tab label), except for
        ``/// html | div`` whose "title" is a tag. The body, up to the end line with as many
        slashes (blocks of that size nested inside counted, fenced code skipped, as superfences
        stashes it first), is Markdown. An unclosed block runs to the end, as in pymdownx."""
        size, name = len(match.group(1)), match.group(2).lower()
        depth, close, j = 0, len(lines), i + 1
        while j < len(lines):
            line = lines[j]
            body = line.body
            if line.indent < 4 and body[:1] in "`~" and _FENCE.match(body):
                try:
                    j = self.skip_fence(lines, j)
                except ContentError:  # an unclosed fence inside: reported when the body is parsed
                    j += 1
                continue
            if line.indent < 4 and body[:3] == "///":
                if (opened := _GENERIC_BLOCK.match(body)) and len(opened.group(1)) == size:
                    depth += 1
                elif (ended := _GENERIC_END.match(body)) and len(ended.group(1)) == size:
                    if not depth:
                        close = j
                        break
                    depth -= 1
            j += 1
        at = lines[i].start + lines[i].lead
        inner = "tab" if name == "tab" else "block" if name in ("html", "caption", "define") else "admonition"
        if match.group(3) and name != "html":
            kind = "tab_label" if name == "tab" else "admonition_title"
            self.add(kind, at + match.start(3), at + match.end(3), "", context)
        elif inner == "admonition":
            # an untitled admonition (``/// note``) shows its type as its title; translators often
            # write that title out (``/// note | Nota``): the place after the type (or after an
            # empty ``|``) is an empty title block, so both have the same blocks
            place = match.start(3) if match.group(3) is not None else match.end(2)
            self.add("admonition_title", at + place, at + place, "", context, slot=True)
        k = i + 1
        while k < close and not lines[k].blank and lines[k].indent >= 4:
            k += 1  # options (YAML)
        self.region(lines[k:close], context + (inner,))
        return min(close + 1, len(lines))

    def skip_fence(self, lines: list[_Line], i: int) -> int:
        marker = _FENCE.match(lines[i].body).group(1)  # type: ignore[union-attr]
        closing = re.compile(re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
        for j in range(i + 1, len(lines)):
            if lines[j].indent < 4 and closing.match(lines[j].body):
                return j + 1
        raise _error(self.path, lines[i].number, f"code fence {marker} opened here is never "
                     f"closed; add a closing {marker} line")

    def children(self, lines: list[_Line], i: int, indent: int) -> tuple[list[_Line], int]:
        """Lines indented by ``indent`` or blank, from ``i``; re-based to that indent."""
        j = i
        while j < len(lines) and (lines[j].blank or lines[j].indent >= indent):
            j += 1
        while j > i and lines[j - 1].blank:
            j -= 1
        return [line.cut(indent) for line in lines[i:j]], j

    def nested(self, lines: list[_Line], i: int, indent: int, context: tuple[str, ...]) -> int:
        k = _next(lines, i)
        if k == len(lines) or lines[k].indent < indent:
            return i  # nothing indented follows (most list items): what children() would find
        sub, j = self.children(lines, i, indent)
        self.region(sub, context)
        return j

    def more(self, lines: list[_Line], j: int) -> int:
        """End of a footnote's or definition's first paragraph: Python-Markdown joins lazy and
        indented lines to it, up to a blank line, a definition, or a block start once dedented."""
        while j < len(lines) and not (_is_definition(lines[j]) or _breaks(lines[j].cut(4))):
            j += 1
        return j

    def html(self, lines: list[_Line], i: int, match: re.Match, context: tuple[str, ...]) -> int:
        """Raw HTML is skeleton up to its closing tag; md_in_html (``markdown``) content is
        parsed. Python-Markdown only sees raw blocks at the top level: in a list or an
        admonition a tag is inline HTML, so there only the tag's line is skeleton."""
        tag = match.group(2).lower()
        if match.group(1) or tag == "hr" or match.group(3).rstrip().endswith("/"):
            return i + 1
        markdown = re.search(r"\bmarkdown\b(?:\s*=\s*[\"']?(\w*))?", match.group(3))
        parsed = bool(markdown) and markdown.group(1) != "0"  # type: ignore[union-attr]
        depth, close = 0, None
        for j, found in ((k, m) for k in range(i, len(lines))
                         for m in re.finditer(rf"<(/?){tag}\b[^>]*>", lines[k].text, re.I)):
            depth += 0 if found.group(0).endswith("/>") else -1 if found.group(1) else 1
            if depth == 0:
                close = (j, found.start(), found.end())
                break
        if close is None and parsed:
            raise _error(self.path, lines[i].number,
                         f"<{tag} markdown> opened here is never closed; add </{tag}>")
        if close is None or not (parsed or all(c == "html" for c in context)):
            return i + 1  # the text around an unclosed or nested tag is still shown: parse it
        j, close_start, close_end = close
        if parsed:  # the text between the tags, even on the tags' own lines
            open_end = lines[i].lead + match.end() if match.group(4) else len(lines[i].text)
            if j == i:
                inner = [lines[i].slice(open_end, close_start)]
            else:
                inner = [lines[i].slice(open_end), *lines[i + 1 : j],
                         lines[j].slice(0, close_start)]
            self.region(inner, context + ("html",))
        return self.after(lines, j, close_end)

    def after(self, lines: list[_Line], j: int, end: int) -> int:
        """Where to go on after HTML ending at ``end`` of line ``j``: text after it is a paragraph
        (Python-Markdown's "tail"), so the line is cut there and parsed again."""
        if lines[j].text[end:].strip(" \t"):
            lines[j] = lines[j].slice(end)
            return j
        return j + 1

    def paragraph(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        line = lines[i]
        if i + 1 < len(lines) and lines[i + 1].text[:1] in ("=", "-") and _SETEXT.match(lines[i + 1].text):
            level = "1" if lines[i + 1].text[0] == "=" else "2"
            tail = _ATX_TAIL.search(line.text)
            end = line.start + (tail.start() if tail and tail.group(1) else len(line.text))
            self.add("heading", line.start, end, level, context)
            return i + 2
        j = i + 1
        while j < len(lines) and not _breaks(lines[j]) and not _is_definition(lines[j]):
            j += 1
        # a definition list: each line before ":   " is a term, right above it or (loose) a
        # blank line above it
        k = _next(lines, j)
        if k < len(lines) and (k == j or lines[j].blank) and _is_definition(lines[k]):
            for term in lines[i:j]:
                self.add("def_term", term.start, term.end, "", context)
            return self.definitions(lines, k, context)
        if j == i + 1 and line.body[:2] == "![" and (image := _IMAGE_ONLY.match(line.body)):
            offset = line.start + line.lead + 2
            self.add("image_alt", offset, offset + len(image.group("alt")), "", context)
            return j
        # an attr_list line under a paragraph belongs to Python-Markdown, not to the text
        last = lines[j - 2 if j - 1 > i and _ATTR_LINE.match(lines[j - 1].body) else j - 1]
        self.add("paragraph", line.start, last.end, "", context)
        return j

def _run(parser: _Parser) -> tuple[int, int] | None:
    """Parse ``parser.text`` with ``parser``; returns the front matter's span."""
    parts, starts = _split(parser.text)
    parser.line_starts = starts or [0]
    first_body, fm = parser.front_matter(parts, starts)
    # _Line objects are made for the body only, since the front matter (30+ lines of provenance
    # in a translation) needs far less
    lines = [_Line(start, start + len(part), part, number) for number, start, part
             in zip(range(first_body + 1, len(parts) + 1), starts[first_body:], parts[first_body:],
                 strict=False)]
    parser.region(lines, ())
    return fm


#: the block kinds whose :attr:`Block.detail` is part of their signature


_DETAILED = frozenset(("heading", "meta", "table_cell"))


@dataclass
class _SignatureParser(_Parser):
    """The same block rules, recording only each block's signature.

    ``status`` needs no more of a translation than its provenance and the kinds of its
    blocks; slicing, stripping and locating every block (and making a :class:`Block`) is
    most of what parsing a file costs, so this parser skips them.
    """

    signatures: list[str] = field(default_factory=list)

    def add(self, kind: str, start: int, end: int, detail: str = "",
            context: tuple[str, ...] = (), slot: bool = False) -> None:
        raw = self.text[start:end]
        if slot or raw and not raw.isspace():  # (str.isspace and str.strip agree on what is whitespace)
            self.signatures.append(f"{kind}:{detail}" if kind in _DETAILED else kind)
