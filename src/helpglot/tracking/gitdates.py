"""When each source article changed, from git: one ``git log`` for the whole docs
folder, so a 1,000-article help center costs one process, not 1,000.

Only the English (and English-fallback) pages need this: a translation's date
is the ``reviewed:`` date of its provenance, the day a person approved it.
Outside a git work tree there are no dates, and pages simply show none.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from helpglot.settings import Settings


def last_changed(folder: Path) -> dict[str, dt.date]:
    """posix path relative to ``folder`` -> committer date of the last commit touching it."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(folder), "log", "--format=%x00%cs", "--name-only", "--no-renames",
             "--relative", "--", "."],
            capture_output=True, text=True, check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates: dict[str, dt.date] = {}
    current: dt.date | None = None
    for line in proc.stdout.splitlines():
        if line.startswith("\x00"):
            try:
                current = dt.date.fromisoformat(line[1:].strip())
            except ValueError:
                current = None
        elif line and current is not None:
            dates.setdefault(line, current)
    return dates


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout if proc.returncode == 0 else None


def source_history(settings: Settings, rels: list[str]) -> dict[str, tuple[dt.date, ...]]:
    """The dates each source changed, newest first, from one ``git log`` of the tree.

    A file with uncommitted changes (or no git at all) also gets its mtime, first.
    The whole history, not only the last date, is kept because a translation is stale
    since the *first* source change after it was synced: a writer who keeps editing
    an article must not reset the clock of ``fail_on_stale_days``.
    """
    history: dict[str, list[dt.date]] = {}
    docs = settings.docs_dir
    dirty_set: set[str] = set()
    prefix = _git(docs, "rev-parse", "--show-prefix")
    if prefix is not None:
        prefix = prefix.strip()
        log = _git(docs, "-c", "core.quotePath=false", "log", "--format=%x00%ct",
                   "--name-only", "--no-renames", "--", ".")
        dirty = _git(docs, "-c", "core.quotePath=false", "status", "--porcelain",
                     "--untracked-files=all", "--no-renames", "--", ".") or ""
        dirty_set = {line[3:].strip().strip('"') for line in dirty.splitlines() if len(line) > 3}
        when: dt.date | None = None
        for line in (log or "").splitlines():
            if line.startswith("\x00"):
                when = dt.datetime.fromtimestamp(int(line[1:]), dt.UTC).date()
            elif line and when is not None and line.startswith(prefix):
                dates = history.setdefault(line[len(prefix):], [])
                if not dates or dates[-1] != when:
                    dates.append(when)
        dirty_set = {path[len(prefix):] for path in dirty_set if path.startswith(prefix)}
    for rel in rels:
        if rel in dirty_set or rel not in history:
            try:
                mtime = dt.date.fromtimestamp(os.stat(docs / rel).st_mtime)
            except OSError:
                continue
            history[rel] = [mtime, *history.get(rel, [])]
    return {rel: tuple(dates) for rel, dates in history.items()}


def source_dates(settings: Settings, rels: list[str]) -> dict[str, dt.date]:
    """When each source last changed: its last commit, or its mtime if uncommitted or no git."""
    return {rel: dates[0] for rel, dates in source_history(settings, rels).items() if dates}


def stale_since(
    history: tuple[dt.date, ...], synced: dt.date | None, updated: dt.date | None
) -> dt.date | None:
    """The first source change after the translation was synced (else the last change)."""
    if synced is not None:
        after = [day for day in history if day > synced]
        if after:
            return min(after)
    return updated or synced


def renamed(folder: Path) -> dict[str, str]:
    """Articles git saw renamed under ``folder``: old posix path -> where it lives now (a chain of
    renames followed to its end). Paths that exist again, or whose end no longer exists, are left
    out. One ``git log`` for the whole folder; nothing without git."""
    try:
        proc = subprocess.run(["git", "-C", str(folder), "-c", "core.quotePath=false", "log", "-M",
                               "--diff-filter=R", "--name-status", "--format=", "--relative", "--", "."],
                              capture_output=True, text=True, check=True, timeout=120)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired):
        return {}
    moves: dict[str, str] = {}
    for line in proc.stdout.splitlines():  # newest first: a later move of the target is known already
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R"):
            old, new = parts[1], parts[2]
            moves.setdefault(old, moves.get(new, new))
    return {old: new for old, new in moves.items()
            if not (folder / old).exists() and (folder / new).is_file() and old != new}
