"""Where ``helpglot build`` keeps what an incremental build needs between runs.

One JSON state per output folder and language, under ``.helpglot/build/<folder id>/``
(the folder id is a hash of the output folder's absolute path, so building into another
folder never reuses pages it does not hold). A worker writes ``<lang>.json.new``; it becomes
``<lang>.json`` only once the site it describes is in place (:func:`commit`), so a failed or
killed build leaves the previous state, which then no longer matches the files on disk
(their inode, size and time are in it) and nothing wrong is reused.

Two builds into the same folder at once (a writer's ``helpglot serve`` and a ``helpglot build``
in another terminal, two CI steps) would both start from one state, write the same
``<lang>.json.new`` and swap in their sites in either order, leaving a state that describes the
other build's pages. :func:`exclusive` makes the second wait for the first: an OS lock
(``flock``, released by the kernel when its holder dies, so a killed build never leaves it held).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from helpglot.fsutil import Lock
from helpglot.settings import Settings
from helpglot.site import inplace
from helpglot.site.parallel import Reuse


def state_dir(settings: Settings, output: Path) -> Path:
    ident = hashlib.sha256(str(output.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return (settings.cache_dir or settings.root / ".helpglot") / "build" / ident


@contextmanager
def exclusive(settings: Settings, output: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of the builds into ``output`` (the site, or the folder of ``--lang``'s parts)
    for the whole build: planning, building, swapping the site in and committing the state.
    ``waiting`` is called with the holder's process id if another build holds it."""
    with Lock(state_dir(settings, output) / "build.lock", on_wait=waiting):
        yield


def plan(settings: Settings, output: Path, lang: str, full: bool) -> Reuse:
    """``output`` is the folder the previous build wrote (the site, or ``--lang``'s part);
    with ``full`` nothing of it is reused, but the new state is recorded for the next build."""
    folder = state_dir(settings, output)
    state = folder / f"{lang}.json"
    exists = output.is_dir()
    return Reuse(state=folder / f"{lang}.none.json" if full else state, site=output if exists else None,
                 new_state=folder / f"{lang}.json.new", full=full, in_place=exists and not full)


def commit(reuse: Reuse) -> None:
    """The site is in place: its state becomes the one the next build starts from."""
    final = reuse.new_state.with_name(reuse.new_state.name[: -len(".new")])
    key, new_key = final.with_suffix(".lang"), final.with_suffix(".lang.new")
    if reuse.new_state.exists():
        os.replace(reuse.new_state, final)
        if new_key.exists():
            os.replace(new_key, key)
        else:
            _unlink(key)
    else:
        _unlink(final)
        _unlink(key)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def discard(reuses: Iterable[Reuse]) -> None:
    for reuse in reuses:
        inplace.drop_outputs(reuse.new_state)
        _unlink(reuse.new_state.with_name(reuse.new_state.name.removesuffix(".json.new") + ".lang.new"))
        try:
            reuse.new_state.unlink()
        except OSError:
            pass
