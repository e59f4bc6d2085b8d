"""Benchmark: site search on a 1,000-article x 6-language help center, Material's lunr
index (one JSON per language, helpglot's `search_index: lunr`) against helpglot's chunked
index (`search_index: chunked`, the default), in Debian's Chromium through Playwright.

The help center is the sample (19 real articles and their translations) plus generated
articles up to ARTICLES per language, written in each language from the sample's own
paragraphs: the committed query set (bench/search_queries.yml) must still find its real
article among articles that use the same words. The site is built once with `lunr`; a copy
gets the chunked index from the post-build step (helpglot.site.searchindex.build) run on each
language folder, so both serve the same pages.

Per query, in a fresh browser context (cold cache): open the language's home page, type the
query, wait for the first result. Bytes = every search file the browser fetched from page
load to that result (index, worker, lunr scripts, shards, fragments); time = from the
keystroke that sends the query to the first result on screen.

Usage: bench/search.py [ARTICLES] [--keep DIR] [--only lunr,chunked,pagefind]   (prints Markdown tables)
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from helpglot import messages  # noqa: E402
from helpglot.site import search, searchindex  # noqa: E402

HELPGLOT = str(Path(sys.executable).parent / "helpglot")
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
    # (one process per language: the same pages as `mkdocs build`, tests/test_parallel_build.py)
    proc = subprocess.run([HELPGLOT, "build", "--site-dir", str(project / "site")],
                          cwd=project, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-4000:])
    return time.perf_counter() - start


def chunk(lunr_site: Path, dest: Path) -> float:
    """The chunked index, made from the lunr build by the per-language post-build step."""
    shutil.copytree(lunr_site, dest)
    current_worker(lunr_site)
    current_worker(dest)
    start = time.perf_counter()
    source = json.loads((dest / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for lang in LANGS:
        folder = dest if lang == "en" else dest / lang
        docs = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        english = search.english_only(source, docs, "") if lang != "en" else []
        searchindex.build(folder, lang, ("" if lang == "en" else f"{lang}/") + "search/", english=english,
                          heading=messages.messages_for(lang)["badge_english"])
    return time.perf_counter() - start


def serve(folder: Path) -> tuple[str, subprocess.Popen]:
    """A static server in its own process (in this one, it would share the GIL with Playwright)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.1)
    return f"http://127.0.0.1:{port}", server


WORKER = ROOT / "src/helpglot/site/templates/assets/javascripts/workers/helpglot-search.js"


def current_worker(site: Path) -> None:
    """The worker as it is in the package now (the site may have been built before a change)."""
    shutil.copy2(WORKER, site / "assets/javascripts/workers/helpglot-search.js")


WATCH = """() => { window.__hgFirst = 0; new MutationObserver(() => {
  if (!window.__hgFirst && document.querySelector('.md-search-result__item')) window.__hgFirst = performance.now();
  window.__hgMut = performance.now(); })
  .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true}); }"""
#: a result on screen, or Material's "no matching documents" (its translation from the page config)
DONE = """() => {
  const none = JSON.parse(document.getElementById('__config').textContent).translations['search.result.none'];
  const meta = document.querySelector('.md-search-result__meta').textContent.trim();
  return (window.__hgFirst > 0 || meta === none) && performance.now() - window.__hgMut > 400; }"""


def first_search(browser, url: str, lang: str, query: str, expect: str) -> tuple[int | None, int, float]:
    """(rank of the expected article, search bytes fetched, ms to the first result)."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list = []
    page.on("response", lambda r: fetched.append(r) if re.search(r"/search/|/workers/|/lunr/", r.url) else None)
    page.goto(url + ("/" if lang == "en" else f"/{lang}/"), wait_until="load")
    page.evaluate(WATCH)
    box = page.locator("input.md-search__input")
    box.focus()
    box.fill(query)
    start = page.evaluate("performance.now()")
    box.press("End")  # Material listens for key events
    page.wait_for_function(DONE, timeout=120000)
    first = page.evaluate("window.__hgFirst || window.__hgMut")
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.getAttribute('href'))")
    size = sum(int(r.headers.get("content-length", 0)) for r in fetched)  # the static server sends it
    context.close()
    return rank_of(links, lang, expect), size, first - start


def rank_of(links: list[str], lang: str, expect: str) -> int | None:
    paths = [re.sub(r"^https?://[^/]+", "", link).split("?")[0].split("#")[0] for link in links]
    prefix = "/" if lang == "en" else f"/{lang}/"
    return next((i + 1 for i, path in enumerate(paths) if path == prefix + expect), None)


PAGEFIND = """async (q) => { const start = performance.now();
  const pf = await import('/pagefind/pagefind.js'); await pf.init();
  const r = await pf.search(q); const d = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return [d.map(x => x.url), performance.now() - start]; }"""


def pagefind_search(browser, url: str, lang: str, query: str, expect: str) -> tuple[int | None, int, float]:
    """The same query through Pagefind's JS API (its own per-language index, chosen by <html lang>):
    time from loading pagefind.js to the first ten results' data."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list = []
    page.on("response", lambda r: fetched.append(r) if "/pagefind/" in r.url else None)
    page.goto(url + ("/" if lang == "en" else f"/{lang}/"), wait_until="load")
    links, ms = page.evaluate(PAGEFIND, query)
    size = sum(int(r.headers.get("content-length", 0)) for r in fetched)
    context.close()
    return rank_of(links, lang, expect), size, ms


def pagefind_copy(site: Path, dest: Path) -> float | None:
    """The lunr build's HTML indexed by Pagefind (pip install 'pagefind[bin]'), or None without it."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return None
    shutil.copytree(site, dest)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(dest)], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    args = sys.argv[1:]
    keep = None
    if "--keep" in args:
        keep = Path(args[args.index("--keep") + 1])
        del args[args.index("--keep"): args.index("--keep") + 2]
    only = None
    if "--only" in args:  # e.g. --only chunked: rerun one side on a kept site
        only = set(args[args.index("--only") + 1].split(","))
        del args[args.index("--only"): args.index("--only") + 2]
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
    folders = {"lunr": project / "site", "chunked": work / "chunked"}
    if only is None or "pagefind" in only:
        shutil.rmtree(work / "pagefind", ignore_errors=True)
        seconds = pagefind_copy(project / "site", work / "pagefind")
        if seconds is not None:
            print(f"pagefind: {seconds:.1f} s", file=sys.stderr)
            folders["pagefind"] = work / "pagefind"
    folders = {name: folder for name, folder in folders.items() if only is None or name in only}
    queries = yaml.safe_load((ROOT / "bench" / "search_queries.yml").read_text(encoding="utf-8"))
    from playwright.sync_api import sync_playwright

    servers = {name: serve(folder) for name, folder in folders.items()}
    results: dict[str, dict[str, list]] = {name: {} for name in folders}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for name, (url, _) in servers.items():
                run = pagefind_search if name == "pagefind" else first_search
                for lang in LANGS:
                    results[name][lang] = [run(browser, url, lang, row["q"], row["expect"]) for row in queries[lang]]
                    print(f"{name} {lang}: {[r[0] for r in results[name][lang]]}", file=sys.stderr)
            browser.close()
    finally:
        for _, server in servers.values():
            server.terminate()
            server.wait()
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    report(articles, queries, results)


def report(articles: int, queries: dict, results: dict) -> None:
    print(f"## Search on a {articles:,}-article x {len(LANGS)}-language help center (first search, cold cache)\n")
    print("| language | index | found in top 3 | median bytes fetched | max bytes | median ms to first result |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for lang in LANGS:
        for name in results:
            rows = results[name][lang]
            top3 = sum(1 for rank, _, _ in rows if rank is not None and rank <= 3)
            print(f"| {lang} | {name} | {top3}/{len(rows)} | {statistics.median(b for _, b, _ in rows):,.0f} | "
                  f"{max(b for _, b, _ in rows):,} | {statistics.median(t for _, _, t in rows):,.0f} |")
    for lang in LANGS:
        print(f"\n### {lang}\n")
        print("| query | kind | expected article | " + " | ".join(f"rank {name}" for name in results) + " |")
        print("| --- | --- | --- |" + " ---: |" * len(results))
        for n, row in enumerate(queries[lang]):
            ranks = ["-" if results[name][lang][n][0] is None else str(results[name][lang][n][0]) for name in results]
            print(f"| {row['q']} | {row['kind']} | {row['expect']} | " + " | ".join(ranks) + " |")
    print("\n(rank: position in the result list; - = not among the results shown. Pagefind: its JS API,"
          " first ten results; time from loading pagefind.js to their data.)")


if __name__ == "__main__":
    main()
