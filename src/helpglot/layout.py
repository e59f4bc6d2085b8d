"""Where articles and their translations live.

``docs/<path>.md`` is the English (source) article; its translation into
language L lives at ``translations/L/<path>.md``. This module maps between the
two, and refuses a language folder the site does not declare, because a typo
such as ``translations/sp/`` would otherwise silently never be published.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from helpglot.errors import ConfigError
from helpglot.fsutil import dir_entries
from helpglot.settings import Settings

MARKDOWN_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class TranslationFile:
    """One translation on disk and the source article it belongs to."""

    lang: str
    rel: str  # posix path relative to translations/<lang>/, same as the source's under docs/
    path: Path
    source: Path

    @property
    def has_source(self) -> bool:
        return self.source.is_file()


def _walk_markdown(top: Path, follow: bool = True) -> list[str]:
    """Relative posix paths of Markdown files under ``top``, sorted, hidden entries skipped.

    With ``follow=False`` (translations) a symlinked folder is not entered. A folder reached
    twice (a symlink loop such as ``es/loop -> ..``) is walked once, and an entry that cannot
    be examined (a self-referencing link) is skipped, never a crash: the build and ``check``
    refuse symlinked translations anyway (:mod:`helpglot.qa.publish`)."""
    found: list[str] = []
    try:
        if not top.is_dir():
            return found
        seen = {os.path.realpath(top)}
    except OSError:
        return found
    prefix = os.path.join(str(top), "")  # (relative paths by slicing: a Path per file added up)
    stack = [str(top)]
    while stack:
        entries = dir_entries(stack.pop())
        if entries is None:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name.startswith((".", "_")) or (not follow and entry.is_symlink()):
                    continue
                real = os.path.realpath(entry.path)
                if real in seen:
                    continue
                seen.add(real)
                stack.append(entry.path)
            elif entry.name.endswith(MARKDOWN_SUFFIXES):
                rel = entry.path[len(prefix):]
                found.append(rel if os.sep == "/" else rel.replace(os.sep, "/"))
    found.sort()
    return found


def source_articles(settings: Settings) -> list[str]:
    """Every source Markdown file, relative to ``docs_dir``."""
    return _walk_markdown(settings.docs_dir)


def check_language_folders(settings: Settings) -> None:
    """Fail on a ``translations/<x>/`` folder whose name is not a target language."""
    top = settings.translations_dir
    if not top.is_dir():
        return
    known = set(settings.targets)
    for entry in sorted(os.scandir(top), key=lambda e: e.name):
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if entry.name == settings.source_lang:
            raise ConfigError(
                f"{settings.rel(Path(entry.path))}/: '{entry.name}' is the source language; "
                f"source articles belong in {settings.rel(settings.docs_dir)}/. "
                "Move these files there or delete the folder."
            )
        if entry.name not in known:
            raise ConfigError(
                f"{settings.rel(Path(entry.path))}/: '{entry.name}' is not a language of this "
                f"site (plugins.i18n.languages lists: {', '.join(settings.codes)}). "
                "Rename the folder to one of the target languages, or add the language "
                "to the i18n plugin's languages in mkdocs.yml."
            )


def translation_files(settings: Settings, langs: tuple[str, ...] | None = None) -> list[TranslationFile]:
    """Every translation file of the given languages (all targets by default)."""
    check_language_folders(settings)
    result: list[TranslationFile] = []
    for lang in langs or settings.targets:
        top = settings.translations_dir / lang
        for rel in _walk_markdown(top, follow=False):  # a linked folder is not a translation
            result.append(
                TranslationFile(lang=lang, rel=rel, path=top / rel, source=settings.docs_dir / rel)
            )
    return result


def translation_path(settings: Settings, lang: str, rel: str) -> Path:
    return settings.translations_dir / lang / rel
