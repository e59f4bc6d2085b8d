"""Characters a reader cannot see: bidi controls, zero-width characters and Unicode tags.

A term, a translation or a file name may carry them unseen; the safety check reports them
and the term base refuses them, so one list serves both stages. The bidi marks (U+200E,
U+200F, U+061C) reorder what a reader sees around them, and the tag block U+E0000–U+E007F
spells out ASCII no reader sees but a language model or a copy-paste does ("ASCII
smuggling"), so they count as invisible too.
"""

from __future__ import annotations

import re

INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
}
TAG_BLOCK = "TAG CHARACTER (U+E0000-U+E007F, hidden ASCII)"
TAGS = re.compile("[\U000e0000-\U000e007f]+")
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "\U000e0000-\U000e007f]")


def _name(char: str) -> str:
    return INVISIBLE.get(char) or TAG_BLOCK


def invisible(text: str) -> list[str]:
    """The names of the bidi controls, zero-width and tag characters in ``text``, once each."""
    return list(dict.fromkeys(_name(c) for c in _INVISIBLE.findall(text)))


def strip_tags(text: str) -> str:
    """``text`` without Unicode tag characters (never shown, never needed on a help page)."""
    return TAGS.sub("", text) if "\U000e0000" <= max(text, default="\0") else text


#: invisible characters a language's writing system needs, in ordinary text (never the bidi
#: embeddings, overrides and isolates: those reorder what a reader sees)
_RTL = frozenset("ar he fa ur yi ps sd ug dv ckb ku-arab".split())
_JOINING = frozenset("fa ur ps ckb hi bn mr ne ta te kn ml gu pa si or sa as".split())


def usual_in(lang: str) -> frozenset[str]:
    """Names of the invisible characters that are ordinary in ``lang``: directional marks in
    right-to-left scripts (Arabic, Hebrew, Persian...), joiners where the script needs them
    (Persian "می‌خواهم", Hindi conjuncts)."""
    code = lang.lower()
    base = code.split("-")[0]
    names: set[str] = set()
    if code in _RTL or base in _RTL:
        names |= {"LEFT-TO-RIGHT MARK", "RIGHT-TO-LEFT MARK", "ARABIC LETTER MARK"}
    if code in _JOINING or base in _JOINING:
        names |= {"ZERO WIDTH NON-JOINER", "ZERO WIDTH JOINER"}
    return frozenset(names)

