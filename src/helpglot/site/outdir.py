"""The output folder of ``helpglot build`` and ``helpglot merge``: refused when it is not a site,
replaced in one step when it is.

Why a module of its own: both commands empty their output folder, so ``--site-dir docs`` (or
``translations``, ``glossary``, the project root, any folder above a source) deleted the sources,
uncommitted edits included, and exited 0. And a build that deleted ``site/`` first and then moved
the new files in left it partial or absent when killed in between, which a publishing job then
uploads. Here:

* :func:`check` refuses, with one line and before anything is touched, an output folder that is,
  contains or lies inside a source folder, and an existing folder that does not look like a built
  site (no ``index.html``/``404.html``/``sitemap.xml``, or holding ``mkdocs.yml``, ``.git`` or
  Markdown), so nobody's ``src/`` is replaced either;
* the new site is written into a sibling, :func:`staging` (``.NAME.helpglot-new``), and
  :func:`swap_in` exchanges it with the old one in one ``renameat2(RENAME_EXCHANGE)`` (Linux); where
  the kernel or file system cannot, two renames with a leftover :func:`recover` puts right;
* :func:`recover`, at the start of the next run, finishes or undoes a swap a kill interrupted and
  removes the leftovers (their names are in ``.gitignore``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from helpglot.errors import HelpglotError

_BUILT = ("index.html", "404.html", "sitemap.xml", ".helpglot-part.json")
_NEVER = ("mkdocs.yml", "mkdocs.yaml", ".git", "pyproject.toml")
RENAME_EXCHANGE = 2
AT_FDCWD = -100


class OutputError(HelpglotError):
    """An output folder that must not be emptied."""


def staging(site: Path) -> Path:
    return site.parent / f".{site.name}.helpglot-new"


def _previous(site: Path) -> Path:
    return site.parent / f".{site.name}.helpglot-old"


def _within(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def check(site: Path, sources: Iterable[tuple[str, Path]], option: str = "--site-dir", *,
          containers: Iterable[tuple[str, Path]] = (), contents: bool | None = True) -> Path:
    """The absolute output folder, or :class:`OutputError` if emptying it could destroy anything else.

    ``sources``: (what it is, folder) pairs the output must neither be, hold nor lie inside;
    ``containers``: the same, except that the output may lie inside (the project folder);
    ``contents``: also refuse an existing folder that does not look like a built site; with
    ``contents=False`` (the folder of ``--lang`` parts) one holding anything but parts; ``None``: a folder
    of helpglot's own (``site.helpglot-parts``), whatever it holds."""
    out = Path(os.path.abspath(site))
    real = Path(os.path.realpath(site))
    for inside_ok, (what, folder) in [(False, s) for s in sources] + [(True, c) for c in containers]:
        folder_abs = Path(os.path.abspath(folder))
        folder_real = Path(os.path.realpath(folder))
        for a, b in ((out, folder_abs), (real, folder_real)):
            if _within(b, a) or (_within(a, b) and not inside_ok):
                if a == b or _within(b, a):
                    why = f"{'is' if a == b else 'holds'} {what} ({folder}); the build empties its output folder, "
                    why += "so it would delete them"
                else:
                    why = f"is inside {what} ({folder}); the build would write its pages among them"
                raise OutputError(f"{option} {site}: that folder {why}. Nothing was changed: choose a folder of its "
                                  "own, e.g. site/")
    if contents is False and out.is_dir():
        alien = sorted(e.name for e in out.iterdir() if e.name != ".building" and not (e / _BUILT[-1]).is_file())
        if alien:
            raise OutputError(f"{option} {site}: holds {alien[0]}, which is no language part of `helpglot build "
                              "--lang`. Nothing was changed: give the parts a folder of their own, e.g. site-parts/")
    if contents and (out.exists() or out.is_symlink()):
        if not out.is_dir():
            raise OutputError(f"{option} {site}: is a file, not a folder; nothing was changed. Choose a folder, "
                              "e.g. site/")
        names = set(os.listdir(out))
        kept = sorted(names & set(_NEVER)) or sorted(n for n in names if n.endswith((".md", ".markdown")))[:1]
        if kept or (names and not names & set(_BUILT)):
            why = f"it holds {kept[0]}" if kept else "it holds no index.html, 404.html or sitemap.xml"
            raise OutputError(f"{option} {site}: not a built site ({why}), and the build would replace all of "
                              "it. Nothing was changed: choose a new or empty folder, or remove this one yourself")
    return out


def recover(site: Path) -> list[Path]:
    """Finish or undo a swap a kill interrupted, and remove a killed run's staging folder."""
    done: list[Path] = []
    old = _previous(site)
    if old.is_dir() and not site.exists():
        os.replace(old, site)  # killed between the two renames: the old site comes back
        done.append(site)
    for leftover in (old, staging(site)):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(leftover)
    return done


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the system cannot."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def swap_in(new: Path, site: Path) -> None:
    """Make ``new`` the site: readers (and a kill) see the old site or the new one, never a mix."""
    if not site.exists() and not site.is_symlink():
        os.replace(new, site)
        return
    if _exchange(new, site):
        if new.is_symlink():  # the old "site" was a link: the link moved here
            new.unlink()
        else:
            shutil.rmtree(new, ignore_errors=True)  # it holds the old site now
        return
    old = _previous(site)
    os.replace(site, old)
    os.replace(new, site)  # a kill before this line: recover() puts the old site back
    shutil.rmtree(old, ignore_errors=True)
