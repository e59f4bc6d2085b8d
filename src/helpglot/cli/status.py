"""``helpglot status``: the freshness of every translation, as a table, JSON or an HTML report,
and the exit code CI gates on."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

import click

from helpglot import writeset
from helpglot.cli.options import CONFIG_OPTION, check_langs, echo, lang_option, output_file, source_rel_arg
from helpglot.config import load_settings
from helpglot.settings import Settings

if TYPE_CHECKING:
    from helpglot.tracking.freshness import Record


STATE_CHOICES = (
    "up-to-date", "stale", "machine", "missing", "orphaned", "unaligned", "untracked", "error",
)


def parse_states(value: str | None) -> set[str]:
    from helpglot.errors import HelpglotError

    if not value:
        return set()
    states = {part.strip() for part in value.split(",") if part.strip()}
    unknown = states - set(STATE_CHOICES)
    if unknown:
        raise HelpglotError(
            f"--fail-on {value}: unknown state(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(STATE_CHOICES)}"
        )
    return states


@click.command()
@CONFIG_OPTION
@lang_option()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of records.")
@click.option("--fail-on", "fail_on", metavar="STATE,...",
              help="Exit 1 if any translation is in one of these states "
              f"({', '.join(STATE_CHOICES)}).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False),
              help="Also write the HTML report (coverage and heat map) to this file.")
@click.option("--all", "show_all", is_flag=True, help="List up-to-date translations too.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="List at most this many translations, most urgent first (0: no limit); "
              "the others are counted. --json always lists every one.")
@click.option("--no-cache", is_flag=True,
              help="Re-read every file instead of reusing results for unchanged files (.helpglot/).")
@click.argument("paths", nargs=-1)
def status(config_file: str, langs: tuple[str, ...], as_json: bool, fail_on: str | None,
           html_file: str | None, show_all: bool, limit: int, no_cache: bool, paths: tuple[str, ...],
           ) -> None:
    """Show, block by block, which translations match their source.

    States: up-to-date, stale (source blocks changed since translation), machine
    (blocks not yet reviewed), missing, orphaned (source deleted or renamed),
    unaligned (block structure differs from the source), untracked (no
    provenance yet: see `helpglot adopt`). Exits 1 when --fail-on or a language's
    fail_on_stale_days policy says so, 2 when a file could not be read.
    """
    from helpglot.fsutil import atomic_write_text
    from helpglot.tracking import status as status_mod
    from helpglot.tracking.freshness import counts

    settings = load_settings(config_file)
    for line in writeset.replay(settings.root):  # a multi-file write a killed run left
        echo(line, err=True)
    wanted = check_langs(settings, langs)
    failing = parse_states(fail_on)
    html_path = output_file(settings, html_file, "--html") if html_file else None
    rels = [source_rel_arg(settings, p) for p in paths] or None
    today = dt.date.today()
    records = status_mod.collect(settings, wanted, rels, today=today, use_cache=not no_cache)
    if html_path:
        from helpglot.site import statuspage as report

        base = settings.site_url or ""
        atomic_write_text(html_path, report.render(records, settings, base, today))
    if as_json:
        # one record per line: as greppable as an indented array, and twice as fast on 50,000 records
        encode = json.JSONEncoder(ensure_ascii=False).encode
        echo("[\n" + ",\n".join([encode(r.as_json()) for r in records]) + "\n]" if records else "[]")
    else:
        _print_status(settings, records, counts(records), show_all, limit)
    errors = [r for r in records if r.state == "error"]
    # a broken source is one record per language but one problem: say it once
    for message in dict.fromkeys(r.message for r in errors):
        echo(f"error: {message}", err=True)
    gate = [r for r in records if r.state in failing]
    policy = [r for r in records if r.policy_failed]
    for record in policy:
        days = settings.policy(record.lang).fail_on_stale_days
        echo(f"policy: {record.path} has been stale since {record.since} (more than "
                   f"{days} days; plugins.helpglot.languages.{record.lang}.fail_on_stale_days)",
                   err=True)
    if errors:
        sys.exit(2)
    if gate or policy:
        if gate:
            echo(f"{len(gate)} translation(s) in state(s) {', '.join(sorted(failing))}",
                       err=True)
        sys.exit(1)


def _print_status(settings: Settings, records: list[Record], per_lang: dict, show_all: bool, limit: int = 0) -> None:
    from rich.console import Console
    from rich.table import Table

    from helpglot.tracking.freshness import URGENCY

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)
    summary = Table(title="Translation status", title_justify="left")
    columns = ("up-to-date", "stale", "machine", "missing", "unaligned", "untracked", "orphaned",
               "error")
    summary.add_column("lang")
    summary.add_column("coverage", justify="right")
    for column in columns:
        summary.add_column(column, justify="right")
    for lang in settings.targets:
        states = per_lang.get(lang)
        if not states:
            continue
        total = sum(v for k, v in states.items() if k != "orphaned") or 1
        summary.add_row(lang, f"{100 * states['up-to-date'] // total}%",
                        *[str(states.get(c, 0)) for c in columns])
    console.print(summary)
    shown = [r for r in records if show_all or r.state != "up-to-date"]
    if not shown:
        console.print("Every translation is up to date.")
        return
    # most urgent first: errors, then policy failures and the longest-stale, then by language and path
    rank = {state: i for i, state in enumerate(URGENCY)}
    order = {code: i for i, code in enumerate(settings.targets)}
    shown.sort(key=lambda r: (rank.get(r.state, len(rank)), not r.policy_failed,
                              r.since or dt.date.max if r.state == "stale" else dt.date.max,
                              order.get(r.lang, len(order)), r.path))
    hidden = shown[limit:] if limit else []
    detail = Table(title="Needs attention" if not show_all else "All translations",
                   title_justify="left")
    for column in ("lang", "state", "translation", "details"):
        detail.add_column(column)
    for r in shown[: limit or None]:
        detail.add_row(r.lang, r.state, r.path, _status_detail(r))
    console.print(detail)
    if hidden:
        tally: dict[str, int] = {}
        for r in hidden:
            tally[r.state] = tally.get(r.state, 0) + 1
        parts = ", ".join(f"{n:,} {state}" for state, n in sorted(tally.items(), key=lambda kv: rank[kv[0]]))
        console.print(f"... and {len(hidden):,} more ({parts}): --limit 0 lists them all, --json for tools.",
                      highlight=False)


def _status_detail(r: Record) -> str:
    """One line about a record: which blocks, since when."""
    info = r.message
    if r.state == "stale":
        if r.stale_blocks:
            noun = "block" if len(r.stale_blocks) == 1 else "blocks"
            info = f"{noun} {', '.join(map(str, r.stale_blocks))} of {r.total_blocks}"
        if r.since:
            info += f" (stale since {r.since})"
    elif r.state == "missing":
        info = f"{r.total_blocks} blocks to translate"
    return info
