"""Renamed and moved articles: their translations go with them, provenance and review intact.

``helpglot mv OLD NEW`` moves a source article and every translation of it (with
``git mv`` where git tracks them), rewrites each translation's ``source:`` and the
nav entry in ``mkdocs.yml``, and checks every move is possible before making any.
When a writer already moved the source with plain ``git mv``, the same command
moves just the translations.

Without the command, a rename shows as an *orphaned* translation next to a *missing*
one. :func:`detect` pairs them by content: an orphan whose recorded source block
hashes are mostly those of a source article that has no translation in that language
is that article's translation. ``status`` then names the command that finishes the
rename, and ``translate`` does not draft the "missing" one from scratch (which would
put "machine translated" over text a person wrote and reviewed).
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from helpglot import layout
from helpglot.errors import HelpglotError
from helpglot.fsutil import atomic_write_text
from helpglot.markdown.segment import parse_file
from helpglot.settings import Settings
from helpglot.tracking import provenance
from helpglot.tracking.freshness import Record

MIN_SHARED = 0.5  # share of the orphan's recorded blocks found in the candidate source


def _hashes(path: Path) -> set[str] | None:
    try:
        prov = provenance.read(parse_file(str(path)))
    except HelpglotError:
        return None
    return set(prov.hashes) if prov is not None else None


def detect(settings: Settings, lang: str, orphans: list[str], missing: list[str]) -> dict[str, str]:
    """orphaned translation (path under translations/<lang>/) -> the source it was renamed to."""
    if not orphans or not missing:
        return {}
    sources: dict[str, set[str]] = {}
    for rel in missing:
        try:
            sources[rel] = set(parse_file(str(settings.docs_dir / rel)).hashes)
        except HelpglotError:
            continue
    found: dict[str, str] = {}
    taken: set[str] = set()
    for old in orphans:
        recorded = _hashes(layout.translation_path(settings, lang, old))
        if not recorded:
            continue
        best = max(((len(recorded & hashes) / len(recorded), rel) for rel, hashes in sources.items()
                    if rel not in taken), default=(0.0, ""))
        if best[0] >= MIN_SHARED:
            found[old] = best[1]
            taken.add(best[1])
    return found


def annotate(settings: Settings, records: list[Record]) -> list[Record]:
    """Status records with each detected rename named, and the command that finishes it."""
    out = list(records)
    for lang in {r.lang for r in records}:
        orphans = [r.source for r in records if r.lang == lang and r.state == "orphaned"]
        missing = [r.source for r in records if r.lang == lang and r.state == "missing"]
        moves = detect(settings, lang, orphans, missing)
        if not moves:
            continue
        back = {new: old for old, new in moves.items()}
        for i, r in enumerate(out):
            if r.lang != lang:
                continue
            if r.state == "orphaned" and r.source in moves:
                new = moves[r.source]
                out[i] = replace(r, message=f"{r.path}: its source was renamed to "
                                 f"{settings.rel(settings.docs_dir / new)}; run `helpglot mv {r.source} {new}` "
                                 "to move the translations with it")
            elif r.state == "missing" and r.source in back:
                old = back[r.source]
                out[i] = replace(r, message=f"renamed from {old}: its translation is still at "
                                 f"{settings.rel(layout.translation_path(settings, lang, old))}; run "
                                 f"`helpglot mv {old} {r.source}`")
    return out


def pending_moves(settings: Settings, lang: str) -> dict[str, str]:
    """New source path -> old one, for renames not finished in ``lang`` (translate skips them)."""
    sources = set(layout.source_articles(settings))
    orphans, missing = [], []
    for tf in layout.translation_files(settings, (lang,)):
        if not tf.has_source:
            orphans.append(tf.rel)
    for rel in sources:
        if not layout.translation_path(settings, lang, rel).exists():
            missing.append(rel)
    return {new: old for old, new in detect(settings, lang, orphans, missing).items()}


@dataclass(frozen=True)
class Move:
    old: Path
    new: Path
    text: str | None = None  # the translation's new content (provenance source rewritten)


def _rel(settings: Settings, arg: str) -> str:
    path = Path(arg)
    for candidate in (path, settings.root / path):
        try:
            return candidate.resolve().relative_to(settings.docs_dir.resolve()).as_posix()
        except ValueError:
            continue
    docs = settings.rel(settings.docs_dir)
    rel = posixpath.normpath(path.as_posix())
    # a path without the docs/ prefix is read under docs/; one that climbs out of it, or that names
    # another folder of the project (translations/es/x.md), is not an article path
    top = (settings.root / rel.split("/")[0])
    if path.is_absolute() or rel == "." or rel.startswith("../") or rel == ".." or \
            ("/" in rel and top.is_dir() and top.resolve() != settings.docs_dir.resolve()):
        raise HelpglotError(f"{arg}: not under {docs}/; name an article as {docs}/PATH.md (or PATH.md); "
                            "nothing was changed")
    return rel


def plan_move(settings: Settings, old_arg: str, new_arg: str) -> tuple[list[Move], list[str]]:
    """Every file move (source and translations), or HelpglotError before anything moves."""
    old, new = _rel(settings, old_arg), _rel(settings, new_arg)
    if not new.endswith(layout.MARKDOWN_SUFFIXES):
        raise HelpglotError(f"{new_arg}: the new path must be a Markdown file (.md)")
    src_old, src_new = settings.docs_dir / old, settings.docs_dir / new
    moves: list[Move] = []
    notes: list[str] = []
    if src_old.is_file() and not src_new.exists():
        moves.append(Move(src_old, src_new))
    elif not src_old.exists() and src_new.is_file():
        notes.append(f"{settings.rel(src_new)}: the source is already there (moved with git mv); "
                     "moving its translations")
    else:
        raise HelpglotError(
            f"cannot move {settings.rel(src_old)} to {settings.rel(src_new)}: "
            + ("the target exists already" if src_new.exists() else "no such source article")
            + "; nothing was moved")
    for lang in settings.targets:
        t_old, t_new = layout.translation_path(settings, lang, old), layout.translation_path(settings, lang, new)
        if not t_old.is_file():
            continue
        if t_new.exists():
            raise HelpglotError(f"{settings.rel(t_new)} exists already; move or delete it first; nothing was moved")
        doc = parse_file(str(t_old), settings.rel(t_old))
        prov = provenance.read(doc)
        text = provenance.write(doc, replace(prov, source=new)) if prov is not None else None
        moves.append(Move(t_old, t_new, text))
    return moves, notes


def _tracked(path: Path) -> bool:
    proc = subprocess.run(["git", "-C", str(path.parent), "ls-files", "--error-unmatch", path.name],
                          capture_output=True, text=True)
    return proc.returncode == 0


def apply_moves(settings: Settings, moves: list[Move]) -> list[str]:
    """Make the planned moves (git mv where tracked) and point the nav at the new path."""
    done = []
    for move in moves:
        move.new.parent.mkdir(parents=True, exist_ok=True)
        if _tracked(move.old):
            subprocess.run(["git", "-C", str(settings.root), "mv", str(move.old), str(move.new)], check=True,
                           capture_output=True)
        else:
            os.replace(move.old, move.new)
        if move.text is not None:
            atomic_write_text(move.new, move.text)
        done.append(f"{settings.rel(move.old)} -> {settings.rel(move.new)}")
    return done


def update_nav(config_file: Path, old: str, new: str) -> bool:
    """Point a nav entry of mkdocs.yml at the new path (a text edit: comments and layout stay)."""
    text = config_file.read_text(encoding="utf-8")
    pattern = re.compile(rf"^(\s*-\s*(?:[^\n:]+:\s*)?)['\"]?{re.escape(old)}['\"]?\s*$", re.M)
    updated, count = pattern.subn(lambda m: m.group(1) + new, text)
    if count:
        atomic_write_text(config_file, updated)
    return bool(count)


def plan_remove(settings: Settings, arg: str) -> list[Path]:
    """The source article and every translation of it (a source already deleted: its translations),
    or HelpglotError before anything is deleted."""
    rel = _rel(settings, arg)
    source = settings.docs_dir / rel
    paths = [source] if source.is_file() else []
    paths += [p for lang in settings.targets if (p := layout.translation_path(settings, lang, rel)).is_file()]
    if not paths:
        raise HelpglotError(f"{arg}: no source article and no translation of it; nothing was deleted")
    return paths


def apply_remove(settings: Settings, paths: list[Path]) -> list[str]:
    """Delete the planned files (git rm where tracked, so the deletion is staged like a move)."""
    done = []
    for path in paths:
        if _tracked(path):
            subprocess.run(["git", "-C", str(settings.root), "rm", "-q", str(path)], check=True,
                           capture_output=True)
        else:
            path.unlink()
        done.append(f"deleted {settings.rel(path)}")
    return done


def remove_nav(config_file: Path, rel: str) -> bool:
    """Drop a nav entry of mkdocs.yml that points at ``rel`` (a text edit: the rest stays as written)."""
    text = config_file.read_text(encoding="utf-8")
    pattern = re.compile(rf"^\s*-\s*(?:[^\n:]+:\s*)?['\"]?{re.escape(rel)}['\"]?\s*\n", re.M)
    updated, count = pattern.subn("", text)
    if count:
        atomic_write_text(config_file, updated)
    return bool(count)
