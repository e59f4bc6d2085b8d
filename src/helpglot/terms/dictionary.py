"""A real dictionary's word analysis (Hunspell), to confirm what a stemmer only guesses.

Snowball stems are suffix-stripping guesses: Spanish "marcará" (will mark) and "marque"
(mark, subjunctive) stem like "marco" (frame), Lithuanian "parą" (day) like "parama" (support).
A glossary that deprecates "marco" must not flag every form of "marcar". Hunspell knows the
lexicon: ``hunspell -s`` gives the dictionary stems of a word, so a deprecated hit is confirmed
only when the found word's stems include the deprecated word (or the word is the deprecated word).

The dictionaries are Debian's ``hunspell-*`` packages (``/usr/share/hunspell/<lang>_<REGION>.dic``),
run through the ``hunspell`` command (one process per batch of words, results cached). Where the
command or a language's dictionary is missing, :func:`stems` returns None and callers keep the
stemmer's verdict: the check is then as before, never silently weaker.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"), Path("/usr/share/myspell"))
_CACHE: dict[tuple[str, str], frozenset[str]] = {}


@lru_cache(maxsize=32)
def dictionary(lang: str) -> str | None:
    """The path (without .dic) of the installed Hunspell dictionary for ``lang``, or None."""
    if shutil.which("hunspell") is None:
        return None
    base = lang.split("-")[0].lower()
    for folder in DIRS:
        preferred = folder / f"{base}_{base.upper()}.dic"
        if preferred.is_file():
            return str(preferred.with_suffix(""))
        found = sorted(folder.glob(f"{base}_*.dic")) if folder.is_dir() else []
        if found:
            return str(found[0].with_suffix(""))
    return None


def stems(words: list[str], lang: str) -> dict[str, frozenset[str]] | None:
    """Each word's dictionary stems (lower case; empty for a word the dictionary does not know),
    or None when no dictionary is available for ``lang``."""
    path = dictionary(lang)
    if path is None:
        return None
    todo = sorted({w for w in words if (lang, w) not in _CACHE and w.strip() and "\n" not in w})
    if todo:
        try:
            proc = subprocess.run(["hunspell", "-d", path, "-s", "-i", "utf-8"], input="\n".join(todo) + "\n",
                                  capture_output=True, text=True, encoding="utf-8", timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return None
        found: dict[str, set[str]] = {w: set() for w in todo}
        for line in proc.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] in found:
                found[parts[0]].add(parts[-1].lower())
        for word, got in found.items():
            _CACHE[(lang, word)] = frozenset(got)
    return {w: _CACHE.get((lang, w), frozenset()) for w in words}


def confirms(found: str, lemma: str, lang: str) -> bool | None:
    """Is the word ``found`` a form of the dictionary word ``lemma``? None: no dictionary, or the
    dictionary knows neither word (the caller keeps its own verdict)."""
    a, b = found.lower(), lemma.lower()
    if a == b:
        return True
    known = stems([found, lemma, a, b], lang)
    if known is None:
        return None
    found_stems = known[found] | known[a]
    lemma_stems = known[lemma] | known[b]
    if not found_stems:
        # a word the dictionary does not know is no form of a word it knows ("proxy" is not "probar")
        return False if lemma_stems else None
    if b in found_stems:
        return True
    # a deprecated word that is not a dictionary root itself: an inflected form ("facturas") or a
    # word derived from another root ("comprobación" from "comprobar"). Hunspell gives only the root,
    # so sharing it is not enough: a guide that forbids the noun "comprobación" does not forbid the
    # verb "comprobar" (blind labels: 4 of 4 such findings false). The found word must be the same
    # word up to an ending added or dropped: "comprobaciones", "factura" for "facturas".
    if lemma_stems and b not in lemma_stems and found_stems & lemma_stems:
        x, y = _bare(a), _bare(b)
        return x.startswith(y) or y.startswith(x)
    return False


def _bare(word: str) -> str:
    """Lower case without accents: "comprobaciones" extends "comprobación"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
