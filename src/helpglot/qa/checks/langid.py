"""Which language a sentence is in, between the source language and a translation's.

Used by the ``untranslated`` check to find English left *inside* translated blocks: a block
that is half translated is not identical to its source, so comparing whole blocks misses it.
py3langid ships its model in the wheel (no download at run time) and is fast (about 70 µs per
sentence); it is loaded once per process, on first use, and asked only to choose between two
languages, which is far more reliable on short technical sentences than a 97-way guess.
"""

from __future__ import annotations

import math
from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():  # noqa: ANN202
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)


@lru_cache(maxsize=8192)
def probability(text: str, lang: str, other: str) -> float | None:
    """P(``text`` is ``lang`` rather than ``other``); None when the model knows one of them not."""
    scores = dict(_identifier().rank(text))
    a, b = lang.split("-")[0], other.split("-")[0]
    if a not in scores or b not in scores:
        return None
    diff = max(-50.0, min(50.0, scores[b] - scores[a]))
    return 1.0 / (1.0 + math.exp(diff))
