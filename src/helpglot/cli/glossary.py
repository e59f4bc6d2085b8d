"""``helpglot glossary export|import``: the term base to and from TBX, CSV and DeepL.

A separate module so the main CLI stays a list of commands: ``cli.py`` registers
the ``glossary`` group. The formats themselves live in :mod:`helpglot.terms.exchange`.
"""

from __future__ import annotations

from pathlib import Path

import click

from helpglot.cli.options import CONFIG_OPTION, echo, output_file
from helpglot.config import load_settings
from helpglot.errors import ConfigError, HelpglotError
from helpglot.fsutil import atomic_write_bytes, atomic_write_text
from helpglot.terms import exchange as glossary_io
from helpglot.terms import glossary as glossary_mod
from helpglot.terms import guides, importing


@click.group(name="glossary")
def glossary() -> None:
    """Export the term base for translators and tools (TBX, CSV, DeepL) or import their changes."""


@glossary.command("export")
@CONFIG_OPTION
@click.option("--format", "fmt", type=click.Choice(["tbx", "csv", "deepl"]), required=True,
              help="tbx: ISO 30042 TBX-Basic; csv: a spreadsheet (UTF-8 with BOM); deepl: DeepL's TSV entries.")
@click.option("--lang", "langs", multiple=True, metavar="LANG",
              help="Only this language (repeat for several); deepl needs exactly one.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
def export_cmd(config_file: str, fmt: str, langs: tuple[str, ...], output: str | None) -> None:
    """Write the term base in a format translators and tools read."""
    settings = load_settings(config_file)
    for code in langs:
        if code not in settings.targets:
            raise ConfigError(f"--lang {code}: not a translation language of this site "
                              f"({', '.join(settings.targets)})")
    target = output_file(settings, output) if output else None
    terms = glossary_mod.load(settings)
    if fmt == "deepl":
        if len(langs) != 1:
            raise HelpglotError("--format deepl exports one language pair: give exactly one --lang")
        data = glossary_io.to_deepl(terms, settings, langs[0])
    elif fmt == "tbx":
        data = glossary_io.to_tbx(terms, settings, langs or settings.targets)
    else:
        data = glossary_io.to_csv(terms, settings, langs or settings.targets)
    if target:
        atomic_write_bytes(target, data)
        echo(f"wrote {len(terms)} terms to {output}", err=True)
    else:
        echo(data, nl=False)  # bytes: written as is (the CSV's BOM included)


@glossary.command("import")
@CONFIG_OPTION
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--lang", "lang", metavar="LANG", help="The language a Markdown translation guide (.md) is for.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_cmd(config_file: str, dry_run: bool, lang: str | None, file: str) -> None:
    """Merge a TBX or CSV file, or a Markdown translation guide (.md, with --lang), into
    glossary/terms.yml: new terms added, existing ones updated, nothing deleted. Invalid input is
    refused with file:line and changes nothing."""
    settings = load_settings(config_file)
    if file.lower().endswith(".md"):
        if not lang:
            raise HelpglotError(f"{file}: a translation guide is for one language; give it with --lang LANG")
        imported = guides.read(Path(file).read_bytes(), file, lang, settings)
    else:
        imported = glossary_io.read(file, Path(file).read_bytes(), settings)
    path, text, report = importing.merge(settings, imported, file)
    for name in report.added:
        echo(f"added    {name}")
    for name, changes in report.updated:
        echo(f"updated  {name}: {'; '.join(changes)}")
    verb = "would change" if dry_run else "changed"
    echo(f"{report.path}: {len(report.added)} added, {len(report.updated)} updated, "
               f"{report.unchanged} unchanged" + ("" if report.changed else " (nothing to do)")
               + (f" ({verb} nothing: dry run)" if dry_run and report.changed else ""))
    if report.changed and not dry_run:
        atomic_write_text(Path(path), text)
