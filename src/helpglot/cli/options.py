"""Options and argument checks that every ``helpglot`` command module shares.

They live apart from :mod:`helpglot.cli` so that command modules can import
them without importing the CLI itself: ``helpglot.cli`` registers those modules
when it is imported, and git runs the merge driver as ``python -m helpglot.cli``,
which would otherwise import ``helpglot.cli`` twice and half-initialised.
"""

from __future__ import annotations

from pathlib import Path
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


def output_file(settings: Settings, raw: str | Path, option: str = "-o") -> Path:
    """Where a command may write a report or an export: a new or generated file in an existing folder,
    never over what people write. A typo such as ``-o docs/x.md`` or ``--html mkdocs.yml`` would
    otherwise replace an article, a translation or the term base with an XLIFF file (issue 18)."""
    path = Path(raw)
    if path.is_dir():
        raise ConfigError(f"{option} {raw}: is a folder; name a file in it, e.g. {option} {path / 'out'}")
    real = path.resolve()
    blocking = next((p for p in real.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise ConfigError(f"{option} {raw}: {blocking} is a file, not a folder; write somewhere else; "
                          "nothing was written")
    sources = [settings.docs_dir, settings.translations_dir, settings.glossary_dir,
               settings.root / "memory", settings.root / ".git", settings.root / ".github"]
    for folder in sources:
        folder = folder.resolve()
        if real == folder or folder in real.parents:
            raise ConfigError(f"{option} {raw}: is inside {settings.rel(folder)}/, which holds what people "
                              "write; write the file somewhere else (e.g. the project root); nothing was "
                              "written")
    if real.suffix in (".md", ".yml", ".yaml") and real.exists():
        raise ConfigError(f"{option} {raw}: would replace {settings.rel(real)}, a file people write; "
                          "choose another name; nothing was written")
    path.parent.mkdir(parents=True, exist_ok=True)  # a report's folder is made, like mkdocs' site_dir
    return path
