"""Per-page budgets: what one Markdown file may ask of the parsers before anyone parses it.

Why this module exists: a translation is untrusted input (DESIGN, contract 9), and
both parsers that read it are recursive or quadratic somewhere. Measured at
60c1bbe on this machine (Python-Markdown 3 with the sample site's extensions, and
helpglot's own segmenter in :mod:`helpglot.markdown.blockrules`):

* a line of 1,000 ``>``, lists nested 300 deep or 1,000 nested ``<div markdown>``
  blocks: RecursionError in the segmenter, which ``status`` (and so every build)
  runs first; lists 10,000 deep: tens of GB before the kernel kills the build;
* 4,000 ``[a](`` (or ``![a](``, ``<a href=``, ``a<``) in one paragraph: 5 to 9 s in
  Python-Markdown, growing with the square of the count (256 KB: minutes), and the
  same for many paragraphs each with fewer.

Real help articles stay far below every budget here (the sample's deepest line
nests 2 levels, its busiest paragraph has 5 ``[``/``<``, its largest file 5,532
characters), so one that exceeds a
budget is refused before it reaches either parser: :func:`over_budget` is a
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
#: ``[`` and ``<`` in one paragraph (the inline patterns' cost grows with the square of
#: this: 1,000 cost 0.4 s, 4,000 cost 5 to 9 s); table rows count separately, as
#: Python-Markdown renders each cell on its own
MAX_OPENERS = 1_000
#: the sum over a page's paragraphs of that count squared: many paragraphs each just under
#: :data:`MAX_OPENERS` (250 of 900 ``[a](`` took over a minute) cost as much as one long one
MAX_OPENER_WORK = 2 * MAX_OPENERS**2

_DEEP_PREFIX = re.compile(rf"^(?:[ \t>]|[-+*][ \t]|\d{{1,9}}[.)][ \t]){{{MAX_DEPTH},}}", re.M)
_PREFIX = re.compile(r"(?:[ \t>]|[-+*][ \t]|\d{1,9}[.)][ \t])*")
_MARKER = re.compile(r"[-+*][ \t]|\d{1,9}[.)][ \t]")
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
    crowded = text.count("[") + text.count("<") > MAX_OPENERS
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


def _scan_lines(text: str, deep: bool, crowded: bool) -> Overrun | None:
    """Nesting per line and ``[``/``<`` per paragraph, outside fenced code."""
    fence: str | None = None
    openers, start, work = 0, 1, 0
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
            work, openers = work + openers * openers, 0
            continue
        if deep and _depth(line) > MAX_DEPTH:
            return Overrun(number, f"nests {_depth(line)} levels deep (quotes, lists or indentation), over "
                                   f"the {MAX_DEPTH} a page may have; flatten it like the English source")
        if not crowded:
            continue
        if not line.strip():
            work, openers, table = work + openers * openers, 0, False
            continue
        if openers == 0 and number < len(lines) and _TABLE_RULE.match(lines[number]):
            table = True  # a table: Python-Markdown renders each row's cells on their own
        count = line.count("[") + line.count("<")
        if table:
            work, openers = work + openers * openers, count
        else:
            if openers == 0:
                start = number
            openers += count
        if openers > MAX_OPENERS:
            return Overrun(start, f"has a paragraph with {openers:,} '[' and '<' (links, images, HTML), over "
                                  f"the {MAX_OPENERS:,} a paragraph may have; split it or remove the markup")
        if work + openers * openers > MAX_OPENER_WORK:
            return Overrun(start, "has too many paragraphs crowded with '[' and '<' (links, images, HTML) to "
                                  "render in time; split the article or remove the markup")
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
