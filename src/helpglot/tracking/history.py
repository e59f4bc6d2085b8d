"""A file's committed versions, read from git lazily: the English a translation was made from.

Provenance keeps only block hashes; the texts behind them live in git. The review queue
(the English *before* a change), sync (the previous translation kept beside a new draft),
``ack`` and skeleton changes all read history through this one module, so drafting never
needs the review stage (see :mod:`helpglot.review.queue` for how "before" is found).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.markdown.segment import Document, parse
from helpglot.tracking import provenance
from helpglot.tracking.freshness import align

MAX_VERSIONS = 20  # committed versions read per file when looking for older text


def git(cwd: Path, *args: str) -> str | None:
    """stdout of a git command, or None without git / outside a repository / on failure."""
    try:
        proc = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


@dataclass
class History:
    """A file's committed versions, newest first, read lazily (one ``git log``, one ``git show``
    each). The history follows renames (``helpglot mv``, ``git mv``): the English *before* of an
    article moved last week is still found under its old name."""

    path: Path
    limit: int = MAX_VERSIONS
    _commits: list[str] | None = None
    _paths: dict[str, str] = field(default_factory=dict)  # commit -> the file's path then (from the top)
    _texts: dict[str, str | None] = field(default_factory=dict)

    @property
    def commits(self) -> list[str]:
        if self._commits is None:
            out = git(self.path.parent, "-c", "core.quotePath=false", "log", "--follow", f"-n{self.limit}",
                      "--format=%x00%H", "--name-only", "--", self.path.name)
            commits: list[str] = []
            current = None
            for line in (out or "").splitlines():
                if line.startswith("\x00"):
                    current = line[1:].strip()
                    commits.append(current)
                elif line.strip() and current is not None and current not in self._paths:
                    self._paths[current] = line.strip()
            self._commits = commits
        return self._commits

    def text(self, commit: str) -> str | None:
        if commit not in self._texts:
            where = self._paths.get(commit)
            spec = f"{commit}:{where}" if where else f"{commit}:./{self.path.name}"
            self._texts[commit] = git(self.path.parent, "show", spec)
        return self._texts[commit]


class SourceTexts:
    """hash -> text of a source's blocks, searched back through its history on demand."""

    def __init__(self, path: Path, current: Document) -> None:
        self.history = History(path)
        self.known = {b.hash: b.text for b in current.blocks}
        self.next = 0

    def find(self, block_hash: str) -> str | None:
        commits = self.history.commits
        while block_hash not in self.known and self.next < len(commits):
            text = self.history.text(commits[self.next])
            self.next += 1
            if text is None:
                continue
            try:
                doc = parse(text)
            except HelpglotError:
                continue
            for block in doc.blocks:
                self.known.setdefault(block.hash, block.text)
        return self.known.get(block_hash)


def previous_hashes(tpath: Path, translation: Document, prov: provenance.Provenance,
                    wanted: list[int]) -> dict[int, str | None]:
    """For translation blocks ``wanted`` (0-based): the source hash each was made from before its
    current one (None: the block was inserted), from the translation's git history. Blocks
    whose history shows no earlier hash are left out."""
    history = History(tpath)
    current = prov.hashes
    kinds = [b.signature for b in translation.blocks]
    pending = set(wanted)
    found: dict[int, str | None] = {}
    for commit in history.commits:
        if not pending:
            break
        text = history.text(commit)
        if text is None:
            continue
        try:
            old_doc = parse(text)
            old = provenance.read(old_doc)
        except HelpglotError:
            continue
        if old is None:
            continue
        old_kinds = [b.signature for b in old_doc.blocks]
        if len(old_kinds) == len(old.hashes):
            alignment = align(old.hashes, current, old_kinds, kinds)
        else:
            alignment = align(old.hashes, current)
        for change in alignment.changes:
            if change.new in pending and change.kind in ("changed", "inserted"):
                pending.discard(change.new)
                found[change.new] = None if change.old is None else old.hashes[change.old]
    return found
