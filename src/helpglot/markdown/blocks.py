"""The value objects of segmentation: a block and its hash.

Kept apart from the block rules (:mod:`helpglot.markdown.blockrules`) and the public
entry points (:mod:`helpglot.markdown.segment`, which re-exports these) so each module
stays small; see :mod:`helpglot.markdown.segment` for what a block is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

#: Front-matter keys whose values readers see.
READER_KEYS = ("title", "description")
HASH_LEN = 12


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


def fill(text: str, block: Block, replacement: str) -> str:
    """What to write in ``block``'s place in ``text`` so that it reads ``replacement``.

    A block's span is replaced as is, except an empty title place of an untitled ``///``
    admonition (see :meth:`helpglot.markdown.blockrules._Parser.generic_block`): a title written there
    needs the ``|`` that pymdownx.blocks puts before a title, unless the header has one already.
    """
    if block.start != block.end or not replacement:
        return replacement
    line = text[text.rfind("\n", 0, block.start) + 1 : block.start]
    if not line.rstrip().endswith("|"):
        return f" | {replacement}"
    return f" {replacement}" if line.endswith("|") else replacement
