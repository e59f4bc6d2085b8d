"""``helpglot sync-branch``, ``helpglot git-setup`` and ``helpglot merge-driver``: translation
branches that only ever grow (see :mod:`helpglot.review.branch` and :mod:`helpglot.review.merge`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from helpglot.cli.options import echo
from helpglot.config import load_settings
from helpglot.errors import HelpglotError
from helpglot.review import branch, merge

_CONFIG_OPTION = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                              metavar="FILE", help="The site's mkdocs.yml.")


@click.command("sync-branch")
@_CONFIG_OPTION
@click.option("--lang", required=True, metavar="LANG", help="The language whose l10n/LANG branch to update.")
@click.option("--remote", default="origin", show_default=True, help="The remote both branches live on.")
@click.option("--base", default="main", show_default=True, help="The branch the English is written on.")
@click.option("--engine", "engine_name", metavar="NAME", help="Engine for this run (default: the language's).")
@click.option("--no-push", is_flag=True, help="Merge, draft and commit locally; push nothing.")
def sync_branch(config_file: str, lang: str, remote: str, base: str, engine_name: str | None,
                no_push: bool) -> None:
    """Bring l10n/LANG up to date with the base branch and draft, without ever resetting it.

    Merges the base branch into l10n/LANG (translation provenance merged by helpglot's
    merge driver), runs `helpglot translate --lang LANG`, commits and pushes without
    force; a push refused because a translator pushed meanwhile starts again from the
    new tip. A real conflict stops with the files named and nothing pushed. A branch
    that changes anything outside translations/LANG/ and the glossary is refused before
    it is checked out: run this from a checkout of the base branch.
    """
    from helpglot import layout
    from helpglot.cli.options import check_langs
    from helpglot.cli.translate import run

    root = Path(config_file).resolve().parent
    # the checkout this starts in is the base branch's (translate.yml checks out main): its folders
    # are what l10n/LANG may change; the branch is refused before anything of it is merged
    start = load_settings(config_file)
    check_langs(start, (lang,))
    if engine_name:
        from helpglot.drafting.engines import require_installed

        require_installed(engine_name)
    allowed = branch.scope(lang, start.rel(start.translations_dir), start.rel(start.glossary_dir))

    def draft() -> list[str]:
        # the merged tree differs from the base branch only in translations and glossary (checked by
        # branch.sync), so this is the base branch's mkdocs.yml: nothing of the branch is loaded as code
        settings = load_settings(config_file)
        wanted = check_langs(settings, (lang,))
        code = run(settings, wanted, layout.source_articles(settings), engine_name, False, False)
        if code:
            raise HelpglotError(f"translate --lang {lang} reported errors (above); what it drafted is committed")
        return []

    result = branch.sync(root, lang, draft, remote=remote, base=base, push=not no_push, allowed=allowed)
    for note in result.notes:
        echo(note)
    state = ("created" if result.created else "updated") if (result.committed or result.merged_base) \
        else "already up to date"
    echo(f"{result.branch}: {state}"
               f"{', merged ' + base if result.merged_base else ''}"
               f"{', drafts committed' if result.committed else ''}"
               f"{', pushed (no force)' if result.pushed else ''}")


@click.command("mv")
@_CONFIG_OPTION
@click.argument("old")
@click.argument("new")
def move(config_file: str, old: str, new: str) -> None:
    """Move (rename) an article and every translation of it together.

    OLD and NEW are paths under docs/ (with or without the docs/ prefix). The
    translations keep their provenance and review state (their `source:` is
    rewritten), git history follows them (git mv), and the nav entry in
    mkdocs.yml is updated. If the source was already moved with `git mv`, only
    the translations move. Every move is checked before any is made.
    """
    from helpglot.tracking import renames

    settings = load_settings(config_file)
    moves, notes = renames.plan_move(settings, old, new)
    for line in notes + renames.apply_moves(settings, moves):
        echo(line)
    old_rel, new_rel = renames._rel(settings, old), renames._rel(settings, new)
    if renames.update_nav(Path(config_file), old_rel, new_rel):
        echo(f"{config_file}: nav entry {old_rel} -> {new_rel}")
    echo("links to the old path in other articles: `mkdocs build --strict` lists them")


@click.command("rm")
@_CONFIG_OPTION
@click.argument("source")
def remove(config_file: str, source: str) -> None:
    """Delete an article and every translation of it together.

    SOURCE is a path under docs/ (with or without the docs/ prefix); if the article is
    already deleted, its orphaned translations go. Tracked files are removed with `git rm`,
    and the nav entry in mkdocs.yml goes too. Translation branches get the deletion when
    sync-branch merges main.
    """
    from helpglot.tracking import renames

    settings = load_settings(config_file)
    paths = renames.plan_remove(settings, source)
    for line in renames.apply_remove(settings, paths):
        echo(line)
    rel = renames._rel(settings, source)
    if renames.remove_nav(Path(config_file), rel):
        echo(f"{config_file}: nav entry {rel} removed")
    echo("links to it in other articles: `mkdocs build --strict` lists them")


@click.command("git-setup")
@_CONFIG_OPTION
def git_setup(config_file: str) -> None:
    """Register helpglot's merge driver in this clone (run once per clone).

    Two branches that change different paragraphs of a translation then merge without
    conflicts in the helpglot: bookkeeping; conflicts in the translation itself still show.
    """
    settings = load_settings(config_file)  # a broken or missing config is named before git is touched
    for line in branch.setup(settings.root, translations=settings.rel(settings.translations_dir)):
        echo(line)


@click.command("merge-driver", hidden=False)
@click.argument("base", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("path", required=False, default="")
def merge_driver(base: Path, ours: Path, theirs: Path, path: str) -> None:
    """git merge driver for translations (git runs it; see `helpglot git-setup`)."""
    if not merge.driver(base, ours, theirs, path):
        sys.exit(branch.CONFLICT)  # (any other failure: the line git-setup wrote falls back to git merge-file)
