"""Writing the files a command planned as one change (``adopt``, ``ack``, ``approve``).

Those commands promise "nothing is written if any file is refused": they plan
every file first, and :func:`write_planned` then writes them through
:func:`helpglot.fsutil.write_set`, which prepares every write before replacing
any file and rolls back if a replace still fails. A file's UTF-8 BOM is kept
(the segmenter drops it when reading), and a file that changed on disk since it
was planned is not overwritten.

A kill runs no rollback: ``approve`` of 45 files killed after 22 replaces left 22
approved. So the set goes through a journal (:data:`JOURNAL` under the project
root, gitignored with ``.helpglot/``), written before the first file is replaced
and removed after the last; :func:`replay` (called by :func:`write_planned`
before its own write, and by the commands at their start) completes an
interrupted set or rolls it back.
"""

from __future__ import annotations

from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.fsutil import JournalError, WriteRefused, replay_journal, write_set

BOM = b"\xef\xbb\xbf"
JOURNAL = Path(".helpglot") / "journal.json"


def replay(root: Path | None = None) -> list[str]:
    """Complete or roll back the multi-file write a killed run left under ``root``; lines to show."""
    base = root or Path.cwd()
    try:
        return replay_journal(base / JOURNAL, base)
    except JournalError as exc:
        raise HelpglotError(str(exc)) from None
    except OSError as exc:
        raise HelpglotError(f"{base / JOURNAL}: an interrupted write could not be completed ({exc.strerror}: "
                            f"{exc.filename}); fix that and run the command again") from None


def write_planned(planned: list, root: Path | None = None, command: str = "a multi-file write") -> list[str]:
    """Write every ``planned`` item (``.path``, ``.text``) or none; a clear error names the file.

    Returns what replaying an earlier, interrupted write did (usually nothing)."""
    base = root or Path.cwd()
    replayed = replay(base)
    files: dict[Path, bytes] = {}
    expected: dict[Path, bytes | None] = {}
    for item in planned:
        path = Path(item.path)
        try:
            old = path.read_bytes()
        except FileNotFoundError:
            old = None
        except OSError as exc:
            raise HelpglotError(f"{path}: cannot be read ({exc.strerror}); nothing was changed") from None
        bom = BOM if old is not None and old.startswith(BOM) else b""
        files[path] = bom + item.text.encode("utf-8")
        original = getattr(item, "original", None)  # the text the plan was made from, when known
        if original is not None and old is not None:
            expected[path] = (bom + original.encode("utf-8"))
    try:
        write_set(files, expected, base, journal=base / JOURNAL if len(files) > 1 else None, command=command)
    except WriteRefused as exc:
        raise HelpglotError(str(exc)) from None
    return replayed


def write_translation(path: Path, text: str, original: str | None, shown: str) -> str | None:
    """Write a translation ``translate`` drafted, unless it changed since it was read.

    ``original`` is the text the draft was made from (None: the file did not exist). A file a
    person edited meanwhile is left alone and the reason returned; a UTF-8 BOM is kept."""
    try:
        current = path.read_bytes()
    except FileNotFoundError:
        current = None
    except OSError as exc:
        return f"{shown}: not written: cannot be read ({exc.strerror})"
    now = None if current is None else current.decode("utf-8", "replace").removeprefix("\ufeff")
    if now != original:
        return (f"{shown}: not written: the file changed while helpglot was translating it; rerun "
                "`helpglot translate` (the drafts are cached, nothing is paid twice)")
    bom = BOM if current is not None and current.startswith(BOM) else b""
    try:
        write_set({path: bom + text.encode("utf-8")}, None, path.parent)
    except WriteRefused as exc:
        return f"{shown}: not written: {str(exc).split(': ', 1)[-1]}"
    return None


def count(result: object, batch: list) -> None:
    """Add one engine request for ``batch`` to a sync report (requests, blocks, billable chars)."""
    result.requests += 1  # type: ignore[attr-defined]
    result.blocks_sent += len(batch)  # type: ignore[attr-defined]
    result.chars_sent += sum(t.protected.billable() for t in batch)  # type: ignore[attr-defined]
