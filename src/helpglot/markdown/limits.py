"""Per-page budgets: what one Markdown file may ask of the parsers before anyone parses it.

Why this module exists: a translation is untrusted input (DESIGN, contract 9), and
both parsers that read it are recursive or quadratic somewhere. Measured at
60c1bbe on this machine (Python-Markdown 3 with the sample site's extensions, and
helpglot's own segmenter in :mod:`helpglot.markdown.blockrules`):

* a line of 1,000 ``>``, lists nested 300 deep or 1,000 nested ``<div markdown>``
  blocks: RecursionError in the segmenter, which ``status`` (and so every build)
  runs first; lists 10,000 deep: tens of GB before the kernel kills the build;
* 4,000 ``[a](`` (or ``![a](``, ``<a href=``, ``*a*``, `` `a` ``, ``&amp;``) in one
  paragraph: 3 to 9 s in Python-Markdown, growing with the square of the count (256 KB:
  minutes), and the same for many paragraphs each with fewer.

Real help articles stay far below every budget here (the sample's deepest line
nests 2 levels, its busiest paragraph has 24 inline markup characters, its
largest file 5,532 characters), so one that exceeds a budget is refused
before it reaches either parser: :func:`over_budget` is a
single linear pass, :func:`helpglot.markdown.segment.parse` raises a clear
error for it, and :func:`helpglot.qa.publish.refusal` makes such a translation
fall back to its English article (the language's build goes on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: characters in one file (plain text renders at ~3 s per million characters)
MAX_CHARS = 1_000_000
#: container levels on one line: block quotes, list markers and 4-column indentation steps
#: (Python-Markdown recurses per level; the segmenter ran out of stack at 300)
MAX_DEPTH = 32
#: inline markup characters (:data:`MARKUP`) in one paragraph, list item or table row: Python-Markdown
#: stashes each element it makes and rescans, so its time grows with the square of this count
#: (4,000 ``[a](``: 5 s; 4,000 ``*a*``: 3 s; 4,000 `` `a` ``: 3 s)
MAX_MARKUP = 1_000
#: the sum over a page's paragraphs of that count squared: many paragraphs each just under
#: :data:`MAX_MARKUP` (250 of 900 ``[a](`` took over a minute) cost as much as one long one
MAX_MARKUP_WORK = 2 * MAX_MARKUP**2
#: what :data:`MAX_MARKUP` counts: links and images, HTML and autolinks, emphasis, code, entities, escapes
MARKUP = ("[", "<", "*", "_", "`", "&", "\\")
MARKUP_SHOWN = "[ < * _ ` & \\"

_DEEP_PREFIX = re.compile(rf"^(?:[ \t>]|[-+*][ \t]|\d{{1,9}}[.)][ \t]){{{MAX_DEPTH},}}", re.M)
_PREFIX = re.compile(r"(?:[ \t>]|[-+*][ \t]|\d{1,9}[.)][ \t])*")
_MARKER = re.compile(r"[-+*][ \t]|\d{1,9}[.)][ \t]")
_ITEM = re.compile(r"[ \t>]*(?:[-+*]|\d{1,9}[.)])[ \t]")
_FENCE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CELL_RULE = r"[ \t]*:?-+:?[ \t]*"
_TABLE_RULE = re.compile(rf"^[ \t]*\|?{_CELL_RULE}(?:\|{_CELL_RULE})+\|?[ \t]*$|^[ \t]*\|{_CELL_RULE}\|?[ \t]*$")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
_MARKDOWN_ATTR = re.compile(r"\smarkdown(?:\s*=|\s|/|$)")
_VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"))


@dataclass(frozen=True)
class Overrun:
    """A budget a file exceeds: where (1-based line) and what to do about it."""

    line: int
    reason: str


def over_budget(text: str) -> Overrun | None:
    """The first budget ``text`` exceeds, or None. Linear in the text; cheap when nothing is near a budget."""
    if len(text) > MAX_CHARS:
        return Overrun(1, f"is {len(text):,} characters long, over the {MAX_CHARS:,} a page may have; "
                          "split the article (in the English source too)")
    deep = _DEEP_PREFIX.search(text) is not None
    crowded = sum(map(text.count, MARKUP)) + text.count("  \n") > MAX_MARKUP
    if deep or crowded:
        found = _scan_lines(text, deep, crowded)
        if found is not None:
            return found
    if "markdown" in text:
        return _html_depth(text)
    return None


def _depth(line: str) -> int:
    prefix = _PREFIX.match(line).group(0)  # type: ignore[union-attr]
    markers = len(_MARKER.findall(prefix))
    quotes = prefix.count(">")
    rest = _MARKER.sub("", prefix).replace(">", "")
    columns = len(rest.expandtabs(4))
    return quotes + markers + columns // 4


def _markup(line: str) -> int:
    """The inline markup characters of a line (each may become an element Python-Markdown stashes),
    and one for a hard line break (two trailing spaces)."""
    return sum(map(line.count, MARKUP)) + line.endswith("  ")


def _scan_lines(text: str, deep: bool, crowded: bool) -> Overrun | None:
    """Nesting per line and inline markup per paragraph (list item, table row), outside fenced code."""
    fence: str | None = None
    count, start, work = 0, 1, 0
    table = False
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            work, count = work + count * count, 0
            continue
        if deep and _depth(line) > MAX_DEPTH:
            return Overrun(number, f"nests {_depth(line)} levels deep (quotes, lists or indentation), over "
                                   f"the {MAX_DEPTH} a page may have; flatten it like the English source")
        if not crowded:
            continue
        if not line.strip():
            work, count, table = work + count * count, 0, False
            continue
        if count == 0 and number < len(lines) and _TABLE_RULE.match(lines[number]):
            table = True  # a table: Python-Markdown renders each row's cells on their own
        if table or _ITEM.match(line):  # a row, or a list item: rendered on its own
            work, count = work + count * count, 0
        if count == 0:
            start = number
        count += _markup(line)
        if count > MAX_MARKUP:
            return Overrun(start, f"has a paragraph with {count:,} inline markup characters ({MARKUP_SHOWN}), "
                                  f"over the {MAX_MARKUP:,} a paragraph may have; split it or remove the markup")
        if work + count * count > MAX_MARKUP_WORK:
            return Overrun(start, "has too many paragraphs crowded with inline markup (links, emphasis, code, HTML) "
                                  "to render in time; split the article or remove the markup")
    return None


def _html_depth(text: str) -> Overrun | None:
    """How deep ``markdown``-attributed HTML blocks (md_in_html) nest: each level is a recursion."""
    stack: list[tuple[str, bool]] = []
    depth = 0
    for m in _TAG.finditer(text):
        closing, name, attrs = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or attrs.rstrip().endswith("/"):
            continue
        if not closing:
            marked = _MARKDOWN_ATTR.search(attrs) is not None
            stack.append((name, marked))
            depth += marked
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, m.start()) + 1
                return Overrun(line, f"nests {depth} HTML blocks with 'markdown' inside each other, over the "
                                     f"{MAX_DEPTH} a page may have; flatten them like the English source")
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                depth -= sum(marked for _n, marked in stack[k:])
                del stack[k:]
                break
    return None
