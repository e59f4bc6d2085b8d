"""The status cache: records of unchanged (source, translation) pairs, so a rerun of
``helpglot status`` (and every build) parses only what changed.

Plain JSON, never pickle: a cache can reach a checkout from outside (``git add -f``, a CI
cache saved after a job read a translation branch), and unpickling runs whatever the file
says. A cache file that git tracks is not read at all (nobody commits a cache on purpose),
and a malformed one is a cold start.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

from helpglot.fsutil import atomic_write_bytes, read_parsed
from helpglot.tracking.freshness import Change, Record

NAME = "status-cache.json"


def stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _tracked(path: Path) -> bool:
    try:
        proc = subprocess.run(["git", "-C", str(path.parent), "ls-files", "--error-unmatch", path.name],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def _encode_key(key: tuple) -> str:
    rel, lang, src, translation, dates, today, days = key
    return json.dumps([rel, lang, src, translation, [d.isoformat() for d in dates], today.isoformat(), days])


def _decode_key(text: str) -> tuple:
    rel, lang, src, translation, dates, today, days = json.loads(text)
    return (rel, lang, None if src is None else tuple(src), None if translation is None else tuple(translation),
            tuple(dt.date.fromisoformat(d) for d in dates), dt.date.fromisoformat(today), days)


def _encode(record: Record) -> dict:
    return {"source": record.source, "lang": record.lang, "path": record.path, "state": record.state,
            "total": record.total_blocks, "stale": list(record.stale_blocks), "machine": list(record.machine_blocks),
            "changes": [[c.kind, c.new, c.old] for c in record.changes],
            "since": record.since.isoformat() if record.since else None,
            "updated": record.source_updated.isoformat() if record.source_updated else None,
            "message": record.message, "line": record.line, "policy_failed": record.policy_failed}


def _decode(data: dict) -> Record:
    return Record(source=data["source"], lang=data["lang"], path=data["path"], state=data["state"],
                  total_blocks=int(data["total"]), stale_blocks=tuple(data["stale"]),
                  machine_blocks=tuple(data["machine"]),
                  changes=tuple(Change(kind, new, old) for kind, new, old in data["changes"]),
                  since=_date(data["since"]), source_updated=_date(data["updated"]), message=data["message"],
                  line=int(data["line"]), policy_failed=bool(data["policy_failed"]))


class StatusCache:
    """Records of unchanged (source, translation) pairs, so a rerun parses only what changed.

    Keyed by both files' size, mtime and inode, the source's git dates, the day
    (policies depend on it) and the language's policy; stored as one JSON file under
    the cache folder, written atomically, and ignored if unreadable or tracked by git.
    """

    VERSION = 3

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict = {}
        self.new: dict = {}
        if path is None or not path.is_file() or _tracked(path):
            return
        try:
            self.old = read_parsed(path, "status-cache", self._parse)  # type: ignore[assignment]
        except Exception:  # a corrupt or foreign cache is just a cold start (never code: JSON)
            self.old = {}

    @classmethod
    def _parse(cls, text: str) -> dict:
        data = json.loads(text)
        if data.get("version") != cls.VERSION:
            return {}
        return {_decode_key(k): _decode(v) for k, v in data["records"].items()}

    def save(self) -> None:
        if self.path is None:
            return
        records = {_encode_key(k): _encode(v) for k, v in self.new.items()}
        try:
            atomic_write_bytes(self.path, json.dumps({"version": self.VERSION, "records": records},
                                                     ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        except OSError:
            pass
