"""A bilingual lexicon learned from the project's own translations, for search.

Why: a third of a young help center's articles exist only in English in a given language,
and its readers search in their own words: "скачать квитанции" must find "Download
receipts". The term base bridges the few words it lists; the translations the team already
published teach the rest. Each published translation is aligned block by block with its
English source (:func:`helpglot.tracking.align.align`, the aligner ``check`` and ``adopt``
use); for every English stem and every target stem, the Dice coefficient over the aligned
block pairs, ``2·both / (english + target)``, says how reliably one renders the other.
"receipt" and "квитанция" share the blocks they are in; "receipt" and "и" do not (stop words
are left out, and a pair must meet in at least :data:`MIN_PAIRS` blocks).

The index then gives an English-only section, for each English word it uses, the target
word the lexicon pairs it with (its most frequent spelling), so the reader's word and its
inflections find the page (searchindex.build's ``lexicon``); nothing of it is shown.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from pathlib import Path

import yaml

from helpglot.markdown.segment import parse
from helpglot.site import searchtext
from helpglot.tracking import align as align_mod
from helpglot.tracking.align import align

MIN_DICE = 0.5
MIN_PAIRS = 2
PER_WORD = 2  # target words kept per English stem
#: Chinese/Japanese are indexed as character bigrams, so a word is several of them (アカウント:
#: アカ カウ ウン ント): two would carry half a word, and the reader's query would cover too little
PER_WORD_CJK = 6


def _stems(text: str, lang: str) -> tuple[set[str], dict[str, Counter]]:
    stems: set[str] = set()
    spellings: dict[str, Counter] = defaultdict(Counter)
    for word in searchtext.words(text):
        stem, spelling = _word(word, lang)
        if stem is not None:
            stems.add(stem)
            spellings[stem][spelling] += 1
    return stems, spellings


@lru_cache(maxsize=200_000)
def _word(word: str, lang: str) -> tuple[str | None, str]:
    """(stem, lower-case spelling) of one word, or (None, "") for a word the lexicon leaves out
    (stop words, numbers, single letters). Per distinct word, not per occurrence: folding and
    stemming every occurrence was most of the lexicon's time."""
    folded = searchtext.fold(word, lang)
    if folded in searchtext.stop_words(lang) or folded.isdigit() or len(folded) < 2:
        return None, ""
    return searchtext.stem(word, lang), searchtext.lower(word, lang)


@dataclass(frozen=True)
class Lexicon:
    """Both directions of what the translations teach: English stem -> target words (for
    English-only pages), target stem -> English words (an English word typed on a translated
    site: "invoice" on the Spanish one)."""

    to_target: dict[str, list[str]] = field(default_factory=dict)
    to_source: dict[str, list[str]] = field(default_factory=dict)


def learn(pairs: Iterable[tuple[Path, Path]], lang: str, source_lang: str = "en",
          memo: dict[str, dict] | None = None, used: dict[str, dict] | None = None,
          kept: dict | None = None) -> Lexicon:
    """What (source file, translation file) pairs teach. Files that do not parse are skipped
    (``check`` reports them). ``memo`` holds what pairs taught a previous build, by the digest
    of both files' text (:func:`pair_key`): a pair whose files did not change is not parsed,
    aligned or stemmed again; ``used`` receives what this build's pairs teach, for the next.
    ``kept`` (a process that learns again: :mod:`helpglot.site.langworker`) keeps the counts of
    this build, and the next one adds and takes away only the pairs that changed (see :func:`_counts`)."""
    keys: list[str] = []
    taught_of: dict[str, dict] = {}
    spellings: dict[str, Counter] = defaultdict(Counter)
    english_spellings: dict[str, Counter] = defaultdict(Counter)
    for source_path, target_path in pairs:
        try:
            source_text = source_path.read_text(encoding="utf-8")
            target_text = target_path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        key = pair_key(source_text, target_text, lang, source_lang)
        taught = (memo or {}).get(key)
        if taught is None:
            taught = _teach(source_text, target_text, str(source_path), str(target_path), lang, source_lang)
        if used is not None:
            used[key] = taught
        keys.append(key)
        taught_of[key] = taught
        for stem, counts in taught["t"].items():
            spellings[stem].update(counts)
        for stem, counts in taught["e"].items():
            english_spellings[stem].update(counts)
    # the aligner's per-text cache (up to 65,536 block texts and their features, about 70 MB) served
    # the alignments just made; the build aligns nothing after this, and the memory goes to the index
    align_mod.features.cache_clear()
    en_count, tr_count, both = _counts(keys, taught_of, kept, f"{lang}\0{source_lang}")
    forward: dict[str, list[tuple[float, str]]] = defaultdict(list)
    backward: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (e, t), n in both.items():
        if n < MIN_PAIRS:
            continue
        dice = 2 * n / (en_count[e] + tr_count[t])
        if dice >= MIN_DICE:
            forward[e].append((dice, t))
            backward[t].append((dice, e))

    def best(table: dict[str, list[tuple[float, str]]], words: dict[str, Counter]) -> dict[str, list[str]]:
        def kept(found: list[tuple[float, str]]) -> list[str]:
            ranked = [words[other].most_common(1)[0][0] for _, other in sorted(found, reverse=True)]
            return ranked[:PER_WORD_CJK if ranked and searchtext.is_cjk(ranked[0]) else PER_WORD]

        return {key: kept(found) for key, found in sorted(table.items())}

    return Lexicon(best(forward, spellings), best(backward, english_spellings))


def _counts(keys: list[str], taught_of: dict[str, dict], kept: dict | None, ident: str) -> tuple[Counter, ...]:
    """How often each English stem, target stem and (English, target) pair of stems is in an aligned
    block of the pairs ``keys``. Sums over pairs, so the previous build's counts (in ``kept``) less
    the pairs gone plus the pairs new are the same numbers; and nothing depends on their order
    (every list made from them is sorted). Taken out of ``kept`` while they change: a build that
    fails midway leaves none behind."""
    now = Counter(keys)
    previous = kept.pop("counts", None) if kept is not None else None
    if previous is not None and previous[0] == ident:
        _ident, before, taught_before, en_count, tr_count, both = previous
        for key, n in (before - now).items():
            _add(taught_before[key]["b"], -n, en_count, tr_count, both)
        for key, n in (now - before).items():
            _add(taught_of[key]["b"], n, en_count, tr_count, both)
    else:
        en_count, tr_count, both = Counter(), Counter(), Counter()
        for key, n in now.items():
            _add(taught_of[key]["b"], n, en_count, tr_count, both)
    if kept is not None:
        kept["counts"] = (ident, now, taught_of, en_count, tr_count, both)
    return en_count, tr_count, both


def _add(blocks: list, n: int, en_count: Counter, tr_count: Counter, both: Counter) -> None:
    """Count each block's stems and stem pairs ``n`` times (``n`` < 0 takes a pair away). Once, the
    common case, is ``Counter.update`` over the block's words and their product, counted in C: the
    sum over every published pair is a third of an incremental build's lexicon."""
    if n == 1:
        for english, local in blocks:
            en_count.update(english)
            tr_count.update(local)
            both.update(product(english, local))
        return
    for english, local in blocks:
        for e in english:
            en_count[e] += n
            for t in local:
                both[(e, t)] += n
        for t in local:
            tr_count[t] += n


def pair_key(source_text: str, target_text: str, lang: str, source_lang: str) -> str:
    h = hashlib.sha256(f"{lang}\0{source_lang}\0".encode())
    for text in (source_text, target_text):
        data = text.encode("utf-8", "surrogateescape")
        h.update(str(len(data)).encode() + b"\0" + data)
    return h.hexdigest()[:32]


def _teach(source_text: str, target_text: str, source_name: str, target_name: str, lang: str,
           source_lang: str) -> dict:
    """One pair's aligned blocks as (English stems, target stems), and the spellings of each stem
    in the order they were met (a tie in :func:`learn`'s ``most_common`` goes to the first met), as JSON."""
    try:
        source = parse(source_text, source_name)
        target = parse(target_text, target_name)
    except Exception:  # noqa: BLE001 (a broken file teaches nothing; the checks name it)
        return {"b": [], "t": {}, "e": {}}
    blocks: list[list[list[str]]] = []
    spellings: dict[str, Counter] = defaultdict(Counter)
    english_spellings: dict[str, Counter] = defaultdict(Counter)
    for t, s in align(source, target, lang, skip_meta=True).pairs:
        english, said = _stems(source.text[source.blocks[s].start:source.blocks[s].end], source_lang)
        local, seen = _stems(target.text[target.blocks[t].start:target.blocks[t].end], lang)
        if english and local:
            blocks.append([sorted(english), sorted(local)])
            for stem, counts in seen.items():
                spellings[stem].update(counts)
            for stem, counts in said.items():
                english_spellings[stem].update(counts)
    return {"b": blocks, "t": {k: dict(v) for k, v in spellings.items()},
            "e": {k: dict(v) for k, v in english_spellings.items()}}


def published_pairs(docs_dir: Path, translations: Iterable, lang: str) -> list[tuple[Path, Path]]:
    """(English source, translation) of the language's published translations
    (:class:`helpglot.site.crosslang.Translation` with no ``why``)."""
    return [(docs_dir / t.rel, t.path) for t in translations
            if t.lang == lang and t.why is None and (docs_dir / t.rel).is_file()]


def renderings(text: str, table: dict[str, list[str]], lang: str) -> str:
    """The words ``table`` (one direction of a :class:`Lexicon`) gives the words of ``text``
    (in ``lang``), as text to index."""
    if not table:
        return ""
    return rendered(stems_of(text, lang), table)


def stems_of(text: str, lang: str) -> list[str]:
    """The stems of ``text``'s words (stop words, numbers and single letters left out), sorted."""
    return sorted(_stems(text, lang)[0])


def rendered(stems: list[str], table: dict[str, list[str]]) -> str:
    out: list[str] = []
    for stem in stems:
        out += table.get(stem, [])
    return " ".join(out)


_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?$", re.S | re.M)
_HEADING = re.compile(r"^#{1,3}[ \t]+(.+?)[ \t#]*$", re.M)


def drafted(translations: Iterable, lang: str, url: Callable[[str], str]) -> dict[str, tuple[str, str]]:
    """Page URL -> (title, headings) of the language's machine drafts that wait for review
    (``publish_machine: false``): the page is shown in English, but its draft says in the reader's
    words what it is about, so the index lets those words find it (never shown: the result stays
    the English page, badge and all). ``url`` maps a source path to its page URL."""
    found: dict[str, tuple[str, str]] = {}
    for t in translations:
        if t.lang != lang or not getattr(t, "awaiting_review", False):
            continue
        try:
            text = t.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        title = ""
        front = _FRONT.match(text)
        if front:
            try:
                meta = yaml.load(front.group(1), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            except yaml.YAMLError:
                meta = None
            if isinstance(meta, dict) and isinstance(meta.get("title"), str):
                title = meta["title"]
            text = text[front.end():]
        text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)  # no comments in code blocks
        headings = [h for h in _HEADING.findall(text)]
        if not title and headings:
            title = headings.pop(0)
        if title or headings:
            found[url(t.rel)] = (title, " ".join(headings))
    return found
