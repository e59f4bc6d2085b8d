"""Assemble one site from per-language builds ("parts").

A part is the output of ``helpglot build --lang L``: for a translation
language only its ``L/`` folder, for the source language everything else (the
root pages, theme assets, root 404 and sitemap, status page). Parts therefore
never overlap, and merging is copying (or, within one file system, renaming)
their files into one folder. A small manifest in each part names its language,
so a merge can refuse a missing language or the same language twice instead of
publishing half a site.

The merged site is assembled in a sibling folder and swapped in at the end
(:mod:`helpglot.site.outdir`), so a kill leaves the old site or the new one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.site import outdir

MANIFEST = ".helpglot-part.json"


class MergeError(HelpglotError):
    """Parts that do not make one site."""


def keep_own_files(part: Path, lang: str, source_lang: str, langs: list[str] | tuple[str, ...]) -> None:
    """Drop what another language's part provides, and label the part with its language."""
    owned_elsewhere = [code for code in langs if code != source_lang]
    for entry in list(part.iterdir()):
        if lang == source_lang:
            drop = entry.name in owned_elsewhere  # (nothing is written there, but be sure)
        else:
            drop = entry.name != lang
        if drop:
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    manifest = {"lang": lang, "source_lang": source_lang, "langs": list(langs)}
    (part / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


def read_manifest(part: Path) -> dict:
    try:
        data = json.loads((part / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise MergeError(f"{part}: not the output of `helpglot build --lang LANG` (no {MANIFEST})") from None
    if not isinstance(data, dict) or not {"lang", "source_lang", "langs"} <= data.keys():
        raise MergeError(f"{part}/{MANIFEST}: not a helpglot part manifest; rebuild the part")
    return data


def _files(part: Path) -> list[str]:
    found = []
    for folder, dirs, names in os.walk(part):
        dirs.sort()
        for name in sorted(names):
            rel = os.path.relpath(os.path.join(folder, name), part)
            if rel != MANIFEST:
                found.append(rel)
    return found


def merge(parts: list[Path], site: Path, move: bool = False) -> list[str]:
    """Replace ``site`` by every part's files; returns the languages merged.

    ``move`` renames instead of copying (the parts are consumed): the parallel build's case."""
    manifests = [read_manifest(part) for part in parts]
    if not manifests:
        raise MergeError("no parts to merge: give the folders written by `helpglot build --lang LANG`")
    expected = manifests[0]["langs"]
    seen: dict[str, Path] = {}
    for part, data in zip(parts, manifests, strict=True):
        if data["langs"] != expected:
            raise MergeError(f"{part}: built from a site with languages {data['langs']}, the others with "
                             f"{expected}; rebuild every part from the same commit")
        if data["lang"] in seen:
            raise MergeError(f"{part} and {seen[data['lang']]} are both '{data['lang']}'; give each language once")
        seen[data["lang"]] = part
    missing = [code for code in expected if code not in seen]
    if missing:
        raise MergeError(f"missing languages: {', '.join(missing)}; build them with "
                         + " ".join(f"`helpglot build --lang {code}`" for code in missing))
    owner: dict[str, Path] = {}
    listing = {part: _files(part) for part in parts}
    for part, files in listing.items():
        for rel in files:
            if rel in owner:
                raise MergeError(f"{rel} is in two parts ({owner[rel]} and {part}); rebuild them with helpglot")
            owner[rel] = part
    outdir.recover(site)
    new = outdir.staging(site)
    new.mkdir(parents=True)
    try:
        for part in parts:
            if move:
                for entry in sorted(part.iterdir()):
                    if entry.name != MANIFEST:
                        os.replace(entry, new / entry.name)
                continue
            for rel in listing[part]:
                target = new / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(part / rel, target)
        outdir.swap_in(new, site)
    finally:
        shutil.rmtree(new, ignore_errors=True)  # (gone already when the swap happened)
    return [data["lang"] for data in manifests]
