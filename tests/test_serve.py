"""`mkdocs serve` picks up translations and rebuilds when translations/ or glossary/ change."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request

from conftest import BIN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(predicate, timeout: float = 40.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_serve_reloads_on_translation_and_glossary_changes(mini):
    root = mini.root
    mini("glossary/terms.yml", "terms:\n  - en: guide\n    translations: {es: guía}\n")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # Under `faketime` (how the suite proves it does not depend on the date), libfaketime shifts the
    # monotonic clock that the livereload server's timed thread waits hand to the kernel, so they
    # sleep for the whole offset. Reloading does not depend on the date: serve on the real clock.
    for name in ("LD_PRELOAD", "FAKETIME", "FAKETIME_SHARED"):
        env.pop(name, None)
    log = root / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=root, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/es/guide/"
        assert wait_for(lambda: "Haz esto." in fetch(url)), log.read_text()
        (root / "translations/es/guide.md").write_text(
            "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz aquello.\n", encoding="utf-8")
        assert wait_for(lambda: "Haz aquello." in fetch(url)), log.read_text()
        before = log.read_text().count("Detected file changes")
        (root / "glossary/terms.yml").write_text("terms:\n  - en: guide\n    translations: {es: manual}\n",
                                                 encoding="utf-8")
        assert wait_for(lambda: log.read_text().count("Detected file changes") > before), log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
