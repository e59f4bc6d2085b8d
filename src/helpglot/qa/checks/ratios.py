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


def expected(settings, lang: str, together: tuple[str, ...] = ()) -> tuple[float, str]:  # noqa: ANN001
    """(ratio, where it comes from): learned from reviewed translations, or the language default.

    ``together``: the other languages the caller will ask about (``check``'s run); they are learned
    in the same pass, which parses each source article once for all of them."""
    if settings is None:
        return default(lang), "default"
    key = _key(settings, lang)
    if key not in _CACHE:
        langs = (lang, *(x for x in dict.fromkeys(together) if x != lang and _key(settings, x) not in _CACHE))
        for other, found in _learned(settings, langs).items():
            _CACHE[_key(settings, other)] = found
    return _CACHE[key]


def _key(settings, lang: str) -> tuple[str, str, int]:  # noqa: ANN001
    folder = Path(settings.translations_dir) / lang
    return str(folder), lang, folder.stat().st_mtime_ns if folder.is_dir() else 0


_CACHE: dict[tuple[str, str, int], tuple[float, str]] = {}


def _learned(settings, langs: tuple[str, ...]) -> dict[str, tuple[float, str]]:  # noqa: ANN001
    from helpglot.qa.checks import forget, plain

    ratios: dict[str, list[float]] = {lang: [] for lang in langs}
    by_source: dict[Path, list[layout.TranslationFile]] = {}
    for lang in langs:
        try:
            files = layout.translation_files(settings, (lang,))
        except HelpglotError:
            files = []
        for tf in files:
            if tf.has_source:
                by_source.setdefault(tf.source, []).append(tf)
    for files in by_source.values():  # (the order of the samples does not change a median)
        source = None  # parsed once for every language, when a reviewed translation needs it
        for tf in files:
            try:
                doc = parse_file(str(tf.path))
                prov = provenance.read(doc)
                if prov is None or prov.machine:
                    continue
                source = source or parse_file(str(tf.source))
            except HelpglotError:
                continue
            for t, s in align(source, doc, tf.lang).pairs:
                a, b = plain(source.blocks[s].text), plain(doc.blocks[t].text)
                if len(a) >= MIN_CHARS and b:
                    ratios[tf.lang].append(len(b) / len(a))
        forget()  # (the blocks' spans: memory stays per source)
    return {lang: (statistics.median(found), f"learned from {len(found)} reviewed blocks")
            if len(found) >= MIN_PAIRS else (default(lang), "default") for lang, found in ratios.items()}
