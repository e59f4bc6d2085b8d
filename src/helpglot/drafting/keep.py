"""What a structural sync must carry over from a translation that the source does not have.

When a sync rebuilds a translation on the source's skeleton (a block was
inserted, deleted or moved), everything between the blocks comes from the
source. A reviewer's suppression comments (``<!-- helpglot: ignore ... -->``)
live between blocks of the translation only, so :func:`keep_suppressions` puts
each one back before the block it applied to (found through the old-to-source
block mapping), and a file-level one back at the end.
"""

from __future__ import annotations

import re

from helpglot.markdown.segment import Document, parse

_IGNORE_LINE = re.compile(r"^[ \t]*<!--\s*helpglot:\s*ignore\b[^\n]*-->[ \t]*\r?$", re.M)


def keep_suppressions(old: Document | None, text: str, to_source: dict[int, int], path: str = "") -> str:
    """``text`` with the suppression comments of ``old`` that it lost put back in place."""
    if old is None or "helpglot" not in old.text:
        return text
    wanted = []
    body = old.front_matter[1] if old.front_matter else 0
    for m in _IGNORE_LINE.finditer(old.text, body):
        if m.group().strip() in text:
            continue  # kept by the sync already
        nxt = next((b for b in old.blocks if b.start >= m.end()), None)
        wanted.append((m.group().rstrip("\r"), None if nxt is None else to_source.get(nxt.index)))
    if not wanted:
        return text
    try:
        new = parse(text, path)
    except Exception:  # the caller validates the result anyway; never fail here
        return text
    inserts: list[tuple[int, str]] = []
    for line, source_index in wanted:
        if source_index is None or source_index >= len(new.blocks):
            inserts.append((len(text), ("" if text.endswith("\n") else "\n") + "\n" + line + "\n"))
            continue
        start = text.rfind("\n", 0, new.blocks[source_index].start) + 1
        inserts.append((start, line + "\n"))
    for offset, piece in sorted(inserts, key=lambda x: x[0], reverse=True):
        text = text[:offset] + piece + text[offset:]
    return text
