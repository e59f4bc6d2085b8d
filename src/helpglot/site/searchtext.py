"""How search compares words: one folding, shared by the index builder (here) and the
browser worker (``helpglot-search.js`` repeats :func:`fold` and :func:`tokens` rule for
rule; ``tests/test_search_quality.py`` checks the two agree).

Readers type without accents, on phones that capitalise the first letter, with
Turkish keyboards where ``I`` is the capital of ``ı`` and ``İ`` that of ``i``.
So every word is compared by its *folded* form: lower-cased the way the language
does it (Turkish/Azeri ``I``/``İ`` first), decomposed (NFKD), combining marks
dropped (``ñ``→``n``, ``ą``→``a``, ``ё``→``е``, Romanian ``ş``/``ș``→``s``), dotless
``ı``→``i`` and a few letters NFKD leaves alone (``ł``, ``ø``, ``ß``). The exact
lower-case form is kept too, so that a query typed with its accents ranks pages
with the same spelling first.

Stems come from Snowball (snowballstemmer has all six sample languages,
Lithuanian included, which lunr lacks); the browser needs no stemmer: Snowball
only cuts endings, so a query word matches a stem that is a prefix of it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from helpglot.terms import termmatch

_TURKIC = frozenset({"tr", "az"})
_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
#: Letters and digits (JS: /[\p{L}\p{N}\p{M}]+/gu). Punctuation such as «», ', - separates words.
_WORD = re.compile(r"[^\W_]+")


def lower(word: str, lang: str) -> str:
    """Lower case as the language writes it: Turkish ``I``→``ı``, ``İ``→``i``; NFC."""
    word = unicodedata.normalize("NFC", word)
    if lang.split("-")[0] in _TURKIC:
        word = word.replace("I", "ı").replace("İ", "i")
    return unicodedata.normalize("NFC", word.lower())


def fold(word: str, lang: str) -> str:
    """The form words are compared by: lower case, no accents, one letter per reader's letter."""
    decomposed = unicodedata.normalize("NFKD", lower(word, lang))
    plain = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return plain.translate(_EXTRA)


def tokens(text: str) -> list[str]:
    """Words of a text, as the reader sees them (NFC)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Folded Snowball stem of a word (the folded word itself where the language has no stemmer)."""
    code = lang.split("-")[0]
    if not termmatch.has_stemmer(code):
        return fold(word, lang)
    stemmed = termmatch._stemmer(code).stemWord(lower(word, lang))
    folded = fold(stemmed, lang)
    return folded if len(folded) >= 3 else fold(word, lang)


def deletions(word: str, upto: int = 4) -> set[str]:
    """The word with one of its first ``upto`` letters removed. With the index holding these
    for every word, a query with one typo among its first letters still reaches the word in
    one lookup (later typos are found by scanning the query's own shard)."""
    return {word[:i] + word[i + 1:] for i in range(min(upto, len(word)))}


def distance1(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or
    swap of neighbours (Damerau); the worker has the same function."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    return a[i + 1:] == b[i:] if la > lb else a[i:] == b[i + 1:]
