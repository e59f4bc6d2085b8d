"""Block quotes, definition lists, lists and tables as the block parser reads them.

A mixin of :class:`helpglot.markdown.blockrules._Parser` (it recurses through ``self.region``
and records through ``self.add``), kept apart so the block rules read in one sitting.
"""

from __future__ import annotations

from helpglot.markdown.blocklines import (  # the line vocabulary (see there)
    _DEFINITION,
    _ITEM,
    _LIST,
    _QUOTE,
    _TABLE_SEP,
    _TASK,
    _breaks,
    _cells,
    _is_definition,
    _Line,
    _next,
)


class ContainerRules:
    """The container rules of the block parser."""

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
