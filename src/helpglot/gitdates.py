"""When each source article last changed, from git: one ``git log`` for the
whole docs folder, so a 1,000-article help center costs one process, not 1,000.

Only the English (and English-fallback) pages need this: a translation's date
is the ``reviewed:`` date of its provenance, the day a person approved it.
Outside a git work tree there are no dates, and pages simply show none.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


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
