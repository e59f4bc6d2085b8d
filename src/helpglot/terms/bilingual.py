"""Ordinary translations of an English word, from the bilingual dictionaries Debian ships.

A term base says how a team renders "response"; it rarely lists every other way to say it. A
translation that does not have the preferred rendering may have reworded the sentence (a
pronoun, an ellipsis: nothing to fix), or may have said the term with another word ("Antwort"
where the guide keeps "Response"): the replaced term a reviewer wants to hear about. A general
bilingual dictionary tells the two apart: it knows that "Antwort", "отклик" and "応答" translate
"response". This module reads the dictd files of Debian's ``dict-freedict-*`` packages (and
``mueller7-dict`` for English-Russian) in both directions (English to the language: the entry
of "response"; the language to English: every entry that glosses a word as "response") and
returns single-word translations only: phrases and examples are the dictionary's illustrations,
not renderings.

Where no dictionary is installed for a language, :func:`translations` returns an empty set and
callers report nothing more than before.
"""

from __future__ import annotations

import base64
import bisect
import gzip
import re
from functools import lru_cache
from pathlib import Path

DIRS = (Path("/usr/share/dictd"),)
# ISO 639-1 (the project's language codes) to the ISO 639-3 codes of FreeDict's file names
ISO3 = {"es": "spa", "ru": "rus", "tr": "tur", "ja": "jpn", "de": "deu", "fr": "fra", "it": "ita",
        "pt": "por", "nl": "nld", "pl": "pol", "sv": "swe", "fi": "fin", "el": "ell", "lt": "lit",
        "ro": "ron", "cs": "ces", "da": "dan", "hu": "hun", "bg": "bul", "uk": "ukr", "ko": "kor",
        "zh": "zho"}
# other English-to-language dictionaries Debian packages under another name
EXTRA = {"ru": ("mueller7",)}
_NOISE = re.compile(r"<[^<>]*>|\[[^\[\]]*\]|\{[^{}]*\}|/[^/\n]*/|\"[^\"\n]*\"|_\w+\.?|\b\d+[.)]")
_PARENS = re.compile(r"\([^()]*\)")
_SKIP_LINE = re.compile(r"^\s*(?:Note|see|Synonyms?|Antonyms?|Example)s?:|^\s*\"", re.I)
_WORD = re.compile(r"^[^\W\d_][\w'’-]*$")
_HIRAGANA = re.compile(r"^[\u3041-\u309f\u30fc]+$")


def _number(text: bytes) -> int:
    """A dictd index number: big-endian base 64 without padding."""
    padded = b"A" * (-len(text) % 4) + text
    return int.from_bytes(base64.b64decode(padded), "big")


_ROW = re.compile(rb"^([^\t\n]*)\t([A-Za-z0-9+/]+)\t([A-Za-z0-9+/]+)$", re.M)


class _Dict:
    """One dictd dictionary: its index and text, read once; the index is searched, not loaded
    into objects, and the offsets for a full-text search are decoded only when one is made."""

    def __init__(self, base: Path) -> None:
        self.raw_index = base.with_suffix(".index").read_bytes()
        self.data = gzip.open(base.with_suffix(".dict.dz")).read()  # offsets count bytes
        self._spans: tuple[list[tuple[int, bytes]], list[tuple[bytes, bytes, bytes]]] | None = None

    def _entry(self, offset: int, length: int) -> str:
        return self.data[offset : offset + length].decode("utf-8", errors="replace")

    def entries(self, word: str) -> list[str]:
        out = []
        for form in dict.fromkeys((word, word.casefold(), word[:1].upper() + word[1:].casefold())):
            needle = b"\n" + form.encode() + b"\t"
            at = self.raw_index.find(needle)
            while at != -1:
                line = self.raw_index[at + 1 : self.raw_index.find(b"\n", at + 1)].split(b"\t")
                if len(line) >= 3:
                    out.append(self._entry(_number(line[1]), _number(line[2])))
                at = self.raw_index.find(needle, at + 1)
        return out

    def _all(self) -> tuple[list[tuple[int, bytes]], list[tuple[bytes, bytes, bytes]]]:
        """The index rows in the order of their offsets, compared without decoding them: a dictd
        number has no leading zero digit, so (length, digits) orders like the number once the
        digits are mapped to bytes in their own order (base 64's "A-Za-z0-9+/" is not ASCII's)."""
        if self._spans is None:
            rows = sorted((r for r in _ROW.findall(self.raw_index) if not r[0].startswith(b"00-database")),
                          key=lambda r: (len(r[1]), r[1].translate(_ORDERED)))
            self._spans = ([(len(o), o.translate(_ORDERED)) for _, o, _ in rows], rows)
        return self._spans

    def containing(self, word: str) -> list[tuple[str, str]]:
        """(headword, entry) of each entry whose text has ``word`` as a word (as written, or
        capitalised)."""
        keys, rows = self._all()
        out = []
        seen: set[int] = set()
        for form in dict.fromkeys((word, word[:1].upper() + word[1:])):
            needle = form.encode()
            at = self.data.find(needle)
            while at != -1:
                before, after = self.data[at - 1 : at], self.data[at + len(needle) : at + len(needle) + 1]
                code = _encode(at)
                k = bisect.bisect_right(keys, (len(code), code.translate(_ORDERED))) - 1
                if not (_wordbyte(before) or _wordbyte(after)) and k >= 0 and k not in seen:
                    start, end = _number(rows[k][1]), _number(rows[k][1]) + _number(rows[k][2])
                    if at < end:
                        seen.add(k)
                        # every headword pointing at this entry (a kanji word and its reading share one)
                        j = k
                        while j >= 0 and rows[j][1] == rows[k][1]:
                            out.append((rows[j][0].decode("utf-8", errors="replace").casefold(),
                                        self._entry(start, end - start)))
                            j -= 1
                at = self.data.find(needle, at + 1)
        return out


_DIGITS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ORDERED = bytes.maketrans(_DIGITS, bytes(range(0x30, 0x70)))


def _encode(number: int) -> bytes:
    """A number as dictd writes it (see :func:`_number`)."""
    out = bytearray()
    while True:
        number, rest = divmod(number, 64)
        out.append(_DIGITS[rest])
        if not number:
            return bytes(reversed(out))


def _wordbyte(b: bytes) -> bool:
    """A byte that continues a word: a letter, digit, "_" or "-", or part of a UTF-8 letter."""
    return bool(b) and (b[0] >= 0x80 or chr(b[0]).isalnum() or b in (b"_", b"-"))


def items(entry: str) -> list[str]:
    """The single words an entry gives as translations (its first line is the headword; notes,
    examples, grammar marks and phrases are left out)."""
    words = []
    for line in entry.split("\n")[1:]:
        if _SKIP_LINE.match(line):
            continue
        line = _NOISE.sub(" ", line)
        while _PARENS.search(line):
            line = _PARENS.sub(" ", line)
        for part in re.split(r"[,;:.]", line):
            part = part.strip(" \t-–")
            if _WORD.match(part):
                words.append(part.casefold())
    return words


@lru_cache(maxsize=64)
def _open(name: str) -> _Dict | None:
    for folder in DIRS:
        base = folder / name
        if base.with_suffix(".index").is_file() and base.with_suffix(".dict.dz").is_file():
            return _Dict(base)
    return None


def fingerprint() -> str:
    """Which dictionaries are installed, by file name, size and time: search renders English-only
    titles with them (:mod:`helpglot.site.dictrender`), so a build key must change with them."""
    seen = []
    for folder in DIRS:
        if folder.is_dir():
            for path in sorted(folder.glob("*.index")):
                st = path.stat()
                seen.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(seen)


def available(lang: str) -> bool:
    """Is a dictionary between English and ``lang`` installed?"""
    return bool(_dicts(lang, True) or _dicts(lang, False))


def _dicts(lang: str, from_english: bool) -> list[_Dict]:
    code = ISO3.get(lang.split("-")[0].lower())
    if code is None:
        return []
    names = [f"freedict-eng-{code}", *EXTRA.get(lang, ())] if from_english else [f"freedict-{code}-eng"]
    return [d for d in (_open(n) for n in names) if d is not None]


@lru_cache(maxsize=4096)
def translations(word: str, lang: str) -> frozenset[str]:
    """The single-word translations of the English ``word`` in ``lang`` (lower case): the entry of
    the word in an English-to-language dictionary, and every headword of a language-to-English
    dictionary glossed as the word. Hiragana-only headwords (a kanji word's reading) are left out."""
    word = word.casefold()
    found: set[str] = set()
    for d in _dicts(lang, True):
        for entry in d.entries(word):
            found.update(items(entry))
    for d in _dicts(lang, False):
        for head, entry in d.containing(word):
            if word in items(entry) and _WORD.match(head):
                found.add(head)
    return frozenset(w for w in found if not _HIRAGANA.match(w) and w != word)


@lru_cache(maxsize=65536)
def forward(word: str, lang: str) -> frozenset[str]:
    """The single-word translations an English-to-language dictionary's entry of ``word`` gives
    (no reverse look-up: cheap enough for every word of a block)."""
    out: set[str] = set()
    for d in _dicts(lang, True):
        for entry in d.entries(word):
            out.update(items(entry))
    return frozenset(out)


@lru_cache(maxsize=65536)
def glosses(word: str, lang: str) -> frozenset[str]:
    """The English single words a language-to-English dictionary gives for ``word``."""
    out: set[str] = set()
    for d in _dicts(lang, False):
        for entry in d.entries(word):
            out.update(items(entry))
    return frozenset(out)
