"""What helpglot writes into a built site after the last language: one search
index per language, a 404 page per language, the multilingual sitemaps and the
team's status page. Plain functions over the site folder, so the MkDocs plugin
only gathers what each language build produced and calls these at the end.
"""

from __future__ import annotations

import json
import logging
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from helpglot.errors import HelpglotError
from helpglot.fsutil import atomic_write_text
from helpglot.settings import Settings
from helpglot.site import crosslang, inplace, lexicon, pagemeta, search, searchindex, searchmemo, searchreuse, seo
from helpglot.site import statuspage as report
from helpglot.terms import glossary
from helpglot.tracking import gitdates
from helpglot.tracking.freshness import Record

log = logging.getLogger("mkdocs.plugins.helpglot")


def write_search_indexes(site: Path, entries: dict[str, list[dict]], base: dict, source_lang: str,
                         chunked: bool = False, headings: dict[str, str] | None = None,
                         bridges: dict[str, list[tuple[str, str]]] | None = None,
                         english: dict[str, list[dict]] | None = None,
                         lexicons: dict[str, lexicon.Lexicon] | None = None,
                         drafts: dict[str, dict[str, tuple[str, str]]] | None = None,
                         synonyms: dict[str, list] | None = None, settings: Settings | None = None,
                         unchanged: Callable[[Path, bytes], bool] | None = None) -> None:
    """``<lang>/search/search_index.json`` per language, locations relative to the language root;
    with ``chunked``, each language folder then gets the chunked index (:mod:`helpglot.site.searchindex`),
    with ``english[lang]`` (the language's English stand-in pages, as built) as its English results."""
    for lang, docs in entries.items():
        prefix = "" if lang == source_lang else f"{lang}/"
        folder = site / lang if prefix else site
        config, own = search.search_config(lang, base), search.strip_prefix(docs, prefix)
        if not chunked:
            search.write_index(folder / "search" / "search_index.json", config, own)
        else:
            stand_ins = search.strip_prefix((english or {}).get(lang, []), prefix) if prefix else []
            where = searchmemo.folder(settings, f"index-{lang}") if settings is not None else None
            learned = (lexicons or {}).get(lang)
            inputs = {"lang": lang, "path": prefix + "search/", "english": stand_ins, "english_lang": source_lang,
                      "heading": (headings or {}).get(lang, "Results in English"),
                      "bridge": (bridges or {}).get(lang, []), "drafted": (drafts or {}).get(lang),
                      "synonyms": (synonyms or {}).get(lang), "data": {"config": config, "docs": own}}
            watch = key = None
            if where is not None and isinstance(unchanged, inplace.Unchanged) and searchmemo.reading():
                key = searchreuse.input_key({**inputs, "lexicon": [learned.to_target, learned.to_source]
                                             if learned else None})
                if (record := searchreuse.reuse(where, key, unchanged)) is not None:
                    searchreuse.small_files(folder / "search", inputs["data"], record["small"])
                    log.info(f"helpglot build: search index '{lang}': nothing it is made from changed, "
                             f"its {len(record['files'])} files kept")
                    continue
                watch = searchreuse.Watch(unchanged)
            elif where is not None:
                searchreuse.forget(where)
            memo = searchmemo.load(where) if where is not None else None
            used: dict = {}
            figures = searchindex.build(folder, lexicon=learned, memo=memo.known if memo else None, used=used,
                                        unchanged=watch or unchanged, live=searchmemo.kept(f"postings-{lang}"),
                                        **inputs)
            if memo is not None:
                searchmemo.save(memo, used)
                log.info(f"helpglot build: search index '{lang}': {len(used.keys() & memo.known.keys())} of "
                         f"{len(used)} texts' words from the previous build, postings of "
                         f"{figures['pages_added']} of {figures['pages'] + figures['english_only']} pages added")
            if watch is not None and where is not None and key is not None:
                watch.save(where, key, (folder / "search" / "search_index.json").read_text(encoding="utf-8"))


def route_404(html: str, site_url: str | None, langs: list[str]) -> str:
    """Hosts serve one /404.html: this makes it show a /es/... visitor the Spanish one instead."""
    base = (urlsplit(site_url).path or "/") if site_url else "/"
    base = base.rstrip("/") + "/"
    script = (  # noqa: UP031 (JavaScript braces)
        "<script>(function(){var b=%s,l=%s,p=location.pathname;"
        "if(p.indexOf(b)!==0)return;var s=p.slice(b.length).split('/')[0];"
        "if(l.indexOf(s)<0)return;document.documentElement.style.visibility='hidden';"
        "fetch(b+s+'/404.html').then(function(r){return r.ok?r.text():Promise.reject()})"
        ".then(function(t){document.open();document.write(t);document.close()})"
        ".catch(function(){document.documentElement.style.visibility=''})})();</script>"
    ) % (json.dumps(base), json.dumps(langs))
    return html.replace("<head>", "<head>" + script, 1)


def site_path(site_url: str | None, link: str) -> str:
    """A site-root-relative path (``/docs/es/``) for a language link (``/es/``) under site_url's path."""
    base = (urlsplit(site_url).path or "/") if site_url else "/"
    return base.rstrip("/") + "/" + link.lstrip("/")


def write_404s(site: Path, pages: dict[str, str], settings: Settings, site_url: str | None) -> None:
    """Each language's own 404 under its folder; the root one routes to them."""
    for lang, html in pages.items():
        if lang != settings.source_lang:
            atomic_write_text(site / lang / "404.html", html)
    if settings.source_lang in pages:  # every target language is built (maybe in another process)
        langs = list(settings.targets)
        atomic_write_text(site / "404.html", route_404(pages[settings.source_lang], site_url, langs))


def write_sitemaps(site: Path, pages: dict[str, dict[str, seo.PageVersion]], settings: Settings,
                   site_url: str | None, langs: list[str] | None = None) -> None:
    """One sitemap of every language (by the source language's build), and ``<lang>/sitemap.xml``
    where Material's selector looks, for each of ``langs`` (default: all)."""
    langs = list(settings.codes) if langs is None else langs
    if settings.source_lang in langs:
        seo.write_sitemap(site, seo.sitemap_xml(pages, settings.source_lang, site_url))
    for lang in settings.targets:
        if lang in langs and (site / lang).is_dir():
            seo.write_sitemap(site / lang, seo.sitemap_xml(pages, settings.source_lang, site_url, only=lang))


def write_status_page(site: Path, records: list[Record], settings: Settings) -> None:
    """The team's report at /helpglot-status/: linked from nowhere, indexed by nothing."""
    atomic_write_text(site / "helpglot-status" / "index.html",
                      report.render(records, settings, base_url="../", images_of=crosslang.page_images))


@dataclass
class Gathered:
    """What the language builds of one process produced for the site-wide files."""

    search_entries: dict[str, list[dict]] = field(default_factory=dict)
    search_english: dict[str, list[dict]] = field(default_factory=dict)
    search_base: dict = field(default_factory=dict)
    not_found: dict[str, str] = field(default_factory=dict)  # lang -> rendered 404 page
    described: dict[str, str | None] = field(default_factory=dict)  # lang -> its home's description (404)
    #: an incremental build updating the site in place: which search files the site already holds
    #: (:class:`helpglot.site.inplace.Unchanged`, set by :mod:`helpglot.site.incremental`)
    unchanged: Callable[[Path, bytes], bool] | None = None

    def about(self, lang: str, default: str | None) -> str | None:
        """The 404 page's description in ``lang``: its home page's, else ``default``."""
        return self.described.get(lang) or default


def finish(site: Path, settings: Settings, gathered: Gathered, *, built: list[str], split_search: bool,
           chunked: bool, search_headings: dict[str, str], state: crosslang.SiteState,
           use_directory_urls: bool, site_url: str | None) -> None:
    """After the last language a process builds: the per-language files of the languages built
    there; the source language's process also writes the site-wide ones (root sitemap, status
    page, robots.txt). All cross-language facts come from the trees (:mod:`helpglot.site.crosslang`)."""
    search.minify_worker(site)
    if split_search and gathered.search_entries:
        try:
            terms = glossary.load(settings)
        except HelpglotError:
            terms = []  # a broken glossary is reported by the checks; search just goes without
        bridges = {lang: search.glossary_bridge(terms, lang) for lang in gathered.search_entries}
        lexicons = {lang: _learn(settings, state, lang)
                    for lang in gathered.search_entries if chunked and lang != settings.source_lang}
        drafts = {lang: lexicon.drafted(state.translations, lang,
                                        lambda rel: crosslang.page_url(rel, use_directory_urls))
                  for lang in lexicons}
        write_search_indexes(site, gathered.search_entries, gathered.search_base, settings.source_lang,
                             chunked=chunked, headings=search_headings, bridges=bridges,
                             english=gathered.search_english, lexicons=lexicons, drafts=drafts,
                             synonyms={lang: search.glossary_synonyms(terms, lang) for lang in gathered.search_entries},
                             settings=settings, unchanged=gathered.unchanged)
    if gathered.not_found:
        write_404s(site, gathered.not_found, settings, site_url)
    pages = crosslang.site_pages(settings, state.translations, state.source_dates, use_directory_urls)
    write_sitemaps(site, pages, settings, site_url, langs=built)
    write_redirects(site, settings, built, use_directory_urls, pages)
    if settings.source_lang in built:
        write_status_page(site, list(state.records.values()), settings)
        pagemeta.write_robots(site, site_url)


def _learn(settings: Settings, state: crosslang.SiteState, lang: str) -> lexicon.Lexicon:
    """The language's lexicon, with what unchanged (English, translation) pairs taught last time."""
    memo = searchmemo.load(searchmemo.folder(settings, f"lexicon-{lang}"))
    used: dict[str, dict] = {}
    learned = lexicon.learn(lexicon.published_pairs(settings.docs_dir, state.translations, lang), lang,
                            settings.source_lang, memo=memo.known, used=used,
                            kept=searchmemo.kept(f"lexicon-{lang}"))
    searchmemo.save(memo, used)
    log.info(f"helpglot build: lexicon '{lang}': {len(used.keys() & memo.known.keys())} of {len(used)} "
             "translations' alignments from the previous build")
    return learned


_REDIRECT = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{target}</title>
<meta name="robots" content="noindex"><link rel="canonical" href="{target}">
<meta http-equiv="refresh" content="0; url={target}">
<script>location.replace({target_js} + location.hash)</script></head>
<body><a href="{target}">{target}</a></body></html>
"""


def write_redirects(site: Path, settings: Settings, built: list[str], use_directory_urls: bool,
                    pages: dict[str, dict[str, seo.PageVersion]] | None = None) -> None:
    """A renamed article keeps its old URL in every language: a page there sends the reader (and
    the #section) on to the new one. Renames come from git (``helpglot mv``, ``git mv``); a URL
    some page now uses is never overwritten. Which pages the site has comes from ``pages`` (the
    trees), not from ``site``: an incremental build's folder holds only the pages it rendered."""
    moves = {old: new for old, new in gitdates.renamed(settings.docs_dir).items()
             if old.endswith(".md") and new.endswith(".md")}
    urls = {version.url for versions in (pages or {}).values() for version in versions.values()}
    for lang in built:
        prefix = "" if lang == settings.source_lang else f"{lang}/"
        for old, new in sorted(moves.items()):
            old_url = prefix + crosslang.page_url(old, use_directory_urls)
            new_url = prefix + crosslang.page_url(new, use_directory_urls)
            page, built_page = (site / (url + "index.html" if url.endswith("/") or not url else url)
                                for url in (old_url, new_url))
            if page.exists() or old_url in urls or not (built_page.exists() or new_url in urls):
                continue
            target = posixpath.relpath("/" + new_url, "/" + posixpath.dirname(page.relative_to(site).as_posix()))
            target = target + "/" if new_url.endswith("/") and not target.endswith("/") else target
            page.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(page, _REDIRECT.format(lang=escape(lang), target=escape(quote(target)),
                                                     target_js=json.dumps(quote(target))))
