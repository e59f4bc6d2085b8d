"""``glossary``: translations use the term base's renderings.

Readers search the help center with the words they see in the app; when one
article says "conexión bancaria" and the next "feed bancario", search and
trust both suffer. For every source block that names a term (whole words,
case-insensitive, longest term first), the corresponding translation block must
contain the term's preferred rendering or an admitted one, inflected as the
grammar needs (see :mod:`helpglot.terms.termmatch`): a warning when it does not,
because a translator may have had a reason (a pronoun, a rephrased sentence).
A rendering's inner short words (an article) may be missing, and a term kept in
English with the source word next to it ("MDN web docs") is a name, not the term.

Two things are errors, because they are never right:

* a deprecated rendering in a block whose source names the term (a multi-word one, or
  any in a block the source does not have, anywhere), unless it is part of a
  preferred/admitted rendering found at the same place (deprecated "sąsaja"
  inside preferred "banko sąsaja"), found by stem and confirmed with the language's
  Hunspell dictionary where one is installed (:mod:`helpglot.terms.dictionary`): "marcará"
  and "marque" stem like deprecated "marco" but are forms of "marcar";
* a do-not-translate term of the source block written in another case in the
  translation block: product and partner names are not lower-cased. A name the
  block does not have at all is a warning (left out, or translated: a person tells).

Blocks correspond through ``Pair.pairs`` when the runner aligned them; with no
alignment, block ``i`` pairs with block ``i`` when both have the same kind. A
translation block identical to its source is left alone (it is untranslated,
which the ``untranslated`` check reports), except for the dnt rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from helpglot.markdown.segment import Block, Document
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.terms import dictionary, termmatch
from helpglot.terms import glossary as glossary_mod
from helpglot.terms.glossary import Term

_LOADED: dict[tuple, list[Term]] = {}


def _terms(pair: Pair) -> tuple[Term, ...]:
    """The runner passes the term base in ``pair.glossary``; alone (a test, a plugin calling
    us directly) we load it ourselves, once per state of the glossary folder."""
    if pair.glossary:
        return tuple(glossary_mod.rules(pair.glossary))
    folder = Path(pair.settings.glossary_dir)
    files = sorted(folder.glob("*.y*ml")) if folder.is_dir() else []
    stamp = (str(folder), tuple((str(f), f.stat().st_mtime_ns) for f in files))
    if stamp not in _LOADED:
        _LOADED.clear()
        _LOADED[stamp] = glossary_mod.load(pair.settings)
    return tuple(glossary_mod.rules(_LOADED[stamp]))


def block_pairs(pair: Pair) -> list[tuple[int, int]]:
    """(translation block, source block) indices to compare."""
    if pair.pairs:
        return list(pair.pairs)
    src, tr = pair.source.blocks, pair.translation.blocks
    return [(i, i) for i in range(min(len(src), len(tr))) if src[i].kind == tr[i].kind]


def _line(doc: Document, block: Block, offset: int) -> int:
    return doc.line_of(block.start + offset)


def _renderings(term: Term, lang: str) -> list[str]:
    return [term.preferred[lang], *term.admitted.get(lang, ())] if lang in term.preferred else []


def _confirmed(found: str, deprecated: str, lang: str) -> bool:
    """A deprecated rendering's stem match, checked word for word against a real dictionary
    (:mod:`helpglot.terms.dictionary`); kept when there is no dictionary or it knows neither word."""
    got, want = re.findall(r"\w+", found), re.findall(r"\w+", deprecated)
    if len(got) != len(want):  # a word the grammar put in between: compare the ends
        got, want = [got[0], got[-1]], [want[0], want[-1]]
    for g, w in zip(got, want, strict=True):
        verdict = dictionary.confirms(g, w, lang)
        if verdict is None:  # no dictionary, or it knows neither word: the stems must be equal, no slack
            verdict = termmatch.key(termmatch.fold(g, lang), lang) == termmatch.key(termmatch.fold(w, lang), lang)
        if not verdict:
            return False
    return True


_CAPITAL_WORD = re.compile(r"[A-Z][\w-]*")


def _in_proper_name(term: str, text: str, start: int, end: int) -> bool:
    """A lower-case term written capitalised next to another capitalised word, mid-sentence:
    part of a name ("Library Skills", "Docs UI"), not the common noun."""
    found = text[start:end]
    if term != term.lower() or not found[:1].isupper():
        return False
    before = text[:start].rstrip(" *_")
    after = text[end:].lstrip(" *_")
    mid_sentence = bool(before) and before[-1] not in ".!?:#\n"
    return (mid_sentence and bool(_CAPITAL_WORD.match(after))) or bool(re.search(r"[A-Z][\w-]*$", before)
                                                                      and mid_sentence)


_WORD_BEFORE = re.compile(r"([A-Za-z][\w-]{2,})[ \t]+$")
_WORD_AFTER = re.compile(r"^[ \t]+([A-Za-z][\w-]{2,})")


def _kept_as_name(source: str, start: int, end: int, translation: str) -> bool:
    """The source's words around the term kept verbatim in the translation ("MDN web docs" ->
    "MDN web docs para `POST`"): the translator kept a name in English, which the term's rendering
    does not apply to. A neighbour of three letters or more, so that no short word decides."""
    folded = " ".join(translation.split()).casefold()
    term = source[start:end]
    before, after = _WORD_BEFORE.search(source[:start]), _WORD_AFTER.search(source[end:])
    kept = [f"{before.group(1)} {term}"] if before else []
    kept += [f"{term} {after.group(1)}"] if after else []
    return any(re.search(rf"(?<!\w){re.escape(k.casefold())}(?!\w)", folded) for k in kept)


def _loose(renderings: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Each rendering, and the same without its inner words of one to three letters: an article or
    preposition inside a rendering ("crear un instance") is grammar a sentence may change ("crear
    instances"); the first and last words carry the meaning and must be there."""
    out = list(renderings)
    for words in renderings:
        inner = tuple(w for k, w in enumerate(words) if k in (0, len(words) - 1) or len(w) > 3)
        if len(words) > 2 and inner != words:
            out.append(inner)
    return out


class GlossaryCheck:
    id = "glossary"
    name = "Glossary terms"
    severity = ERROR
    description = ("Terms rendered as the glossary prefers (inflection allowed; warning otherwise), no deprecated "
                   "renderings, do-not-translate names kept verbatim.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        terms = _terms(pair)
        if not terms:
            return
        lang = pair.lang
        by_source = {t.source: t for t in terms}
        sources = [t.source for t in terms if t.dnt or lang in t.preferred]
        phrases = {t.source: [termmatch.phrase(r, lang) for r in _renderings(t, lang)] for t in terms}
        toks = [termmatch.tokens(b.text, lang) for b in pair.translation.blocks]
        for t, s in block_pairs(pair):
            sb, tb = pair.source.blocks[s], pair.translation.blocks[t]
            done: set[str] = set()
            for name, start, end in termmatch.find_source(sources, sb.text, pair.settings.source_lang):
                term = by_source[name]
                if term.dnt:
                    if term.source not in done:
                        done.add(term.source)
                        yield from self._dnt(pair, tb, t, term.source, sb.text[start:end])
                    continue
                if name in done or " ".join(sb.text.split()) == " ".join(tb.text.split()):
                    continue
                if _in_proper_name(name, sb.text, start, end):
                    continue  # "Library Skills", a product's name, is not the term "library"
                if _kept_as_name(sb.text, start, end, tb.text):
                    continue  # "MDN web docs" kept in English: a site's name, not the term "docs"
                done.add(name)
                # two words may stand between a rendering's words ("quitaremos el modelo de memoria")
                if not any(termmatch.find(p, toks[t], lang, max_gap=2) for p in _loose(phrases[name])):
                    admitted = " (or an admitted form)" if term.admitted.get(lang) else ""
                    yield Finding(self.id, WARNING, pair.path, tb.line,
                                  f"'{name}' should be '{term.preferred[lang]}'{admitted} in this block; "
                                  f"found {'neither' if admitted else 'no form of it'} "
                                  f"(source {pair.source_path}:{sb.line})", t + 1)
        yield from self._deprecated(pair, terms, phrases, toks)

    def _dnt(self, pair: Pair, tb: Block, t: int, term: str, verbatim: str) -> Iterator[Finding]:
        # the term as the glossary writes it or as the source block does ("JSON Schemas"); a particle
        # or case ending may be glued to it ("FastAPIは", "FastAPIs", "FastAPI'nin", "FastAPI-приложение"),
        # and a space may be a hyphen in a compound ("JSON-Schema"); only a longer Latin word
        # ("FastAPIRouter") is another name
        for form in dict.fromkeys((verbatim, term)):
            body = r"[ \-]".join(re.escape(part) for part in form.split())
            if re.search(rf"(?<![A-Za-z0-9]){body}(?:[a-zäöüßáéíóúñ]{{1,3}})?(?![A-Za-z0-9])", tb.text):
                return
        prose = termmatch.mask(tb.text)  # code and URLs are not where a name is written for readers
        loose = re.search(rf"(?<!\w){re.escape(term)}", prose, re.I)
        if loose:
            yield Finding(self.id, ERROR, pair.path, tb.line, f"'{term}' is do-not-translate: keep it verbatim "
                          f"(same case) in this block; found '{tb.text[loose.start():loose.end()]}'", t + 1)
            return
        # not there at all: left out (a pronoun, a shorter sentence) or translated; a person tells
        yield Finding(self.id, WARNING, pair.path, tb.line,
                      f"'{term}' is do-not-translate but this block does not have it; if it was translated or "
                      "transliterated, restore the name", t + 1)

    def _deprecated(self, pair: Pair, terms: tuple[Term, ...], phrases: dict[str, list[tuple[str, ...]]],
                    toks: list[list[termmatch.Token]]) -> Iterator[Finding]:
        lang = pair.lang
        bad = [(term, d, termmatch.phrase(d, lang)) for term in terms for d in term.deprecated.get(lang, ())]
        if not bad:
            return
        all_good = [p for plist in phrases.values() for p in plist]
        # a deprecated word is an error where the source says the term: compared with the source,
        # as every check ("descargar" for "download" is no wrong rendering of "unload")
        source_of = dict(block_pairs(pair))
        named = {term.source for term, _, _ in bad}
        mentions: dict[int, set[str]] = {}
        for t, tb in enumerate(pair.translation.blocks):
            s = source_of.get(t)
            if s is not None and s not in mentions:
                mentions[s] = {name for name, _, _ in termmatch.find_source(
                    named, pair.source.blocks[s].text, pair.settings.source_lang)}
            good = [span for p in all_good for span in termmatch.find(p, toks[t], lang)]
            for term, rendering, words in bad:
                # elsewhere only a multi-word rendering ("banko srautas") is specific enough: a single
                # word has other senses ("descargar" also renders "download")
                if s is not None and term.source not in mentions[s] and len(words) < 2:
                    continue
                for start, end in termmatch.find(words, toks[t], lang):
                    if any(a <= start and end <= b for a, b in good):
                        continue
                    if not _confirmed(tb.text[start:end], rendering, lang):
                        continue  # the stemmer's guess, refuted by the dictionary ("marcará" is not "marco")
                    yield Finding(self.id, ERROR, pair.path, _line(pair.translation, tb, start),
                                  f"deprecated '{rendering}' for '{term.source}' "
                                  f"(here '{tb.text[start:end]}'): use '{term.preferred[lang]}'", t + 1)
