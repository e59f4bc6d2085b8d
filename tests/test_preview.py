"""`helpglot serve`: a real server, real saves; a page fetched right after a save shows it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from conftest import BIN
from test_serve import free_port, wait_for


def fetch(url: str) -> str:
    """The page, however long the build it waits for takes (a 404 or a refused connection: "")."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _forget_preview(root) -> None:
    """The preview's own folder lies outside the project (see helpglot.cli.serve): remove it."""
    ident = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:12]
    shutil.rmtree(Path(tempfile.gettempdir()) / f"helpglot-serve-{ident}", ignore_errors=True)


def _env() -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    for name in ("LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED"):  # see test_serve: the server's timed waits
        env.pop(name, None)
    return env


def test_serve_never_shows_a_page_older_than_the_file(mini):
    root = mini.root
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    port = free_port()
    log = root / "serve.log"
    with open(log, "w") as out:  # (MkDocs' polling watcher all but off: the system's change events must do)
        proc = subprocess.Popen([str(BIN / "helpglot"), "serve", "--dev-addr", f"127.0.0.1:{port}", "--jobs", "2"],
                                cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                env={**_env(), "HELPGLOT_SERVE_POLL": "3600"})
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: "Do this." in fetch(f"{base}/guide/"), timeout=90), log.read_text()
        # a save is noticed without any page asked for: the browser is told to reload
        reloads = log.read_text().count("Reloading browsers")
        mini("docs/guide.md", "---\ntitle: Guide\n---\n\n## Set up\n\nDo this first.\n")
        assert wait_for(lambda: log.read_text().count("Reloading browsers") > reloads, timeout=90), log.read_text()
        assert "Do this first." in fetch(f"{base}/guide/")
        page = fetch(f"{base}/guide/")
        assert "/livereload/" in page  # the browser is told to reload after each build
        # nothing is committed yet, so es has uncommitted changes: previewed from the start
        assert "previewing en, es:" in log.read_text()
        for n in range(3):  # no waiting between the save and the request
            mini("docs/guide.md", f"---\ntitle: Guide\n---\n\n## Set up\n\nDo this {n} times.\n")
            started = time.monotonic()
            assert f"Do this {n} times." in fetch(f"{base}/guide/"), log.read_text()
            assert time.monotonic() - started < 60
        mini("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz aquello.\n")
        assert "Haz aquello." in fetch(f"{base}/es/guide/"), log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        _forget_preview(root)


def test_serve_previews_a_language_once_its_translations_are_saved(mini):
    root = mini.root
    mini("translations/lt/guide.md", "---\ntitle: Vadovas\n---\n\n## Nustatymas\n\nDaryk tai.\n")
    for cmd in (["init", "-q"], ["add", "-A"], ["-c", "user.name=a", "-c", "user.email=a@b.c", "commit", "-qm", "x"]):
        subprocess.run(["git", *cmd], cwd=root, check=True, capture_output=True)
    port = free_port()
    log = root / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(BIN / "helpglot"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=root, stdout=out, stderr=subprocess.STDOUT, env=_env())
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_for(lambda: "Do this." in fetch(f"{base}/guide/"), timeout=90), log.read_text()
        assert "previewing en:" in log.read_text()  # nothing uncommitted: English only
        assert "Daryk tai." not in fetch(f"{base}/lt/guide/")
        mini("translations/lt/guide.md", "---\ntitle: Vadovas\n---\n\n## Nustatymas\n\nDaryk kitaip.\n")
        assert "Daryk kitaip." in fetch(f"{base}/lt/guide/"), log.read_text()
        assert "Previewing 'lt' too" in log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        _forget_preview(root)
