"""The usual translation/source length ratio per language pair, learned from the project.

Characters per sentence differ by script and language: Japanese takes about half the
characters of English, German a sixth more. A fixed ratio band flags every CJK block (FastAPI's
Japanese docs got 1,726 warnings) and misses a halved German one. :func:`expected` therefore
learns the median ratio of a language from the project's own *reviewed* translations (every block
of the file reviewed, per its provenance) when they give enough block pairs, and otherwise
uses a default for the language (:data:`helpglot.tracking.align.RATIO`, CJK-aware). The result is cached per
project, language and state of the translation folder.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from helpglot import layout
from helpglot.errors import HelpglotError
from helpglot.markdown.segment import parse_file
from helpglot.tracking import provenance
from helpglot.tracking.align import RATIO, align

#: block pairs of at least MIN_CHARS source characters needed before a learned ratio is trusted
MIN_PAIRS = 60
MIN_CHARS = 40
DEFAULT = 1.1


def default(lang: str) -> float:
    return RATIO.get(lang, RATIO.get(lang.split("-")[0], DEFAULT))


def expected(settings, lang: str) -> tuple[float, str]:  # noqa: ANN001
    """(ratio, where it comes from): learned from reviewed translations, or the language default."""
    if settings is None:
        return default(lang), "default"
    folder = Path(settings.translations_dir) / lang
    key = (str(folder), lang, folder.stat().st_mtime_ns if folder.is_dir() else 0)
    if key not in _CACHE:
        _CACHE[key] = _learned(settings, lang)
    return _CACHE[key]


_CACHE: dict[tuple[str, str, int], tuple[float, str]] = {}


def _learned(settings, lang: str) -> tuple[float, str]:  # noqa: ANN001
    from helpglot.qa.checks import plain

    ratios: list[float] = []
    try:
        files = layout.translation_files(settings, (lang,))
    except HelpglotError:
        files = []
    for tf in files:
        if not tf.has_source:
            continue
        try:
            doc = parse_file(str(tf.path))
            prov = provenance.read(doc)
            if prov is None or prov.machine:
                continue
            source = parse_file(str(tf.source))
        except HelpglotError:
            continue
        for t, s in align(source, doc, lang).pairs:
            a, b = plain(source.blocks[s].text), plain(doc.blocks[t].text)
            if len(a) >= MIN_CHARS and b:
                ratios.append(len(b) / len(a))
    if len(ratios) >= MIN_PAIRS:
        return statistics.median(ratios), f"learned from {len(ratios)} reviewed blocks"
    return default(lang), "default"
