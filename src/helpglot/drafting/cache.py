"""The machine-translation cache: no text is ever paid for twice.

Every engine result is stored in SQLite (``.helpglot/cache.sqlite``, gitignored)
under a key of engine, language pair, glossary version, options and the
protected source text, and committed as soon as its batch returns. A run
killed or stopped by a quota therefore resumes by sending only what never came
back. WAL mode keeps a reader and a writer from blocking each other.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path


def cache_key(engine: str, source: str, target: str, glossary: str, options: str, text: str) -> str:
    raw = "\x1f".join((engine, source, target, glossary, options, text))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class TranslationCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path), timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS mt (key TEXT PRIMARY KEY, engine TEXT, source TEXT, "
            "target TEXT, glossary TEXT, text TEXT, result TEXT, created REAL)"
        )
        self.db.commit()

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
        self.db.executemany(
            "INSERT OR REPLACE INTO mt (key, engine, source, target, glossary, text, result, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(*row, now) for row in rows],
        )
        self.db.commit()

    def close(self) -> None:
        self.db.close()
