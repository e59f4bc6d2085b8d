"""``helpglot export``/``import`` (XLIFF 1.2, XLIFF 2.1, PO) and ``helpglot tm export``/``import`` (TMX).

The logic lives in :mod:`helpglot.review.exchange` and :mod:`helpglot.drafting.memory`; this module
only reads options and prints.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from helpglot import writeset
from helpglot.cli.options import CONFIG_OPTION, echo, output_file
from helpglot.config import load_settings
from helpglot.drafting import memory as memory_mod
from helpglot.errors import HelpglotError
from helpglot.fsutil import atomic_write_bytes, write_set
from helpglot.review import bookkeeping as tracking
from helpglot.review.exchange import importing, po, units, xliff

FORMATS = {"xliff-1.2": (xliff.write_12, "xlf"), "xliff-2.1": (xliff.write_21, "xliff"), "po": (po.write, "po")}


@click.command("export")
@CONFIG_OPTION
@click.option("--lang", required=True, help="The target language to export (e.g. es).")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="xliff-1.2", show_default=True,
              help="XLIFF 1.2 (most CAT tools), XLIFF 2.1, or PO (Poedit, po4a, Weblate).")
@click.option("--stale", is_flag=True, help="Only blocks that need a translator: machine drafts, memory reuses "
              "and blocks whose English changed (default: every block, reviewed ones as final).")
@click.option("--article", metavar="PATH", help="Only this article (its path under docs/).")
@click.option("--copy-source", is_flag=True, help="xliff-1.2: units to translate get the English as target and "
              "their draft as an alt-trans (for OmegaT's built-in XLIFF filter, which translates the target).")
@click.option("-o", "--output", metavar="FILE", help="Where to write (default: helpglot-LANG.xlf|.xliff|.po).")
def export(config_file: str, lang: str, fmt: str, stale: bool, article: str | None, copy_source: bool,
           output: str | None) -> None:
    """Export a language's translation work for a CAT tool or an agency: one unit per block.

    Each unit holds the English block (inline Markdown as the format's inline codes), the
    translation or machine draft in the state its provenance gives (reviewed = final, a draft =
    needs review), notes with the English before and after a change, the earlier translation,
    glossary terms and memory suggestions, and the block number and source hash that
    `helpglot import` checks on the way back.
    """
    settings = load_settings(config_file)
    target = output_file(settings, output or f"helpglot-{lang}.{FORMATS[fmt][1]}")
    notes: list[str] = []
    articles = units.collect(settings, lang, "stale" if stale else "all", article, notes)
    write, ext = FORMATS[fmt]
    if copy_source and fmt != "xliff-1.2":
        raise HelpglotError("--copy-source is for --format xliff-1.2 (OmegaT's XLIFF filter)")
    data = xliff.write_12(articles, settings.source_lang, lang, True) if copy_source \
        else write(articles, settings.source_lang, lang)
    atomic_write_bytes(target, data)
    for line in notes:
        echo(line, err=True)
    count = sum(len(a.units) for a in articles)
    echo(f"{target}: {count} unit(s) from {len(articles)} article(s) ({fmt}, {lang})")


@click.command("import")
@CONFIG_OPTION
@click.option("--lang", help="The language the file must be for (default: the file's target language).")
@click.option("--reviewer", help="Who approved the final units (default: the file's Last-Translator or "
              "review phase, then git config user.name).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_(config_file: str, lang: str | None, reviewer: str | None, file: Path) -> None:
    """Import a translated XLIFF (1.2 or 2.x) or PO file: final units become reviewed.

    Units in a final state are approved (like `helpglot approve`), other changed units are written
    as drafts, unchanged units change nothing. A unit whose English changed since the export is
    reported stale and not written. Broken inline codes, unknown units, the wrong language,
    hostile XML, a structure-breaking target or a safety QA error refuse the whole file:
    nothing is written.
    """
    settings = load_settings(config_file)
    for line in writeset.replay(settings.root):
        echo(line)
    request = importing.ImportRequest(lang, reviewer or None, dt.date.today(), tracking.git_user(settings.root))
    notes: list[str] = []
    planned = importing.plan_import(settings, file, request, notes)
    for line in tracking.apply_and_report(planned, notes, "imported"):
        echo(line)


@click.group("tm")
def tm() -> None:
    """The translation memory: reviewed blocks and memory/<lang>.tmx, as TMX."""


@tm.command("export")
@CONFIG_OPTION
@click.option("--lang", required=True, help="The target language.")
@click.option("--format", "fmt", type=click.Choice(["tmx"]), default="tmx", show_default=True,
              help="TMX 1.4, the format every CAT tool's memory imports.")
@click.option("-o", "--output", metavar="FILE", help="Where to write (default: helpglot-LANG.tmx).")
def tm_export(config_file: str, lang: str, fmt: str, output: str | None) -> None:
    """Export the language's reviewed blocks as TMX 1.4, with each block's neighbours as context."""
    settings = load_settings(config_file)
    if lang not in settings.targets:
        raise HelpglotError(f"--lang {lang}: not a target language of this site ({', '.join(settings.targets)})")
    target = output_file(settings, output or f"helpglot-{lang}.{fmt}")
    memory = memory_mod.load(settings, lang, tmx=False)
    atomic_write_bytes(target, memory_mod.tmx_bytes(memory.entries, settings.source_lang, lang))
    echo(f"{target}: {len(memory.entries)} reviewed block(s) ({settings.source_lang} -> {lang})")


@tm.command("import")
@CONFIG_OPTION
@click.option("--lang", help="Only this target language (default: every site language the file has).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def tm_import(config_file: str, lang: str | None, file: Path) -> None:
    """Add a TMX file's translation units to memory/<lang>.tmx (committed, reviewed in a pull request).

    Drafting then reuses an exact match (in context when the TMX has OmegaT's prev/next
    properties) before calling an engine, and shows near matches to reviewers as suggestions.
    """
    settings = load_settings(config_file)
    if lang is not None and lang not in settings.targets:
        raise HelpglotError(f"--lang {lang}: not a target language of this site ({', '.join(settings.targets)})")
    shown = str(file)
    found: dict[str, list[memory_mod.Entry]] = {}
    for code in ([lang] if lang else list(settings.targets)):
        entries = memory_mod.read_tmx(file, shown, settings.source_lang, code)
        if entries:
            found[code] = entries
    if not found:
        raise HelpglotError(f"{shown}: no translation units from {settings.source_lang} to "
                            f"{lang or ' or '.join(settings.targets)}; check the file's xml:lang codes; "
                            "nothing was changed")
    files: dict[Path, bytes] = {}
    added: list[str] = []
    for code, entries in found.items():
        path = memory_mod.memory_path(settings, code)
        old = memory_mod.read_tmx(path, settings.rel(path), settings.source_lang, code) if path.is_file() else []
        merged = memory_mod.tmx_bytes(old + entries, settings.source_lang, code)
        files[path] = merged
        added.append(f"{settings.rel(path)}: {len(entries)} unit(s) read, "
                     f"{merged.count(b'<tu>') - len({(e.source, e.target, e.prev, e.next) for e in old})} new")
    write_set(files, root=settings.root)
    for line in added:
        echo(line)
