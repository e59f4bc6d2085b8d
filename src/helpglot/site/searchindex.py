"""A chunked static search index for one language output folder (``<lang>/search/``).

Why: Material's lunr worker downloads the language's whole index on every page
view (58 KB for 19 articles, megabytes at a thousand). Here the page loads a
``search_index.json`` of a few hundred bytes (Material's UI fetches it and hands
it to the worker), and the worker (``helpglot-search.js``) fetches, per query word,
only the few term shards that can hold it and one fragment per result page.

Layout, all under ``<lang>/search/``:

* ``search_index.json``: ``{"config": {..., "helpglot": META}, "docs": []}``
* ``t/<n>.json``: term shards. A key lives in shard ``fnv1a(first 3 letters) % shards``,
  so a query word, all words it is a prefix of, all words one typo away past its
  third letter, and all stems that are a prefix of it sit in the query's shard.
  Keys: ``w`` folded word, ``=w|exact`` its exact lower-case spelling (only when it has accents),
  ``~s`` folded Snowball stem, ``-d`` the word less one of its first four letters
  (value: the words, for typos among the first letters), ``!w`` marks a stop word (value 1),
  ``^w`` the stem of a word that is no prefix of it (value: the stem).
  Postings: ``[df, code, weight, ...]`` with ``code = page * 256 + section``, at most
  :data:`MAX_POSTINGS` per key, best first. A list shorter than its ``df`` was cut: the
  worker then never says a page lacks that word (it cannot know).
  Chinese and Japanese are indexed as character bigrams (searchtext.words).
* ``f/<page>.json``: what a result shows: location, title, excerpt, and the sections'.
* ``search_index.full.json``: the lunr-format input, kept so the step can be rerun.

Pages that exist only in English in this language come after the language's own pages
(``en_from``): the worker ranks them with the language's own by score and marks them
lang="en" with a translated "in English" badge.
Shard count grows with the vocabulary so a shard stays near :data:`SHARD_BYTES`.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from helpglot.fsutil import atomic_write_text
from helpglot.site import dictrender, searchpostings, searchtext
from helpglot.site import lexicon as lexicon_mod
from helpglot.site.searchpostings import MAX_POSTINGS  # noqa: F401 (the index's layout: its tests read it here)
from helpglot.site.searchshards import (  # noqa: F401 (the index's layout: its tests read it here)
    BUCKET_BYTES,
    MIN_POSTINGS,
    SHARD_BYTES,
    bucket,
    crowded,
    fit_buckets,
    fnv1a,
    shard_of,
    write_file,
)

MAX_SECTIONS = 255
EXCERPT = 200
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def plain(text: str) -> str:
    """The text of an entry's HTML. Kept per text: one section's text is made plain for its
    postings, its glossary classes, its renderings and its fragment (and, in ``helpglot serve``'s
    long-lived worker, again at every save)."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", text or ""))).strip()


def excerpt(text: str, limit: int = EXCERPT) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + " …"


def group_pages(docs: list[dict]) -> list[list[dict]]:
    """Material's entries (page, then its #sections) as pages with their sections."""
    pages: list[list[dict]] = []
    index: dict[str, int] = {}
    for doc in docs:
        path = doc.get("location", "").split("#")[0]
        if path not in index or "#" not in doc.get("location", ""):
            if path in index:  # a second entry without '#': keep it as a section
                pages[index[path]].append(doc)
                continue
            index[path] = len(pages)
            pages.append([doc])
        else:
            pages[index[path]].append(doc)
    return pages


def says(hay: str, phrase: str) -> bool:
    """``hay`` (lowercased) has ``phrase`` as whole words (Chinese/Japanese: anywhere, no spaces)."""
    needle = phrase.lower()
    if searchtext.is_cjk(needle[:1]):
        return needle in hay
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", hay) is not None


def related(doc: dict, classes: list[tuple[str, ...]]) -> str:
    """The words a glossary class gives a section that says one of its members (the others)."""
    hay = f"{plain(doc.get('title', ''))} {plain(doc.get('text', ''))}".lower()
    out: list[str] = []
    for members in classes:
        present = [m for m in members if says(hay, m)]
        if present:
            out += [m for m in members if m not in present]
    return " ".join(out)


def bridged(doc: dict, bridge: list[tuple[str, str]]) -> list[str]:
    """Renderings of the glossary terms an English section uses."""
    hay = f"{doc.get('title', '')} {plain(doc.get('text', ''))}".lower()
    return [rendering for english, rendering in bridge
            if re.search(rf"(?<!\w){re.escape(english.lower())}(?!\w)", hay)]


def _anchor(location: str, page: str) -> str:
    """``page#anchor`` as ``#anchor`` (anything else as it is)."""
    return location[len(page):] if location.startswith(page + "#") else location


def _memo_key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogateescape")).hexdigest()[:32]


#: each text's memo key and answer in this process's last index, by the text itself: a long-lived
#: worker (``helpglot serve``) builds the same texts again, and encoding and hashing every section's
#: text for its memo key was a third of the index step at every save
_RECENT: dict[tuple, tuple[str, object]] = {}


class _Builder:
    """Postings of every key. What one section's words add (:meth:`_counts`) and the stems of a
    text (:meth:`stems`) are pure functions of their text and language: with a ``memo`` of a
    previous build's (:mod:`helpglot.site.searchmemo`), the sections whose text did not change
    are not split, folded and stemmed again; ``used`` receives this build's, for the next."""

    def __init__(self, memo: dict | None = None, used: dict | None = None) -> None:
        self.memo, self.used = memo or {}, used
        self.calls: list[searchpostings.Calls] = []  # per page, what :meth:`add` was given (searchpostings)
        self.patched: int | None = None  # pages whose postings were added again (None: all)
        self.deletions: dict[str, set[str]] = defaultdict(set)
        self.stops: set[str] = set()
        self.stem_of: dict[str, str] = {}
        self.vocabulary_lang = ""  # the language whose words go to vocabulary (dictrender's filter)
        self.vocabulary: set[str] = set()
        # a help center says the same few thousand words over and over: fold, stem and list the
        # typo keys of each spelling once (this was most of the index step at 1,000 articles)
        self._keys: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)  # lang -> word -> keys
        self.recent: dict[tuple, tuple[str, object]] = {}  # this build's, for :data:`_RECENT`

    def _word_keys(self, word: str, lang: str) -> tuple[str, ...]:
        known = self._keys[lang]
        found = known.get(word)
        if found is None:
            folded = searchtext.fold(word, lang)
            exact = searchtext.lower(word, lang)
            keys = [folded, *searchtext.base_forms(folded, lang)]
            if exact != folded:  # kept under the folded form, so it lives in the query's shard
                keys.append(f"={folded}|{exact}")
            stem = searchtext.stem(word, lang)
            if lang == self.vocabulary_lang:
                self.vocabulary.update((folded, stem))
            if stem != folded:
                keys.append("~" + stem)
                if not folded.startswith(stem):
                    # the worker finds a stem as the word less an ending; Snowball also changes
                    # letters (Romanian "eroare" / "erori": "eror"; English "closing": "close";
                    # Arabic drops the article): the word names its stem, so "Missing" is never
                    # said of a page that has another form of it (the worker runs no stemmer)
                    self.stem_of[folded] = stem
            if folded in searchtext.stop_words(lang):
                self.stops.add("!" + folded)
            if len(folded) >= 4 and not searchtext.is_cjk(folded):
                for deleted in searchtext.deletions(folded):
                    self.deletions["-" + deleted].add(folded)
            found = known[word] = tuple(keys)
        return found

    def add(self, page: int, section: int, doc: dict, lang: str, weight: float = 1.0) -> None:
        code = page * 256 + min(section, MAX_SECTIONS)
        # an article's own title says most about it; a section heading less; body words least
        title_weight = (30.0 if section == 0 else 10.0) * weight
        weights = self._counts(doc.get("title", ""), doc.get("text", ""), lang, title_weight, weight)
        calls = self.calls
        while len(calls) <= page:
            calls.append([])
        calls[page].append((code, weights))

    def _counts(self, title: str, raw_text: str, lang: str, title_weight: float, weight: float) -> list:
        """[key, weight, key, weight, ...] in the order the words first say them (and the words, whose
        typo and stop-word keys are still listed through :meth:`_word_keys` when the memo answers).
        Flat, not pairs: a build keeps every section's, for the memo, and a list per key was most of it."""
        recent = _RECENT.get(("c", lang, title_weight, weight, title, raw_text))
        key, found = recent if recent is not None else (_memo_key("c", lang, title_weight, weight, title, raw_text),
                                                          None)
        if found is None:
            found = self.memo.get(key)
        if found is None:
            counts: dict[str, float] = defaultdict(float)
            words: dict[str, None] = {}
            for each, text in ((title_weight, title), (weight, plain(raw_text))):
                for word in searchtext.words(text):
                    words[word] = None
                    for word_key in self._word_keys(word, lang):
                        counts[word_key] += each
            # log-damped: a word said ten times is not ten times as relevant (damped here, once
            # per text: the memo keeps the weights, not the counts)
            found = [[item for key, count in counts.items()
                      for item in (key, round(10 * (1 + math.log(count)), 1) if count >= 1 else 10 * count)],
                     list(words)]
        else:  # (a section's words are nearly all known by now: only the new ones are looked at)
            known = self._keys[lang]
            for word in [word for word in found[1] if word not in known]:
                self._word_keys(word, lang)
        self.recent[("c", lang, title_weight, weight, title, raw_text)] = (key, found)
        if self.used is not None:
            self.used[key] = found
        return found[0]

    def renderings(self, text: str, table: dict[str, list[str]], lang: str) -> str:
        """:func:`helpglot.site.lexicon.renderings`, with the text's stems from the memo."""
        if not table:
            return ""
        recent = _RECENT.get(("s", lang, text))
        key, stems = recent if recent is not None else (_memo_key("s", lang, text), None)
        if stems is None:
            stems = self.memo.get(key)
        if stems is None:
            stems = lexicon_mod.stems_of(text, lang)
        self.recent[("s", lang, text)] = (key, stems)
        if self.used is not None:
            self.used[key] = stems
        return lexicon_mod.rendered(stems, table)

    def entries(self, live: dict | None = None) -> dict[str, list]:
        """Every key's value; with ``live``, postings patched from the last build's (searchpostings)."""
        result, self.patched = searchpostings.settle(self.calls, live)
        result = dict(result)  # (the kept entries stay as they are: the buckets' cut comes later)
        for key, words in self.deletions.items():
            result[key] = sorted(words)
        for key in self.stops:
            result[key] = 1
        for word, stem in self.stem_of.items():
            result["^" + word] = stem
        return result


def build(folder: Path, lang: str, path: str, *, english: list[dict] | None = None,
          english_lang: str = "en", heading: str = "Results in English",
          bridge: list[tuple[str, str]] | None = None, lexicon: lexicon_mod.Lexicon | None = None,
          drafted: dict[str, tuple[str, str]] | None = None,
          synonyms: list[tuple[tuple[str, ...], tuple[str, ...]]] | None = None,
          memo: dict | None = None, used: dict | None = None, data: dict | None = None,
          dictionary: bool = True, unchanged: Callable[[Path, bytes], bool] | None = None,
          live: dict | None = None) -> dict:
    """Write the chunked index of the language folder ``folder`` (its ``search/`` holds the
    lunr-format ``search_index.json`` helpglot wrote, or the build hands that index over as
    ``data``: reading back the file it just wrote held a second copy of every text); ``path`` is
    ``search/`` relative to the site root (e.g. ``ru/search/``). ``unchanged(path, bytes)``: True
    when the site being updated in place already holds a shard or fragment with these bytes (it is
    then not written: :func:`helpglot.site.inplace.Unchanged`). ``live``: a long-lived worker's place
    for this language's last build (:func:`helpglot.site.searchmemo.kept`), whose postings, key
    sizes and file bytes are reused where they are the same (:mod:`helpglot.site.searchpostings`).
    Returns figures for the build log and the benchmark."""
    search = folder / "search"
    full = search / "search_index.full.json"
    source = search / "search_index.json"
    if data is None:
        data = json.loads(source.read_text(encoding="utf-8"))
        if "helpglot" in data.get("config", {}) and full.exists():  # rerun: start from the kept input
            data = json.loads(full.read_text(encoding="utf-8"))
        else:
            atomic_write_text(full, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    else:
        atomic_write_text(full, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    own = group_pages(data.get("docs", []))
    extra = group_pages(english or [])
    builder = _Builder(memo, used)
    builder.vocabulary_lang = lang
    renderer: dictrender.Renderer | None = None
    fragments: list[dict] = []
    learned = lexicon or lexicon_mod.Lexicon()
    # the glossary's words for one thing: the language's pages by all of them, English pages by the English
    own_classes = [english + local if lang != english_lang else english for english, local in synonyms or []]
    english_classes = [english for english, _ in synonyms or [] if len(english) > 1]
    for number, (page, page_lang) in enumerate([(p, lang) for p in own] + [(p, english_lang) for p in extra]):
        for section, doc in enumerate(page):
            builder.add(number, section, doc, page_lang)
            said = related(doc, own_classes if page_lang == lang else english_classes)
            if said:
                builder.add(number, section, {"text": said}, page_lang, weight=0.5)
            if page_lang != lang and section == 0 and (draft := (drafted or {}).get(doc.get("location", ""))):
                # its machine draft (awaiting review) says what it is about in the reader's words
                builder.add(number, section, {"title": draft[0], "text": draft[1]}, lang, weight=0.8)
            if page_lang != lang:  # the term base's renderings lead this language's words here
                if renderer is None and dictionary and dictrender.available(lang, english_lang):
                    # (the language's own pages all come first: their words are its vocabulary)
                    builder.vocabulary_lang = ""
                    renderer = dictrender.Renderer(lang, builder.vocabulary, learned.to_target)
                if renderer is not None and (said := renderer.title(plain(doc.get("title", "")))):
                    builder.add(number, section, {"title": said}, lang, weight=dictrender.WEIGHT)
                for rendering in bridged(doc, bridge or []):
                    builder.add(number, section, {"text": rendering}, lang)
                # and so do the words the reviewed translations render its English words with
                # (the title's renderings weigh as a title: they are what a translation would say)
                builder.add(number, section, {
                    "title": builder.renderings(plain(doc.get("title", "")), learned.to_target, english_lang)},
                    lang)
                builder.add(number, section, {
                    "text": builder.renderings(plain(doc.get("text", "")), learned.to_target, english_lang)},
                    lang, weight=0.5)
            elif learned.to_source:  # an English word typed on this language's site
                builder.add(number, section, {
                    "title": builder.renderings(plain(doc.get("title", "")), learned.to_source, lang),
                    "text": builder.renderings(plain(doc.get("text", "")), learned.to_source, lang)},
                    english_lang, weight=0.5)
        head = page[0]
        fragment = {"l": head.get("location", ""), "t": plain(head.get("title", "")),
                    "x": excerpt(plain(head.get("text", "")))}
        # a section's location is its page's plus "#anchor": only the anchor is written (a tenth
        # of a fragment's bytes); the worker puts the page's location back in front
        fragment["s"] = [[_anchor(doc.get("location", ""), fragment["l"]), plain(doc.get("title", "")),
                          excerpt(plain(doc.get("text", "")), 160)] for doc in page[1: MAX_SECTIONS + 1]]
        fragments.append(fragment)
    entries = builder.entries(live)
    kept: searchpostings.Kept | None = live.get("kept") if live is not None else None
    _RECENT.clear()
    _RECENT.update(builder.recent)
    # every stop word of the language is marked, said or not: a reader's "cant" or "much" that the
    # help center never writes is no rare word of the query but grammar (the worker reads the mark)
    for word in searchtext.stop_words(lang):
        if not searchtext.is_cjk(word[:1]) and searchtext.tokens(word) == [word]:
            entries.setdefault("!" + word, 1)
    sizes = searchpostings.sizes(entries, kept)
    split = crowded(sizes)
    entries, sizes = fit_buckets(entries, sizes, split)
    total = sum(sizes.values())
    shards_n = max(1, math.ceil(total / SHARD_BYTES))
    shards: dict[int | str, dict] = {number: {} for number in (*range(shards_n), "s")}
    for key in sorted(entries):
        shards[shard_of(key, split, shards_n)][key] = entries[key]
    digest = hashlib.sha256()
    named = [(search / "t" / f"{number}.json", shard) for number, shard in shards.items()]
    named += [(search / "f" / f"{number}.json", fragment) for number, fragment in enumerate(fragments)]
    for target, value in named:
        written = searchpostings.encoded(target, value, kept)
        digest.update(written)
        if unchanged is None or not unchanged(target, written):
            write_file(target, written)
    for stale in (*(search / "t").glob("*.json"), *(search / "f").glob("*.json")):
        limit = shards_n if stale.parent.name == "t" else len(fragments)
        if stale.stem.isdigit() and int(stale.stem) >= limit:
            stale.unlink()
    meta = {"v": digest.hexdigest()[:12], "lang": lang, "en": english_lang, "path": path,
            "shards": shards_n, "split": sorted(split), "pages": len(fragments), "en_from": len(own),
            "english": heading}
    config = {key: value for key, value in data.get("config", {}).items() if key != "helpglot"}
    small = json.dumps({"config": {**config, "helpglot": meta}, "docs": []}, ensure_ascii=False,
                       separators=(",", ":"))
    atomic_write_text(source, small)
    return {"pages": len(own), "english_only": len(extra), "keys": len(entries), "shards": shards_n,
            "pages_added": len(fragments) if builder.patched is None else builder.patched,
            "shard_bytes": total // shards_n, "index_json": len(small.encode("utf-8"))}
