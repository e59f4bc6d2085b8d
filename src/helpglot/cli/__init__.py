"""The ``helpglot`` command line: a thin layer of click commands over the core.

Every command reads the one config file, mkdocs.yml (``-f/--config-file`` like
mkdocs), and reports problems as :class:`helpglot.errors.HelpglotError`, which
click prints as one line and turns into a non-zero exit.
"""

from __future__ import annotations

import json
import sys

import click

from helpglot import __version__
from helpglot.cli.options import CONFIG_OPTION
from helpglot.config import load_settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helpglot")
def main() -> None:
    """helpglot: a help center written once in English and published in every language.

    Articles live in docs/, translations in translations/<lang>/, settings in
    mkdocs.yml. Build the site with `helpglot build` (one process per language) or
    `mkdocs build`; preview it with `helpglot serve` (or `mkdocs serve`).
    """


@main.command()
@CONFIG_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def languages(config_file: str, as_json: bool) -> None:
    """List the site's languages, their translated articles and publishing policy."""
    from helpglot import layout

    settings = load_settings(config_file)
    sources = layout.source_articles(settings)
    translated: dict[str, int] = {code: 0 for code in settings.targets}
    source_set = set(sources)
    for tfile in layout.translation_files(settings):
        if tfile.rel in source_set:
            translated[tfile.lang] += 1
    rows = []
    for lang in settings.languages:
        policy = settings.policy(lang.code)
        is_source = lang.code == settings.source_lang
        count = len(sources) if is_source else translated[lang.code]
        rows.append(
            {
                "lang": lang.code,
                "name": lang.name,
                "source": is_source,
                "articles": count,
                "total": len(sources),
                "publish_machine": None if is_source else policy.publish_machine,
                "engine": None if is_source else policy.engine,
                "formality": None if is_source else policy.formality,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Languages", title_justify="left")
    for column in ("lang", "name", "articles", "engine", "formality", "machine drafts"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["lang"] + (" (source)" if row["source"] else ""),
            row["name"],
            f"{row['articles']}/{row['total']}",
            row["engine"] or "-",
            row["formality"] or "-",
            "-" if row["source"] else ("published" if row["publish_machine"] else "held for review"),
        )
    Console(file=sys.stdout, soft_wrap=True).print(table)


def _register_groups() -> None:
    """Commands that live in their own modules (review, glossary, approval)."""
    from helpglot.cli.adopt import ack, adopt
    from helpglot.cli.approve import approve, codeowners, verify_reviews
    from helpglot.cli.branch import git_setup, merge_driver, move, remove, sync_branch
    from helpglot.cli.build import build, merge
    from helpglot.cli.check import check
    from helpglot.cli.exchange import export, import_, tm
    from helpglot.cli.glossary import glossary
    from helpglot.cli.review import pr_body, queue
    from helpglot.cli.status import status
    from helpglot.cli.translate import translate

    for command in (status, adopt, ack, translate, check):
        main.add_command(command)
    main.add_command(approve)
    main.add_command(codeowners)
    main.add_command(verify_reviews)
    main.add_command(glossary)
    main.add_command(queue)
    main.add_command(pr_body)
    main.add_command(sync_branch)
    main.add_command(git_setup)
    main.add_command(merge_driver)
    main.add_command(move)
    main.add_command(remove)
    main.add_command(build)
    main.add_command(merge)
    for command in (export, import_, tm):  # exchange files for CAT tools and agencies
        main.add_command(command)
    from helpglot.cli.serve import serve

    main.add_command(serve)


_register_groups()


if __name__ == "__main__":  # pragma: no cover
    main()
