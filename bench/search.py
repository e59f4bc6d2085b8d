"""Benchmark: site search on a 1,000-article x 6-language help center, Material's lunr
index (one JSON per language, helpglot's `search_index: lunr`) against helpglot's chunked
index (`search_index: chunked`, the default), in Debian's Chromium through Playwright.

The help center is the sample (19 real articles and their translations) plus generated
articles up to ARTICLES per language, written in each language from the sample's own
paragraphs: the committed query set (bench/search_queries.yml) must still find its real
article among articles that use the same words. The site is built once with `lunr`; a copy
gets the chunked index from the post-build step (helpglot.searchindex.build) run on each
language folder, so both serve the same pages.

Per query, in a fresh browser context (cold cache): open the language's home page, type the
query, wait for the first result. Bytes = every search file the browser fetched from page
load to that result (index, worker, lunr scripts, shards, fragments); time = from the
keystroke that sends the query to the first result on screen.

Usage: bench/search.py [ARTICLES] [--keep DIR]    (prints Markdown tables)
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from helpglot import messages, search, searchindex  # noqa: E402

MKDOCS = str(Path(sys.executable).parent / "mkdocs")
LANGS = ("en", "es", "ro", "tr", "ru", "lt")
CHROMIUM = os.environ.get("HELPGLOT_CHROMIUM", "/usr/bin/chromium")
_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def paragraphs(folder: Path) -> list[str]:
    """Prose paragraphs of a language's articles (no headings, code, tables, admonitions)."""
    pool = []
    for file in sorted(folder.rglob("*.md")):
        body = _FRONT.sub("", file.read_text(encoding="utf-8"))
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            if block and not re.match(r"[#`|!<\-\d*>{\[:]", block) and len(block) > 60:
                pool.append(" ".join(block.split()))
    return pool


def generate(dest: Path, articles: int) -> None:
    """The sample plus generated articles up to ``articles`` per language (every language)."""
    for name in ("docs", "translations", "glossary"):
        shutil.copytree(ROOT / name, dest / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nnav:\n(?:  .*\n)+", "\n", config)  # generated pages have no nav entry
    config = config.replace("  - helpglot:\n", "  - helpglot:\n      search_index: lunr\n")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    pools = {lang: paragraphs(ROOT / "docs" if lang == "en" else ROOT / "translations" / lang) for lang in LANGS}
    real = sum(1 for _ in (ROOT / "docs").rglob("*.md"))
    for k in range(max(0, articles - real)):
        rng = random.Random(k)
        picks = [rng.random() for _ in range(8)]
        for lang in LANGS:
            pool = pools[lang]
            chosen = [pool[int(p * len(pool))] for p in picks]
            words = [w for w in re.findall(r"[^\W\d_]{4,}", chosen[0])][:3]
            title = " ".join(words).capitalize() + f" {k}"
            body = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n", chosen[1], chosen[2]]
            for section in range(3):
                heading = " ".join(re.findall(r"[^\W\d_]{4,}", chosen[3 + section])[:2]).capitalize()
                body += [f"## {heading} {section}", chosen[3 + section], chosen[(4 + section) % 8]]
            rel = f"generated/g{k // 100}/article-{k}.md"
            target = dest / ("docs" if lang == "en" else f"translations/{lang}") / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n\n".join(body) + "\n", encoding="utf-8")


def build(project: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run([MKDOCS, "build", "-q", "--site-dir", str(project / "site")],
                          cwd=project, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-4000:])
    return time.perf_counter() - start


def chunk(lunr_site: Path, dest: Path) -> float:
    """The chunked index, made from the lunr build by the per-language post-build step."""
    shutil.copytree(lunr_site, dest)
    start = time.perf_counter()
    source = json.loads((dest / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for lang in LANGS:
        folder = dest if lang == "en" else dest / lang
        docs = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        english = search.english_only(source, docs, "") if lang != "en" else []
        searchindex.build(folder, lang, ("" if lang == "en" else f"{lang}/") + "search/", english=english,
                          heading=messages.messages_for(lang)["search_english"])
    return time.perf_counter() - start


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}", httpd


WATCH = """() => { window.__hgFirst = 0; new MutationObserver(() => {
  if (!window.__hgFirst && document.querySelector('.md-search-result__item')) window.__hgFirst = performance.now();
  window.__hgMut = performance.now(); })
  .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true}); }"""


def first_search(browser, url: str, lang: str, query: str, expect: str) -> tuple[int | None, int, float]:
    """(rank of the expected article, search bytes fetched, ms to the first result)."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[int] = []

    def on_response(response) -> None:
        if re.search(r"/search/|/workers/|/lunr/", response.url):
            try:
                fetched.append(len(response.body()))
            except Exception:  # redirects have no body
                pass

    page.on("response", on_response)
    page.goto(url + ("/" if lang == "en" else f"/{lang}/"), wait_until="load")
    page.evaluate(WATCH)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    box.focus()
    box.fill(query)
    start = page.evaluate("performance.now()")
    box.press("End")  # Material listens for key events
    page.wait_for_function("window.__hgFirst > 0 && performance.now() - window.__hgMut > 400", timeout=60000)
    first = page.evaluate("window.__hgFirst")
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
    context.close()
    paths = [re.sub(r"^https?://[^/]+", "", link).split("?")[0].split("#")[0] for link in links]
    prefix = "/" if lang == "en" else f"/{lang}/"
    rank = next((i + 1 for i, path in enumerate(paths) if path == prefix + expect), None)
    return rank, sum(fetched), first - start


def main() -> None:
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        keep = Path(args[args.index("--keep") + 1])
        del args[args.index("--keep"): args.index("--keep") + 2]
    articles = int(args[0]) if args else 1000
    work = keep or Path(tempfile.mkdtemp(prefix="helpglot-search-bench-"))
    project = work / "project"
    if not (project / "site" / "search" / "search_index.json").exists():
        shutil.rmtree(project, ignore_errors=True)
        generate(project, articles)
        seconds = build(project)
        print(f"built {articles} articles x {len(LANGS)} languages in {seconds:.0f} s", file=sys.stderr)
    shutil.rmtree(work / "chunked", ignore_errors=True)
    seconds = chunk(project / "site", work / "chunked")
    print(f"chunked index step: {seconds:.1f} s for {len(LANGS)} language folders", file=sys.stderr)
    queries = yaml.safe_load((ROOT / "bench" / "search_queries.yml").read_text(encoding="utf-8"))
    from playwright.sync_api import sync_playwright

    servers = {name: serve(folder) for name, folder in (("lunr", project / "site"), ("chunked", work / "chunked"))}
    results: dict[str, dict[str, list]] = {"lunr": {}, "chunked": {}}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for name, (url, _) in servers.items():
                for lang in LANGS:
                    results[name][lang] = [first_search(browser, url, lang, row["q"], row["expect"])
                                           for row in queries[lang]]
            browser.close()
    finally:
        for _, httpd in servers.values():
            httpd.shutdown()
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    report(articles, queries, results)


def report(articles: int, queries: dict, results: dict) -> None:
    print(f"## Search on a {articles:,}-article x {len(LANGS)}-language help center (first search, cold cache)\n")
    print("| language | index | found in top 3 | median bytes fetched | max bytes | median ms to first result |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for lang in LANGS:
        for name in ("lunr", "chunked"):
            rows = results[name][lang]
            top3 = sum(1 for rank, _, _ in rows if rank is not None and rank <= 3)
            print(f"| {lang} | {name} | {top3}/{len(rows)} | {statistics.median(b for _, b, _ in rows):,.0f} | "
                  f"{max(b for _, b, _ in rows):,} | {statistics.median(t for _, _, t in rows):,.0f} |")
    for lang in LANGS:
        print(f"\n### {lang}\n")
        print("| query | kind | expected article | rank lunr | rank chunked |")
        print("| --- | --- | --- | ---: | ---: |")
        for row, lunr, chunked in zip(queries[lang], results["lunr"][lang], results["chunked"][lang], strict=True):
            show = lambda rank: "-" if rank is None else str(rank)  # noqa: E731
            print(f"| {row['q']} | {row['kind']} | {row['expect']} | {show(lunr[0])} | {show(chunked[0])} |")


if __name__ == "__main__":
    main()
