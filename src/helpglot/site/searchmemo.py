"""What the search index's slow steps computed last time, kept in ``.helpglot/search/`` so an
incremental build repeats them only for what changed.

Each memo is a pure function's results keyed by a digest of *everything* the function reads
(the text it is given, the language), inside a file stamped with the code that computed them
(every file of the helpglot package and the versions of the stemmer and stop-word lists): a
changed input is a new key, changed code an empty memo, so a memo can only ever return what
computing afresh would. Only the entries a build used are written back, so a memo holds one
build's worth. A memo that cannot be read is empty (everything is computed); writes are
atomic, and two builds writing the same memo each write a complete, correct one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

from helpglot.fsutil import atomic_write_text
from helpglot.settings import Settings
from helpglot.site import buildkey

_reading = False
_keeping = False  # a process that builds again (a long-lived worker) keeps what it read and wrote


def read_memos(on: bool) -> None:
    """Memos are read only by an incremental build (set by :func:`helpglot.site.parallel.build_one`
    in the worker); a full build (``--full``, ``mkdocs build``) computes everything and writes
    them, so the property test's full build checks what the memos gave the incremental one."""
    global _reading
    _reading = on


def reading() -> bool:
    """Whether this build reads the memos (an incremental one: a full build computes everything)."""
    return _reading


def keep_between_builds() -> None:
    """Called once by a long-lived language worker (:mod:`helpglot.site.langworker`): keep each
    memo file's entries and the lexicon's counts in memory for the next build. A process that
    builds once does not: holding the lexicon's memo through the search index step was a third
    of a worker's memory growth after its pages at 3,000 articles."""
    global _keeping
    _keeping = True


@cache
def code_key() -> str:
    versions = {}
    for name in ("snowballstemmer", "stopwordsiso"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = ""
    return buildkey.digest(buildkey.files_hash([Path(__file__).resolve().parent.parent]), versions)


SHARDS = "0123456789abcdef"  # a memo is 16 files by its keys' first hex digit: an edit rewrites a few


@dataclass
class Memo:
    folder: Path
    known: dict = field(default_factory=dict)  # key -> value, every shard read
    shards: dict[str, frozenset] = field(default_factory=dict)  # shard -> the keys it held


def folder(settings: Settings, name: str) -> Path:
    return (settings.cache_dir or settings.root / ".helpglot") / "search" / name


#: what this process read or wrote of each memo file, by the file's stat: a process that builds
#: again (a long-lived worker, :mod:`helpglot.site.langworker`) reads only the files that changed
_KEPT: dict[Path, tuple[tuple[int, int, int], dict, frozenset]] = {}


_STORES: dict[str, dict] = {}


def kept(name: str) -> dict | None:
    """A place for what this process computed, for its next incremental build (a long-lived worker,
    :mod:`helpglot.site.langworker`, builds again; a forked one finds it empty): only incremental
    builds use it, so a full build computes everything, as the property tests require."""
    return _STORES.setdefault(name, {}) if _reading and _keeping else None


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def load(where: Path) -> Memo:
    memo = Memo(where)
    if not _reading:
        return memo
    for shard in SHARDS:
        path = where / f"{shard}.json"
        stat = _stat(path)
        kept = _KEPT.get(path) if _keeping else None
        if stat is not None and kept is not None and kept[0] == stat:  # (every write renames a new inode in)
            memo.known.update(kept[1])
            memo.shards[shard] = kept[2]
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("code") == code_key() and isinstance(data.get("memo"), dict):
            entries = {k: v for k, v in data["memo"].items() if k[:1] == shard}
            memo.known.update(entries)
            memo.shards[shard] = frozenset(entries)
            if _keeping and stat is not None and stat == _stat(path):
                _KEPT[path] = (stat, entries, memo.shards[shard])
    return memo


def save(memo: Memo, used: dict) -> None:
    """Keep what this build used; a shard whose keys are the ones it held is already right (a key
    is a digest of the value's inputs, so the same key means the same value) and is not rewritten."""
    by_shard: dict[str, dict] = {shard: {} for shard in SHARDS}
    for key, value in used.items():
        if key[:1] in by_shard:
            by_shard[key[:1]][key] = value
    try:
        memo.folder.mkdir(parents=True, exist_ok=True)
        for shard, entries in by_shard.items():
            if memo.shards.get(shard) == frozenset(entries):
                continue
            path = memo.folder / f"{shard}.json"
            atomic_write_text(path, json.dumps(
                {"code": code_key(), "memo": entries}, ensure_ascii=False, separators=(",", ":")), durable=False)
            stat = _stat(path) if _keeping else None
            if stat is not None:
                _KEPT[path] = (stat, entries, frozenset(entries))
    except OSError:
        pass  # a memo not kept only costs the next build the time
