"""The machine-translation cache: no text is ever paid for twice.

Every engine result is stored in SQLite (``.helpglot/cache.sqlite``, gitignored)
under a key of engine, language pair, glossary version, options and the
protected source text, and committed as soon as its batch returns. A run
killed or stopped by a quota therefore resumes by sending only what never came
back. WAL mode keeps a reader and a writer from blocking each other.

The results are stored as the engine sent them, unusable ones included (see
:mod:`helpglot.drafting.runner`). A cache that cannot be opened or written (a full
disk, a damaged file) is a :class:`CacheError` naming the file and the fix: the run
stops before paying for more text it could not keep.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

from helpglot.errors import HelpglotError


class CacheError(HelpglotError):
    """The cache file cannot be opened or written."""


def cache_key(engine: str, source: str, target: str, glossary: str, options: str, text: str) -> str:
    raw = "\x1f".join((engine, source, target, glossary, options, text))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class TranslationCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(str(path), timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, engine TEXT, source TEXT, "
                "target TEXT, glossary TEXT, text TEXT, result TEXT, created REAL)"
            )
            self.db.commit()
        except (OSError, sqlite3.Error) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise CacheError(f"{path}: the translation cache cannot be opened ({reason}). If the file is "
                             "damaged, move it aside (its drafts are then paid for again); if the disk is full "
                             "or the folder read-only, fix that and rerun") from None

    def get_many(self, keys: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for key, result in self.db.execute(f"SELECT key, result FROM mt WHERE key IN ({marks})", chunk):
                found[key] = result
        return found

    def put_many(self, rows: list[tuple[str, str, str, str, str, str, str]]) -> None:
        """rows: (key, engine, source, target, glossary, text, result); committed at once."""
        now = time.time()
        try:
            self.db.executemany(
                "INSERT OR REPLACE INTO mt (key, engine, source, target, glossary, text, result, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row, now) for row in rows],
            )
            self.db.commit()
        except sqlite3.Error as exc:
            try:
                self.db.rollback()
            except sqlite3.Error:
                pass
            raise CacheError(f"{self.path}: could not save {len(rows)} drafts the engine just returned ({exc}); "
                             "stopped before sending more. Free disk space (or make the folder writable) and "
                             "rerun: files already written are kept") from None

    def close(self) -> None:
        self.db.close()
