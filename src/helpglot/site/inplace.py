"""An incremental build updates the previous site in place: only changed files are written.

Assembling every build's parts into a new site folder and deleting the old one is a pass over
every file of the site (at 1,000 articles x 6 languages, 12,000 files unlinked and 3,000
folders removed: more CPU than rendering the edited pages). An incremental build's workers
instead write only what they render (and the files every build writes afresh: theme assets,
search index shards and fragments, sitemaps, 404s) into their parts, and name the pages they
kept (:data:`KEPT`); :func:`update` then brings the site to exactly that set of files:

* a rendered page is renamed over the old one (its inode, size and time are the ones the new
  state records, so the next build can tell it is the file it describes);
* any other file of the part replaces the site's only if its bytes differ (a search shard or
  an asset that did not change is not rewritten);
* the pages kept are left where they are: the worker checked that each is still the file the
  previous build wrote (same inode, size and time); so are the search shards and fragments the
  worker found with the same bytes in the site (:class:`Unchanged`);
* every other file of the site is deleted, and the folders left empty.

Why a kill at any point is safe: every file is replaced by one ``rename`` (never half written),
nothing is deleted before every new file is in place, and the new state is committed only after
:func:`update` returns. A killed update leaves a mix of old and new files and the previous state;
the next build reuses a page only if its file still has the inode, size and time that state
records (a replaced one has not), writes every other file again and deletes what it did not
write, so it ends with exactly the files a full build writes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

#: the worker's list of outputs, next to its new state: {"kept": [rel...], "pages": [rel...]}
KEPT = ".outputs.new"


def outputs_file(new_state: Path) -> Path:
    return new_state.with_name(new_state.name.removesuffix(".json.new") + KEPT)


def write_outputs(new_state: Path, kept: Iterable[str], pages: Iterable[str]) -> None:
    path = outputs_file(new_state)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"kept": sorted(kept), "pages": sorted(pages)}), encoding="utf-8")


def read_outputs(new_state: Path) -> tuple[set[str], set[str]] | None:
    """(pages kept in place, pages rendered), or None when the worker wrote no list (the build
    could not be incremental): then the part holds every file and nothing is kept."""
    try:
        data = json.loads(outputs_file(new_state).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return set(data.get("kept", ())), set(data.get("pages", ()))


def drop_outputs(new_state: Path) -> None:
    try:
        outputs_file(new_state).unlink()
    except OSError:
        pass


class Unchanged:
    """The search shards and fragments a build would write with the bytes the site being updated
    in place already has: not written into the part but named as kept (:func:`add_kept`), as a
    kept page is. A save changes one page's words; the other thousand fragments of its language
    were written to the part, read back and compared with the site's, and deleted, at every build.
    The comparison is of the whole bytes, made by the worker while the site is locked for it."""

    def __init__(self, part: Path, previous: Path) -> None:
        self.part, self.previous = part, previous
        self.kept: list[str] = []

    def __call__(self, target: Path, data: bytes) -> bool:
        rel = target.relative_to(self.part).as_posix()
        old = self.previous / rel
        try:
            if os.path.islink(old):
                return False
            with open(old, "rb") as handle:
                same = os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data
        except OSError:
            return False
        if same:
            self.kept.append(rel)
        return same


def add_kept(new_state: Path, kept: Iterable[str]) -> None:
    """Name more files as kept in the worker's list of outputs (:func:`write_outputs`)."""
    found = read_outputs(new_state)
    if found is None:
        return
    write_outputs(new_state, found[0] | set(kept), found[1])


@dataclass(frozen=True)
class Updated:
    written: int
    unchanged: int
    kept: int
    deleted: int


def _same_bytes(a: str, b: str, size: int) -> bool:
    try:
        if os.stat(b).st_size != size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            return fa.read() == fb.read()
    except OSError:
        return False


def _clear_way(site: Path, rel: str) -> None:
    """Make room for a file at ``rel``: a folder of that name, or a file where a parent folder goes."""
    target = site / rel
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    parent = target.parent
    for folder in [parent, *parent.parents]:
        if folder == site or site not in folder.parents:
            break
        if folder.is_file() or folder.is_symlink():
            folder.unlink()
    parent.mkdir(parents=True, exist_ok=True)


def _listing(root: Path, skip: frozenset[str] = frozenset()) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(root):
        rel_folder = os.path.relpath(folder, root)
        prefix = "" if rel_folder == "." else rel_folder.replace(os.sep, "/") + "/"
        for name in names:
            rel = prefix + name
            if rel not in skip:
                found.append(rel)
        for name in list(dirs):
            if os.path.islink(os.path.join(folder, name)):
                found.append(prefix + name)  # a link to a folder is a file of the site here
                dirs.remove(name)
    return found


def update(site: Path, parts: list[Path], kept: set[str], pages: set[str],
           skip: frozenset[str] = frozenset(), keep: Callable[[str], bool] | None = None) -> Updated:
    """Make ``site`` hold exactly the files of ``parts`` (relative paths; ``skip`` excepted) plus the
    ``kept`` ones already in it, and the ones ``keep`` says (a language not built this time).
    ``pages``: files renamed in even when their bytes are unchanged."""
    written = unchanged = 0
    wanted = set(kept)
    for part in parts:
        for rel in _listing(part, skip):
            wanted.add(rel)
            source, target = os.path.join(part, rel), site / rel
            if rel not in pages and not os.path.islink(source):
                size = os.lstat(source).st_size
                if not target.is_symlink() and _same_bytes(source, str(target), size):
                    unchanged += 1
                    continue
            try:
                os.replace(source, target)
            except OSError:
                _clear_way(site, rel)
                os.replace(source, target)
            written += 1
    deleted = 0
    emptied: set[Path] = set()
    for rel in _listing(site):
        if rel not in wanted and not (keep is not None and keep(rel)):
            path = site / rel
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            emptied.add(path.parent)
            deleted += 1
    while emptied:  # the folders the deletions left empty, deepest first
        folder = max(emptied, key=lambda f: len(f.parts))
        emptied.discard(folder)
        if folder != site and site in folder.parents and not any(folder.iterdir()):
            folder.rmdir()
            emptied.add(folder.parent)
    return Updated(written, unchanged, len(kept), deleted)
