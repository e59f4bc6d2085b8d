"""Per-language search indexes.

mkdocs-static-i18n merges every language's pages into one
``search/search_index.json`` (de-duplicated in quadratic time), so a Spanish
reader downloads, and gets results from, every language. helpglot instead
writes one index per language, ``<lang>/search/search_index.json``, holding
only that language's pages with locations relative to the language root and a
lunr configuration that uses the language's stemmer. Languages lunr has no
stemmer for (Lithuanian) get a plain pipeline: exact-word matching without an
English stemmer or English stop words mangling the text.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from helpglot.fsutil import atomic_write_text

SEARCH_WORKER = "helpglot-search.js"  # Material's worker protocol over the chunked index: see its header
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)

#: Languages Material's search worker ships lunr stemmers for (lunr.<code>.min.js), plus English.
LUNR_STEMMERS = frozenset(
    "ar da de du el en es fi fr he hi hu hy it ja jp kn ko nl no pt ro ru sa sv ta te th tr vi zh"
    .split()
)


#: Languages whose lunr word characters include the Latin alphabet.
LATIN_SCRIPT = frozenset("da de du en es fi fr hu it nl no pt ro sv tr vi".split())


def search_config(lang: str, base: dict) -> dict:
    """The lunr config for ``lang``, keeping the theme's separator and field boosts."""
    config = {key: base[key] for key in ("separator", "fields") if key in base}
    code = lang.split("-")[0].lower()
    if code in LUNR_STEMMERS:
        # lunr's trimmer for a non-Latin script drops Latin words (product names,
        # UI terms, code) entirely; pair such languages with English.
        config["lang"] = [code] if code in LATIN_SCRIPT else [code, "en"]
        # Material's worker *removes* the pipeline functions not listed here, and its
        # default lists only the stop-word filter: name the stemmer explicitly.
        config["pipeline"] = ["trimmer", "stopWordFilter", "stemmer"]
    else:
        # No stemmer: index whole words. "en" makes the worker load no language
        # file; an empty pipeline removes English's trimmer (ASCII-only, it would
        # cut "ą", "ū" off word edges), stop-word filter and stemmer.
        config["lang"] = ["en"]
        config["pipeline"] = []
    return config


def strip_prefix(entries: Iterable[dict], prefix: str) -> list[dict]:
    """Entries whose location lies under ``prefix`` (e.g. "es/"), made relative to it."""
    result = []
    for entry in entries:
        location = entry.get("location", "")
        if prefix:
            if not location.startswith(prefix):
                continue
            location = location[len(prefix):]
        result.append({**entry, "location": location})
    return result


def english_only(source: list[dict], docs: list[dict], prefix: str) -> list[dict]:
    """Source-language entries of the pages this language shows in English (excluded from its own
    entries), located in the language's folder: its search offers them under "Results in English"."""
    present = {entry.get("location", "").split("#")[0] for entry in strip_prefix(docs, prefix)}
    return [entry for entry in source if entry.get("location", "").split("#")[0] not in present]


def glossary_bridge(terms: Iterable, lang: str) -> list[tuple[str, str]]:
    """(English term, this language's renderings) from the term base: an English-only article
    that uses "two-factor authentication" is then found by "двухфакторная аутентификация"."""
    pairs = []
    for term in terms:
        if getattr(term, "dnt", False):
            continue
        words = [term.preferred.get(lang, ""), *term.admitted.get(lang, ()),
                 *getattr(term, "reader_words", {}).get(lang, ())]
        rendering = " ".join(word for word in words if word)
        if rendering:
            pairs.append((term.source, rendering))
    return pairs


def glossary_synonyms(terms: Iterable, lang: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per term, (its source-language words: the term and its ``synonyms``; its words in ``lang``:
    renderings and the language's ``synonyms``): a page that says one of them is indexed as
    saying the others too (searchindex.build's ``synonyms``), so "2FA" finds "two-factor
    authentication" and "invoice" typed on the Spanish site finds "factura"."""
    classes = []
    for term in terms:
        english = (term.source, *getattr(term, "synonyms", ()))
        local = () if getattr(term, "dnt", False) else tuple(
            word for word in (term.preferred.get(lang, ""), *term.admitted.get(lang, ()),
                              *getattr(term, "reader_words", {}).get(lang, ())) if word)
        if len(english) + len(local) > 1:
            classes.append((english, local))
    return classes


def minify_worker(site: Path) -> None:
    """The search worker as readers download it: without its comments and indentation (rjsmin),
    22 KB -> 13 KB of every first search. The source keeps them for its readers."""
    import rjsmin

    worker = site / "assets" / "javascripts" / "workers" / SEARCH_WORKER
    if worker.is_file():
        text = worker.read_text(encoding="utf-8")
        if "\n  " in text:  # (not yet minified: a rerun leaves it alone)
            atomic_write_text(worker, rjsmin.jsmin(text) + "\n")


def write_index(path: Path, config: dict, docs: list[dict]) -> int:
    """Write one search index atomically; returns its size in bytes."""
    data = json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":"))
    atomic_write_text(path, data)
    return len(data.encode("utf-8"))


def rebase_config(output: str, lang: str, source_lang: str) -> str:
    """Point Material's search in a page at this language's own index (<lang>/search/), through
    helpglot's worker (chunked index; Material's lunr worker with `search_index: lunr`)."""

    def rebase(match: re.Match) -> str:
        data = json.loads(match.group(2))
        if lang != source_lang:
            data["base"] = posixpath.join(data.get("base") or ".", lang) + "/"
        worker = data.get("search")
        if worker and "/workers/" in worker and "helpglot-search" not in worker:
            folder, name = worker.rsplit("/", 1)
            data["search"] = f"{folder}/{SEARCH_WORKER}?material={name}"
        return match.group(1) + json.dumps(data, ensure_ascii=False) + match.group(3)

    return CONFIG_SCRIPT.sub(rebase, output, count=1)


def collected(plugin: object, fallback: set[str]) -> tuple[list[dict], list[dict], dict] | None:
    """What MkDocs' search plugin gathered for the language just built: its own pages, its
    English stand-in pages (by URL, ``fallback``: this language's "Results in English", taken
    from this build, not from the source language's, which in ``helpglot build`` is another
    process) and the plugin's settings. None without a search plugin."""
    index = getattr(plugin, "search_index", None)
    if index is None:
        return None
    entries = getattr(index, "entries", None) or getattr(index, "_entries", [])
    own = [e for e in entries if e.get("location", "").split("#")[0] not in fallback]
    english = [e for e in entries if e.get("location", "").split("#")[0] in fallback]
    config = plugin.config  # type: ignore[attr-defined]
    base = {"separator": config.get("separator"), "pipeline": config.get("pipeline"), "fields": config.get("fields")}
    return own, english, base
