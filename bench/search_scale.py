"""Benchmark: the bytes of a typed first search as the help center grows (1,000 to 10,000 articles).

`bench/search.py` builds its whole help center (8 languages) with `helpglot build` before it
searches; at 10,000 articles that is 80,000 pages, hours of CPU on a small machine. What a first
search downloads depends on the search index, not on the page around the search box, so this
benchmark builds the pages only once, for the sample alone (a real `helpglot build`, the lunr
index), and gives each size its own index: the sample's pages as that build indexed them, plus
bench/search.py's generated articles (the same generator, the same words) indexed the way the
build indexes a page: the Markdown rendered by Python-Markdown with the project's
`markdown_extensions`, and Material's search plugin (`SearchIndex.add_entry_from_context`)
making the entries (one per section). Then `bench/search.py`'s own steps: the chunked index is
made from that by the post-build step (`chunk`), and every query of bench/search_queries.yml is
typed into the language's home page in Chromium, fresh context (`first_search`), sizes
interleaved per language. Bytes = every search file fetched from page load to the settled
results.

What is not the build's: the generated pages' HTML is not rendered into the theme (their
results link to pages that are not there; bytes do not depend on it), and the helpglot
plugin's per-page additions to a translation (notices) are not in their index entries.

Usage: bench/search_scale.py [--sizes 1000,10000] [--langs en,es,...] [--keep DIR]
(``--langs``: only these languages' indexes and queries, for a machine too busy for all eight)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import search  # noqa: E402

from helpglot import config  # noqa: E402


def renderer(project: Path):  # noqa: ANN201
    import markdown

    settings = config.load_settings(str(project / "mkdocs.yml"))
    return markdown.Markdown(extensions=list(settings.markdown_extensions),
                             extension_configs=dict(settings.mdx_configs))


def generated_entries(project: Path, lang: str, md, english: list[dict] | None = None) -> list[dict]:  # noqa: ANN001
    """Material's search entries for the generated articles of one language, in file order. A
    translated heading keeps the English heading's anchor (helpglot's build does), so with
    ``english`` (the English entries) each page's section anchors are the English page's."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.toc import get_toc
    from mkdocs.utils import meta

    index = SearchIndex(lang=[lang], separator="", pipeline=[], fields={})
    top = project / ("docs" if lang == "en" else f"translations/{lang}") / "generated"
    for file in sorted(top.rglob("*.md")):  # (MkDocs' order without a nav)
        body, data = meta.get_data(file.read_text(encoding="utf-8"))
        md.reset()
        html = md.convert(body)
        rel = file.relative_to(top.parent).with_suffix("")
        page = SimpleNamespace(meta=data, content=html, toc=get_toc(getattr(md, "toc_tokens", [])),
                               url=f"{rel.as_posix()}/", title=data.get("title", rel.name))
        index.add_entry_from_context(page)
    if english is None:
        return index.entries
    by_page: dict[str, list[str]] = {}
    for entry in english:
        by_page.setdefault(entry["location"].split("#")[0], []).append(entry["location"])
    out, seen = [], {}
    for entry in index.entries:
        page = entry["location"].split("#")[0]
        n = seen[page] = seen.get(page, -1) + 1
        out.append({**entry, "location": by_page[page][n]})
    return out


def merged(docs: list[dict], generated: list[dict]) -> list[dict]:
    """The shell's entries with the generated pages' where MkDocs puts them (``generated/`` in file order)."""
    docs = [d for d in docs if not d["location"].startswith("generated/")]
    at = next((n for n, d in enumerate(docs) if d["location"].split("#")[0] > "generated/"), len(docs))
    return docs[:at] + generated + docs[at:]


def make_site(shell: Path, project: Path) -> float:
    """``project/site``: the shell's pages, each language's lunr index holding the sample's entries
    (as the real build made them) and the generated articles'. Returns CPU seconds."""
    start = time.process_time()
    shutil.copytree(shell, project / "site")
    md = renderer(project)
    settings = config.load_settings(str(project / "mkdocs.yml"))
    english = generated_entries(project, "en", md)
    for lang in search.LANGS:
        path = project / "site" / ("" if lang == "en" else lang) / "search" / "search_index.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        if lang == "en":
            data["docs"] = merged(data["docs"], english)
        elif settings.policy(lang).publish_machine:  # (else the build withholds the generated translations,
            data["docs"] = merged(data["docs"], generated_entries(project, lang, md, english))  # unreviewed)
        path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--langs", default=",".join(search.LANGS))
    parser.add_argument("--keep", help="work folder to keep (and reuse: a size already made is not made again)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    search.LANGS = tuple(lang for lang in search.LANGS if lang in args.langs.split(","))  # (chunk() reads it)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="helpglot-search-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        shell = work / "shell" / "project"
        if not (shell / "site" / "search" / "search_index.json").exists():
            shutil.rmtree(shell, ignore_errors=True)
            search.generate(shell, 0)  # the sample alone
            print(f"shell site (the sample, {len(search.LANGS)} languages) built in {search.build(shell):.0f} s",
                  file=sys.stderr, flush=True)
        folders = {}
        for size in sizes:
            project = work / str(size) / "project"
            if not (work / str(size) / "chunked" / "search" / "search_index.json").exists():
                if not (project / "generated.done").exists():
                    shutil.rmtree(project.parent, ignore_errors=True)
                    search.generate(project, size)
                    (project / "generated.done").write_text("")
                shutil.rmtree(project / "site", ignore_errors=True)
                cpu = make_site(shell / "site", project)
                seconds = search.chunk(project / "site", work / str(size) / "chunked")
                print(f"{size} articles: index entries made in {cpu:.0f} CPU s, chunked in {seconds:.0f} s",
                      file=sys.stderr, flush=True)
            folders[size] = work / str(size) / "chunked"
        queries = yaml.safe_load(search.query_file("search_queries.yml").read_text(encoding="utf-8"))
        queries = {lang: rows for lang, rows in queries.items() if lang in search.LANGS}
        from playwright.sync_api import sync_playwright

        servers = {size: search.serve(folder) for size, folder in folders.items()}
        results: dict[int, dict[str, list]] = {size: {} for size in sizes}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=search.CHROMIUM, args=["--no-sandbox"])
                for lang in queries:  # interleaved: each language through every size in turn
                    for size, (url, _) in servers.items():
                        results[size][lang] = [search.first_search(browser, url, lang, row["q"], row.get("expect"))
                                               for row in queries[lang]]
                        print(f"{size} {lang}: {[r['bytes'] for r in results[size][lang]]}", file=sys.stderr,
                              flush=True)
                browser.close()
        finally:
            for _, server in servers.values():
                server.terminate()
                server.wait()
        report(sizes, queries, results)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(sizes: list[int], queries: dict, results: dict) -> None:
    print(f"## Typed first search, chunked index, {len(search.LANGS)} languages (cold cache, desktop width); "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| language | " + " | ".join(f"{s:,}: median bytes | {s:,}: max bytes | {s:,}: answerable in top 3"
                                         for s in sizes) + " |")
    print("| --- |" + " ---: | ---: | ---: |" * len(sizes))
    for lang in [*queries, "all"]:
        cells = []
        for size in sizes:
            rows = [(q, r) for code in (queries if lang == "all" else [lang])
                    for q, r in zip(queries[code], results[size][code], strict=True)]
            answerable = [r for q, r in rows if q.get("expect")]
            top3 = sum(1 for r in answerable if r["rank"] is not None and r["rank"] <= 3)
            cells += [f"{statistics.median(r['bytes'] for _, r in rows):,.0f}",
                      f"{max(r['bytes'] for _, r in rows):,}", f"{top3}/{len(answerable)}"]
        print(f"| {lang} | " + " | ".join(cells) + " |")
    if len(sizes) > 1:
        every = {s: [r["bytes"] for code in queries for r in results[s][code]] for s in sizes}
        small, big = sizes[0], sizes[-1]
        growth = statistics.median(every[big]) / statistics.median(every[small])
        print(f"\ngrowth {big:,} / {small:,}: median {growth:.2f}, max {max(every[big]) / max(every[small]):.2f}")


if __name__ == "__main__":
    main()
