"""Pseudo-localisation: a free, offline, deterministic "translation" for layout and pipeline tests.

``Go to <g id="1">Settings</g>`` becomes ``[Góó tó <g id="1">Séttííngs</g>]``: letters get
accented look-alikes (a page that still shows plain ASCII was not translated), text grows by
about 30% (real translations from English run longer; a layout that breaks should break here
first) and each segment is bracketed (a string cut short or glued to another shows at once).
Only text between tags changes; tags and entities pass through untouched, so
:func:`helpglot.markdown.inline.restore` always succeeds.

Growth repeats vowels (letters a reader can still parse, and that count as letters for any
length check) spread evenly over the run; the amount is carried from run to run, so a segment
grows by round(30% of its letters) whatever the tags split it into.
"""

from __future__ import annotations

import re

from helpglot.drafting.engines.base import EngineOptions, Request

_ACCENTS = str.maketrans(
    "aeiouycnszAEIOUYCNSZ",
    "áéíóúýçñšžÁÉÍÓÚÝÇÑŠŽ",
)
_VOWELS = frozenset("áéíóúýÁÉÍÓÚÝ")
_MARKUP = re.compile(r"(<[^<>]*>|&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")
GROWTH = 0.3


def _grow(run: str, extra: int) -> str:
    """``run`` with ``extra`` letters added by repeating its vowels (its letters if none), evenly."""
    if extra <= 0:
        return run
    slots = [k for k, c in enumerate(run) if c in _VOWELS] or [k for k, c in enumerate(run) if c.isalpha()]
    if not slots:
        return run
    repeat = {slot: extra * (n + 1) // len(slots) - extra * n // len(slots) for n, slot in enumerate(slots)}
    return "".join(c * (1 + repeat.get(k, 0)) for k, c in enumerate(run))


def pseudo_localize(fragment: str, keep: tuple[str, ...] = ()) -> str:
    """The pseudo-translation of one protected segment (see the module docstring).

    ``keep``: do-not-translate names (the glossary's ``dnt`` terms), left verbatim as a
    real engine with that glossary would, so a pseudo draft passes the glossary check.
    """
    splitter = _MARKUP
    if keep:
        names = "|".join(re.escape(term) for term in sorted(keep, key=len, reverse=True))
        splitter = re.compile(rf"({_MARKUP.pattern[1:-1]}|(?<!\w)(?:{names})(?!\w))")
    parts = splitter.split(fragment)
    letters = added = 0
    for k in range(0, len(parts), 2):  # even indexes are text, odd ones tags or entities
        run = parts[k]
        count = sum(c.isalpha() for c in run)
        letters += count
        extra = round(letters * GROWTH) - added if count else 0
        added += extra
        parts[k] = _grow(run.translate(_ACCENTS), extra)
    return f"[{''.join(parts)}]"


class PseudoEngine:
    """The ``pseudo`` engine: any language pair, free, same output for the same input."""

    name = "pseudo"
    max_texts = 50
    max_bytes = 128 * 1024

    def __init__(self, options: EngineOptions) -> None:
        self.options = options

    def supports(self, source: str, target: str) -> bool:
        return True

    def translate(self, request: Request) -> list[str]:
        keep = tuple(src for src, tgt in request.glossary.entries if src == tgt) if request.glossary else ()
        return [pseudo_localize(text, keep) for text in request.texts]

    def cost(self, chars: int) -> float:
        return 0.0
