"""The status cache: records of unchanged (source, translation) pairs, so a rerun of
``helpglot status`` (and every build) parses only what changed."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from helpglot.fsutil import atomic_write_bytes


def stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


class StatusCache:
    """Records of unchanged (source, translation) pairs, so a rerun parses only what changed.

    Keyed by both files' size, mtime and inode, the source's git dates, the day
    (policies depend on it) and the language's policy; stored as one pickle under
    the cache folder, written atomically, and ignored if unreadable.
    """

    VERSION = 2

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict = {}
        self.new: dict = {}
        if path is not None and path.is_file():
            try:
                with open(path, "rb") as handle:
                    version, data = pickle.load(handle)
                if version == self.VERSION:
                    self.old = data
            except Exception:  # a corrupt or foreign cache is just a cold start
                self.old = {}

    def save(self) -> None:
        if self.path is None:
            return
        try:
            atomic_write_bytes(self.path, pickle.dumps((self.VERSION, self.new), pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass
