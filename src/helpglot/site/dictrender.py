"""An English-only page's titles in the reader's words, from a general bilingual dictionary.

Why: a language shows some articles only in English, and its readers search in their own words.
The glossary and the lexicon learned from the project's translations (:mod:`helpglot.site.lexicon`)
render only the English words some reviewed translation already rendered; a help center with a
dozen translated articles leaves most words of the others unrendered ("close", "forgot",
"credit" had no Turkish rendering in the sample), and those articles are never found.

Debian's ``dict-freedict-*`` dictionaries (:mod:`helpglot.terms.bilingual`, which ``check`` already
reads) give every sense of a word, most of them wrong here ("close": kapatmak, but also yakın
"near", cimri "stingy"). Two limits keep the noise out of the results:

* only the words of *titles and headings* are rendered (what the page is about, not every word
  it says in passing), and only those no learned rendering covers;
* a rendering is kept only if the language's own pages use it (its every word's Snowball stem or
  folded form is in their vocabulary): the help center's own words for things, the ones its
  readers have seen, and never an archaic or unrelated sense. Chinese and Japanese renderings
  must have every character bigram in that vocabulary.

The renderings weigh half a heading (never a title: the no-answer rule's "says another word in
its title" stays with the page's own title and the learned lexicon). Where no dictionary is
installed for a language, nothing changes. Which dictionaries are installed is part of every
build key (:func:`helpglot.terms.bilingual.fingerprint`), so installing one rebuilds the index.
"""

from __future__ import annotations

from functools import lru_cache

from helpglot.site import searchtext
from helpglot.terms import bilingual

WEIGHT = 0.5


def available(lang: str, source_lang: str) -> bool:
    return lang != source_lang and source_lang.split("-")[0] == "en" and bilingual.available(lang)


@lru_cache(maxsize=65536)
def _candidates(word: str, lang: str) -> tuple[str, ...]:
    """A dictionary's single-word renderings of an English word, looked up as written, then as
    its stem and its stem + "e" (the headword of "receipts", "changed", "closing")."""
    lower = word.casefold()
    stem = searchtext.stem(lower, "en")
    for form in dict.fromkeys((lower, stem, stem + "e")):
        found = bilingual.forward(form, lang)
        if found:
            return tuple(sorted(found))
    return ()


class Renderer:
    """Renders titles for one language, against the vocabulary of its own pages."""

    def __init__(self, lang: str, vocabulary: set[str], learned: dict[str, list[str]] | None = None) -> None:
        self.lang, self.vocabulary, self.learned = lang, vocabulary, learned or {}
        self._kept: dict[str, bool] = {}

    def _said(self, rendering: str) -> bool:
        found = self._kept.get(rendering)
        if found is None:
            parts = searchtext.words(rendering)
            found = self._kept[rendering] = bool(parts) and all(
                searchtext.fold(part, self.lang) in self.vocabulary
                or searchtext.stem(part, self.lang) in self.vocabulary for part in parts)
        return found

    def title(self, text: str) -> str:
        """The renderings of ``text``'s English words that the language's pages use, as text."""
        out: dict[str, None] = {}
        stops = searchtext.stop_words("en")
        for word in searchtext.words(text):
            folded = searchtext.fold(word, "en")
            if folded in stops or len(folded) < 3 or folded.isdigit():
                continue
            if searchtext.stem(word, "en") in self.learned:  # the project's own rendering wins
                continue
            for rendering in _candidates(word, self.lang):
                if self._said(rendering):
                    out[rendering] = None
        return " ".join(out)
