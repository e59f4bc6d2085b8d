"""Long-lived language workers: one process per language that stays alive between builds.

``helpglot build`` forks one worker per language and each starts from nothing: it loads
``mkdocs.yml``, reads the search memos from disk, aligns and counts the lexicon, lists the theme,
and throws it all away when it exits. ``helpglot serve`` rebuilds the same few languages on every
save, so its warm process (:mod:`helpglot.cli.buildserver`) keeps one worker per previewed
language alive instead (:func:`start`); each build it forks (the ``helpglot build`` command)
hands that language's build to the worker over a pipe (:func:`submit`) rather than forking a
new one, with everything the forked worker would have inherited: the site's freshness state,
the file facts, the environment and the working folder. The worker runs the same
:func:`helpglot.site.parallel.build_one`, in its own process, and so keeps in memory what
earlier builds computed and the next may use:

* the search memos (:mod:`helpglot.site.searchmemo`), re-read only for the memo files whose
  stat changed, and the lexicon's counts (:mod:`helpglot.site.lexicon`), kept by the digest of
  every (English, translation) pair they came from, updated by the pairs that changed;
* whatever the package caches by content or by file stat (parsed sources, stems, alignments,
  reader strings, compiled templates).

Why that is safe: every value kept is keyed by everything it was computed from (a digest of the
texts, or a file's size, time and inode), so it is what computing it again would give; the
MkDocs objects (config, files, navigation, pages) are made afresh by each build, and so is each
page's input and render key (:mod:`helpglot.site.incremental`), which decide what is rendered.
What a worker cannot vouch for makes it decline the build, which then runs the usual way (a
forked worker) with a ``-v`` line saying why, and the worker is replaced: the helpglot package
or an installed package changed (the worker runs the code it imported), ``mkdocs.yml`` (or
what it inherits) changed, or a plugin or Markdown extension helpglot cannot track. A worker
whose build failed exits after answering; the next build starts a new one.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection, Pipe
from pathlib import Path
from typing import Any

from helpglot.site import buildkey, handover

log = logging.getLogger("helpglot.build")


@dataclass(frozen=True)
class Request:
    """One language's build, with what a worker forked for it would have inherited."""

    config_file: str
    lang: str
    part_dir: str
    strict: bool
    verbose: bool
    reuse: Any  # parallel.Reuse | None
    prepared: Any  # (settings, site state, file facts) computed by the build before its workers, or a
    # handover.Delta of the state the warm process sent the worker (:mod:`helpglot.site.handover`)
    environ: dict[str, str]
    cwd: str


@dataclass(frozen=True)
class Answer:
    ok: bool
    output: str  # the worker's messages, shown by the build that asked
    declined: str | None = None  # why the worker did not build (the build forks one instead)


@dataclass
class _Handle:
    pid: int
    conn: Connection


#: the workers of this process (the warm build process); the builds it forks inherit them
_WORKERS: dict[str, _Handle] = {}


def process_key() -> str:
    """The code a worker runs: every file of the helpglot package and the installed versions."""
    return buildkey.digest(buildkey.files_hash([buildkey._HELPGLOT_PACKAGE]), buildkey._versions())


def config_key(config_file: str) -> str:
    """``mkdocs.yml`` and what it inherits."""
    path = Path(config_file)
    sources = [path]
    try:
        import re

        text = path.read_text(encoding="utf-8", errors="replace")
        sources += [path.parent / p.strip("'\"") for p in re.findall(r"^INHERIT:\s*(\S+)", text, re.M)]
    except OSError:
        pass
    return buildkey.files_hash(sources)


def start(langs: list[str], build: Callable[..., bool]) -> None:
    """In the warm process: make sure each language has a live worker (forked from here, so it
    starts with everything imported); ``build`` (:func:`helpglot.site.parallel.run_logged`) builds
    one language with the arguments of a :class:`Request`, messages on stderr, True if it succeeded."""
    for lang in langs:
        handle = _WORKERS.get(lang)
        if handle is not None and _alive(handle):
            continue
        _WORKERS.pop(lang, None)
        ours, theirs = Pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            ours.close()
            for other in _WORKERS.values():
                other.conn.close()
            _WORKERS.clear()
            null = os.open(os.devnull, os.O_RDWR)  # the warm process's protocol is not the worker's
            os.dup2(null, 0)
            os.dup2(2, 1)
            os.close(null)
            code = 0
            try:
                _serve(theirs, lang, build)
            except BaseException:  # noqa: BLE001 - a worker never returns into the warm process
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        _WORKERS[lang] = _Handle(pid, ours)
        handover.forget(lang)


def prime(state: tuple) -> None:
    """In the warm process, between builds: send every worker the state the next build patches."""
    version = handover.new_version()
    for lang, handle in list(_WORKERS.items()):
        handover.prime(handle.conn, lang, state, version)


def _alive(handle: _Handle) -> bool:
    try:
        pid, _status = os.waitpid(handle.pid, os.WNOHANG)
    except ChildProcessError:
        return False
    if pid == 0:
        return True
    handle.conn.close()
    return False


def stop() -> None:
    for handle in _WORKERS.values():
        handle.conn.close()
        try:
            os.waitpid(handle.pid, 0)
        except ChildProcessError:
            pass
    _WORKERS.clear()


def running() -> bool:
    return bool(_WORKERS)


def forget(lang: str) -> None:
    """A worker that declined (it is on its way out): the warm process starts a new one next time."""
    handle = _WORKERS.pop(lang, None)
    handover.forget(lang)
    if handle is not None:
        handle.conn.close()


def connection(lang: str) -> Connection | None:
    """The pipe to ``lang``'s worker, in a build forked by the warm process (None: there is none)."""
    handle = _WORKERS.get(lang)
    return handle.conn if handle is not None else None


def why_not(config: Any) -> str | None:
    """A build whose config has inputs helpglot cannot track is not handed to a worker."""
    return buildkey.untracked(config) if config is not None else "the configuration could not be read"


def submit(conn: Connection, request: Request) -> None:
    conn.send(request)


def receive(conn: Connection) -> Answer:
    try:
        return conn.recv()
    except (EOFError, OSError):
        return Answer(False, "", declined="the worker stopped")


# -- in the worker ---------------------------------------------------------------------------

def _serve(conn: Connection, lang: str, build: Callable[..., bool]) -> None:
    from helpglot.site import searchmemo, warm

    searchmemo.keep_between_builds()
    warm.i18n_files()
    code, config, builds = process_key(), None, 0
    primed: handover.Prime | None = None
    while True:
        try:
            request: Request = conn.recv()
        except (EOFError, OSError):
            return
        if isinstance(request, handover.Prime):
            primed = request
            continue
        reason = None
        if process_key() != code:
            reason = "the helpglot package or an installed package changed since it started"
        elif config is not None and config != (request.config_file, config_key(request.config_file)):
            reason = f"{request.config_file} changed since it started"
        if reason is not None:
            conn.send(Answer(False, "", declined=f"the '{lang}' worker was replaced: {reason}"))
            return  # the warm process starts a new one for the next build
        config = (request.config_file, config_key(request.config_file))
        builds += 1
        answer = _build(request, builds, build, primed)
        conn.send(answer)
        if not answer.ok:
            return  # a failed build leaves nothing behind: the next one starts a new worker
        settle()


def settle() -> None:
    """Collect this build's garbage now, while the writer reads the page, and freeze what is left
    (:func:`gc.freeze`): a process that keeps what it built holds millions of objects, and a full
    collection starting in the middle of the next build (Python starts one when enough objects
    have survived since the last) scanned them all, a tenth or two of a second, every other save."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _build(request: Request, number: int, build: Callable[..., bool], primed: handover.Prime | None = None) -> Answer:
    from helpglot.site import crosslang

    prepared = handover.resolve(request.prepared, primed)
    if prepared is None and request.prepared is not None:
        return Answer(False, "", declined="it does not hold the state the build's changes were made against")
    os.chdir(request.cwd)
    os.environ.clear()
    os.environ.update(request.environ)
    if prepared is not None:
        crosslang.adopt(*prepared)
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(out.fileno(), 2)
        try:
            ok = build(request.config_file, request.lang, request.part_dir, request.strict, request.verbose,
                       request.reuse)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        out.seek(0)
        said = out.read()
    if request.verbose:
        handed = (f", the site's state handed over as {len(request.prepared)} changes"
                  if isinstance(request.prepared, handover.Delta) else "")
        said += (f"[{request.lang}] INFO - helpglot build: built by the long-lived worker {os.getpid()} "
                 f"(its build {number}{handed})\n")
    return Answer(ok, said)
