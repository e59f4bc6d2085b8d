"""Shared fixtures: the sample site built once with the real `mkdocs` CLI, a local
HTTP server that behaves like a static host (404.html for missing paths), and a
real headless Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("HELPGLOT_CHROMIUM", "/usr/bin/chromium")
LANGS = ("en", "es", "ro", "tr", "ru", "lt")


def run(cmd: list[str], cwd: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=full_env)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def mkdocs(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    return run([str(BIN / "mkdocs"), *args], cwd=cwd, check=check)


def helpglot(*args: str, cwd: Path, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    return run([str(BIN / "helpglot"), *args], cwd=cwd, check=check, env=env)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample help center, built from the repository's own mkdocs.yml."""
    out = tmp_path_factory.mktemp("site")
    proc = mkdocs("build", "--clean", "--site-dir", str(out), cwd=ROOT)
    (out.parent / f"{out.name}.build.log").write_text(proc.stderr, encoding="utf-8")
    return out


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site like GitHub Pages: /404.html for anything missing."""

    def log_message(self, *args: object) -> None:  # keep test output readable
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


#: asks the real search worker: index config in, one reply per query out (Material's protocol)
WORKER_ASK = """async ([url, config, queries]) => {
    const worker = new Worker(url);
    const next = () => new Promise(resolve =>
        worker.addEventListener('message', e => resolve(e.data), {once: true}));
    worker.postMessage({type: 0, data: {config, docs: [], options: {suggest: false}}});
    await next();
    const out = [];
    for (const q of queries) { worker.postMessage({type: 2, data: q}); out.push((await next()).data); }
    worker.terminate();
    return out; }"""


def ask_worker(page_factory, directory: Path, at: str, worker: str, config: dict, queries: list[str]) -> list[dict]:
    """Serve ``directory``, open ``at`` in Chromium and ask the search worker at ``worker``
    (relative to ``at``) each query against the index ``config``: the real worker in the real
    browser, without typing (the typed path is bench/search.py's and the reader tests')."""
    with served(directory) as url:
        page = page_factory()
        page.goto(f"{url}/{at}")
        return page.evaluate(WORKER_ASK, [worker, config, queries])


@contextlib.contextmanager
def served(directory: Path):
    """A static server for ``directory`` on a free local port, for as long as the block runs;
    yields its base URL (``http://127.0.0.1:PORT``)."""
    handler = functools.partial(SiteHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


class SiteServer(http.server.ThreadingHTTPServer):
    """A browser that moves on cancels requests (search shards, prefetches): not an error."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def server(site: Path):
    handler = functools.partial(SiteHandler, directory=str(site))
    httpd = SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: scripts/test installs Debian's chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                  "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_factory(chromium):
    contexts = []

    def make(locale: str = "en-US", **kwargs):
        context = chromium.new_context(locale=locale, **kwargs)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


MINI_MKDOCS = """\
site_name: Mini
site_url: https://mini.example/
theme:
  name: material
plugins:
  - search
  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - {locale: en, default: true, name: English}
        - {locale: es, name: Español}
        - {locale: lt, name: Lietuvių}
  - helpglot
"""


@pytest.fixture
def mini(tmp_path: Path):
    """A tiny help center in a temp folder; returns a writer for its files."""

    def write(rel: str, text: str) -> Path:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    write("mkdocs.yml", MINI_MKDOCS)
    write("docs/index.md", "---\ntitle: Home\n---\n\nWelcome.\n")
    write("docs/guide.md", "---\ntitle: Guide\n---\n\n## Set up\n\nDo this.\n")
    write("translations/es/guide.md", "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz esto.\n")
    write.root = tmp_path  # type: ignore[attr-defined]
    return write


def copy_sample(dest: Path) -> Path:
    """A writable copy of the sample help center."""
    for name in ("mkdocs.yml", "docs", "translations", "glossary"):
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file (a test that finds none or several is wrong)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def block_no(root: Path, rel: str, starts: str) -> int:
    """1-based number of the block of ``rel`` whose text starts with ``starts``."""
    from helpglot.markdown.segment import parse

    doc = parse((root / rel).read_text(encoding="utf-8"), rel)
    found = [b.index + 1 for b in doc.blocks if b.text.startswith(starts)]
    assert len(found) == 1, (starts, found)
    return found[0]


GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git_run(root: Path, *args: str) -> str:
    """git in a test repository, as a writer W, ignoring the machine's git configuration."""
    return subprocess.run(["git", "-c", "user.name=W", "-c", "user.email=w@x", *args], cwd=root, check=True,
                          capture_output=True, text=True, env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def sample_git(tmp_path: Path) -> Path:
    """A writable copy of the sample, committed once in a new git repository."""
    root = copy_sample(tmp_path)
    git_run(root, "init", "-q")
    git_run(root, "add", "-A")
    git_run(root, "commit", "-qm", "sample")
    return root
