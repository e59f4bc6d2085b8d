"""``helpglot adopt`` and ``helpglot ack``: bookkeeping a person decides (existing translations
recorded as reviewed; a source edit that needs no re-translation), never a translation's text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from helpglot import writeset
from helpglot.cli.options import CONFIG_OPTION, check_langs, echo, lang_option
from helpglot.config import load_settings

if TYPE_CHECKING:
    pass


@click.command()
@CONFIG_OPTION
@click.option("--reviewer", help="Name recorded as reviewer (default: git config user.name).")
@click.option("--force", is_flag=True,
              help="Also re-baseline translations that already have provenance (all blocks become reviewed).")
@click.argument("paths", nargs=-1, required=True)
def adopt(config_file: str, reviewer: str | None, force: bool, paths: tuple[str, ...]) -> None:
    """Record existing translations that match their source as reviewed.

    PATH is a translation file or folder under translations/<lang>/ (or
    translations/ for every language). Each file that has the same block
    structure as its source is adopted; each one that does not is left as it was
    and named with its first divergence (file:line, what differs), and the exit
    status is 1. Files that already have provenance are skipped unless --force.
    """
    from helpglot.review import bookkeeping as tracking

    settings = load_settings(config_file)
    for line in writeset.replay(settings.root):  # a multi-file write a killed run left
        echo(line, err=True)
    reviewer = reviewer or tracking.git_user(settings.root)
    skipped: list[str] = []
    refused: list[str] = []
    planned = tracking.plan_adopt(settings, list(paths), reviewer, dt.date.today(), force, skipped, refused)
    for line in tracking.apply_and_report(planned, skipped, "adopted"):
        echo(line)
    for line in refused:
        echo(line, err=True)
    if refused:
        echo(f"refused {len(refused)} translation(s) that do not align with their source", err=True)
        raise SystemExit(1)


@click.command()
@CONFIG_OPTION
@click.option("--block", "blocks", type=int, multiple=True, metavar="N",
              help="Source block number to acknowledge (from `helpglot status`); repeat. "
              "Default: the blocks your own edit changed (uncommitted, or the last commit of SOURCE).")
@lang_option()
@click.option("--force", is_flag=True,
              help="Acknowledge even an edit that is not cosmetic (numbers, links, code, terms, larger edits).")
@click.argument("source")
def ack(config_file: str, blocks: tuple[int, ...], langs: tuple[str, ...], force: bool, source: str) -> None:
    """Acknowledge your cosmetic edit of SOURCE (a typo fix): no re-translation needed.

    Acts on your own edit of SOURCE (uncommitted changes, or else its last commit)
    and only in translations made from the text you just edited; an older, real
    change stays stale. Refused, naming the block and why, when an edit changes a
    number, a link target, inline code, a URL, a glossary term or more than a few
    words. Only provenance changes, never a translation's text.
    """
    from helpglot.review import bookkeeping as tracking

    settings = load_settings(config_file)
    for line in writeset.replay(settings.root):  # a multi-file write a killed run left
        echo(line, err=True)
    planned = tracking.plan_ack(settings, source, blocks, dt.date.today(), check_langs(settings, langs), force)
    tracking.apply(planned)
    for item in planned:
        echo(item.summary)
    if not planned:
        echo("nothing to acknowledge: no translation has changed blocks there")
