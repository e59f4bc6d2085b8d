"""How search compares words: one folding, shared by the index builder (here) and the
browser worker (``helpglot-search.js`` repeats :func:`fold`, :func:`tokens` and :func:`words`
rule for rule; ``tests/test_search_quality.py`` checks the two agree).

Readers type without accents, on phones that capitalise the first letter, with
Turkish keyboards where ``I`` is the capital of ``ı`` and ``İ`` that of ``i``.
So every word is compared by its *folded* form: lower-cased the way the language
does it (Turkish/Azeri ``I``/``İ`` first), decomposed (NFKD), diacritical marks
dropped (``ñ``→``n``, ``ą``→``a``, ``ё``→``е``, Romanian ``ş``/``ș``→``s``, Arabic
harakat, Hebrew niqqud), dotless ``ı``→``i`` and a few letters NFKD leaves alone
(``ł``, ``ø``, ``ß``). Only the marks of scripts where they are optional diacritics
are dropped (:data:`FOLDED_MARKS`): in Thai, Khmer, Bengali or Devanagari a mark is
a vowel of the word, kept. A word is a run of letters, digits *and* marks, so no
mark splits a word (``مكوّن`` is one word, not two fragments).

Chinese and Japanese are written without spaces: a run of Han, Hiragana or
Katakana is indexed, and queried, as its overlapping character bigrams (``同期``,
``同期できない`` → 同期 期で でき きな ない): no dictionary, nothing to download,
the same in the browser (README, "Search", says why bigrams and not a segmenter).

Stems come from Snowball (snowballstemmer has all six sample languages,
Lithuanian included, which lunr lacks).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from helpglot.terms import termmatch

_TURKIC = frozenset({"tr", "az"})
_POINTED = frozenset({"ar", "fa", "ur", "he", "yi"})  # scripts whose vowel points are optional
_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe"})
#: Diacritical marks that fold away (JS: the same ranges in ``FOLDED``): combining
#: diacriticals, Cyrillic titlo, Hebrew points and cantillation, Arabic harakat, the
#: Arabic tatweel (a stretching stroke), and the supplements of combining marks.
FOLDED_MARKS = ((0x0300, 0x036F), (0x0483, 0x0489), (0x0591, 0x05C7), (0x0610, 0x061A), (0x0640, 0x0640),
                (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF),
                (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
_FOLDED = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in FOLDED_MARKS) + "]")
#: Han, Hiragana, Katakana (with ー and 々): written without spaces, searched by bigrams.
CJK_RANGES = ((0x3005, 0x3007), (0x3040, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
              (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F), (0x20000, 0x2FFFF))
_CJK_CLASS = "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in CJK_RANGES)
_CJK_SPLIT = re.compile(f"([{_CJK_CLASS}]+)")
_CJK = re.compile(f"[{_CJK_CLASS}]")


def _marks() -> str:
    """Every combining mark (categories Mn, Mc, Me) as a character class body: ``re`` has no
    ``\\p{M}``, and ``\\w`` leaves marks out, which split words at every harakah."""
    ranges: list[list[int]] = []
    for code in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0)):
        if unicodedata.category(chr(code)).startswith("M"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


#: Letters, digits and marks (JS: /[\p{L}\p{N}\p{M}]+/gu). Punctuation such as «», ', - separates words.
_WORD = re.compile(f"(?:[^\\W_]|[{_marks()}])+")


def lower(word: str, lang: str) -> str:
    """Lower case as the language writes it: Turkish ``I``→``ı``, ``İ``→``i``; NFC."""
    word = unicodedata.normalize("NFC", word)
    if lang.split("-")[0] in _TURKIC:
        word = word.replace("I", "ı").replace("İ", "i")
    return unicodedata.normalize("NFC", word.lower())


def fold(word: str, lang: str) -> str:
    """The form words are compared by: lower case, no accents, one letter per reader's letter."""
    plain = _FOLDED.sub("", unicodedata.normalize("NFKD", lower(word, lang)))
    return unicodedata.normalize("NFC", plain.translate(_EXTRA))


def tokens(text: str) -> list[str]:
    """Words of a text, as the reader sees them (NFC)."""
    return _WORD.findall(unicodedata.normalize("NFC", text))


def is_cjk(word: str) -> bool:
    return bool(_CJK.match(word))


def words(text: str) -> list[str]:
    """What is indexed and looked up: the tokens, with each Chinese/Japanese run cut into
    its overlapping bigrams (a lone character stays itself)."""
    text = unicodedata.normalize("NFC", text)
    found = _WORD.findall(text)  # (tokens(text))
    if not _CJK.search(text):  # no run to cut: the tokens themselves
        return found
    out: list[str] = []
    for token in found:
        for part in _CJK_SPLIT.split(token):
            if not part:
                continue
            if _CJK.match(part):
                out += [part[i:i + 2] for i in range(len(part) - 1)] if len(part) > 1 else [part]
            else:
                out.append(part)
    return out


#: stopwords-iso keeps some lists as bytes of a legacy Windows code page read as Latin-1
#: (Lithuanian "uþ" for "už", "savøjø" for "savųjų"; Turkish "þunu" for "şunu"): each word is
#: also read back through the language's code page. A mis-decoded form matches nothing a
#: reader types, so keeping both only adds the words the list meant.
_LEGACY_CODE_PAGES = {"lt": "cp1257", "lv": "cp1257", "et": "cp1257", "tr": "cp1254", "az": "cp1254",
                      "pl": "cp1250", "cs": "cp1250", "sk": "cp1250", "hu": "cp1250", "ro": "cp1250",
                      "hr": "cp1250", "sl": "cp1250", "bs": "cp1250", "sq": "cp1250"}


def _as_meant(word: str, code: str) -> str:
    page = _LEGACY_CODE_PAGES.get(code)
    if page is None:
        return word
    try:
        return word.encode("latin-1").decode(page)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return word  # (not Latin-1: written right)


@lru_cache(maxsize=64)
def stop_words(lang: str) -> frozenset[str]:
    """The language's stop words (stopwords-iso, folded): "mi", "как", "не", "ve". Search
    weighs them little and never calls them missing; they are not removed from the index."""
    import stopwordsiso

    code = lang.split("-")[0].lower()
    if not stopwordsiso.has_lang(code):
        return frozenset()
    listed = stopwordsiso.stopwords(code)
    return frozenset(fold(word, lang) for word in listed) | {fold(_as_meant(word, code), lang) for word in listed}


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    """Folded Snowball stem of a word (the folded word itself where the language has no stemmer)."""
    code = lang.split("-")[0]
    if is_cjk(word) or not termmatch.has_stemmer(code):
        return fold(word, lang)
    # harakat and niqqud are optional: Snowball's Arabic stemmer reads a shadda as a letter
    # ("المكوّن" -> "المك"), so those scripts are stemmed without them
    source = fold(word, lang) if code in _POINTED else lower(word, lang)
    stemmed = termmatch._stemmer(code).stemWord(source)
    folded = fold(stemmed, lang)
    return folded if len(folded) >= 3 else fold(word, lang)


_ARTICLE = re.compile(r"^(?:وال|فال|بال|كال|ال|لل)(?=\w{3})")


def base_forms(folded: str, lang: str) -> list[str]:
    """Other forms a folded word is indexed under: Arabic writes the article into the word
    ("المكون", "بالحساب") and Snowball keeps it there, so the word without it is indexed too
    (a reader types "مكون")."""
    if lang.split("-")[0] == "ar":
        bare = _ARTICLE.sub("", folded)
        return [bare] if bare != folded else []
    return []


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
