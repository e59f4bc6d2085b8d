"""``numbers``, ``untranslated`` and ``length``: the words of each aligned block pair.

* ``numbers`` (error): a price, a version, a limit or a day count that changes in
  translation misleads readers in a way nobody notices in review. Numbers are
  compared on the reader-visible text (code and link targets are ``markup``'s),
  as multisets, and each side's number may be written the local way: 1,250.00,
  1.250,00 and 1 250,00 are one value; so are 5,000, 5.000 and 5 000. An error,
  not a warning, because a translation that spells a number out can always keep
  the digits, and a CI gate should stop a changed price.
* ``untranslated`` (warning): a block left in English. Code, links, numbers, do-
  not-translate glossary terms and capitalised names are taken out first, and a
  block needs at least three remaining lower-case words to count, so "Tallybird
  API", "Stripe" or a table cell "CSV" are never flagged.
* ``length`` (warning): a translation far shorter or longer than its source is
  usually truncated or holds a second copy. Usual ratios (translation/source
  characters, blocks of 40+ characters): es 0.9-1.5, ro 0.9-1.5, tr 0.8-1.5,
  ru 0.8-1.5, lt 0.8-1.4. Only ratios outside [0.5, 2.5] are reported: the
  point is catching a lost half, not style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from helpglot.qa.checks import langid, numwords, plain, ratios, short
from helpglot.qa.checks.base import ERROR, WARNING, Finding, Pair

#: Usual translation/source length ratios, documentation for reviewers; the finding uses LIMITS.
USUAL_RATIO = {"es": (0.9, 1.5), "ro": (0.9, 1.5), "tr": (0.8, 1.5), "ru": (0.8, 1.5), "lt": (0.8, 1.4)}
LIMITS = (0.5, 2.5)  # (the band for a usual ratio of 1; see BAND)
#: a block is reported outside [usual * BAND[0], usual * BAND[1]]
BAND = (0.45, 2.3)
SHORT_BAND = (0.3, 3.2)  # for blocks under LONG characters
LONG = 100
MIN_LENGTH = 40

_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def readings(token: str) -> frozenset[str]:
    """The values a written number may mean, as "digits[.fraction]" strings, plus the token itself.

    A decimal mark (``.`` or ``,``) appears once; every other separator must group exactly
    three digits. "1.250,00" -> {"1250.00"}; "5,000" -> {"5.000", "5000"}; "2.3.1" -> itself.
    """
    token = re.sub(r"[\u00a0\u202f ]", " ", token)
    out = {token.replace(" ", "")}
    for mark in (".", ",", None):
        if mark is not None and token.count(mark) != 1:
            continue
        head, _, tail = token.partition(mark) if mark else (token, "", "")
        groups = re.split(r"[., ]", head)
        if any(len(g) != 3 for g in groups[1:]) or not tail.isdigit() and mark:
            continue
        out.add("".join(groups) + (f".{tail}" if mark else ""))
    return frozenset(out)


def numbers(text: str) -> list[str]:
    """The comparable numbers of a block's reader-visible text (see :mod:`helpglot.qa.checks.numwords`)."""
    return numwords.extract(plain(text))


def _match(src: list[str], tr: list[str]) -> tuple[list[str], list[str]]:
    """Source numbers with no equal-valued translation number, and translation numbers left over."""
    left = list(tr)
    lost: list[str] = []
    for token in src:
        values = readings(token)
        hit = next((x for x in left if readings(x) & values), None)
        if hit is None:
            lost.append(token)
        else:
            left.remove(hit)
    return lost, left


class NumbersCheck:
    id = "numbers"
    name = "Numbers"
    severity = ERROR
    description = "Digits, prices, versions and counts kept (local number formats allowed)."

    def run(self, pair: Pair) -> Iterator[Finding]:
        source_lang = pair.settings.source_lang if pair.settings is not None else "en"
        for t, tb, sb in pair.aligned():
            lost, added = _match(numbers(sb.text), numbers(tb.text))
            if not lost and not added:
                continue
            # a small number may be a word on the other side: "2 servers" / "zwei Server", "one" / "1つ"
            # the same digits inside a name on the other side ("OpenAPI 3" / "OpenAPI-3-Ausdruck",
            # "UTF-8" / "UTF-8-kodiert"): a spelling difference, not another number
            lost = [x for x in lost if x not in numwords.digit_runs(plain(tb.text))]
            added = [x for x in added if x not in numwords.digit_runs(plain(sb.text))]
            lost = [x for x in lost if not (1 <= (numwords.value(x) or 0) <= 12
                                            and numwords.small_word(plain(tb.text), int(x), pair.lang))]
            added = [x for x in added if not (1 <= (numwords.value(x) or 0) <= 12
                                              and numwords.small_word(plain(sb.text), int(x), source_lang))
                     and not numwords.counted(plain(tb.text), x, pair.lang)]
            if not lost and not added:
                continue
            if lost and added:
                what = f"{', '.join(lost)} became {', '.join(added)}"
            elif lost:
                what = f"{', '.join(lost)} missing"
            else:
                what = f"{', '.join(added)} not in the source"
            yield Finding(self.id, self.severity, pair.path, tb.line,
                          f"number {what} in the {tb.kind.replace('_', ' ')} (source {pair.source_path}:{sb.line}); "
                          "keep the source's numbers", t + 1)


_DOTTED = re.compile(r"\w+(?:\.\w+)+")  # pytest.mark.anyio, fastapi.Response: names, not words


def _words(text: str, dnt: tuple[str, ...]) -> list[str]:
    for term in dnt:
        text = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " ", text, flags=re.I)
    text = _DOTTED.sub(" ", text)
    return [w for w in _WORD.findall(text) if not w[0].isupper() and len(w) > 1]


_SENTENCE = re.compile(r"[^.!?。！？:;]+[.!?。！？:;]?")
_LATIN_WORD = re.compile(r"[A-Za-z][a-z']+")


class UntranslatedCheck:
    id = "untranslated"
    name = "Untranslated text"
    severity = WARNING
    description = ("A block identical to its source apart from code, names and do-not-translate terms, or an "
                   "English sentence of the source left inside a translated block (language identification).")

    def run(self, pair: Pair) -> Iterator[Finding]:
        dnt = tuple(sorted((t.source for t in pair.glossary if getattr(t, "dnt", False)), key=len, reverse=True))
        source_lang = pair.settings.source_lang if pair.settings is not None else "en"
        # terms the glossary keeps in English in this language ("path operation") are no leftover
        kept = tuple(t.source for t in pair.glossary if not getattr(t, "dnt", False)
                     and getattr(t, "preferred", {}).get(pair.lang, "").casefold() == t.source.casefold())
        cache: list[frozenset[str]] = []

        def common() -> frozenset[str]:
            if not cache:
                cache.append(frozenset(w for b in pair.source.blocks for w in _LOWER.findall(plain(b.text))))
            return cache[0]

        for t, tb, sb in pair.aligned():
            if tb.kind == "meta" and tb.detail == "title":
                continue  # the frontmatter check owns the title
            src, tr = plain(sb.text), plain(tb.text)
            if " ".join(src.split()).casefold() == " ".join(tr.split()).casefold():
                if _GLUED_CODE.search(sb.text):
                    continue  # "`l`ess `t`han": a mnemonic spelled around code, English on purpose
                if len(_words(src, dnt)) >= 3 or _short_leftover(src, dnt + kept, common()):
                    yield Finding(self.id, self.severity, pair.path, tb.line,
                                  f"{tb.kind.replace('_', ' ')} '{short(tb.text)}' is still in the source language "
                                  f"(source {pair.source_path}:{sb.line}); translate it", t + 1)
                continue
            left = self._left_in_english(src, tr, dnt, source_lang, pair.lang)
            if left:
                yield Finding(self.id, self.severity, pair.path, tb.line,
                              f"the {tb.kind.replace('_', ' ')} still has the source's sentence '{short(left, 60)}' "
                              f"in {source_lang}; translate it (source {pair.source_path}:{sb.line})", t + 1)

    @staticmethod
    def _left_in_english(src: str, tr: str, dnt: tuple[str, ...], source_lang: str, lang: str) -> str | None:
        """A sentence of the translation that is the source's words, in the source language."""
        src_words = {w.casefold() for w in _LATIN_WORD.findall(src)}
        for match in _SENTENCE.finditer(tr):
            sentence = match.group().strip()
            words = _words(sentence, dnt)
            latin = [w for w in words if _LATIN_WORD.fullmatch(w)]
            if len(latin) < 6 or len(latin) < 0.8 * len(words):
                continue
            # the source's own words (not a translator's English example), in the source language
            if sum(w.casefold() in src_words for w in latin) < 0.8 * len(latin):
                continue
            p = langid.probability(sentence, source_lang, lang)
            if p is not None and p >= 0.95:
                return sentence
        return None


_LOWER = re.compile(r"(?<![\w'])[a-z]{2,}(?![\w'])")


_GLUED_CODE = re.compile(r"`[^`\s]{1,3}`[a-z]")


def _short_leftover(src: str, known: tuple[str, ...], common: frozenset[str]) -> bool:
    """A short block (a title, a list item) left in English: two or more of its words are words the
    source article itself writes in lower case ("Request Body": "request", "body"), so they are
    ordinary English, not names; terms kept in English by the glossary do not count."""
    for term in known:
        src = re.sub(rf"(?<!\w){re.escape(term)}(?:e?s)?(?!\w)", " ", src, flags=re.I)
    words = [w for w in _WORD.findall(_DOTTED.sub(" ", src)) if len(w) > 1 and not any(c.isdigit() for c in w)]
    ordinary = [w for w in words if w.casefold() in common and not (w.isupper() and len(w) > 1)]
    return len(ordinary) >= 2 and len(ordinary) >= 0.6 * len(words)


_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def _own_code_as_text(text: str, source: str) -> str:
    """``text`` with the inline code the source does not have unwrapped: a translator who puts a
    translated link text in backticks still wrote it for readers, and code is not measured."""
    theirs = {m.group(2) for m in _INLINE_CODE.finditer(source)}
    return _INLINE_CODE.sub(lambda m: m.group(0) if m.group(2) in theirs else m.group(2), text)


class LengthCheck:
    id = "length"
    name = "Length ratio"
    severity = WARNING
    description = (f"Translation/source length far from the language's usual ratio (learned from reviewed "
                   f"translations, CJK-aware) on blocks of {MIN_LENGTH}+ characters.")

    def run(self, pair: Pair) -> Iterator[Finding]:
        usual, basis = ratios.expected(pair.settings, pair.lang, pair.extra.get("langs", ()))
        for t, tb, sb in pair.aligned():
            src, tr = plain(sb.text), plain(_own_code_as_text(tb.text, sb.text))
            if len(src) < MIN_LENGTH:
                continue
            # Gale-Church: the shorter the block, the more its ratio varies (a lead-in, a list item)
            band = BAND if len(src) >= LONG else SHORT_BAND
            low, high = usual * band[0], usual * band[1]
            ratio = len(tr) / len(src)
            if low <= ratio <= high:
                continue
            what = "shorter" if ratio < low else "longer"
            yield Finding(self.id, self.severity, pair.path, tb.line,
                          f"{tb.kind.replace('_', ' ')} is {ratio:.0%} of the source's length (usual for "
                          f"{pair.lang}: {usual:.0%}, {basis}), much {what} than {pair.source_path}:{sb.line}; "
                          "check that nothing was cut or duplicated", t + 1)
