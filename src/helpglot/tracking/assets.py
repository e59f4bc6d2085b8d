"""Per-language assets: ``translations/<lang>/assets/x.png`` replaces
``docs/assets/x.png`` on that language's pages (a screenshot of the Spanish
interface next to instructions that say "Haz clic en Invitar usuario").

mkdocs-static-i18n already understands localized assets in its suffix layout
(``x.es.png``); helpglot offers each file under ``translations/<lang>/`` to it
under that name, exactly as it does for translated articles. Files with no
English counterpart are not published: every asset has one path on the site.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpglot.layout import MARKDOWN_SUFFIXES
from helpglot.settings import Settings

IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


@dataclass(frozen=True)
class LocalAsset:
    lang: str
    rel: str  # posix path relative to translations/<lang>/, same as the English one under docs/
    path: Path

    @property
    def suffixed(self) -> str:
        """The name mkdocs-static-i18n reads as this language's version: ``x.es.png``."""
        stem, dot, ext = self.rel.rpartition(".")
        return f"{stem}.{self.lang}.{ext}" if dot and "/" not in ext else f"{self.rel}.{self.lang}"


def local_assets(settings: Settings) -> list[LocalAsset]:
    """Every non-Markdown file under ``translations/<lang>/`` for the site's target languages."""
    found = []
    for lang in settings.targets:
        top = settings.translations_dir / lang
        if not top.is_dir():
            continue
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
            for name in sorted(files):
                if name.startswith(".") or name.endswith(MARKDOWN_SUFFIXES):
                    continue
                path = Path(folder) / name
                found.append(LocalAsset(lang, path.relative_to(top).as_posix(), path))
    return found


def images(text: str, page_rel: str) -> list[tuple[str, str, int]]:
    """(alt text, asset path relative to docs/, line) of each local Markdown image of a page."""
    result = []
    for match in IMAGE.finditer(text):
        target = match.group(2).split("#", 1)[0].split("?", 1)[0]
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^/", target, re.I):
            continue  # http:, data:, site-absolute: not a file of docs/
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel), target))
        if rel.startswith(".."):
            continue
        result.append((match.group(1), rel, text.count("\n", 0, match.start()) + 1))
    return result


def page_images(settings: Settings, record: Any) -> list[tuple[str, str, int]] | None:
    """:func:`images` of a record's translation file, or None if it cannot be read."""
    try:
        text = (settings.root / record.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return images(text, record.source)


def english_screenshots(settings: Settings, records: list,
                        images_of: Callable[[Settings, Any], list | None] | None = None,
                        ) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Per language: (source article, English images it still shows) for every published translation.

    For the status report; the ``screenshots`` check says the same per file with the fix.
    ``images_of``: :func:`page_images`, or a build's copy of it that keeps each file's answer by
    its stat (reading every translation again was half of the status page's time).
    """
    result: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    exists: dict[str, bool] = {}  # many articles show the same few images: each file looked at once

    def is_file(path: str) -> bool:
        found = exists.get(path)
        if found is None:
            found = exists[path] = os.path.isfile(path)
        return found

    docs, translations = str(settings.docs_dir), str(settings.translations_dir)
    for record in records:
        if record.state in ("missing", "orphaned", "error"):
            continue
        found = (images_of or page_images)(settings, record)
        if found is None:
            continue
        english = tuple(dict.fromkeys(
            target for _alt, target, _line in found
            if is_file(os.path.join(docs, target))
            and not is_file(os.path.join(translations, record.lang, target))))
        if english:
            result.setdefault(record.lang, []).append((record.source, english))
    for items in result.values():
        items.sort()
    return result
