"""Python-Markdown's block rules, line by line, with exact offsets.

The engine behind :func:`helpglot.segment.parse` and :func:`helpglot.segment.outline`
(see :mod:`helpglot.segment` for the contract and why this is not markdown-it-py):
a recursive parser over regions of lines that records each translatable span.
:class:`_SignatureParser` runs the same rules recording only block signatures,
which is all ``status`` needs from a translation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from operator import add

import yaml
from markdown.util import BLOCK_LEVEL_ELEMENTS

from helpglot import frontmatter
from helpglot.blocks import READER_KEYS, Block
from helpglot.errors import ContentError

# Python-Markdown breaks lines at \r\n, \r and \n only; str.splitlines() would also break at
# \x0c, \x85, \u2028... (pasted from word processors) and shift every line number after them.
_NEWLINE = re.compile(r"\r\n|\r|\n")
# A whole-line superfences opener: a fence, then a language and options or {attrs}, nothing else
# ("```x``` is inline code" starts a paragraph, not a fence).
_FENCE = re.compile(
    r"(`{3,}|~{3,})[ \t]*(?:\{[^\n]*\}|\.?[\w#.+-]*"
    r"""(?:[ \t]+[A-Za-z]\w*(?:=(?:"[^"]*"|'[^']*'))?)*)[ \t]*$"""
)
_ATX = re.compile(r"#{1,6}[ \t]*")  # Python-Markdown needs no space: "#tag" is a heading
_ATX_TAIL = re.compile(r"(?:[ \t]+#+)?[ \t]*(\{[^}\n]*\})?[ \t]*$")
_SETEXT = re.compile(r"(?:=+|-+)[ \t]*$")
_HR = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_LIST = re.compile(r"(?:[-*+]|\d+\.)[ \t]+")  # "1)" is no list marker in Python-Markdown
_ITEM = re.compile(r"(?:[-*+]|\d+\.)[ \t]+\S")  # ends an item's text (trailing spaces don't)
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_ADMONITION = re.compile(r'(?:!!!|\?\?\?\+?)[ \t]*[\w-]+(?:[ \t]+[\w-]+)*(?:[ \t]+"(.*)")?[ \t]*$')
_TAB = re.compile(r'===(?:\+|\+!|!\+|!)?[ \t]+"(.*)"[ \t]*$')
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:[ \t]*")
_DEFINITION = re.compile(r":[ \t]{1,3}")
_TABLE_SEP = re.compile(r"[ \t]*:?-+:?[ \t]*$")
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`).+?(?<!`)\1(?!`)")
_LINK_DEF = re.compile(r"""\[[^\[\]]*\]:[ \t]*\S+(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$""")
_ABBR = re.compile(r"\*\[[^\]]*\][ \t]?:")
_SNIPPET = re.compile(r";?-+8<-+[ \t]*(\S?)")
_ATTR_LINE = re.compile(r"\{:?[^}]*\}[ \t]*$")
_HTML = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)([^>]*)(>?)")
_QUOTE = re.compile(r"> ?")
_PIPE = re.compile(r"\|")
# alt text may hold escapes and balanced brackets, as Python-Markdown allows ("![[draft] x](y)")
_IMAGE_ONLY = re.compile(
    r"!\[(?P<alt>(?:\\.|[^\[\]\\]|\[(?:\\.|[^\[\]\\])*\])*)\]\([^)]*\)(?:\{[^}]*\})?[ \t]*$"
)
_FM_KEY = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)[ \t]*")
_FM_QUOTED = {'"': re.compile(r'"(?:[^"\\]|\\.)*"'), "'": re.compile(r"'(?:[^']|'')*'")}
#: Python-Markdown's own block-level tags: only these start a raw HTML block; <span>, <kbd>,
#: <img> or an autolink at the start of a line begin an ordinary paragraph.
_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
_new = object.__new__
# the first characters of a line that can end a paragraph (see _breaks)...
_BREAK_FIRST = frozenset("#!?=*`~-_<[>;")
# ... and of a line that starts something other than a table or a paragraph (see construct)
_CONSTRUCT_FIRST = frozenset("#!?=*`~-_<[>;{:+0123456789")


class _Line:
    """One line of a region (a plain slots class: a document makes hundreds of these).

    ``lead``, ``body``, ``blank`` and ``indent`` are computed once here rather than as
    properties: the block rules read them millions of times over a large help center.
    """

    __slots__ = ("start", "end", "text", "number", "lead", "body", "blank", "indent")

    def __init__(self, start: int, end: int, text: str, number: int) -> None:
        self.start = start  # offset of text[0]: the first character after the region's indentation
        self.end = end  # offset of the end of the line, excluding the line break
        self.text = text  # the line without the region's indentation and without the line break
        self.number = number
        body = text.lstrip(" \t")
        self.body = body
        # only spaces and tabs, as in Python-Markdown (a no-break space is content)
        self.blank = not body
        lead = self.lead = len(text) - len(body)  # characters of indentation
        # columns of indentation; Python-Markdown expands a tab to the next multiple of 4
        self.indent = lead if not lead or "\t" not in text[:lead] else self._skip(1 << 30)[1]

    def _skip(self, columns: int) -> tuple[int, int]:
        text = self.text
        if "\t" not in text[: self.lead]:
            width = min(columns, self.lead)
            return width, width
        k = col = 0
        while k < len(text) and col < columns and text[k] in " \t":
            col = col + 4 - col % 4 if text[k] == "\t" else col + 1
            k += 1
        return k, col

    def cut(self, columns: int) -> _Line:
        """The line re-based ``columns`` further right (less if it is indented less)."""
        if self.lead == 0:
            return self
        return self.slice(self._skip(columns)[0])

    def slice(self, a: int, b: int | None = None) -> _Line:
        text = self.text[a:b]
        return _Line(self.start + a, self.start + a + len(text), text, self.number)


def _next(lines: list[_Line], k: int) -> int:
    """The first non-blank line from ``k`` (``len(lines)`` if none)."""
    while k < len(lines) and lines[k].blank:
        k += 1
    return k


def _error(path: str, line: int, message: str) -> ContentError:
    return ContentError(f"{path or '<text>'}:{line}: {message}")


def _starts_block(line: _Line) -> bool:
    """Does this line end a paragraph? Python-Markdown's processors search a whole paragraph
    for these and split it there; a list marker or a table row does not split one."""
    if line.blank:
        return True
    if line.indent >= 4:
        return False
    s = line.body
    first = s[0]
    if line.lead == 0 and (
        first == "#" or (first in "!?" and _ADMONITION.match(s)) or (first == "=" and _TAB.match(s))
        or (first == "*" and _ABBR.match(s))
    ):
        return True
    if first in "`~" and _FENCE.match(s) or first in "-*_" and _HR.match(s):
        return True
    if first == "<":
        html = _HTML.match(s)
        return s.startswith("<!--") or bool(html and html.group(2).lower() in _BLOCK_TAGS)
    if first == "[":
        return bool(_FOOTNOTE.match(s) or _LINK_DEF.match(s))
    return first == ">" or (first in ";-" and bool(_SNIPPET.match(s)))


def _breaks(line: _Line) -> bool:
    """A block start, or a fence or HTML block tag at any indentation: superfences finds fences
    inside a paragraph (even behind ``>``), and a tag kept inside a block's text would be lost
    in translation."""
    if line.blank:
        return True
    body = line.body
    if body[0] not in _BREAK_FIRST:  # (most lines: no rule below can match)
        return False
    return _starts_block(line) or bool(_FENCE.match(body.lstrip("> \t"))) \
        or (body[:1] == "<" and _starts_block(line.slice(line.lead)))


def _is_definition(line: _Line) -> bool:
    return line.body[:1] == ":" and line.indent < 4 and bool(_DEFINITION.match(line.body))


def _cells(text: str) -> list[tuple[int, int]]:
    """Spans of a table row's cells; a ``|`` inside inline code or after a backslash is text."""
    if "`" not in text and "\\" not in text:  # (most rows: every | is a separator)
        pipes = [m.start() for m in _PIPE.finditer(text)]
    else:
        code = [m.span() for m in _CODE_SPAN.finditer(text)] if "`" in text else []
        pipes = []
        k = text.find("|")
        while k >= 0:
            if not (code and any(a <= k < b for a, b in code)) \
                    and (text[k - 1 : k] != "\\" or (k - len(text[:k].rstrip("\\"))) % 2 == 0):
                pipes.append(k)
            k = text.find("|", k + 1)
    edges = [-1, *pipes, len(text)]
    spans = [(a + 1, b) for a, b in zip(edges, edges[1:], strict=False)]
    if pipes and text.lstrip().startswith("|"):
        spans.pop(0)
    if pipes and pipes[-1] == len(text.rstrip()) - 1 and spans:
        spans.pop()
    return spans


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(text: str) -> object:
    """The front matter's data: the fast path for simple front matter, PyYAML otherwise."""
    data = frontmatter.load(text)
    if data is not None:
        return data
    return yaml.load(text, Loader=_YAML_LOADER)


@dataclass
class _Parser:
    """Python-Markdown's block rules over lists of :class:`_Line`, recording blocks."""

    text: str
    path: str
    blocks: list[Block] = field(default_factory=list)
    line_starts: list[int] = field(default_factory=list)
    fm_data: dict | None = None

    def add(self, kind: str, start: int, end: int, detail: str = "",
            context: tuple[str, ...] = ()) -> None:
        """Record a block, trimmed of surrounding whitespace; an empty span is no block."""
        raw = self.text[start:end]
        stripped = raw.strip()
        if not stripped:
            return
        if raw[0] != stripped[0]:
            start += len(raw) - len(raw.lstrip())
        # Block(...) without the frozen dataclass's per-field object.__setattr__: a large help
        # center makes millions of blocks, and this halves their cost
        blocks = self.blocks
        block = _new(Block)
        block.__dict__.update(index=len(blocks), kind=kind, start=start, end=start + len(stripped),
                              line=bisect_right(self.line_starts, start), text=stripped, detail=detail,
                              context=context)
        blocks.append(block)

    def front_matter(self, parts: list[str], starts: list[int]) -> tuple[int, tuple[int, int] | None]:
        """Reader-facing values of the YAML front matter; returns the first body line.

        Works on the raw lines (``parts``, at offsets ``starts``), not on :class:`_Line` objects:
        only the span and the reader keys' lines matter here."""
        if not parts or parts[0].rstrip() != "---":
            return 0, None
        close = next((k for k in range(1, len(parts)) if parts[k].rstrip() in ("---", "...")), None)
        if close is None:
            raise _error(self.path, 1, "front matter opened with '---' is never closed; add a "
                         "'---' line after the last key")
        fm_start, fm_end = starts[1 if close > 1 else close], starts[close]
        try:
            data = _load_yaml(self.text[fm_start:fm_end])
        except yaml.YAMLError as exc:
            # at the end of the YAML (an unclosed quote or bracket) the start is where to look
            mark = getattr(exc, "problem_mark", None)
            if mark is None or mark.index >= fm_end - fm_start:
                mark = getattr(exc, "context_mark", None) or mark
            line = bisect_right(self.line_starts, fm_start + mark.index) if mark else 1
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise _error(self.path, line, f"broken front matter: {problem}; fix the YAML") from None
        if data is not None and not isinstance(data, dict):
            raise _error(self.path, 2, "front matter must be a mapping of keys to values")
        self.fm_data = data or {}
        for k in range(1, close):
            if not parts[k].startswith(READER_KEYS):  # (a cheap test first: most lines are not)
                continue
            match = _FM_KEY.match(parts[k])
            key = match.group(1) if match else ""
            if match and key in READER_KEYS and isinstance((data or {}).get(key), str):
                # YAML folds more-indented lines into the value ("description: >", a long one)
                last = k + 1
                while last < close and (not parts[last].strip(" \t") or parts[last][0] in " \t"):
                    last += 1
                self.meta(starts[k] + match.end(), starts[last - 1] + len(parts[last - 1]), key)
        return close + 1, (fm_start, fm_end)

    def meta(self, start: int, end: int, key: str) -> None:
        """The span of a YAML scalar's text: inside its quotes, below a ``|``/``>`` indicator line,
        before a ``# comment``."""
        raw = self.text[start:end]
        quoted = _FM_QUOTED.get(raw[:1])
        if quoted:
            match = quoted.match(raw)
            if match:
                self.add("meta", start + 1, start + match.end() - 1, key)
            return
        if raw[:1] in "|>":
            start += len(_NEWLINE.split(raw, 1)[0])
        else:
            comment = re.search(r"[ \t]#", raw)
            end = start + comment.start() if comment else end
        self.add("meta", start, end, key)

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

    def quote(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        """A blockquote's lines without their ``>``; lazy lines belong to it."""
        sub: list[_Line] = []
        j = i
        while j < len(lines) and not lines[j].blank:
            line = lines[j]
            match = _QUOTE.match(line.body) if line.indent < 4 else None
            if match:
                line = line.slice(line.lead + match.end())
            elif _breaks(line):
                break
            sub.append(line)
            j += 1
        self.region(sub, context + ("quote",))
        return j

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

    def definitions(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        while True:
            line = lines[i]
            j = self.more(lines, i + 1)
            start = line.start + line.lead + _DEFINITION.match(line.body).end()  # type: ignore
            self.add("def_body", start, lines[j - 1].end, "", context)
            i = self.nested(lines, j, 4, context + ("definition",))
            k = _next(lines, i)
            if k == len(lines) or not _is_definition(lines[k]):
                return i
            i = k

    def list_items(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        """Items of one list. Python-Markdown keeps one list when the marker type changes, joins
        lazy and indented lines to an item's text, and nests a list or code indented by 4."""
        detail = "ol" if lines[i].body[0].isdigit() else "ul"
        inner = context + ("list",)
        count = len(lines)
        while i < count:
            line = lines[i]
            if line.blank:
                k = _next(lines, i)
                if k < count and lines[k].indent < 4 and _LIST.match(lines[k].body):
                    i = k
                    continue
                return i
            match = _LIST.match(line.body) if line.indent < 4 else None
            if not match:
                return i
            j = i + 1
            while j < count:
                nxt = lines[j]
                if _breaks(nxt) or (nxt.indent < 4 and _ITEM.match(nxt.body)) \
                        or (nxt.indent >= 4 and (sub := nxt.cut(4)).indent < 4 and _ITEM.match(sub.body)):
                    break
                j += 1
            text_at = line.lead + match.end()
            if line.text[text_at : text_at + 1] == "[" and (task := _TASK.match(line.text, text_at)):
                text_at = task.end()
            self.add("list_item", line.start + text_at, lines[j - 1].end, detail, context)
            i = self.nested(lines, j, 4, inner)
        return i

    def is_table(self, lines: list[_Line], i: int) -> bool:
        """Python-Markdown's test: a header row and a separator row with as many cells."""
        if i + 1 >= len(lines) or "|" not in lines[i].text or lines[i + 1].indent >= 4:
            return False
        head, sep = lines[i].text.strip(), lines[i + 1].text
        cells, seps = _cells(head), _cells(sep)
        return (len(cells) > 1 or head.startswith("|") or head.endswith("|")) \
            and len(seps) == len(cells) and all(_TABLE_SEP.match(sep[a:b]) for a, b in seps)

    def table(self, lines: list[_Line], i: int, context: tuple[str, ...]) -> int:
        """Every line up to a blank one is a row (as in Python-Markdown); one block per cell."""
        j = i
        while j < len(lines) and not (lines[j].blank or (j > i + 1 and _breaks(lines[j]))):
            row, line = j - i - (j > i), lines[j]
            for col, (a, b) in enumerate(_cells(line.text) if j != i + 1 else []):
                self.add("table_cell", line.start + a, line.start + b, f"{row}.{col}",
                         context + ("table",))
            j += 1
        return j


def _split(text: str) -> tuple[list[str], list[int]]:
    """The lines as plain strings and their offsets (line breaks as Python-Markdown sees them)."""
    if "\r" not in text:  # the common case: str.split is much faster than a regex scan
        parts = text.split("\n")
        if not parts[-1]:
            parts.pop()
        # line k starts after the k lines before it and their k line breaks
        return parts, list(map(add, accumulate(map(len, parts), initial=0), range(len(parts))))
    parts, starts = [], []
    pos = 0
    for match in _NEWLINE.finditer(text):
        parts.append(text[pos : match.start()])
        starts.append(pos)
        pos = match.end()
    if pos < len(text):
        parts.append(text[pos:])
        starts.append(pos)
    return parts, starts


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
            context: tuple[str, ...] = ()) -> None:
        raw = self.text[start:end]
        if raw and not raw.isspace():  # (str.isspace and str.strip agree on what is whitespace)
            self.signatures.append(f"{kind}:{detail}" if kind in _DETAILED else kind)
