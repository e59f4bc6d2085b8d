"""``helpglot serve``: a writer's or translator's preview that rebuilds only what changed.

Each rebuild is ``helpglot build --lang ...`` (incremental, :mod:`helpglot.site.incremental`)
of the languages being previewed into ``.helpglot/serve/parts/``; the server shows the
source language's part at the root and each other language's part under ``/<lang>/`` (a
folder of links, ``view/``, refreshed after every build). MkDocs' own live-reload server
watches the sources and reloads the browser when a build is done.

A page is never older than the files on disk: before answering for a page, the server compares
the sources' names, sizes and times with those the last build started from; if any changed
(saved a moment ago, before the file watcher noticed), it asks for a build and answers when
that build is done.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import watchdog.events
import watchdog.observers
from mkdocs.livereload import LiveReloadServer

from helpglot.fsutil import walk_stats
from helpglot.settings import Settings

log = logging.getLogger("mkdocs.helpglot.serve")

FRESH_TIMEOUT = 300.0  # a broken build must not hang a page forever: after this, the last good site


def _poll_interval() -> float:
    """Seconds between the polling watcher's walks (``HELPGLOT_SERVE_POLL``; MkDocs' 0.5 otherwise)."""
    value = os.environ.get("HELPGLOT_SERVE_POLL", "")
    try:
        return max(0.1, float(value)) if value else 0.5
    except ValueError:
        log.warning(f"HELPGLOT_SERVE_POLL={value!r}: not a number of seconds; polling every 0.5 s")
        return 0.5


def signature(paths: Iterable[Path]) -> str:
    """Names, sizes and modification times of every file under ``paths``."""
    h = hashlib.sha256()
    for root in paths:
        if root.is_file():
            st = root.stat()
            h.update(f"{root}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
            continue
        for path, st in walk_stats(root):
            if st is not None:
                h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def changed_languages(settings: Settings) -> list[str]:
    """Target languages with uncommitted changes under ``translations/<lang>/`` (git's view)."""
    try:
        proc = subprocess.run(["git", "status", "--porcelain", "-z", "--untracked-files=all", "--",
                               str(settings.translations_dir)],
                              cwd=settings.root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return []
    found = set()
    for entry in proc.stdout.split("\0"):
        path = (settings.root / entry[3:]).resolve() if len(entry) > 3 else None
        if path is None:
            continue
        try:
            lang = path.relative_to(settings.translations_dir.resolve()).parts[0]
        except (ValueError, IndexError):
            continue
        found.add(lang)
    return [code for code in settings.targets if code in found]


class Preview:
    """The languages previewed, the build that makes their parts, and the served view of them."""

    def __init__(self, settings: Settings, config_file: str, langs: list[str], folder: Path, jobs: int,
                 follow_changes: bool) -> None:
        self.settings, self.folder, self.jobs = settings, folder, jobs
        self.config_file = str(Path(config_file).resolve())
        self.server: subprocess.Popen | None = None
        self.langs = [settings.source_lang] + [c for c in settings.targets if c in langs]
        self.follow = follow_changes
        self.parts, self.view = folder / "parts", folder / "view"
        self.watched = [Path(config_file).resolve(), settings.docs_dir, settings.translations_dir,
                        settings.glossary_dir]
        self.lang_signatures = {code: self._lang_signature(code) for code in settings.targets}
        self.built_signature: str | None = None
        self.lock = threading.Lock()

    def _lang_signature(self, code: str) -> str:
        folder = self.settings.translations_dir / code
        return signature([folder]) if folder.is_dir() else ""

    def sources_signature(self) -> str:
        return signature([p for p in self.watched if p.exists()])

    def build(self) -> bool:
        """One incremental build of the previewed languages; True when it succeeded (or when no
        file changed since the last one: both watchers report a save, the second finds it built)."""
        with self.lock:
            started = self.sources_signature()
            if started == self.built_signature:
                return True
            if self.follow:  # a translator saved a file in a language not previewed yet: add it
                for code in self.settings.targets:
                    now = self._lang_signature(code)
                    if now != self.lang_signatures[code] and code not in self.langs:
                        self.langs.append(code)
                        log.info(f"Previewing '{code}' too: its translations changed")
                    self.lang_signatures[code] = now
            args = ["build", "-f", self.config_file, "--site-dir", str(self.parts), "--jobs", str(self.jobs)]
            for code in self.langs:
                args += ["--lang", code]
            returncode, output = self._run(args)
            for line in output.splitlines():
                if " WARNING " in line or "Error" in line or "FAILED" in line:
                    log.warning(line)
            if returncode != 0:
                log.error(f"The build failed (exit {returncode}); the preview shows the last good build")
                return False
            self._refresh_view()
            self.built_signature = started
            return True

    def _run(self, args: list[str]) -> tuple[int, str]:
        """``helpglot build ARGS`` in the warm build process (:mod:`helpglot.cli.buildserver`)."""
        if self.server is None or self.server.poll() is not None:
            self.server = subprocess.Popen([sys.executable, "-c", "from helpglot.cli.buildserver import main; main()"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.server.stdin.write(json.dumps(args) + "\n")
            self.server.stdin.flush()
            answer = json.loads(self.server.stdout.readline())
        except (OSError, ValueError):  # it died: one cold run, and a new one next time
            proc = subprocess.run([sys.executable, "-c", "from helpglot.cli import main; main()", *args],
                                  capture_output=True, text=True)
            return proc.returncode, proc.stderr + proc.stdout
        return int(answer["code"]), str(answer["output"])

    def close(self) -> None:
        if self.server is not None and self.server.poll() is None:
            self.server.stdin.close()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()

    def _refresh_view(self) -> None:
        """``view/``: the source part's entries, and ``<lang>/`` from each other part, as links."""
        new = self.folder / "view.new"
        shutil.rmtree(new, ignore_errors=True)
        new.mkdir(parents=True)
        source = self.parts / self.settings.source_lang
        for entry in sorted(source.iterdir()):
            if not entry.name.startswith(".helpglot"):
                (new / entry.name).symlink_to(entry.resolve())
        for code in self.langs[1:]:
            if (self.parts / code / code).is_dir():
                (new / code).symlink_to((self.parts / code / code).resolve())
        old = self.folder / "view.old"
        shutil.rmtree(old, ignore_errors=True)
        if self.view.exists():
            os.replace(self.view, old)
        os.replace(new, self.view)
        shutil.rmtree(old, ignore_errors=True)


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server that answers for a page only from a build as new as the files.

    MkDocs notices a save by polling every file twice a second (a quarter of a second late on
    average, plus the walk over thousands of files); the preview also listens to the operating
    system's change events (inotify on Linux, FSEvents on macOS, through watchdog), which arrive
    at once. Polling stays as the backstop for file systems that send no events (network shares,
    some container mounts); ``HELPGLOT_SERVE_POLL`` sets its interval in seconds."""

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        self.preview = preview
        super().__init__(builder=self._rebuild, host=host, port=port, root=str(preview.view),
                         polling_interval=_poll_interval())
        self._visible_signature: str | None = preview.built_signature
        self.error_handler = self._not_found
        self._events = watchdog.observers.Observer()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        super().watch(path, func, recursive=recursive)
        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = self._saw  # type: ignore[method-assign]
        try:
            self._events.schedule(handler, os.path.abspath(path), recursive=recursive)
        except OSError as exc:  # (out of inotify watches, say): the polling alone, as in mkdocs serve
            log.info(f"Watching '{path}' by polling only ({exc})")

    def _saw(self, event: watchdog.events.FileSystemEvent) -> None:
        if event.is_directory:
            return
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def serve(self, *, open_in_browser: bool = False) -> None:
        self._events.start()
        super().serve(open_in_browser=open_in_browser)

    def shutdown(self, wait: bool = False) -> None:
        if self._events.is_alive():
            self._events.stop()
        super().shutdown(wait)

    def _not_found(self, code: int) -> bytes | None:
        if code != 404:
            return None
        codes = ", ".join(c for c in self.preview.settings.targets if c not in self.preview.langs)
        hint = (f" Languages not previewed: {codes} (add one with --lang, or save one of its translations)."
                if codes else "")
        return f"<!doctype html><title>Not found</title><p>Not found in this preview.{hint}</p>".encode()

    def _rebuild(self) -> None:
        before = self.preview.built_signature
        if not self.preview.build():
            raise RuntimeError("build failed")
        with self._epoch_cond:
            if self.preview.built_signature == before == self._visible_signature:
                # nothing was built (the other watcher's report of a save already built): the
                # browsers keep the page they have, rather than load it a second time
                self._wanted_epoch = self._visible_epoch
            self._visible_signature = self.preview.built_signature
            self._epoch_cond.notify_all()

    def _ensure_fresh(self) -> None:
        """If a source changed since the site being shown was built, wait for a build that saw it."""
        now = self.preview.sources_signature()
        if now == self._visible_signature:
            return
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()
        deadline = time.monotonic() + FRESH_TIMEOUT
        while time.monotonic() < deadline:
            with self._epoch_cond:
                if self._epoch_cond.wait_for(lambda want=now: self._visible_signature == want, timeout=0.5):
                    return
            current = self.preview.sources_signature()
            if current != now:  # saved again meanwhile: wait for a build that saw that
                now = current
                with self._rebuild_cond:
                    self._want_rebuild = True
                    self._rebuild_cond.notify_all()

    def _serve_request(self, environ, start_response):  # noqa: ANN001 - WSGI
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/livereload/") and (path.endswith("/") or path.endswith(".html")):
            self._ensure_fresh()
        return super()._serve_request(environ, start_response)
