"""Options and argument checks that every ``helpglot`` command module shares.

They live apart from :mod:`helpglot.cli` so that command modules can import
them without importing the CLI itself: ``helpglot.cli`` registers those modules
when it is imported, and git runs the merge driver as ``python -m helpglot.cli``,
which would otherwise import ``helpglot.cli`` twice and half-initialised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from helpglot.errors import ConfigError, no_commands

if TYPE_CHECKING:
    from helpglot.settings import Settings

def echo(message: object = None, **kwargs: object) -> None:
    """``click.echo`` for text that names files or quotes content: a line that would start with ``::``
    or ``##[`` (a file name with a line break) cannot become a GitHub workflow command (issue 18)."""
    click.echo(no_commands(message) if isinstance(message, str) else message, **kwargs)  # type: ignore[arg-type]


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
    for code in langs:
        if code not in settings.targets:
            raise ConfigError(
                f"--lang {code}: not a translation language of this site "
                f"(mkdocs.yml plugins.i18n.languages: {', '.join(settings.targets)})."
            )
    return langs or settings.targets


def source_rel_arg(settings: Settings, arg: str) -> str:
    from helpglot.review.bookkeeping import _source_rel

    return _source_rel(settings, arg)
