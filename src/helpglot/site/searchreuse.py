"""A language's chunked search index is not made again when nothing it is made from changed.

An English paragraph edit changes one page in every language (its translations' freshness), and
every language's worker put its whole search index together again from the memos: about 0.9 s
of a Spanish build's 1.8 s at 1,000 articles, to write the same bytes. The index is a function
of its inputs alone (:func:`helpglot.site.searchindex.build`'s arguments: the language's
search entries, its English stand-ins, the glossary's bridge and synonyms, the lexicon's tables,
the machine drafts, the headings; and the code, the installed packages and dictionaries). So
an incremental build that updates the site in place records, with the language's search memo,
the digest of those inputs and the size, time and inode of every shard and fragment it left in
the site; the next such build whose inputs have the same digest, and finds each of those files
with the same stat, keeps them all in place (:class:`helpglot.site.inplace.Unchanged`) and
writes only the two small index files. Anything else (other inputs, a file touched or gone, a
full build, a site not updated in place) builds the index, as before.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from helpglot.fsutil import atomic_write_text
from helpglot.site import buildkey, searchmemo
from helpglot.site.inplace import Unchanged
from helpglot.terms import bilingual

NAME = "index.last"  # (not .json: the memo's shards are)


def input_key(inputs: dict[str, Any]) -> str:
    """The digest of everything the index is made from (``inputs``: the build's arguments)."""
    h = hashlib.sha256()
    h.update(json.dumps([searchmemo.code_key(), buildkey._versions(), bilingual.fingerprint()]).encode())
    for name in sorted(inputs):
        h.update(name.encode() + b"\0")
        h.update(json.dumps(inputs[name], ensure_ascii=False, sort_keys=True, default=repr)
                 .encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def reuse(memo_folder: Path, key: str, unchanged: Unchanged) -> dict | None:
    """The previous build's record if its index can stay as it is (its files then named kept)."""
    try:
        record = json.loads((memo_folder / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("key") != key or not isinstance(record.get("files"), dict):
        return None
    files: dict[str, list] = record["files"]
    if any(_stat(unchanged.previous / rel) != stat for rel, stat in files.items()):
        return None
    unchanged.kept.extend(files)
    return record


class Watch:
    """The ``unchanged`` callback of :func:`helpglot.site.searchindex.build`, noting every file."""

    def __init__(self, unchanged: Unchanged) -> None:
        self.unchanged, self.files = unchanged, []

    def __call__(self, target: Path, data: bytes) -> bool:
        same = self.unchanged(target, data)
        self.files.append((target, same))
        return same

    def save(self, memo_folder: Path, key: str, small: str) -> None:
        """Record the index just made: where each file will be in the site, and its stat there
        (a file written to the part keeps its stat when the update renames it into the site)."""
        files = {}
        for target, same in self.files:
            rel = target.relative_to(self.unchanged.part).as_posix()
            stat = _stat(self.unchanged.previous / rel if same else target)
            if stat is None:
                return
            files[rel] = stat
        try:
            memo_folder.mkdir(parents=True, exist_ok=True)
            atomic_write_text(memo_folder / NAME, json.dumps({"key": key, "files": files, "small": small}),
                              durable=False)
        except OSError:
            pass


def forget(memo_folder: Path) -> None:
    try:
        (memo_folder / NAME).unlink()
    except OSError:
        pass


def small_files(search: Path, data: dict, small: str) -> None:
    """The two files every build writes: the lunr-format input and the small index the page loads."""
    atomic_write_text(search / "search_index.full.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    atomic_write_text(search / "search_index.json", small)
