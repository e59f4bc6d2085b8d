"""Bookkeeping commands that change provenance but never a translation's text.

``adopt`` records existing, aligned translations as reviewed (a team moving an
existing translated help center to helpglot), after running the QA checks: a
file with safety errors is refused, since "reviewed" is what ``publish_machine:
false`` and the review gates trust; ``ack`` records that a source
edit needs no re-translation (a typo fix), for every language at once. Both
plan every write first and change nothing if any file is refused.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path

from helpglot import layout
from helpglot.errors import ContentError, HelpglotError
from helpglot.markdown.segment import parse_file
from helpglot.qa import checks as registry
from helpglot.qa import runner as qa
from helpglot.qa.checks.base import ERROR
from helpglot.qa.checks.safety import SECURITY_CHECKS
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.tracking import provenance
from helpglot.tracking.freshness import align, first_mismatch
from helpglot.tracking.provenance import BlockRecord, Provenance
from helpglot.writeset import write_planned


@dataclass(frozen=True)
class Planned:
    path: Path
    text: str
    summary: str


def git_user(root: Path) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), "config", "user.name"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    name = proc.stdout.strip()
    return name or None


def resolve_translations(settings: Settings, paths: list[str]) -> list[layout.TranslationFile]:
    """Translation files named by PATH arguments (files, language folders or subfolders)."""
    top = settings.translations_dir.resolve()
    found: dict[Path, layout.TranslationFile] = {}
    for raw in paths:
        path = Path(raw).resolve()
        try:
            rel = path.relative_to(top)
        except ValueError:
            raise HelpglotError(
                f"{raw}: not a translation; translations live in "
                f"{settings.rel(top)}/<lang>/<same path as in {settings.rel(settings.docs_dir)}/>"
            ) from None
        if not path.exists():
            raise HelpglotError(f"{raw}: no such file or folder")
        parts = rel.parts
        if not parts:
            found.update((t.path, t) for t in layout.translation_files(settings))
            continue
        if parts[0] not in settings.targets:
            raise HelpglotError(
                f"{raw}: not inside a language folder of {settings.rel(top)}/ "
                f"({', '.join(settings.targets)})"
            )
        lang = parts[0]
        files = [path] if path.is_file() else sorted(path.rglob("*.md"))
        for file in files:
            rel_file = file.relative_to(top / lang).as_posix()
            found[file] = layout.TranslationFile(lang, rel_file, file, settings.docs_dir / rel_file)
    return list(found.values())


def plan_adopt(
    settings: Settings,
    paths: list[str],
    reviewer: str | None,
    today: dt.date,
    force: bool = False,
    skipped: list[str] | None = None,
    refused: list[str] | None = None,
) -> list[Planned]:
    """Provenance for every named translation that aligns with its source.

    Each file is judged on its own: one that does not align is added to ``refused`` with its
    first real divergence (:func:`helpglot.tracking.align.first_divergence`), and the others are still
    adopted. Without a ``refused`` list the first refusal raises ContentError instead.
    A translation that already has provenance is skipped (its machine and stale
    blocks must not silently become "reviewed") unless ``force`` re-baselines it.
    """
    planned: list[Planned] = []
    sources: dict[Path, object] = {}
    qa_state = _QA(registry.load(), tuple(glossary_mod.load(settings)))
    for tfile in resolve_translations(settings, paths):
        shown = settings.rel(tfile.path)
        try:
            item = _plan_one(settings, tfile, shown, reviewer, today, force, skipped, sources)
            if item is not None:
                _refuse_unsafe(settings, tfile, shown, qa_state)
        except ContentError as exc:
            if refused is None:
                raise
            refused.append(str(exc.message))
            continue
        if item is not None:
            planned.append(item)
    return planned


@dataclass(frozen=True)
class _QA:
    loaded: registry.Loaded
    terms: tuple


def _refuse_unsafe(settings: Settings, tfile: layout.TranslationFile, shown: str, qa_state: _QA) -> None:
    """ContentError for a translation with safety errors: adopting it would record them as reviewed."""
    unsafe = [f for f in qa.check_file(settings, tfile, qa_state.loaded, qa_state.terms)
              if f.check in SECURITY_CHECKS and f.severity == ERROR and not f.suppressed]
    if unsafe:
        first = unsafe[0]
        more = f" (and {len(unsafe) - 1} more)" if len(unsafe) > 1 else ""
        raise ContentError(f"cannot adopt {first.path}:{first.line}: safety error: {first.message}{more}. Remove it "
                           f"from the translation (`helpglot check {shown}` lists them); nothing was changed")


def _plan_one(settings: Settings, tfile: layout.TranslationFile, shown: str, reviewer: str | None,
              today: dt.date, force: bool, skipped: list[str] | None, sources: dict) -> Planned | None:
    """The provenance for one translation (None: nothing to write), or ContentError."""
    if not tfile.has_source:
        raise ContentError(f"{shown}: its source {settings.rel(tfile.source)} does not exist")
    if tfile.source not in sources:  # a source is parsed once for all its languages
        sources[tfile.source] = parse_file(str(tfile.source), settings.rel(tfile.source))
    source = sources[tfile.source]
    doc = parse_file(str(tfile.path), shown)
    if not force and provenance.read(doc) is not None:
        if skipped is not None:
            skipped.append(f"{shown}: already tracked, skipped (--force re-baselines it as reviewed)")
        return None
    mismatch = first_mismatch(source, doc)
    if mismatch:
        raise ContentError(f"cannot adopt: {mismatch}. Align the translation with its source "
                           "first; nothing was changed")
    prov = Provenance(
        source=tfile.rel,
        blocks=tuple(BlockRecord(h, "reviewed") for h in source.hashes),
        synced=today,
        reviewer=reviewer,
        reviewed=today,
    )
    text = provenance.write(doc, prov)
    if text != doc.text:
        return Planned(tfile.path, text, f"{shown}: {len(source.blocks)} blocks recorded as reviewed")
    return None


def plan_ack(
    settings: Settings, source_arg: str, blocks: tuple[int, ...], today: dt.date,
    langs: tuple[str, ...] = (), force: bool = False,
) -> list[Planned]:
    """Acknowledge the writer's own cosmetic edit of a source (see :mod:`helpglot.review.ack`) in the
    translations still made from the text it replaced; refuses a non-cosmetic edit."""
    from helpglot.review import ack as ack_mod
    from helpglot.tracking.history import SourceTexts

    rel = _source_rel(settings, source_arg)
    source_path = settings.docs_dir / rel
    source = parse_file(str(source_path), settings.rel(source_path))
    for number in blocks:
        if not 1 <= number <= len(source.blocks):
            raise HelpglotError(
                f"--block {number}: {settings.rel(source_path)} has blocks 1 to "
                f"{len(source.blocks)}; `helpglot status --json` lists the changed ones"
            )
    terms = [t.source for t in glossary_mod.rules(glossary_mod.load(settings))]
    edit = {a.number - 1: a for a in ack_mod.scope(source_path, source, blocks, terms, force, settings.source_lang,
                                                            settings.rel(source_path))}
    history = SourceTexts(source_path, source)
    wanted = set(b - 1 for b in blocks)
    planned: list[Planned] = []
    for lang in langs or settings.targets:
        tpath = layout.translation_path(settings, lang, rel)
        if not tpath.is_file():
            continue
        shown = settings.rel(tpath)
        doc = parse_file(str(tpath), shown)
        prov = provenance.read(doc)
        if prov is None:
            continue
        if len(prov.blocks) != len(doc.blocks):
            raise ContentError(
                f"{shown}:{provenance.key_line(doc)}: provenance lists {len(prov.blocks)} blocks "
                f"but the translation has {len(doc.blocks)}; fix it (`helpglot status` says "
                "where) before acknowledging; nothing was changed"
            )
        alignment = align(prov.hashes, source.hashes,
                          [b.signature for b in doc.blocks], [b.signature for b in source.blocks])
        mismatch = first_mismatch(source, doc, alignment.pairs)
        if mismatch:
            raise ContentError(f"cannot acknowledge: {mismatch}; nothing was changed")
        records = list(prov.blocks)
        acked = []
        for change in alignment.changes:
            if change.kind == "inserted" and change.new in wanted:
                raise HelpglotError(
                    f"--block {change.new + 1}: this block is new in the source, so "
                    f"{shown} has nothing to keep; translate it instead of acknowledging it"
                )
            if change.kind != "changed" or (wanted and change.new not in wanted):
                continue
            old = records[change.old]
            mine = edit.get(change.new)
            if mine is not None and old.hash != mine.old:
                continue  # this translation also misses an earlier, real change: it stays stale
            if mine is None:
                if not wanted:
                    continue  # not changed by the writer's own edit
                earlier = history.find(old.hash)
                reason = ("the English it was made from is not in git history" if earlier is None
                          else ack_mod.why_not_cosmetic(earlier, source.blocks[change.new].text, terms,
                                                                   settings.source_lang))
                if reason and not force:
                    raise HelpglotError(
                        f"--block {change.new + 1}: in {shown} it is not a cosmetic edit: {reason}. "
                        "Run `helpglot translate` (or pass --force); nothing was changed")
            records[change.old] = BlockRecord(source.blocks[change.new].hash, old.status, old.engine)
            acked.append(change.new + 1)
        if acked:
            text = provenance.write(doc, prov.with_blocks(records, synced=today))
            planned.append(Planned(tpath, text, f"{shown}: acknowledged block(s) "
                                   f"{', '.join(map(str, acked))}"))
    return planned


def _source_rel(settings: Settings, arg: str) -> str:
    path = Path(arg)
    candidates = [path.resolve(), (settings.docs_dir / arg).resolve()]
    for candidate in candidates:
        try:
            rel = candidate.relative_to(settings.docs_dir.resolve()).as_posix()
        except ValueError:
            continue
        if candidate.is_file():
            return rel
    raise HelpglotError(
        f"{arg}: not a source article; give a path under {settings.rel(settings.docs_dir)}/"
    )


def apply(planned: list[Planned], command: str = "a multi-file write") -> list[str]:
    """Write every planned file (atomically); a UTF-8 BOM the file had is kept.

    The segmenter drops a leading BOM when it reads, so without this a provenance
    update would also change the file's first bytes. Returns what completing an earlier write a
    kill interrupted did (see :mod:`helpglot.writeset`).
    """
    return write_planned(planned, command=command)


def apply_and_report(planned: list[Planned], notes: list[str], done: str) -> list[str]:
    """Write every planned file, then the lines to show: notes, one summary per file, a total."""
    replayed = apply(planned, f"{done} translations")
    return [*replayed, *notes, *(item.summary for item in planned), f"{done} {len(planned)} translation(s)"]
