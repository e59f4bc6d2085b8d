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

Usage: bench/search.py [ARTICLES] [--keep DIR] [--only lunr,chunked,pagefind] [--set NAME|FILE.yml]
       [--width PX]   (prints Markdown tables; --set customers / heldout: issue 21's query sets)
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

from helpglot import config, messages  # noqa: E402
from helpglot.site import lexicon, search, searchindex, searchtext  # noqa: E402
from helpglot.terms import glossary  # noqa: E402

HELPGLOT = str(Path(sys.executable).parent / "helpglot")
LANGS = ("en", "es", "ro", "tr", "ru", "lt", "ja", "ar")
#: languages the sample has no translations for: the bench's own hand-written translations of
#: some of the sample's articles (bench/corpus/<lang>/; the rest these languages show in English),
#: a CJK and a right-to-left language (issue 21)
CORPUS = ROOT / "bench" / "corpus"
EXTRA = {"ja": ("日本語", "Tallybird ヘルプセンター"), "ar": ("العربية", "مركز مساعدة Tallybird")}
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


def title_words(paragraph: str, count: int) -> str:
    """A generated title: the paragraph's first ``count`` words of four letters or more. Japanese and
    Chinese write a clause without spaces, so such a run is cut to eight characters (a title's
    length there), or a generated title would be a whole sentence and outweigh every real one."""
    words = re.findall(r"[^\W\d_]{4,}", paragraph)[:count]
    return " ".join(word[:8] if searchtext.is_cjk(word) else word for word in words)


def generate(dest: Path, articles: int) -> None:
    """The sample plus generated articles up to ``articles`` per language (every language)."""
    for name in ("docs", "translations", "glossary"):
        shutil.copytree(ROOT / name, dest / name)
    for lang in EXTRA:
        shutil.copytree(CORPUS / lang, dest / "translations" / lang)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\nnav:\n(?:  .*\n)+", "\n", config)  # generated pages have no nav entry
    config = config.replace("  - helpglot:\n", "  - helpglot:\n      search_index: lunr\n")
    declared = "".join(f"        - locale: {lang}\n          name: {name}\n          site_name: {site}\n"
                       for lang, (name, site) in EXTRA.items())
    config = config.replace("  - helpglot:\n", declared + "  - helpglot:\n", 1)
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    pools = {lang: paragraphs(ROOT / "docs" if lang == "en" else dest / "translations" / lang) for lang in LANGS}
    real = sum(1 for _ in (ROOT / "docs").rglob("*.md"))
    for k in range(max(0, articles - real)):
        rng = random.Random(k)
        picks = [rng.random() for _ in range(8)]
        for lang in LANGS:
            pool = pools[lang]
            chosen = [pool[int(p * len(pool))] for p in picks]
            title = title_words(chosen[0], 3).capitalize() + f" {k}"
            body = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n", chosen[1], chosen[2]]
            for section in range(3):
                heading = title_words(chosen[3 + section], 2).capitalize()
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
    settings = config.load_settings(str(lunr_site.parent / "mkdocs.yml"))
    terms = glossary.load(settings)
    for lang in LANGS:
        folder = dest if lang == "en" else dest / lang
        docs = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        english = search.english_only(source, docs, "") if lang != "en" else []
        # what the build learns from published translations: here the sample's real ones (the
        # generated articles of one language are not translations of another's)
        real = lunr_site.parent / "translations" / lang
        learned = lexicon.learn([(ROOT / "docs" / p.relative_to(real), p) for p in sorted(real.rglob("*.md"))
                                 if "generated" not in p.parts], lang) if lang != "en" else None
        searchindex.build(folder, lang, ("" if lang == "en" else f"{lang}/") + "search/", english=english,
                          heading=messages.messages_for(lang)["badge_english"],
                          bridge=search.glossary_bridge(terms, lang), lexicon=learned,
                          synonyms=search.glossary_synonyms(terms, lang))
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
    search.minify_worker(site)  # as the build serves it


WATCH = """() => { window.__hgFirst = 0; new MutationObserver(() => {
  if (!window.__hgFirst && document.querySelector('.md-search-result__item')) window.__hgFirst = performance.now();
  window.__hgMut = performance.now(); })
  .observe(document.querySelector('.md-search-result'), {childList: true, subtree: true, characterData: true});
  for (const name of ['helpglot-search-answer', 'helpglot:search'])  // (sites built before the rename)
    document.addEventListener(name, e => { window.__hgQ = e.detail ? e.detail.query : ''; }); }"""
#: a result on screen, or Material's "no matching documents" (its translation from the page config)
DONE = """(typed) => {
  const none = JSON.parse(document.getElementById('__config').textContent).translations['search.result.none'];
  const meta = document.querySelector('.md-search-result__meta').textContent.trim();
  /* the words the worker reports (helpglot-search.js search()): a token's parts outside
     Chinese/Japanese, and the whole token for its Chinese/Japanese part ("APIキー" -> "API APIキー") */
  const cjk = '\\u3005-\\u3007\\u3040-\\u309f\\u30a0-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf'
    + '\\u4e00-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f\\u{20000}-\\u{2ffff}';
  const split = new RegExp('([' + cjk + ']+)', 'u'), isCjk = new RegExp('^[' + cjk + ']', 'u');
  const all = (typed.normalize('NFC').match(/[\\p{L}\\p{N}\\p{M}]+/gu) || []).flatMap(token =>
    token.split(split).filter(Boolean).map(part => isCjk.test(part) ? token : part));
  /* the worker drops a word that folds to one it already has ("mi ... mí", "que ... qué") */
  const fold = w => w.normalize('NFD').replace(/\\p{M}/gu, '').toLowerCase();
  const key = list => [...new Set(list.map(fold))].join(' ');
  /* helpglot's worker says which query it answered: wait for the last one typed (lunr: no such event) */
  const answered = window.__hgQ === undefined || key(window.__hgQ.split(' ')) === key(all);
  return answered && (document.querySelector('.md-search-result__item') || meta === none)
    && performance.now() - window.__hgMut > 800; }"""


RESULTS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => [
  li.querySelector('a') ? li.querySelector('a').getAttribute('href') : '',
  [...li.querySelectorAll('.md-search-result__terms del, .md-search-result__terms s')]
    .map(e => e.textContent.trim())])"""
NOTICE = """() => { const n = document.querySelector('.helpglot-search-notice');
  return n && !n.hidden ? n.innerText : ''; }"""


def first_search(browser, url: str, lang: str, query: str, expect: str | None,
                 width: int | None = None) -> dict:
    """The query typed letter by letter into the search box of the language's home page, in a
    fresh context (cold cache), at desktop width or ``width`` (a phone: the search button first).
    Bytes: every search file fetched from page load to the settled results; ms: from the last
    key to the last change of the result list."""
    context = browser.new_context(viewport={"width": width, "height": 844} if width else None)
    page = context.new_page()
    fetched: list = []
    page.on("response", lambda r: fetched.append(r) if re.search(r"/search/|/workers/|/lunr/", r.url) else None)
    page.goto(url + ("/" if lang == "en" else f"/{lang}/"), wait_until="load")
    page.evaluate(WATCH)
    if width and width < 960:
        page.locator('label.md-header__button[for="__search"]').first.click()
    box = page.locator("input.md-search__input")
    box.focus()
    page.keyboard.type(query)  # a key event per letter: Material searches as the reader types
    page.evaluate("window.__hgFirst = 0; window.__hgMut = performance.now()")
    start = page.evaluate("performance.now()")
    box.press("End")
    page.wait_for_function(DONE, arg=query, timeout=120000)
    last = page.evaluate("window.__hgMut")
    items = page.evaluate(RESULTS)
    notice = page.evaluate(NOTICE)
    size = sum(int(r.headers.get("content-length", 0)) for r in fetched)  # the static server sends it
    context.close()
    links = [href for href, _ in items]
    return {"rank": rank_of(links, lang, expect) if expect else None, "bytes": size, "ms": max(0.0, last - start),
            "shown": len(links), "missing": [(href, words) for href, words in items if words], "notice": notice}


def rank_of(links: list[str], lang: str, expect: str | None) -> int | None:
    paths = [re.sub(r"^https?://[^/]+", "", link).split("?")[0].split("#")[0] for link in links]
    prefix = "/" if lang == "en" else f"/{lang}/"
    return next((i + 1 for i, path in enumerate(paths) if path == prefix + expect), None)


PAGEFIND = """async (q) => { const start = performance.now();
  const pf = await import('/pagefind/pagefind.js'); await pf.init();
  const r = await pf.search(q); const d = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
  return [d.map(x => x.url), performance.now() - start]; }"""


def pagefind_search(browser, url: str, lang: str, query: str, expect: str | None, width: int | None = None) -> dict:
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
    return {"rank": rank_of(links, lang, expect) if expect else None, "bytes": size, "ms": ms,
            "shown": len(links), "missing": [], "notice": ""}


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


def option(args: list[str], name: str) -> str | None:
    if name not in args:
        return None
    at = args.index(name)
    value = args[at + 1]
    del args[at: at + 2]
    return value


def query_file(query_set: str) -> Path:
    """``--set``: a name (``customers``: bench/search_customers.yml; ``heldout``: the held-out set,
    bench/search_heldout.yml) or the path of a YAML file in the same format."""
    given = Path(query_set)
    if given.suffix in (".yml", ".yaml") and given.exists():
        return given.resolve()
    file = ROOT / "bench" / (query_set if query_set.endswith(".yml") else f"search_{query_set}.yml")
    if not file.exists():
        raise SystemExit(f"--set {query_set}: no query set {file} (a name under bench/ or a .yml path)")
    return file


def false_missing(site: Path, lang: str, href: str, words: list[str]) -> list[str]:
    """The words a result says are missing although its page has them (the same folded word or
    the same Snowball stem), read from the built page itself."""
    path = re.sub(r"^https?://[^/]+", "", href).split("?")[0].split("#")[0]
    file = site / path.lstrip("/") / "index.html"
    if not file.exists():
        return []
    article = re.search(r"<article[^>]*>(.*?)</article>", file.read_text(encoding="utf-8"), re.S)
    text = re.sub(r"<[^>]+>", " ", article.group(1) if article else "")
    page_lang = "en" if 'lang="en"' in (article.group(0)[:300] if article else "") else lang
    folded = set()
    stems = set()
    for word in searchtext.words(text):
        folded.add(searchtext.fold(word, page_lang))
        stems.add(searchtext.stem(word, page_lang))
    return [w for w in words if searchtext.fold(w, lang) in folded or searchtext.stem(w, lang) in stems]


def main() -> None:
    args = sys.argv[1:]
    keep = option(args, "--keep")
    keep = Path(keep) if keep else None
    only = option(args, "--only")  # e.g. --only chunked: rerun one side on a kept site
    only_set = set(only.split(",")) if only else None
    query_set = option(args, "--set") or "queries"  # customers: issue 21's query set
    width = option(args, "--width")  # 390: a phone
    articles = int(args[0]) if args else 1000
    file = query_file(query_set)  # (before the build: a wrong name fails at once)
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
    if only_set is None or "pagefind" in only_set:
        if not (work / "pagefind").exists():
            seconds = pagefind_copy(project / "site", work / "pagefind")
            if seconds is not None:
                print(f"pagefind: {seconds:.1f} s", file=sys.stderr)
        if (work / "pagefind").exists():
            folders["pagefind"] = work / "pagefind"
    folders = {name: folder for name, folder in folders.items() if only_set is None or name in only_set}
    queries = yaml.safe_load(file.read_text(encoding="utf-8"))
    queries = {lang: rows for lang, rows in queries.items() if lang in LANGS}
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    hung: list[tuple[str, str, str]] = []
    servers = {name: serve(folder) for name, folder in folders.items()}
    results: dict[str, dict[str, list]] = {name: {} for name in folders}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-background-networking", "--disable-component-update"])
            for lang in queries:  # interleaved: each language through every index in turn
                for name, (url, _) in servers.items():
                    run = pagefind_search if name == "pagefind" else first_search
                    rows = []
                    for row in queries[lang]:
                        try:
                            got = run(browser, url, lang, row["q"], row.get("expect"), int(width) if width else None)
                        except PlaywrightTimeout:  # counted as a failure of that index, and named
                            print(f"{name} {lang}: no settled answer in 120 s to {row['q']!r}", file=sys.stderr)
                            hung.append((name, lang, row["q"]))
                            got = {"rank": None, "bytes": 0, "ms": 120000.0, "shown": 1, "missing": [], "notice": ""}
                        got["false_missing"] = [w for href, words in got["missing"]
                                                for w in false_missing(folders[name], lang, href, words)]
                        rows.append(got)
                    results[name][lang] = rows
                    shown = [r["rank"] if row.get("expect") else r["shown"]
                             for r, row in zip(rows, queries[lang], strict=True)]
                    print(f"{name} {lang}: {shown}", file=sys.stderr)
            browser.close()
    finally:
        for _, server in servers.values():
            server.terminate()
            server.wait()
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    report(articles, queries, results, width, file.name)
    for name, lang, query in hung:
        print(f"\n{name} {lang}: {query!r} never settled (counted as not found, or as results shown)")


def summary(rows: list[tuple[dict, dict]]) -> dict:
    answerable = [(q, r) for q, r in rows if q.get("expect")]
    english = [(q, r) for q, r in answerable if q["kind"] == "english-only"]
    none = [(q, r) for q, r in rows if not q.get("expect")]
    top3 = sum(1 for _, r in answerable if r["rank"] is not None and r["rank"] <= 3)
    top3_en = sum(1 for _, r in english if r["rank"] is not None and r["rank"] <= 3)
    return {"answerable": f"{top3}/{len(answerable)} ({100 * top3 / max(1, len(answerable)):.0f}%)",
            "english": f"{top3_en}/{len(english)} ({100 * top3_en / max(1, len(english)):.0f}%)",
            "nonsense": f"{sum(1 for _, r in none if r['shown'])}/{len(none)}",
            "false_missing": sum(len(r["false_missing"]) for _, r in rows),
            "bytes": statistics.median(r["bytes"] for _, r in rows),
            "max_bytes": max(r["bytes"] for _, r in rows),
            "ms": statistics.median(r["ms"] for _, r in rows)}


def report(articles: int, queries: dict, results: dict, width: str | None = None, name: str = "") -> None:
    where = f"{width} px wide (a phone)" if width else "desktop width"
    print(f"## Search on a {articles:,}-article x {len(LANGS)}-language help center (typed, cold cache, {where})"
          + (f", queries: {name}" if name else "") + "\n")
    print("| language | index | answerable in top 3 | English-only answers in top 3 | no-answer queries with results "
          "| false missing | median bytes | max bytes | median ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    langs = list(queries)
    for lang in [*langs, "all"]:
        for name in results:
            rows = [(q, r) for code in (langs if lang == "all" else [lang])
                    for q, r in zip(queries[code], results[name][code], strict=True)]
            f = summary(rows)
            print(f"| {lang} | {name} | {f['answerable']} | {f['english']} | {f['nonsense']} | {f['false_missing']} | "
                  f"{f['bytes']:,.0f} | {f['max_bytes']:,} | {f['ms']:,.0f} |")
    for lang in langs:
        print(f"\n### {lang}\n")
        print("| query | kind | expected article | " + " | ".join(f"{name}" for name in results) + " |")
        print("| --- | --- | --- |" + " ---: |" * len(results))
        for n, row in enumerate(queries[lang]):
            cells = []
            for name in results:
                got = results[name][lang][n]
                cell = (str(got["rank"]) if got["rank"] else "-") if row.get("expect") else f"{got['shown']} shown"
                if got["false_missing"]:
                    cell += f" (false missing: {', '.join(got['false_missing'])})"
                cells.append(cell)
            print(f"| {row['q']} | {row['kind']} | {row.get('expect') or '(none)'} | " + " | ".join(cells) + " |")
    print("\n(rank: position of the expected article; - = not among the results shown; for a query no article"
          " answers, how many results were shown. Pagefind: its JS API, first ten results; time from loading"
          " pagefind.js to their data.)")


if __name__ == "__main__":
    main()
