"""Which translated blocks still match their source, and which do not.

The provenance of a translation lists the hashes of the source blocks it was
made from. Aligning that list with the current source's hashes (difflib on the
hash sequences) tells, block by block, what happened in the source since:
``changed`` (edited in place), ``inserted`` (new), ``deleted`` and ``moved``.
Inserting one paragraph therefore makes one block to translate, not
everything after it stale, and a whitespace-only edit changes no hash at all.

Hashes alone cannot say *which* old block an edited block was: when a writer
inserts a heading and edits the paragraph after it, the old paragraph must be
paired with the new paragraph, not with the heading. Inside a run of
differing hashes, :func:`align` therefore pairs blocks of the same kind
(signature) when kinds are given; the translation's block kinds stand in for
the old source's, since block *i* of an aligned translation is block *i* of
the source it was made from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from helpglot.markdown.segment import Block, Document

STATES = (
    "up-to-date", "stale", "machine", "missing", "orphaned", "unaligned", "untracked", "error",
)
#: the states from the most to the least urgent: what blocks a release first (tables and reports)
URGENCY = ("error", "unaligned", "stale", "machine", "untracked", "missing", "orphaned", "up-to-date")


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


def align(
    old: list[str],
    new: list[str],
    old_kinds: list[str] | None = None,
    new_kinds: list[str] | None = None,
) -> Alignment:
    """Align two hash sequences; a paragraph moved elsewhere is a move, not delete + insert.

    Moves are found first, across every run of differing blocks: a new block whose exact
    text is an unmatched old block *is* that block, even when a neighbour was edited in
    the same run. What is left of each run is then paired as edits (see :func:`_edited`).
    ``old_kinds``/``new_kinds`` (block signatures, as long as their hash lists) are
    optional: with them, only blocks of the same kind are paired, so an inserted heading
    next to an edited paragraph is not taken for the edit.
    """
    if (old_kinds is None) != (new_kinds is None) or (
        old_kinds is not None and new_kinds is not None
        and (len(old_kinds) != len(old) or len(new_kinds) != len(new))
    ):
        raise ValueError("align: give both kind lists, as long as their hash lists")
    if old == new:  # nothing changed (the common case): what SequenceMatcher would find
        return Alignment(tuple((i, i) for i in range(len(old))), ())
    pairs: list[tuple[int, int]] = []
    runs: list[tuple[range, range]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(range(i1, i2), range(j1, j2), strict=True))
        else:
            runs.append((range(i1, i2), range(j1, j2)))

    def old_key(i: int) -> tuple[str, str]:
        return old[i], old_kinds[i] if old_kinds is not None else ""

    def new_key(j: int) -> tuple[str, str]:
        return new[j], new_kinds[j] if new_kinds is not None else ""

    changes: list[Change] = []
    unmatched: dict[tuple[str, str], list[int]] = {}
    for olds, _ in runs:
        for i in olds:
            unmatched.setdefault(old_key(i), []).append(i)
    moved_old: set[int] = set()
    moved_new: set[int] = set()
    for _, news in runs:
        for j in news:
            candidates = unmatched.get(new_key(j))
            if candidates:
                i = candidates.pop(0)
                moved_old.add(i)
                moved_new.add(j)
                changes.append(Change("moved", j, i))
                pairs.append((i, j))
    for olds, news in runs:
        rest_old = [i for i in olds if i not in moved_old]
        rest_new = [j for j in news if j not in moved_new]
        for i, j in _edited(rest_old, rest_new, old_kinds, new_kinds):
            if i is None:
                changes.append(Change("inserted", j, None))
            elif j is None:
                changes.append(Change("deleted", None, i))
            else:
                changes.append(Change("changed", j, i))
    changes.sort(key=lambda c: (c.new if c.new is not None else -1, c.old or 0))
    pairs.sort(key=lambda p: p[1])
    return Alignment(tuple(pairs), tuple(changes))


def _edited(
    olds: list[int], news: list[int], old_kinds: list[str] | None, new_kinds: list[str] | None
) -> list[tuple[int | None, int | None]]:
    """Pair the old and new blocks of one run of differences: (old, new) is an edit,
    (old, None) a deletion, (None, new) an insertion.

    Without kinds, pair by position. With kinds, pair only blocks of the same kind, in
    order, so that a new heading is never mistaken for an edited paragraph.
    """
    if old_kinds is None or new_kinds is None:
        common = min(len(olds), len(news))
        return (
            list(zip(olds[:common], news[:common], strict=True))
            + [(i, None) for i in olds[common:]]
            + [(None, j) for j in news[common:]]
        )
    result: list[tuple[int | None, int | None]] = []
    sub = SequenceMatcher(None, [old_kinds[i] for i in olds], [new_kinds[j] for j in news],
                          autojunk=False)
    for tag, a1, a2, b1, b2 in sub.get_opcodes():
        if tag == "equal":
            result.extend(zip(olds[a1:a2], news[b1:b2], strict=True))
            continue
        result.extend((i, None) for i in olds[a1:a2])
        result.extend((None, j) for j in news[b1:b2])
    return result


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


def first_mismatch(
    source: Document,
    translation: Document,
    pairs: Sequence[tuple[int, int]] | None = None,
) -> str | None:
    """Describe the first block whose kind differs between source and translation, if any.

    Without ``pairs`` the documents must match block for block (``adopt``), so a
    different block count is a mismatch too. With ``pairs`` (an :class:`Alignment`'s,
    translation block -> source block) only those pairs are compared: a source block
    inserted or deleted since the translation is a change to translate, not a
    structural mismatch.
    """
    if pairs is None:
        # adopt: block for block, or the first real divergence as the aligner finds it
        if len(source.blocks) == len(translation.blocks) and all(
                a.signature == b.signature for a, b in zip(source.blocks, translation.blocks, strict=True)):
            return None
        from helpglot.tracking.align import first_divergence

        return first_divergence(source, translation)
    for old, new in pairs:
        t_block = translation.blocks[old]
        s_block = source.blocks[new]
        if t_block.signature != s_block.signature:
            return (
                f"{translation.path}:{t_block.line}: block {old + 1} is a "
                f"{_describe(t_block)} but the source's block {new + 1} "
                f"({source.path}:{s_block.line}) is a {_describe(s_block)}"
            )
    return None


def _describe(block: Block) -> str:
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
