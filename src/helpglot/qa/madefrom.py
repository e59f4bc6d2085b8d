"""The English a translation was made from: what ``check`` compares it with.

Stale is a state, never a QA error (DESIGN contract 4). After a writer changes "30 days"
to "14 days" or inserts a paragraph, every translation made from the old English would
otherwise fail ``check`` ("number 14 became 30", "paragraph missing"), and one routine
English edit would block every language's pull request and the deploy. So a translation
is checked against the source as it was when the translation was made: its provenance
records the source block hashes, and git has the text. The newest committed version of
the source whose blocks are exactly those hashes is that source.

Where no such version exists (no git, history beyond reach, or a partial ``ack`` that
moved some blocks on), the current source is used and what only staleness explains is
reported as a warning, never an error: findings on blocks made from English that is no
longer there, and the structure's differences. ``helpglot status`` and the reader notices
say what is stale.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from helpglot.errors import ContentError, HelpglotError
from helpglot.markdown.segment import Document, parse
from helpglot.qa.checks.base import ERROR, WARNING, Finding
from helpglot.tracking import provenance
from helpglot.tracking.history import History

STALE_NOTE = " (the English changed since this translation was made; `helpglot status` shows what is stale)"


def _hashes(translation: Document) -> list[str] | None:
    try:
        prov = provenance.read(translation)
    except ContentError:
        return None
    if prov is None or len(prov.blocks) != len(translation.blocks):
        return None
    return prov.hashes


def source_for(source_path: Path, source: Document, translation: Document) -> tuple[Document, frozenset[int]]:
    """The source to check ``translation`` against, and the 1-based translation blocks whose
    findings only staleness may explain (empty when the exact source was found)."""
    made_from = _hashes(translation)
    if made_from is None or made_from == source.hashes:
        return source, frozenset()
    history = History(source_path)
    for commit in history.commits:
        text = history.text(commit)
        if text is None:
            continue
        try:
            old = parse(text, source.path)
        except HelpglotError:
            continue
        if old.hashes == made_from:
            return old, frozenset()
    current = set(source.hashes)
    return source, frozenset(i + 1 for i, h in enumerate(made_from) if h not in current)


def demote(findings: list[Finding], stale: frozenset[int], structure_too: bool) -> list[Finding]:
    """Errors only staleness may explain, as warnings that say so."""
    out = []
    for f in findings:
        if f.severity == ERROR and ((f.block is not None and f.block in stale)
                                    or (structure_too and f.check == "structure")):
            f = replace(f, severity=WARNING, message=f.message + STALE_NOTE)
        out.append(f)
    return out
