"""A glossary term rendered otherwise than the guide says, where no deprecated word shows it.

The glossary check's other rules see a term's preferred rendering, a deprecated one, or the
English word left standing. A translator (or an engine) who says the term with another word
leaves none of these; most such blocks are fine (a pronoun, a rephrased sentence: blind labels
found 5 of 325 "no preferred rendering" warnings worth a fix). Two shapes are specific enough to
report, because each shows the term was rendered, and rendered against the team's decision:

* a multi-word term the guide keeps in English, with all its words but one in place and that one
  translated ("*camino operation*" for "path operation"): a half-translated term;
* a one-word term the guide keeps as a loanword ("Response", "レスポンス"), said with the word a
  bilingual dictionary gives for it ("Antwort", "応答") where the same translation keeps the
  loanword in other blocks and says the dictionary word nowhere else: a slip from the
  translator's own convention, not a convention of its own.
"""

from __future__ import annotations

import re

from helpglot.terms import bilingual, presence, termmatch
from helpglot.terms.glossary import Term

_SOURCE_WORD = re.compile(r"[a-z][a-z'-]*")
_KATAKANA = re.compile(r"^[\u30a0-\u30ff\s・ー]+$")


def loanword(term: Term, rendering: str) -> bool:
    """Does the guide keep the English word (as is, or in katakana, Japanese's script for loans)? One
    word only: dictionaries do not list a team's compounds."""
    return bool(_SOURCE_WORD.fullmatch(term.source.casefold())) and (
        rendering.casefold() == term.source.casefold() or bool(_KATAKANA.match(rendering)))


def said_natively(term: Term, renderings: list[str], source: str, lang: str,
                   block: presence.Block) -> tuple[int, int] | None:
    """A term the guide keeps as a loanword ("Response", "レスポンス"), said here with the ordinary
    word a bilingual dictionary gives for it ("Antwort", "応答"; :mod:`helpglot.terms.bilingual`):
    the rendering the team decided against ("Response, aber nicht Antwort", FastAPI's German
    guide). Only for loanword terms: where the guide prefers a word of the language itself, its
    dictionary synonyms are a translator's free choice (blind labels: 0 of 17 worth a fix on FastAPI). Not
    when another word of the source block has that translation too ("answer" and "response" are
    both "Antwort"). Single-word terms only (dictionaries do not list a team's compounds)."""
    name = term.source.casefold()
    if not _SOURCE_WORD.fullmatch(name) or not bilingual.available(lang):
        return None
    mine = {termmatch.key(termmatch.fold(w, lang), lang) for r in renderings for w in re.findall(r"\w+", r)}
    others = {w for w in _SOURCE_WORD.findall(termmatch.mask(source).casefold())
              if not termmatch.same_word(termmatch.key(w, "en"), termmatch.key(name, "en"), "en")}
    for word in sorted(bilingual.translations(name, lang), key=len, reverse=True):
        cjk = bool(re.search(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]", word))
        if len(word) < (2 if cjk else 3) or termmatch.key(termmatch.fold(word, lang), lang) in mine:
            continue
        hits = presence.find(word, block, loose=True)
        if not hits:
            continue
        if bilingual.glosses(word, lang) & others or any(word in bilingual.forward(w, lang) for w in others):
            continue
        return hits[0]
    return None


def half_translated(term: Term, rendering: str, text: str, source: str, lang: str) -> tuple[int, int] | None:
    """A multi-word term the guide keeps in English, written with all its words but one in place and
    that one translated ("*camino operation*" for "path operation"): the term was rendered here, and
    not as the guide says. Only for kept-English terms, whose English words in a translated sentence
    can only be the term (a translated rendering's words are ordinary words of the language); the
    stranger must be a word of three letters or more that the source block does not have (a
    neighbouring English word, "path parameters", is another term, not a translation)."""
    want = re.findall(r"\w+", rendering)
    if len(want) < 2 or rendering.casefold() != term.source.casefold():
        return None
    english = set(re.findall(r"\w+", source.casefold()))
    words = [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"\w+", termmatch.mask(text))]
    keys = [termmatch.key(w.casefold(), "en") for w in want]
    for k in range(len(words) - len(want) + 1):
        window = words[k : k + len(want)]
        if any(text[a:b].strip(" *_") for (_, a, _), (b, _, _) in zip(window, window[1:], strict=False)):
            continue  # the words must stand next to each other (emphasis marks aside)
        odd = [i for i, (_, _, w) in enumerate(window) if termmatch.key(w.casefold(), "en") != keys[i]]
        if len(odd) != 1:
            continue
        stranger = window[odd[0]][2]
        if len(stranger) >= 3 and stranger.isalpha() and stranger.casefold() not in english:
            return window[0][0], window[-1][1]
    return None
