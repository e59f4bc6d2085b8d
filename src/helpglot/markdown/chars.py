"""Characters a reader cannot see: bidi controls and zero-width characters.

A term, a translation or a file name may carry them unseen; the safety check reports them
and the term base refuses them, so one list serves both stages.
"""

from __future__ import annotations

import re

INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE", "\u200c": "ZERO WIDTH NON-JOINER", "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")


def invisible(text: str) -> list[str]:
    """The names of the bidi controls and zero-width characters in ``text``, once each."""
    return list(dict.fromkeys(INVISIBLE[c] for c in _INVISIBLE.findall(text)))
