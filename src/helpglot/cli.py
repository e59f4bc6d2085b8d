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
from helpglot.config import load_settings
from helpglot.settings import Settings

CONFIG_OPTION = click.option(
    "-f",
    "--config-file",
    "config_file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The mkdocs.yml that declares the site, its languages and helpglot's settings.",
)


def lang_option(help_text: str = "Only this language; repeat for several.") -> click.Option:
    return click.option("--lang", "langs", multiple=True, metavar="LANG", help=help_text)


def check_langs(settings: Settings, langs: tuple[str, ...]) -> tuple[str, ...]:
    """The requested target languages, or all of them; unknown codes are an error."""
    from helpglot.errors import ConfigError

    for code in langs:
        if code not in settings.targets:
            raise ConfigError(
                f"--lang {code}: not a translation language of this site "
                f"(mkdocs.yml plugins.i18n.languages: {', '.join(settings.targets)})."
            )
    return langs or settings.targets


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helpglot")
def main() -> None:
    """helpglot: a help center written once in English and published in every language.

    Articles live in docs/, translations in translations/<lang>/, settings in
    mkdocs.yml. Build and preview the site with `mkdocs build` / `mkdocs serve`.
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


if __name__ == "__main__":  # pragma: no cover
    main()
