"""Heading anchors that are the same in every language (DESIGN contract 5).

A translated heading gets the id its source heading has, so ``/es/path/#anchor`` and every
link into a page survive translation. Python-Markdown slugs the translated text; this
module renames those ids to the source page's, in the HTML, in in-page links and in the
table of contents. Plain functions over the rendered HTML and MkDocs' toc items (anything
with ``id``, ``title`` and ``children``), so the adapter only passes them through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

HEADING_ID = re.compile(r"<h([1-6])([^>]*?)\sid=\"([^\"]+)\"")
_HREF = re.compile(r'href="#([^"]+)"')


def own_ids(html: str) -> list[str]:
    """The heading ids of a rendered page, in order."""
    return [m.group(3) for m in HEADING_ID.finditer(html)]


def adopt(html: str, source_ids: list[str]) -> tuple[str, dict[str, str]]:
    """``html`` with its headings renamed to ``source_ids`` (same count, same order) and its
    in-page links following them; the mapping translated id -> source id."""
    own = own_ids(html)
    mapping = dict(zip(own, source_ids, strict=True))
    counter = iter(source_ids)
    html = HEADING_ID.sub(lambda m: f'<h{m.group(1)}{m.group(2)} id="{next(counter)}"', html)
    html = _HREF.sub(lambda m: f'href="#{mapping.get(m.group(1), m.group(1))}"', html)
    return html, mapping


def walk_toc(items: Any, visit: Callable[[Any], None]) -> None:
    """Call ``visit`` on every table-of-contents item, depth first."""
    for item in items:
        visit(item)
        walk_toc(item.children, visit)


def rename_toc(items: Any, mapping: dict[str, str]) -> None:
    def rename(item: Any) -> None:
        if item.id in mapping:
            item.id = mapping[item.id]

    walk_toc(items, rename)


def known_anchors(anchors: set[str] | None, mapping: dict[str, str]) -> set[str] | None:
    """What MkDocs validates links against: links it saw use the translated ids (its own
    permalinks), links from other pages the source's ids."""
    if anchors is None:
        return None
    return set(anchors) | {mapping.get(anchor, anchor) for anchor in anchors}


def follow_source(html: str, source_ids: list[str] | None, toc: Any, present: set[str] | None,
                  shown: str) -> tuple[str, set[str] | None, str | None]:
    """A translated page (``shown``: its path) with its source's heading ids (in the HTML, its
    links and ``toc``), the anchors MkDocs should validate links against, and a warning when
    the heading counts differ, in which case the page keeps its own ids."""
    own = own_ids(html)
    if source_ids is None or own == source_ids:
        return html, present, None
    if len(own) != len(source_ids):
        return html, present, (f"{shown}: {len(own)} headings but the source has {len(source_ids)}; heading "
                               "anchors keep the translated ids. Align the translation's headings with its source.")
    html, mapping = adopt(html, source_ids)
    rename_toc(toc, mapping)
    return html, known_anchors(present, mapping), None
