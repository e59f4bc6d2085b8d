"""Atomic file writes: killed at any moment, a file is either old or new, never half; and a set of
files written together is, after the next run, all old or all new (the journal)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable
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
              root: Path | None = None, journal: Path | None = None, command: str = "") -> None:
    """Write several files as one change: all of them, or none.

    Every write is prepared first (a temp file next to each target, written and synced; a target
    that is read-only by its mode bits, or changed since ``expected`` was read, refuses the whole
    set); only then are the targets replaced, and if a replace still fails the ones already
    replaced are put back. :class:`WriteRefused` names the file and says nothing was changed.

    A kill runs no rollback, so with ``journal`` the plan (targets, staged temp files, old and new
    digests, old contents) is written there, durably, before the first replace and removed after
    the last: :func:`replay_journal` in the next run completes the set or rolls it back.
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
    if journal is not None:
        try:
            _write_journal(journal, root or Path.cwd(), command, staged, backups, files)
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
        if journal is not None:
            _unlink(str(journal))
        raise
    if journal is not None:
        _unlink(str(journal))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def dir_entries(folder: str) -> list[os.DirEntry] | None:
    """The entries of one folder (None: it cannot be listed), for walks that decide per entry
    whether to go down (links, hidden folders) without ``os.walk``'s ``Path``-free but
    all-or-nothing rules."""
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError:
        return None


def walk_stats(root: Path | str):
    """``(path, stat or None)`` of every file under ``root``, in a stable order: what a build or a
    preview compares with the previous run's to know whether anything was saved since."""
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(folder, name)
            try:
                yield path, os.stat(path)
            except OSError:
                yield path, None


#: a file modified less than this long ago may be saved again within its time stamp's granularity
#: with other bytes of the same size (git's "racily clean" files): its answer is not kept
RACY_NS = 2_000_000_000


def file_clock(folder: Path | None) -> int:
    """The time files written now get, read from a file written now in ``folder`` (as git compares
    with its index file's time): the system clock may differ from the file system's (a network
    file system, a clock set ahead), and a file would then look settled the moment it is saved."""
    if folder is not None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".clock.", suffix=".tmp", dir=folder)
            try:
                return os.fstat(fd).st_mtime_ns
            finally:
                os.close(fd)
                os.unlink(name)
        except OSError:
            pass
    return time.time_ns()


#: what :func:`read_parsed` made of each file, with the stat it was read at
_PARSED: dict[tuple[str, str], tuple[tuple[int, int, int], object]] = {}


def read_parsed(path: Path, kind: str, parse: Callable[[str], object]) -> object:
    """``parse`` of the file's text, kept for the process by the file's size, time and inode (the
    build's caches are replaced by a rename, never rewritten in place). ``helpglot serve``'s warm
    process reads them after each build, and the next build, forked from it, finds them parsed
    instead of reading megabytes of JSON while the writer waits. Callers never change the value."""
    st = os.stat(path)
    stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
    found = _PARSED.get((kind, str(path)))
    if found is not None and found[0] == stamp:
        return found[1]
    value = parse(path.read_text(encoding="utf-8"))
    _PARSED[(kind, str(path))] = (stamp, value)
    return value


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


# -- the journal of a multi-file write -------------------------------------------------------------


class JournalError(OSError):
    """A journal that cannot be trusted or replayed; the message names it and the fix."""


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _write_journal(journal: Path, root: Path, command: str, staged: list[tuple[Path, str]],
                   backups: dict[Path, bytes | None], files: dict[Path, bytes]) -> None:
    entries = []
    for path, tmp in staged:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        old = backups[path]
        entries.append({"path": Path(rel).as_posix(), "tmp": os.path.basename(tmp), "before": _digest(old),
                        "after": _digest(files[path]),
                        "old": None if old is None else base64.b64encode(old).decode("ascii")})
    body = {"helpglot_journal": 1, "command": command, "files": entries}
    atomic_write_text(journal, json.dumps(body, indent=1) + "\n")


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def replay_journal(journal: Path, root: Path) -> list[str]:
    """Complete, or roll back, the multi-file write a killed run left in ``journal``; lines to show.

    Completed when every target is still as the journal left it (old or already new) and every
    missing one has its staged temp file intact; otherwise each target already replaced gets its
    old content back and a file a person changed since is left alone (and named). The journal is
    checked first: every path must be a file below ``root`` and its temp file helpglot's own, so a
    journal planted in a checkout cannot make helpglot write anywhere else."""
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise JournalError(f"{journal}: cannot be read ({exc}); it records a multi-file write a killed helpglot "
                           "left; check the files it names with `git status`, then delete it") from None
    base = Path(os.path.abspath(root))
    plan: list[tuple[Path, Path, dict]] = []
    try:
        for entry in data["files"]:
            rel, tmp = str(entry["path"]), str(entry["tmp"])
            target = Path(os.path.abspath(base / rel))
            if os.path.isabs(rel) or ".." in Path(rel).parts or base not in target.parents:
                raise ValueError(f"path {rel!r} is outside the project")
            if not (STALE_TEMP.match(tmp) and tmp.startswith(f".{target.name}.")):
                raise ValueError(f"temp file {tmp!r} is not helpglot's")
            plan.append((target, target.parent / tmp, entry))
        command = str(data.get("command") or "a helpglot command")
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise JournalError(f"{journal}: not a journal helpglot wrote ({exc}); nothing was changed. Delete it "
                           "after checking the files with `git status`") from None

    def state(target: Path, tmp: Path, entry: dict) -> str:
        now = _digest(_read(target))
        if now == entry["after"]:
            return "done"
        if now == entry["before"]:
            return "pending" if _digest(_read(tmp)) == entry["after"] else "lost"  # lost: its temp file is gone
        return "changed"

    states = [state(target, tmp, entry) for target, tmp, entry in plan]
    lines: list[str] = []
    if "changed" not in states and "lost" not in states:
        for (target, tmp, _entry), st in zip(plan, states, strict=True):
            if st == "pending":
                os.replace(tmp, target)
        lines.append(f"completed an interrupted write of {len(plan)} files ({command}): "
                     f"{states.count('pending')} were still to write")
    else:
        for (target, _tmp, entry), st in zip(plan, states, strict=True):
            if st == "done":
                if entry["old"] is None:
                    _unlink(str(target))
                else:
                    atomic_write_bytes(target, base64.b64decode(entry["old"]))
            elif st == "changed":
                lines.append(f"{Path(entry['path']).as_posix()}: changed since the write was interrupted; "
                             "left as it is")
        lines.insert(0, f"rolled back an interrupted write of {len(plan)} files ({command}): "
                        f"{states.count('done')} had been written")
    for _target, tmp, _entry in plan:
        _unlink(str(tmp))
    _unlink(str(journal))
    return lines
