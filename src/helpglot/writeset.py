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
