"""Find glossary terms in running text, tolerant of inflection.

A glossary says "invoice" is "factura" in Spanish, but a Spanish sentence says
"facturas", a Russian one "счета", a Turkish one "faturanızı" and a Lithuanian
one "sąskaitos". An exact-string check would cry wolf on every plural and
case ending, so the glossary check would be switched off in a week. This
module compares words by *stem* instead, and is honest about the limits:

* Source side (English): whole words, longest term first, plural ``-s``/``-es``/
  ``-ies`` accepted on every word ("API keys", "bank feeds"); nothing else, so
  "invoicing" is not the term "invoice". Lowercase term words match in any
  case; a term word with a capital matches only with that capitalisation,
  because the glossary capitalises roles and names ("Owner" the role, not "the
  owner of the card"; "Member", not "a member of any workspace").
* es, ro, tr, ru, lt (and any other language Snowball knows): each
  word is reduced with the Snowball stemmer of its language and two words
  match when their stems are equal or share a prefix of at least 3 characters
  with at most 2 characters left over on either side (on one side only, unless
  the shared part has 5 or more: "fatur" is not "fatih"). The slack absorbs what
  the stemmers leave behind: Romanian "factură"→"fact" vs "facturii"→"factur",
  Turkish "faturanızı"→"fatur" vs "fatura", consonant softening
  ("yönetici"→"yönetiç"), Romanian vowel alternation ("cheltuială"/"cheltuieli").
  Romanian stems are also compared without diacritics ("plată"/"plăți"). A stem
  shorter than 3 characters is an over-stemmed short word (Turkish "üye"→"ü"):
  the word itself is used instead.
* Lithuanian uses Snowball's Lithuanian stemmer (snowballstemmer >= 3), so case endings
  ("sąskaita/sąskaitą/sąskaitos/sąskaitų/sąskaitoje", "būdas/būdu", "narys/nario") share a
  stem and "sąsaja" stays apart from "sąskaita". A language without a Snowball stemmer uses
  a shared-prefix rule: at least 4 characters (3 when the shorter word has at most 5), and
  neither word has more than 4 characters after it.
* Case folding is language-aware: Turkish and Azerbaijani fold "I"→"ı" and
  "İ"→"i" first; Russian also folds "ё" to "е" (translators write either).
* A multi-word rendering matches its words in order; one extra word may stand
  between two of them (an article or a possessive the grammar needs).

Code spans, link targets, URLs, e-mail addresses and HTML tags are masked
before matching: they are not prose and are never translated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

#: ISO 639-1 codes of the languages whose Snowball stemmer we use.
SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "nl": "dutch",
    "no": "norwegian", "nb": "norwegian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish", "uk": "russian",
}
_AVAILABLE = frozenset(snowballstemmer.algorithms())
_TURKIC = frozenset({"tr", "az"})
_WORD = re.compile(r"\w+")
_MASK = re.compile(
    r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)"  # inline code
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # a link's target: ](url "title")
    r"|<[^>\n]*>"  # HTML tags and autolinks
    r"|\bhttps?://[^\s)>\]]+"  # bare URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|\{[:#.][^}\n]*\}"  # attr_list
)
_RO_PLAIN = str.maketrans("ăâîșțşţ", "aaistst")
_RO_COMMA = str.maketrans("şţŞŢ", "șțȘȚ")


def has_stemmer(lang: str) -> bool:
    return SNOWBALL.get(lang) in _AVAILABLE


def fold(text: str, lang: str) -> str:
    """Case-fold for comparison, the way speakers of ``lang`` expect (NFC, same length per char
    is not promised: only ever compare folded text with folded text)."""
    text = unicodedata.normalize("NFC", text)
    if lang in _TURKIC:
        text = text.replace("I", "ı").replace("İ", "i")
    text = text.casefold()
    if lang in ("ru", "uk", "be"):
        text = text.replace("ё", "е")
    elif lang == "ro":
        text = text.translate(_RO_COMMA)
    return text


def mask(text: str) -> str:
    """The text with non-prose (code, URLs, tags) blanked out; offsets are kept."""
    return _MASK.sub(lambda m: " " * len(m.group(0)), text)


_STEMMERS: dict[str, object] = {}  # snowballstemmer objects keep state: one per language, reused


def _stemmer(lang: str):
    if lang not in _STEMMERS:
        _STEMMERS[lang] = snowballstemmer.stemmer(SNOWBALL[lang])
    return _STEMMERS[lang]


@lru_cache(maxsize=65536)
def key(word: str, lang: str) -> str:
    """What a (folded) word is compared by: its stem, or the word itself for prefix languages."""
    if has_stemmer(lang):
        stem = _stemmer(lang).stemWord(word)
        if len(stem) < 3:  # over-stemmed (Turkish "üye"→"ü"): the word itself is a better key
            stem = word
        return stem.translate(_RO_PLAIN) if lang == "ro" else stem
    return word


def _common(a: str, b: str) -> int:
    n = min(len(a), len(b))
    k = 0
    while k < n and a[k] == b[k]:
        k += 1
    return k


@lru_cache(maxsize=65536)
def same_word(a: str, b: str, lang: str) -> bool:
    """Do two words' keys (see :func:`key`) name the same lexeme, inflection aside?"""
    if a == b:
        return True
    p = _common(a, b)
    tail = max(len(a), len(b)) - p
    if lang == "lt":  # Snowball's Lithuanian stems are short already: little slack ("kvit" is not "kviet")
        return p >= 4 and max(len(a), len(b)) - p <= 1
    if has_stemmer(lang):
        # both tails of 2 only with a long shared part: "cheltuial"/"cheltuiel", not "fatur"/"fatih"
        return p >= 3 and tail <= 2 and (min(len(a), len(b)) - p <= 1 or p >= 5)
    return p >= (3 if min(len(a), len(b)) <= 5 else 4) and tail <= 4


@dataclass(frozen=True)
class Token:
    key: str  # the stem (or the folded word for prefix languages)
    start: int  # offsets in the original text
    end: int
    word: str = ""  # the folded word itself


def tokens(text: str, lang: str) -> list[Token]:
    """The words of a translation, masked and keyed; offsets point into ``text``."""
    masked = mask(text)
    out = []
    for match in _WORD.finditer(masked):
        word = fold(match.group(0), lang)
        out.append(Token(key(word, lang), match.start(), match.end(), word))
    return out


def phrase(text: str, lang: str) -> tuple[str, ...]:
    """A glossary rendering as the keys of its words."""
    return tuple(key(fold(w, lang), lang) for w in _WORD.findall(text))


def find(rendering: tuple[str, ...], toks: list[Token], lang: str, max_gap: int = 1,
         exact: bool = False) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` where the rendering's words occur in order, inflected, with at most
    ``max_gap`` other words between two of them (``exact``: the same stems, no slack)."""
    spans: list[tuple[int, int]] = []
    if not rendering:
        return spans

    def same(want: str, tok: Token) -> bool:
        return want == tok.key if exact else same_word(want, tok.key, lang)

    return in_order(list(rendering), toks, same, max_gap)


def in_order(wanted: list, toks: list[Token], same, max_gap: int) -> list[tuple[int, int]]:
    """Spans where ``wanted`` items match tokens in order (``same(item, token)``), with at most
    ``max_gap`` other tokens between two of them: the one walk every term matcher shares."""
    spans: list[tuple[int, int]] = []
    for i, tok in enumerate(toks):
        if not same(wanted[0], tok):
            continue
        pos, ok = i, True
        for want in wanted[1:]:
            nxt = next((j for j in range(pos + 1, min(pos + 2 + max_gap, len(toks)))
                        if same(want, toks[j])), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            spans.append((tok.start, toks[pos].end))
    return spans


def _plural_ok(term_word: str, word: str) -> bool:
    """``word`` is ``term_word`` or its plural (both already folded, or both as written)."""
    if word == term_word:
        return True
    if word in (term_word + "s", term_word + "es"):
        return True
    return term_word.endswith("y") and word == term_word[:-1] + "ies"


@lru_cache(maxsize=4096)
def _term_shape(term: str, lang: str) -> tuple[tuple[tuple[str, bool], ...], frozenset[str]]:
    """(word as compared, compare case-sensitively?) per word of the term, and the forms its
    first word may take; computed once per term, not once per block."""
    parts = tuple((w, True) if fold(w, lang) != w else (w, False) for w in _WORD.findall(term))
    if not parts:
        return (), frozenset()
    first = parts[0][0]
    forms = {first, first + "s", first + "es"} | ({first[:-1] + "ies"} if first.endswith("y") else set())
    return parts, frozenset(forms)


def find_source(terms: Iterable[str], text: str, lang: str = "en") -> list[tuple[str, int, int]]:
    """Occurrences ``(term, start, end)`` of source terms: whole words, plural endings accepted,
    case as the module docstring says, longest match first ("recurring invoice" hides "invoice")."""
    masked = mask(text)
    words = [(fold(m.group(0), lang), m.start(), m.end(), m.group(0)) for m in _WORD.finditer(masked)]
    found: list[tuple[str, int, int, int]] = []
    at: dict[tuple[bool, str], list[int]] = {}  # (exact?, word) -> positions: only those are tried
    for i, (folded, _s, _e, written) in enumerate(words):
        at.setdefault((False, folded), []).append(i)
        at.setdefault((True, written), []).append(i)
    for term in terms:
        parts, forms = _term_shape(term, lang)
        if not parts:
            continue
        exact0 = parts[0][1]
        starts = sorted({i for f in forms for i in at.get((exact0, f), ())})
        for i in starts:
            if i > len(words) - len(parts):
                break
            if all(_plural_ok(p, words[i + k][3] if exact else words[i + k][0])
                   for k, (p, exact) in enumerate(parts)):
                # the words must be adjacent in the text (only spaces/hyphens between them)
                gaps = [masked[words[i + k][2] : words[i + k + 1][1]] for k in range(len(parts) - 1)]
                if all(g.strip(" -\u00a0\t\n") == "" for g in gaps):
                    found.append((term, words[i][1], words[i + len(parts) - 1][2], len(parts)))
    found.sort(key=lambda f: (-f[3], -(f[2] - f[1]), f[1]))
    taken: list[tuple[int, int]] = []
    result = []
    for term, start, end, _n in found:
        if any(start < b and a < end for a, b in taken):
            continue
        taken.append((start, end))
        result.append((term, start, end))
    result.sort(key=lambda r: r[1])
    return result
