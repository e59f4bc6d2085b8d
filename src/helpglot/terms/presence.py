"""Where a glossary rendering stands in a translated block, in every script.

:mod:`helpglot.terms.termmatch` compares words by stem, which needs words. Two kinds of text
break that:

* Chinese, Japanese, Korean and Thai: no spaces between words, so ``\\w+`` takes a whole clause
  ("リクエストに情報を渡せる") as one token and no rendering ever matches it. These are searched as
  **substrings** of the block (code and URLs masked), a Latin word in them with Latin-letter
  boundaries ("path operation" in Japanese prose). A segmenter (SudachiPy, fugashi+UniDic, jieba)
  was weighed and not taken: term renderings here are compounds the translator chose
  (レスポンスボディ holds レスポンス), a segmenter splits or joins them by its own dictionary, and it
  costs a 50-100 MB dictionary per language; a substring of the rendering's own script is what a
  reviewer searching the page with Ctrl+F would call "there". One-character renderings would be too
  loose that way; they are rare in term bases (a term is a noun phrase) and match as written.
* Words the grammar changed beyond a stemmer's reach, when asking *is the preferred rendering
  there* (never when asking *is a deprecated one there*: a false "missing" costs a warning, a false
  "deprecated" a blocked pull request):
  - a term kept in English takes the target language's endings: Spanish "headers" (Snowball's
    Spanish stemmer makes "header" "head" and leaves "headers"), Russian "cookies", "middleware'i";
    the folded word starting with the rendering's word, at most 3 letters more, counts;
  - German, Dutch and Nordic compounds: "Eventhandler", "Requestbodys", "Funktionsparameter" hold
    a rendering word of 4+ letters at their start or (inflected) end;
  - Slavic verb prefixes and verb classes: "провалидирует" is "валидировать" with про-, and
    Snowball stems "валидирует"/"валидировать" apart (валидир/валидирова): a prefix of up to 4
    letters may go, and a shared beginning of 6+ letters that leaves at most 3 of the rendering's
    stem counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from helpglot.terms import termmatch as tm

#: written without spaces between words (Korean glues particles to nouns: the same problem)
SPACELESS = frozenset({"ja", "zh", "ko", "th", "lo", "km", "my"})
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "no", "nb", "nn", "is", "fi", "et"})
PREFIXING = frozenset({"ru", "uk", "be", "bg", "pl", "cs", "sk", "sr", "hr", "sl", "bs", "mk"})
_LATIN = re.compile(r"[a-z0-9]", re.I)
_LATIN_SCRIPT = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_JOINERS = r"[\s\-・·‐_*]*"


@dataclass(frozen=True)
class Block:
    """A translated block prepared once for every rendering looked up in it."""

    text: str
    lang: str
    toks: tuple[tm.Token, ...]
    folded: str  # masked and lower-cased, same offsets as text (spaceless languages)


def prepare(text: str, lang: str) -> Block:
    folded = ""
    if lang in SPACELESS:
        masked = tm.mask(text)
        lowered = masked.lower()
        folded = lowered if len(lowered) == len(masked) else masked
    return Block(text, lang, tuple(tm.tokens(text, lang)), folded)


@lru_cache(maxsize=16384)
def _words(rendering: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(stem, folded word) of each word of a rendering."""
    return tuple((tm.key(tm.fold(w, lang), lang), tm.fold(w, lang)) for w in tm._WORD.findall(rendering))


@lru_cache(maxsize=131072)
def _loose_word(want_key: str, want: str, key: str, word: str, lang: str) -> bool:
    if tm.same_word(want_key, key, lang):
        return True
    n = len(want)
    if n >= 3 and word.startswith(want) and len(word) - n <= 3:
        return True  # "headers", "cookies": a kept English word with the target's ending
    if lang in COMPOUNDING and n >= 4 and len(word) - n >= 3 and (word.startswith(want) or want in word[-(n + 3):]):
        return True  # "Eventhandler", "Requestbodys"
    if not tm.has_stemmer(lang):
        return False
    starts = range(0, 5) if lang in PREFIXING else range(0, 1)
    for cut in starts:
        rest = word[cut:]
        if len(rest) < 5:
            break
        if cut and tm.same_word(want_key, tm.key(rest, lang), lang):
            return True  # про-валидировать
        shared = tm._common(rest, want)
        if shared >= 6 and shared >= len(want_key) - 3:
            return True  # "валидирует" / "валидировать"
    return False


def _spaceless(rendering: str, block: Block, loose: bool) -> list[tuple[int, int]]:
    parts = []
    for w in tm._WORD.findall(rendering.lower()):
        if _LATIN.match(w):
            tail = "[a-z]{0,3}" if loose else "(?:e?s)?"
            parts.append(rf"(?<![a-z0-9]){re.escape(w)}{tail}(?![a-z0-9])")
        else:
            parts.append(re.escape(w))
    if not parts:
        return []
    pattern = _JOINERS.join(parts)
    return [(m.start(), m.end()) for m in re.finditer(pattern, block.folded)]


def find(rendering: str, block: Block, loose: bool, max_gap: int = 1, exact: bool = False,
         skip: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """Spans of ``rendering`` in the block. ``loose``: the tolerant reading above (is the preferred
    rendering there?); otherwise stems as :func:`helpglot.terms.termmatch.find` compares them
    (``exact``: equal stems). ``skip``: positions (word indices of the rendering) that may be left
    out, for optional words such as an article inside a rendering."""
    if block.lang in SPACELESS:
        return _spaceless(rendering, block, loose)
    words = tuple(w for k, w in enumerate(_words(rendering, block.lang)) if k not in skip)
    if not loose:
        return tm.find(tuple(k for k, _ in words), list(block.toks), block.lang, max_gap, exact=exact)
    if not words:
        return []
    lang = block.lang
    return tm.in_order(list(words), list(block.toks),
                       lambda want, tok: _loose_word(want[0], want[1], tok.key, tok.word, lang), max_gap)


def variants(rendering: str, source_term: str, lang: str) -> list[frozenset[int]]:
    """Word positions of a rendering that a sentence may leave out, as alternatives to try: its
    inner words of one to three letters (an article or preposition: "crear un instance" →
    "crear instances"), and Latin-script words that the English term does not have, a qualifier the
    guide added to fix the sense ("HTTP-запрос" for "request": the sentence says "запрос")."""
    words = tm._WORD.findall(rendering)
    out = [frozenset()]
    if len(words) > 2:
        inner = frozenset(k for k, w in enumerate(words) if 0 < k < len(words) - 1 and len(w) <= 3)
        if inner:
            out.append(inner)
    source_words = {w.casefold() for w in tm._WORD.findall(source_term)}
    other_script = any(not _LATIN_SCRIPT.match(w) for w in words)  # Cyrillic, Greek, ...: the Latin words stand out
    qualifiers = frozenset(k for k, w in enumerate(words) if _LATIN.match(w) and w.isascii()
                           and w.casefold() not in source_words)
    if other_script and qualifiers and len(qualifiers) < len(words) and lang not in SPACELESS:
        out.append(qualifiers)
    return out
