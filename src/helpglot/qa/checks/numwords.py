"""Numbers as readers read them: not the digits of identifiers, dates in any order, small numbers as words.

The ``numbers`` check compares the numbers of a block and its translation. On real
documentation most differences a naive comparison sees are not errors:

* digits inside identifiers (``OAuth2``, ``HTTP/2``, ``utf-8``, ``base64``, ``x86_64``) are
  part of a name, and a translation that writes "OAuth 2" or drops the name is ``markup``'s
  or the glossary's business, not a changed number;
* a date written the local way (``2023-08-26`` and ``26.08.2023``) is the same date;
* small numbers are words in running text: "two servers" / "zwei Server", "one process" /
  "1つのプロセス". A translation may spell out a source digit in its own language, or write
  as a digit what the source spells out in English.

:func:`extract` gives the comparable numbers of a text; :func:`small_word` says whether a text
spells out a small number in a language.
"""

from __future__ import annotations

import re
import unicodedata

# a full stop may end the sentence after a date ("... on 2022-01-01."), a version may not ("2022-01-01.5")
_DATE_ISO = re.compile(r"(?<![\d.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])(?!\.\d)")
_DATE_DMY = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{1,3}(?!\d))*(?:[.,]\d+)?")
_ASCII_LETTER = re.compile(r"[A-Za-z]")

#: 1..12 spelled out (lower case; for inflecting languages the stems every form starts with)
WORDS: dict[str, dict[int, tuple[str, ...]]] = {
    "en": {1: ("one", "once", "single", "a", "an", "first"), 2: ("two", "twice", "both", "pair", "second", "couple"),
           3: ("three", "third"), 4: ("four", "fourth"), 5: ("five", "fifth"), 6: ("six", "sixth"),
           7: ("seven",), 8: ("eight",), 9: ("nine",), 10: ("ten",), 11: ("eleven",), 12: ("twelve",)},
    "es": {1: ("un", "uno", "una", "primer"), 2: ("dos", "ambos", "ambas", "segund"), 3: ("tres", "tercer"),
           4: ("cuatro", "cuart"), 5: ("cinco", "quint"), 6: ("seis",), 7: ("siete",), 8: ("ocho",), 9: ("nueve",),
           10: ("diez",), 11: ("once",), 12: ("doce",)},
    "ru": {1: ("один", "одн", "перв"), 2: ("два", "две", "двух", "двум", "двумя", "оба", "обе", "втор", "пару", "пара"),
           3: ("три", "трёх", "трех", "трем", "тремя", "трет"), 4: ("четыр", "четвер"), 5: ("пят",),
           6: ("шест",), 7: ("сем",), 8: ("восем", "восьм"), 9: ("девят",), 10: ("десят",),
           11: ("одиннадцат",), 12: ("двенадцат",)},
    "tr": {1: ("bir", "tek", "ilk"), 2: ("iki", "ikinci"), 3: ("üç",), 4: ("dört",), 5: ("beş",), 6: ("altı",),
           7: ("yedi",), 8: ("sekiz",), 9: ("dokuz",), 10: ("on",), 11: ("on bir",), 12: ("on iki",)},
    "de": {1: ("ein", "eins", "einzig", "erst"), 2: ("zwei", "beide", "zweit"), 3: ("drei", "dritt"),
           4: ("vier",), 5: ("fünf",), 6: ("sechs",), 7: ("sieben",), 8: ("acht",), 9: ("neun",), 10: ("zehn",),
           11: ("elf",), 12: ("zwölf",)},
    "ro": {1: ("un", "una", "unu", "o", "prim"), 2: ("doi", "două", "amândo", "al doilea"), 3: ("trei",),
           4: ("patru",), 5: ("cinci",), 6: ("șase", "şase"), 7: ("șapte", "şapte"), 8: ("opt",), 9: ("nouă",),
           10: ("zece",), 11: ("unsprezece",), 12: ("douăsprezece", "doisprezece")},
    "lt": {1: ("vien", "pirm"), 2: ("du", "dvi", "dviej", "dvie", "abu", "abi", "antr"), 3: ("trys", "trij", "treč"),
           4: ("keturi",), 5: ("penki",), 6: ("šeši",), 7: ("septyni",), 8: ("aštuoni",), 9: ("devyni",),
           10: ("dešimt",), 11: ("vienuolik",), 12: ("dvylik",)},
    "ja": {1: ("一", "ひと"), 2: ("二", "ふた", "両"), 3: ("三", "みっ"), 4: ("四",), 5: ("五",), 6: ("六",),
           7: ("七",), 8: ("八",), 9: ("九",), 10: ("十",)},
    "zh": {1: ("一", "单"), 2: ("二", "两", "兩"), 3: ("三",), 4: ("四",), 5: ("五",), 6: ("六",), 7: ("七",),
           8: ("八",), 9: ("九",), 10: ("十",)},
    "fr": {1: ("un", "une", "seul", "premi"), 2: ("deux",), 3: ("trois",), 4: ("quatre",), 5: ("cinq",),
           6: ("six",), 7: ("sept",), 8: ("huit",), 9: ("neuf",), 10: ("dix",), 11: ("onze",), 12: ("douze",)},
    "pt": {1: ("um", "uma", "primeir"), 2: ("dois", "duas", "ambos"), 3: ("três",), 4: ("quatro",), 5: ("cinco",),
           6: ("seis",), 7: ("sete",), 8: ("oito",), 9: ("nove",), 10: ("dez",), 11: ("onze",), 12: ("doze",)},
}
_CJK = frozenset(("ja", "zh", "ko"))
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def extract(text: str) -> list[str]:
    """The numbers of a reader-visible text, as tokens to compare (dates as ``date:YYYY-MM-DD``)."""
    text = unicodedata.normalize("NFKC", text)
    found: list[str] = []

    def date(match: re.Match, ymd: tuple[int, int, int]) -> str:
        y, m, d = ymd
        found.append(f"date:{y:04d}-{m:02d}-{d:02d}")
        return " " * len(match.group())

    text = _DATE_ISO.sub(lambda m: date(m, (int(m[1]), int(m[2]), int(m[3]))), text)
    text = _DATE_DMY.sub(lambda m: date(m, (int(m[3]), int(m[2]), int(m[1]))), text)
    for match in _NUMBER.finditer(text):
        a, b = match.span()
        before, after = text[a - 1 : a] if a else "", text[b : b + 1]
        # part of an identifier: OAuth2, base64, x86_64, h2; HTTP/2, utf-8, ISO-8601. A unit after the
        # number (1GB, 10ms) keeps it a number, as does a version's "v" (v2)
        prev = text[a - 2] if a >= 2 else " "
        if before == "v" and not _ASCII_LETTER.match(prev):
            pass
        elif _ASCII_LETTER.match(before) or before == "_" or after == "_":
            continue
        elif before and before in "-/" and _ASCII_LETTER.match(prev):
            continue
        elif after == "進":
            continue  # 16進 (hexadecimal), 2進数 (binary): the name of a base, a word with digits in it
        found.append(match.group().strip())
    return found


def digit_runs(text: str) -> set[str]:
    """Every run of digits in a text, identifiers included ("UTF-8-kodierte" -> {"8"})."""
    return set(re.findall(r"\d+", unicodedata.normalize("NFKC", text)))


#: CJK counters: "1つのファイル" (a file), "2〜3回" (a couple of times) write an article or "a few"
#: as a digit and a counter; the English has no digit there
_COUNTERS = "つ回個人本枚台件点種目度"


def counted(text: str, token: str, lang: str) -> bool:
    """Is the small number ``token`` in a CJK ``text`` only a digit before a counter?"""
    if lang.split("-")[0] not in _CJK or not token.isdigit() or int(token) > 3:
        return False
    text = unicodedata.normalize("NFKC", text)
    return bool(re.search(rf"(?<!\d){token}\s?(?:[〜~-]\s?\d\s?)?[{_COUNTERS}]", text))


def value(token: str) -> int | None:
    """The integer a plain digit token stands for (None for decimals, dates, grouped numbers)."""
    return int(token) if token.isdigit() else None


def small_word(text: str, n: int, lang: str) -> bool:
    """Does ``text`` spell out the number ``n`` (1..12) in ``lang`` (any inflection)?"""
    forms = WORDS.get(lang.split("-")[0].lower(), {}).get(n)
    if not forms:
        return False
    low = text.lower()
    if lang in _CJK:
        return any(form in low for form in forms)
    words = _WORD_RE.findall(low)
    return any(w == form or (len(form) >= 3 and w.startswith(form)) for w in words for form in forms)
