"""The reader strings a language build uses: shipped ones, the site's overrides, and the
project's drafted ones (``translations/<lang>/.helpglot-strings.yml``, see
:mod:`helpglot.tracking.readerstrings`).

A broken strings file does not stop the build (no language's state blocks another's, or
English, from being published): the build warns with the file and line and shows that
language's strings in English, tagged ``lang="en" dir="ltr"``, until it is fixed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from helpglot import messages
from helpglot.settings import Settings
from helpglot.site import materialstrings
from helpglot.tracking import readerstrings


@lru_cache(maxsize=64)
def _read(path: str, shown: str, stamp: tuple[int, int]) -> tuple[dict[str, str], frozenset[str], str | None]:
    try:
        entries = readerstrings.load(Path(path), shown, strict=False)
    except readerstrings.StringsError as exc:
        return {}, frozenset(), f"{exc.message}; its reader strings are shown in English until it is fixed"
    return ({key: entry.text for key, entry in entries.items()},
            frozenset(key for key, entry in entries.items() if entry.machine), None)


def drafted(settings: Settings, lang: str) -> tuple[dict[str, str], frozenset[str], str | None]:
    """(texts, keys still machine, the file's error) of a language's strings file."""
    path = readerstrings.path_for(settings.translations_dir, lang)
    try:
        stat = path.stat()
    except OSError:
        return {}, frozenset(), None
    return _read(str(path), settings.rel(path), (stat.st_mtime_ns, stat.st_size))


def for_build(settings: Settings, lang: str, overrides: dict[str, Any] | None) -> tuple[messages.ReaderStrings,
                                                                                     list[str]]:
    """A language's strings and the warnings to give once."""
    if lang == settings.source_lang:
        return messages.messages_for(lang, overrides), []
    texts, machine, error = drafted(settings, lang)
    if not messages.has_language(lang):  # Material's human translations before nothing at all
        texts = {**materialstrings.for_language(lang), **texts}
    warnings = [error] if error else []
    missing = messages.missing(lang, settings.source_lang, overrides, texts,
                               settings.rel(readerstrings.path_for(settings.translations_dir, lang)))
    if missing:
        warnings.append(missing)
    return messages.messages_for(lang, overrides, texts, machine), warnings
