"""Which translated blocks still match their source, and which do not.

The provenance of a translation lists the hashes of the source blocks it was
made from. Aligning that list with the current source's hashes (difflib on the
hash sequences) tells, block by block, what happened in the source since:
``changed`` (edited in place), ``inserted`` (new), ``deleted`` and ``moved``.
Inserting one paragraph therefore makes one block to translate, not
everything after it stale, and a whitespace-only edit changes no hash at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from helpglot.segment import Document

STATES = ("up-to-date", "stale", "machine", "missing", "orphaned", "unaligned", "untracked", "error")


@dataclass(frozen=True)
class Change:
    """One difference between the source a translation was made from and the current source."""

    kind: str  # changed | inserted | deleted | moved
    new: int | None  # 0-based index in the current source
    old: int | None  # 0-based index in the provenance (== in the translation)


@dataclass(frozen=True)
class Alignment:
    """old -> new block mapping plus the changes that break it."""

    pairs: tuple[tuple[int, int], ...]  # (old, new) blocks whose source text is unchanged
    changes: tuple[Change, ...]

    @property
    def stale_new(self) -> list[int]:
        """Current source blocks that need (re)translation."""
        return sorted(c.new for c in self.changes if c.kind in ("changed", "inserted"))

    @property
    def structural(self) -> bool:
        return any(c.kind in ("inserted", "deleted", "moved") for c in self.changes)


def align(old: list[str], new: list[str]) -> Alignment:
    """Align two hash sequences; a paragraph moved elsewhere is a move, not delete + insert."""
    pairs: list[tuple[int, int]] = []
    changes: list[Change] = []
    inserted: list[int] = []
    deleted: list[int] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace":
            common = min(i2 - i1, j2 - j1)
            for k in range(common):
                changes.append(Change("changed", j1 + k, i1 + k))
            deleted.extend(range(i1 + common, i2))
            inserted.extend(range(j1 + common, j2))
        elif tag == "delete":
            deleted.extend(range(i1, i2))
        elif tag == "insert":
            inserted.extend(range(j1, j2))
    # a block deleted here and inserted there with the same hash was moved
    by_hash: dict[str, list[int]] = {}
    for i in deleted:
        by_hash.setdefault(old[i], []).append(i)
    for j in inserted:
        candidates = by_hash.get(new[j])
        if candidates:
            i = candidates.pop(0)
            deleted.remove(i)
            changes.append(Change("moved", j, i))
            pairs.append((i, j))
        else:
            changes.append(Change("inserted", j, None))
    changes.extend(Change("deleted", None, i) for i in deleted)
    changes.sort(key=lambda c: (c.new if c.new is not None else -1, c.old or 0))
    pairs.sort(key=lambda p: p[1])
    return Alignment(tuple(pairs), tuple(changes))


@dataclass(frozen=True)
class Record:
    """The freshness of one (article, language)."""

    source: str  # path relative to docs/
    lang: str
    path: str  # the translation, relative to the project root
    state: str
    total_blocks: int = 0
    stale_blocks: tuple[int, ...] = ()  # 1-based numbers of current source blocks to translate
    machine_blocks: tuple[int, ...] = ()  # 1-based numbers of translation blocks not reviewed
    changes: tuple[Change, ...] = ()
    since: dt.date | None = None  # when the source changed (stale) or was last synced
    source_updated: dt.date | None = None
    message: str = ""
    line: int = 1
    policy_failed: bool = False
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "lang": self.lang,
            "path": self.path,
            "state": self.state,
            "stale_blocks": list(self.stale_blocks),
            "stale_count": len(self.stale_blocks),
            "total_blocks": self.total_blocks,
            "machine_blocks": list(self.machine_blocks),
            "changes": [
                {"kind": c.kind, "source_block": None if c.new is None else c.new + 1,
                 "translation_block": None if c.old is None else c.old + 1}
                for c in self.changes
            ],
            "since": self.since.isoformat() if self.since else None,
            "source_updated": self.source_updated.isoformat() if self.source_updated else None,
            "policy_failed": self.policy_failed,
            "message": self.message,
        }


def first_mismatch(source: Document, translation: Document, pairs=None) -> str | None:
    """Describe the first block whose kind differs between source and translation, if any."""
    if pairs is None:
        if len(source.blocks) != len(translation.blocks):
            common = min(len(source.blocks), len(translation.blocks))
        else:
            common = len(source.blocks)
        pairs = [(i, i) for i in range(common)]
    for old, new in pairs:
        t_block = translation.blocks[old]
        s_block = source.blocks[new]
        if t_block.signature != s_block.signature:
            return (
                f"{translation.path}:{t_block.line}: block {old + 1} is a "
                f"{_describe(t_block)} but the source's block {new + 1} "
                f"({source.path}:{s_block.line}) is a {_describe(s_block)}"
            )
    if len(source.blocks) != len(translation.blocks) and pairs and len(pairs) == min(
        len(source.blocks), len(translation.blocks)
    ):
        shorter = "translation" if len(translation.blocks) < len(source.blocks) else "source"
        k = min(len(source.blocks), len(translation.blocks))
        where = (
            f"{source.path}:{source.blocks[k].line}" if shorter == "translation"
            else f"{translation.path}:{translation.blocks[k].line}"
        )
        return (
            f"{translation.path}: the source has {len(source.blocks)} blocks, the translation "
            f"{len(translation.blocks)}; the {shorter} ends before block {k + 1} ({where})"
        )
    return None


def _describe(block) -> str:
    names = {
        "meta": "front-matter value '{d}'",
        "heading": "level-{d} heading",
        "table_cell": "table cell (row.column {d})",
        "list_item": "list item",
        "paragraph": "paragraph",
        "admonition_title": "admonition title",
        "tab_label": "content-tab label",
        "image_alt": "image's alt text",
        "def_term": "definition term",
        "def_body": "definition",
        "footnote": "footnote",
    }
    return names.get(block.kind, block.kind).format(d=block.detail)


def counts(records: list[Record]) -> dict[str, Counter]:
    per_lang: dict[str, Counter] = {}
    for record in records:
        per_lang.setdefault(record.lang, Counter())[record.state] += 1
    return per_lang
