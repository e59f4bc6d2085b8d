"""What the build reads out of each source and translation file, kept per file between builds.

Before it starts the language workers, ``helpglot build`` decides for every translation whether
it may be published (:func:`helpglot.qa.publish.refusal`: its bytes decoded, its length budgets,
its front matter parsed with YAML and compared with its English source's) and reads its review
date. At 1,000 articles x 6 languages that is 5,000 YAML parses on every build, for a save that
changed one file. The answers depend only on the bytes of the translation and of its source, so
they are kept in ``.helpglot/file-facts.json`` (JSON, like the status cache) under each file's
path, size, modification time and inode (and the source's), and recomputed only for a file
whose stat changed (or that was modified in the last two seconds, when a save of the same size
could still share its time stamp: git's "racily clean" files). The file is stamped with a hash
of the helpglot package: other code, other answers, so a new version starts cold. As with the
status cache, a cache file git tracks is not read (a cache reaching a checkout from outside must
not decide what is published).

The same cache holds each page file's SHA-256 for the incremental build's input keys
(:func:`helpglot.site.pagekeys.input_key`): computed in the parent for every Markdown file of
``docs/`` and ``translations/`` whose stat changed, found in memory by each forked worker.

Within one build a file is looked at once: what the parent's pass answered is the build's view of
the file, given again to its workers without a second stat of every file (a save during the
build makes ``helpglot serve`` build again; the next build looks at every file anew).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from helpglot.fsutil import RACY_NS, atomic_write_text, read_parsed
from helpglot.fsutil import file_clock as _file_clock
from helpglot.settings import Settings
from helpglot.tracking import statuscache

NAME = "file-facts.json"
_MISS = object()


def _stamp(path: Path | str | None) -> list[int] | None:
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _settled(stamps: list, now: int) -> bool:
    return all(stamp is None or stamp[1] < now - RACY_NS for stamp in stamps)


class FileFacts:
    """Answers per (question, file, source), valid while both files' stats are unchanged."""

    def __init__(self, path: Path | None, code: str) -> None:
        self.path, self.code = path, code
        self.old: dict[str, list] = {}
        self.new: dict[str, list] = {}
        self._now: int | None = None
        #: what the file on disk holds (read, or written by :meth:`save`): a build saves twice, once
        #: its state's answers and once with the page hashes added, and the second save must not be
        #: skipped as "nothing new since the file was read" (every other build then hashed every file)
        self._written: dict[str, list] | None = None
        #: each file's stat, taken once per build: one file is asked several questions (publish
        #: decision, review date, images, hash), often as another's source
        self._stamps: dict[str, list[int] | None] = {}
        if path is None or not path.is_file() or statuscache._tracked(path):  # (a committed cache: not ours)
            return
        try:
            data = read_parsed(path, "file-facts", json.loads)
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("code") == code and isinstance(data.get("facts"), dict):
            self.old = self._written = data["facts"]

    def __getstate__(self) -> dict:
        """Handed to a long-lived worker (:mod:`helpglot.site.langworker`), without the answers read
        from disk: every one still valid was copied to ``new`` by this build's pass over the files,
        and the rest (stat changed) is of no use to the worker. Half the pickle, at every save."""
        return {**self.__dict__, "old": {}, "_written": None, "_stamps": {}}

    @classmethod
    def of(cls, settings: Settings) -> FileFacts:
        from helpglot.site import searchmemo

        return cls((settings.cache_dir or settings.root / ".helpglot") / NAME, searchmemo.code_key())

    def get(self, question: str, path: Path | str, source: Path | None, compute: Callable[[], Any]) -> Any:
        file, origin = os.path.abspath(path), os.path.abspath(source) if source else ""
        key = f"{question}\0{file}\0{origin}"
        found = self.new.get(key, _MISS)
        if found is not _MISS:  # looked at earlier in this build (by the parent, for a worker): one
            return found[1]     # answer per file and build, and no second stat of 5,000 files
        stamps = [self._stat(file), self._stat(origin) if origin else None]
        found = self.old.get(key, _MISS)
        if found is not _MISS and isinstance(found, list) and len(found) == 2 and found[0] == stamps \
                and stamps[0] is not None:
            value = found[1]
        else:
            value = compute()
        if self._now is None:
            self._now = _file_clock(self.path.parent if self.path is not None else None)
        if _settled(stamps, self._now):
            self.new[key] = [stamps, value]
        return value

    def _stat(self, file: str) -> list[int] | None:
        """:func:`_stamp`, taken once per file and build."""
        if file not in self._stamps:
            self._stamps[file] = _stamp(file)
        return self._stamps[file]

    def save(self) -> None:
        if self.path is None or self.new == self._written:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps({"code": self.code, "facts": self.new}, ensure_ascii=False,
                                                    separators=(",", ":")), durable=False)
            self._written = dict(self.new)
        except OSError:
            pass


def date_value(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def date_from(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None
