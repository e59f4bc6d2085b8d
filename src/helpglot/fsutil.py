"""Atomic file writes: killed at any moment, a file is either old or new, never half."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write via a temporary file and a rename. ``durable=False`` skips the fsync: for build
    output that the next build rewrites anyway (thousands of search shards per language),
    where the rename alone keeps a reader from seeing half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


class WriteRefused(OSError):
    """A write set that could not be written; nothing of it was changed."""


def _shown(path: Path, root: Path | None) -> str:
    try:
        return path.relative_to(root).as_posix() if root else str(path)
    except ValueError:
        return str(path)


def write_set(files: dict[Path, bytes], expected: dict[Path, bytes | None] | None = None,
              root: Path | None = None) -> None:
    """Write several files as one change: all of them, or none.

    Every write is prepared first (a temp file next to each target, written and synced; a target
    that is read-only by its mode bits, or changed since ``expected`` was read, refuses the whole
    set); only then are the targets replaced, and if a replace still fails the ones already
    replaced are put back. :class:`WriteRefused` names the file and says nothing was changed.
    """
    staged: list[tuple[Path, str]] = []
    backups: dict[Path, bytes | None] = {}
    try:
        for path, data in files.items():
            path = Path(path)
            shown = _shown(path, root)
            try:
                old = path.read_bytes() if path.exists() else None
            except OSError as exc:
                raise WriteRefused(f"{shown}: cannot be read ({exc.strerror}); nothing was changed") from None
            if expected is not None and path in expected and expected[path] != old:
                raise WriteRefused(f"{shown}: changed on disk while helpglot was working; nothing was changed. "
                                   "Run the command again")
            if old is not None and not path.stat().st_mode & 0o222:
                raise WriteRefused(f"{shown}: is read-only; make it writable (chmod u+w) and run again. "
                                   "Nothing was changed")
            backups[path] = old
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                staged.append((path, tmp))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, path.stat().st_mode & 0o777 if old is not None else 0o644)
            except OSError as exc:
                raise WriteRefused(f"{shown}: cannot be written ({exc.strerror}); nothing was changed") from None
    except BaseException:
        for _, tmp in staged:
            _unlink(tmp)
        raise
    done: list[Path] = []
    try:
        for path, tmp in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise WriteRefused(f"{_shown(path, root)}: cannot be written ({exc.strerror}); "
                                   "nothing was changed") from None
            done.append(path)
    except BaseException:
        for path, tmp in staged:
            if path not in done:
                _unlink(tmp)
        for path in reversed(done):  # roll back what was already replaced
            old = backups[path]
            if old is None:
                _unlink(str(path))
            else:
                atomic_write_bytes(path, old)
        raise


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


STALE_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


def clean_stale_temps(*folders: Path, older_than: float = 60.0) -> list[Path]:
    """Remove the ``.NAME.XXXXXXXX.tmp`` files a killed run left (so CI never commits them).

    Only files in helpglot's own temp-name pattern, older than ``older_than`` seconds (a run in
    progress is not disturbed), are removed."""
    import time

    removed: list[Path] = []
    now = time.time()
    for folder in folders:
        if not Path(folder).is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for name in filenames:
                full = os.path.join(dirpath, name)
                try:
                    if STALE_TEMP.match(name) and now - os.lstat(full).st_mtime > older_than:
                        os.unlink(full)
                        removed.append(Path(full))
                except OSError:
                    pass
    return removed


class Lock:
    """An exclusive lock file (``fcntl.flock``): a second ``translate`` waits for the first instead of
    paying for the same text again. The kernel releases it when the process dies, even on SIGKILL."""

    def __init__(self, path: Path, on_wait=None) -> None:
        self.path = Path(path)
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> Lock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if self.on_wait:
                self.on_wait(os.pread(self._fd, 32, 0).decode("ascii", "replace").strip() or "?")
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, str(os.getpid()).encode(), 0)
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
