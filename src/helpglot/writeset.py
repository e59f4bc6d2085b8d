"""Writing the files a command planned as one change (``adopt``, ``ack``, ``approve``).

Those commands promise "nothing is written if any file is refused": they plan
every file first, and :func:`write_planned` then writes them through
:func:`helpglot.fsutil.write_set`, which prepares every write before replacing
any file and rolls back if a replace still fails. A file's UTF-8 BOM is kept
(the segmenter drops it when reading), and a file that changed on disk since it
was planned is not overwritten.
"""

from __future__ import annotations

from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.fsutil import WriteRefused, write_set

BOM = b"\xef\xbb\xbf"


def write_planned(planned: list, root: Path | None = None) -> None:
    """Write every ``planned`` item (``.path``, ``.text``) or none; a clear error names the file."""
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
        write_set(files, expected, root or Path.cwd())
    except WriteRefused as exc:
        raise HelpglotError(str(exc)) from None


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
