"""Wikilink-style Markdown, as note-taking apps write their help centers: ``[[Page]]``,
``[[Page|text]]``, ``[[Page#Heading]]``, embeds ``![[image.png]]`` and callouts ``> [!note]``.

A wikilink's target is a page *name*, not a path, and a translation may name the page in its own
language: ``[[Facturas]]`` is right where ``translations/es/invoices.md`` is titled "Facturas"
and the source says ``[[Invoices]]``. A target is resolved to a file by its file name or its title
(first ``#`` heading or ``title:``), in the translation's language first, then in the source; two
targets match when they resolve to the same file. An embed names a file and must not change. A
callout's type (``[!note]``, ``[!warning]``) is a keyword the renderer knows, never translated
(``[!nota]`` renders as an unknown callout); its title after the type is text.
"""

from __future__ import annotations

import re
from pathlib import Path

_WIKILINK = re.compile(r"(!?)\[\[([^\[\]|#\n]*)(#[^\[\]|\n]*)?(?:\|[^\[\]\n]*)?\]\]")
_CALLOUT = re.compile(r"^[ \t]*>[ \t]*\[!([\w-]+)\][+-]?", re.M)
_TITLE = re.compile(r"^(?:title:[ \t]*(.+)|#[ \t]+(.+?)(?:[ \t]+\{[^}]*\})?)[ \t]*$", re.M)
_NAMES: dict[tuple[str, float], dict[str, str]] = {}


def links(text: str) -> list[tuple[str, str]]:
    """(kind, target) of each wikilink ("link") and embed ("embed") of a text, in order."""
    return [("embed" if m.group(1) else "link", m.group(2).strip()) for m in _WIKILINK.finditer(text)]


def callouts(text: str) -> list[tuple[int, str]]:
    """(line, type) of each callout opener."""
    return [(text.count("\n", 0, m.start()) + 1, m.group(1).lower()) for m in _CALLOUT.finditer(text)]


def _names(folder: Path) -> dict[str, str]:
    """Page name (file stem, title) → path relative to the folder, casefolded; cached per folder state."""
    if not folder.is_dir():
        return {}
    stamp = (str(folder), folder.stat().st_mtime)
    if stamp not in _NAMES:
        found: dict[str, str] = {}
        for path in sorted(folder.rglob("*.md")):
            rel = path.relative_to(folder).as_posix()
            found.setdefault(path.stem.casefold(), rel)
            try:
                m = _TITLE.search(path.read_text(encoding="utf-8")[:4000])
            except (OSError, UnicodeDecodeError):
                continue
            if m:
                found.setdefault((m.group(1) or m.group(2)).strip().strip("\"'").casefold(), rel)
        _NAMES[stamp] = found
    return _NAMES[stamp]


def resolve(settings, lang: str, target: str) -> str | None:  # noqa: ANN001
    """The page a wikilink target names: in the translation's language, then in the source."""
    name = target.strip().removesuffix(".md").casefold()
    if settings is None or not name:
        return None
    for folder in (Path(settings.translations_dir) / lang, Path(settings.docs_dir)):
        hit = _names(folder).get(name) or _names(folder).get(name.rsplit("/", 1)[-1])
        if hit:
            return hit
    return None


def compare(settings, lang: str, source: str, translation: str) -> str | None:  # noqa: ANN001
    """What differs between the wikilinks and embeds of two blocks, or None."""
    src, tr = links(source), links(translation)
    if src == tr:
        return None
    left = list(tr)
    lost = []
    for kind, target in src:
        same = next((x for x in left if x == (kind, target)), None)
        if same is None and kind == "link":
            page = resolve(settings, lang, target)
            same = next((x for x in left if x[0] == "link" and page is not None
                         and resolve(settings, lang, x[1]) == page), None)
        if same is None:
            lost.append(f"{'![[' if kind == 'embed' else '[['}{target}]]")
        else:
            left.remove(same)
    added = [f"{'![[' if kind == 'embed' else '[['}{target}]]" for kind, target in left]
    if lost and added:
        return f"wikilink {', '.join(lost)} changed to {', '.join(added)} (no page has that name)"
    if lost:
        return f"wikilink {', '.join(lost)} missing"
    if added:
        return f"wikilink {', '.join(added)} added"
    return None
