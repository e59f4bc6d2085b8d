"""The interface of a translation QA check (Weblate-style: one class per check).

A check has a stable ``id`` (used in suppressions and reports), a ``name``, a
``severity`` and a ``description``; ``run`` receives one source/translation
pair and yields findings that name the file, the line and the fix. Checks are
registered through the ``helpglot.checks`` entry point, built-ins included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from helpglot.markdown.segment import Block, Document
from helpglot.settings import Settings

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    check: str  # the check's stable id
    severity: str  # "error" or "warning"
    path: str  # the translation, relative to the project root
    line: int
    message: str  # names the place and the fix
    block: int | None = None  # 1-based translation block number, if any
    suppressed: bool = False
    reason: str | None = None  # the suppression's reason

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Pair:
    """What a check looks at: a translation, its current source and the context."""

    settings: Settings
    lang: str
    source: Document
    translation: Document
    source_path: str  # shown path of the source
    path: str  # shown path of the translation
    pairs: tuple[tuple[int, int], ...] = ()  # (translation block, source block) known to correspond
    glossary: tuple = ()  # helpglot.terms.glossary.Term values
    extra: dict = field(default_factory=dict)

    def aligned(self) -> Iterator[tuple[int, Block, Block]]:
        """(translation block index, translation block, source block) for every known pair."""
        for t, s in self.pairs:
            yield t, self.translation.blocks[t], self.source.blocks[s]


@runtime_checkable
class Check(Protocol):
    id: str
    name: str
    severity: str
    description: str

    def run(self, pair: Pair) -> Iterable[Finding]:
        """Yield findings for one translation."""
