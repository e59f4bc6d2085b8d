"""Lines as Python-Markdown's block rules see them, and the tests on single lines.

The vocabulary of :mod:`helpglot.markdown.blockrules`: a :class:`_Line` (its indentation
computed once), the patterns each construct starts with, and the predicates
that say whether a line ends a paragraph. Kept apart from the parser so that
each rule reads as the sequence of decisions it is, not amid the regexes.
"""

from __future__ import annotations

import re
from itertools import accumulate
from operator import add

from markdown.util import BLOCK_LEVEL_ELEMENTS

from helpglot.errors import ContentError

# Python-Markdown breaks lines at \r\n, \r and \n only; str.splitlines() would also break at
# \x0c, \x85, \u2028... (pasted from word processors) and shift every line number after them.
_NEWLINE = re.compile(r"\r\n|\r|\n")
# A whole-line superfences opener: a fence, then a language and options or {attrs}, nothing else
# ("```x``` is inline code" starts a paragraph, not a fence).
# Options may come without a language (```hl_lines="1"), as superfences allows.
_FENCE = re.compile(
    r"(`{3,}|~{3,})[ \t]*(?:\{[^\n]*\}|"
    r"""[A-Za-z_][\w-]*=(?:"[^"]*"|'[^']*'|[^\s"'`]+)(?:[ \t]+[A-Za-z]\w*(?:=(?:"[^"]*"|'[^']*'|[^\s"'`]+))?)*|"""
    r"\.?[\w#.+-]*"
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
# pymdownx.blocks: "/// name | title" opens a block (3+ slashes, up to 3 spaces of indentation),
# a line of as many slashes closes it; indented YAML lines right after the header are options.
_GENERIC_BLOCK = re.compile(r" {0,3}(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")
_GENERIC_END = re.compile(r" {0,3}(/{3,})[ ]*$")
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
#: Python-Markdown's own block-level tags: only these start a raw HTML block; <span>, <kbd>,
#: <img> or an autolink at the start of a line begin an ordinary paragraph.
_BLOCK_TAGS = frozenset(BLOCK_LEVEL_ELEMENTS)
# the first characters of a line that can end a paragraph (see _breaks)...
_BREAK_FIRST = frozenset("#!?=*`~-_<[>;/")
# ... and of a line that starts something other than a table or a paragraph (see construct)
_CONSTRUCT_FIRST = frozenset("#!?=*`~-_<[>;{:+0123456789/")


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
    if first == "/":  # pymdownx.blocks finds a header or an end anywhere in a paragraph
        return bool(_GENERIC_BLOCK.match(s) or _GENERIC_END.match(s))
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
