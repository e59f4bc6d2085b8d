"""``helpglot check``: QA of translations, as text, JSON or GitHub annotations."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from helpglot.cli.options import CONFIG_OPTION, check_langs, echo, lang_option
from helpglot.config import load_settings

if TYPE_CHECKING:
    pass


@click.command()
@CONFIG_OPTION
@lang_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
              help="text for people, json for tools, github for workflow annotations.")
@click.option("--glossary", "glossary_file", type=click.Path(dir_okay=False, exists=True),
              help="Use this glossary file instead of glossary/*.yml.")
@click.argument("paths", nargs=-1)
def check(config_file: str, langs: tuple[str, ...], fmt: str, glossary_file: str | None,
          paths: tuple[str, ...]) -> None:
    """Check translations against their current source (structure, markup, numbers, ...).

    PATH: source articles or translation files or folders (default: every translation).
    Exits 1 when an unsuppressed error is found. Suppress a finding with
    <!-- helpglot: ignore CHECK reason="..." --> on the line before the block.
    """
    from helpglot.qa import runner as qa

    settings = load_settings(config_file)
    wanted = check_langs(settings, langs)
    findings = qa.run(settings, wanted, paths, glossary_file)
    report = qa.format_findings(findings, fmt)
    if report and fmt == "github":  # the annotations are workflow commands, their values escaped
        click.echo(report)
    elif report:
        echo(report)
    if qa.failed(findings):
        sys.exit(1)
