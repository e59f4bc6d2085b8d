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

A term rendered otherwise than the guide says, with no deprecated word to show it, is found two
ways (:mod:`helpglot.qa.checks.replaced`): a kept-English multi-word term with one word translated
("camino operation"), and a loanword term said with its dictionary translation where the same
translation keeps the loanword elsewhere ("Antwort" for "Response"). Both are warnings.

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
from helpglot.qa.checks import replaced
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair
from helpglot.terms import dictionary, presence, termmatch
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
    words = re.findall(r"[A-Za-z][\w-]*", text)
    if len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words):
        return False  # a title in Title Case: every word is capitalised, names and terms alike
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
        blocks: dict[int, presence.Block] = {}

        def prepared(t: int) -> presence.Block:
            if t not in blocks:
                blocks[t] = presence.prepare(pair.translation.blocks[t].text, lang)
            return blocks[t]

        usage: dict[str, list[int]] = {}

        def used_elsewhere(term: Term, t: int) -> int | None:
            """The line of another block that has the term's preferred rendering, if any."""
            if term.source not in usage:
                usage[term.source] = [k for k in range(len(pair.translation.blocks))
                                      if presence.find(term.preferred[lang], prepared(k), loose=True, max_gap=2)]
            other = next((k for k in usage[term.source] if k != t), None)
            return None if other is None else pair.translation.blocks[other].line

        def word_elsewhere(word: str, t: int) -> bool:
            """Does another block of this translation have the word (inflected)?"""
            return any(presence.find(word, prepared(k), loose=True) for k in range(len(pair.translation.blocks))
                       if k != t)

        aligned: set[int] = set()
        for t, s in block_pairs(pair):
            aligned.add(t)
            sb, tb = pair.source.blocks[s], pair.translation.blocks[t]
            identical = " ".join(sb.text.split()) == " ".join(tb.text.split())
            mentions: dict[str, int] = {}
            dnt_done: set[str] = set()
            for name, start, end in termmatch.find_source(sources, sb.text, pair.settings.source_lang):
                term = by_source[name]
                if term.dnt:
                    if name not in dnt_done:
                        dnt_done.add(name)
                        yield from self._dnt(pair, tb, t, term.source, sb.text[start:end])
                    continue
                if identical or _in_proper_name(name, sb.text, start, end):
                    continue  # "Library Skills", a product's name, is not the term "library"
                if _kept_as_name(sb.text, start, end, tb.text):
                    continue  # "MDN web docs" kept in English: a site's name, not the term "docs"
                mentions[name] = mentions.get(name, 0) + 1
            for name, count in mentions.items():
                yield from self._judge(pair, by_source[name], count, t, sb, tb, prepared(t),
                                       (used_elsewhere, word_elsewhere))
        # a block the source does not have (added text): only a multi-word deprecated rendering is
        # specific enough to say it renders the term ("descargar" also renders "download")
        for t, tb in enumerate(pair.translation.blocks):
            if t in aligned:
                continue
            for term in terms:
                for rendering in term.deprecated.get(lang, ()):
                    if len(termmatch.phrase(rendering, lang)) < 2:
                        continue
                    for start, end in presence.find(rendering, prepared(t), loose=False):
                        if _confirmed(tb.text[start:end], rendering, lang):
                            yield self._deprecated_finding(pair, tb, t, term, rendering, start, end)
                            break

    def _judge(self, pair: Pair, term: Term, count: int, t: int, sb: Block, tb: Block,
               block: presence.Block, usage) -> Iterator[Finding]:  # noqa: ANN001
        """One finding at most for a term the source block names ``count`` times: an error when a
        deprecated rendering stands where the term should be (the preferred renderings found fall
        short of the source's mentions, so the deprecated one renders this term, not another word),
        else a warning when no preferred or admitted rendering is there at all."""
        lang = pair.lang
        used_elsewhere, word_elsewhere = usage
        renderings = _renderings(term, lang)
        good: list[tuple[int, int]] = []
        exact: list[tuple[int, int]] = []
        for rendering in renderings:
            for skip in presence.variants(rendering, term.source, lang):
                # two words may stand between a rendering's words ("quitaremos el modelo de memoria")
                good += presence.find(rendering, block, loose=True, max_gap=2, skip=skip)
                exact += presence.find(rendering, block, loose=False, exact=True, skip=skip)
        bad: list[tuple[str, int, int]] = []
        good_forms = renderings
        for rendering in term.deprecated.get(lang, ()):
            for start, end in presence.find(rendering, block, loose=False):
                if any(a <= start and end <= b and (b - a > end - start or _closer(tb.text[a:b], good_forms,
                                                                                    rendering, lang))
                       for a, b in exact):
                    continue  # deprecated "sąsaja" inside preferred "banko sąsaja"
                if not _confirmed(tb.text[start:end], rendering, lang):
                    continue  # the stemmer's guess, refuted by the dictionary ("marcará" is not "marco")
                bad.append((rendering, start, end))
        # a cognate ("instancia" for "instance") matches the preferred rendering loosely: it is the
        # deprecated one, so it does not count as the preferred one
        good = [(a, b) for a, b in dict.fromkeys(good) if not any(s <= a and b <= e for _, s, e in bad)]
        good = _distinct(good)
        if bad and len(good) < count:
            rendering, start, end = bad[0]
            yield self._deprecated_finding(pair, tb, t, term, rendering, start, end)
            return
        if good:
            return
        half = replaced.half_translated(term, renderings[0], tb.text, sb.text, lang)
        if half is not None:
            start, end = half
            yield Finding(self.id, WARNING, pair.path, _line(pair.translation, tb, start),
                          f"'{term.source}' half translated as '{tb.text[start:end]}': the glossary keeps "
                          f"'{renderings[0]}' whole (source {pair.source_path}:{sb.line})", t + 1)
            return
        other = replaced.said_natively(term, renderings, sb.text, lang, block) \
            if replaced.loanword(term, renderings[0]) and used_elsewhere(term, t) else None
        if other is not None and not word_elsewhere(tb.text[other[0] : other[1]], t):
            # the file keeps the loanword elsewhere and says the term with the native word only here:
            # a slip from the translator's own convention, not a convention of its own
            start, end = other
            yield Finding(self.id, WARNING, pair.path, _line(pair.translation, tb, start),
                          f"'{term.source}' rendered as '{tb.text[start:end]}' (a dictionary translation of it) "
                          f"where the glossary keeps '{term.preferred[lang]}', as this translation does elsewhere "
                          f"(source {pair.source_path}:{sb.line})", t + 1)
            return
        mode = getattr(getattr(pair.settings, "checks", None), "glossary_missing", "english")
        admitted = " (or an admitted form)" if term.admitted.get(lang) else ""
        if mode == "any":
            yield Finding(self.id, WARNING, pair.path, tb.line,
                          f"'{term.source}' should be '{term.preferred[lang]}'{admitted} in this block; "
                          f"found {'neither' if admitted else 'no form of it'} "
                          f"(source {pair.source_path}:{sb.line})", t + 1)
        elif mode in ("english", "consistent"):
            # the English term left in the translation, where the guide asks for a rendering: the one
            # "missing" that blind labels found worth a fix (another wording is the translator's call)
            left = [hit for hit in termmatch.find_source([term.source], tb.text, pair.settings.source_lang)
                    if _left_as_word(tb.text, hit[1], hit[2])] \
                if term.preferred[lang].casefold() != term.source.casefold() else []
            if left:
                _, start, end = left[0]
                yield Finding(self.id, WARNING, pair.path, _line(pair.translation, tb, start),
                              f"'{tb.text[start:end]}' left in English: the glossary renders '{term.source}' as "
                              f"'{term.preferred[lang]}'{admitted} (source {pair.source_path}:{sb.line})", t + 1)
            elif mode == "consistent" and (elsewhere := used_elsewhere(term, t)):
                # the translation renders the term as preferred in other blocks, not in this one
                yield Finding(self.id, WARNING, pair.path, tb.line,
                              f"'{term.source}' is '{term.preferred[lang]}' elsewhere in this translation "
                              f"(line {elsewhere}) but not in this block (source {pair.source_path}:{sb.line}); "
                              "use the same rendering", t + 1)

    def _deprecated_finding(self, pair: Pair, tb: Block, t: int, term: Term, rendering: str,
                            start: int, end: int) -> Finding:
        # a warning: a guide's deprecated word has other senses its rule does not mean (Spanish
        # "ruta" is right for a file path, wrong for a URL path); blind labels found 2 of 25 worth a fix
        return Finding(self.id, WARNING, pair.path, _line(pair.translation, tb, start),
                       f"deprecated '{rendering}' for '{term.source}' (here '{tb.text[start:end]}'): "
                       f"use '{term.preferred[pair.lang]}'", t + 1)

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


def _left_as_word(text: str, start: int, end: int) -> bool:
    """An English word left standing as a word of the sentence: in lower case (a capitalised one in a
    translation is a name: the Requests library, the Response class, a "Run" menu) and not one part of
    a hyphenated compound the target language builds with it ("path-параметр", "Content-Type")."""
    found = text[start:end]
    if found != found.lower():
        return False
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    return not (before.endswith("-") or after.startswith("-") or before.endswith("*-") or after.startswith("*-")
                or re.match(r"^\*?-", after) is not None)


def _closer(found: str, good: list[str], bad: str, lang: str) -> bool:
    """Is the word found (that stems like both) closer, letter for letter, to a preferred rendering
    than to the deprecated one? "documentos" is deprecated "documentos", not "documentación"."""
    word = termmatch.fold(found, lang)
    best = max(termmatch._common(word, termmatch.fold(g, lang)) for g in good) if good else 0
    return best > termmatch._common(word, termmatch.fold(bad, lang))


def _distinct(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that do not overlap (the longest first), so one word is not counted twice."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans, key=lambda x: (x[0] - x[1], x[0])):
        if not any(a < d and c < b for c, d in out):
            out.append((a, b))
    return out
