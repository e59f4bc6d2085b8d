"""The ``helpglot`` command line: a thin layer of click commands over the core.

Every command reads the one config file, mkdocs.yml (``-f/--config-file`` like
mkdocs), and reports problems as :class:`helpglot.errors.HelpglotError`, which
click prints as one line and turns into a non-zero exit.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from helpglot import __version__
from helpglot.cli.options import CONFIG_OPTION, check_langs, lang_option
from helpglot.config import load_settings
from helpglot.settings import Settings

if TYPE_CHECKING:
    from helpglot.tracking.freshness import Record

@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="helpglot")
def main() -> None:
    """helpglot: a help center written once in English and published in every language.

    Articles live in docs/, translations in translations/<lang>/, settings in
    mkdocs.yml. Build the site with `helpglot build` (one process per language) or
    `mkdocs build`; preview it with `mkdocs serve`.
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


@main.command()
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
    wanted = check_langs(settings, langs)
    failing = parse_states(fail_on)
    rels = [_source_rel_arg(settings, p) for p in paths] or None
    today = dt.date.today()
    records = status_mod.collect(settings, wanted, rels, today=today, use_cache=not no_cache)
    if html_file:
        from helpglot.site import statuspage as report

        base = settings.site_url or ""
        atomic_write_text(Path(html_file), report.render(records, settings, base, today))
    if as_json:
        # one record per line: as greppable as an indented array, and twice as fast on 50,000 records
        encode = json.JSONEncoder(ensure_ascii=False).encode
        click.echo("[\n" + ",\n".join([encode(r.as_json()) for r in records]) + "\n]" if records else "[]")
    else:
        _print_status(settings, records, counts(records), show_all, limit)
    errors = [r for r in records if r.state == "error"]
    # a broken source is one record per language but one problem: say it once
    for message in dict.fromkeys(r.message for r in errors):
        click.echo(f"error: {message}", err=True)
    gate = [r for r in records if r.state in failing]
    policy = [r for r in records if r.policy_failed]
    for record in policy:
        days = settings.policy(record.lang).fail_on_stale_days
        click.echo(f"policy: {record.path} has been stale since {record.since} (more than "
                   f"{days} days; plugins.helpglot.languages.{record.lang}.fail_on_stale_days)",
                   err=True)
    if errors:
        sys.exit(2)
    if gate or policy:
        if gate:
            click.echo(f"{len(gate)} translation(s) in state(s) {', '.join(sorted(failing))}",
                       err=True)
        sys.exit(1)


def _source_rel_arg(settings: Settings, arg: str) -> str:
    from helpglot.review.bookkeeping import _source_rel

    return _source_rel(settings, arg)


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


@main.command()
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
    reviewer = reviewer or tracking.git_user(settings.root)
    skipped: list[str] = []
    refused: list[str] = []
    planned = tracking.plan_adopt(settings, list(paths), reviewer, dt.date.today(), force, skipped, refused)
    for line in tracking.apply_and_report(planned, skipped, "adopted"):
        click.echo(line)
    for line in refused:
        click.echo(line, err=True)
    if refused:
        click.echo(f"refused {len(refused)} translation(s) that do not align with their source", err=True)
        raise SystemExit(1)


@main.command()
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
    planned = tracking.plan_ack(settings, source, blocks, dt.date.today(), check_langs(settings, langs), force)
    tracking.apply(planned)
    for item in planned:
        click.echo(item.summary)
    if not planned:
        click.echo("nothing to acknowledge: no translation has changed blocks there")


@main.command()
@CONFIG_OPTION
@lang_option()
@click.option("--engine", "engine_name", metavar="NAME",
              help="Engine for every language in this run (default: each language's configured engine).")
@click.option("--dry-run", is_flag=True,
              help="Show the plan (blocks, billable characters, cost, requests); send nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per file.")
@click.argument("paths", nargs=-1)
def translate(config_file: str, langs: tuple[str, ...], engine_name: str | None, dry_run: bool,
              as_json: bool, paths: tuple[str, ...]) -> None:
    """Draft missing articles and changed blocks with machine translation.

    Missing translations are drafted whole; in existing ones only the source
    blocks that changed or were inserted are drafted and spliced in, everything
    else stays byte-identical, and drafted blocks are marked `machine` for review.
    Reviewed translations of identical blocks are reused first; engine results
    are cached in .helpglot/, so a rerun after a crash or quota stop sends only
    what never came back. PATH limits the run to some source articles.
    """
    from helpglot import layout
    from helpglot.cli.translate import run

    settings = load_settings(config_file)
    wanted = check_langs(settings, langs)
    rels = [_source_rel_arg(settings, p) for p in paths] or layout.source_articles(settings)
    code = run(settings, wanted, rels, engine_name, dry_run, as_json)
    if code:
        sys.exit(code)


@main.command()
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
    if report:
        click.echo(report)
    if qa.failed(findings):
        sys.exit(1)


def _register_groups() -> None:
    """Commands that live in their own modules (review, glossary, approval)."""
    from helpglot.cli.approve import approve, codeowners
    from helpglot.cli.branch import git_setup, merge_driver, move, sync_branch
    from helpglot.cli.build import build, merge
    from helpglot.cli.glossary import glossary
    from helpglot.cli.review import pr_body, queue

    main.add_command(approve)
    main.add_command(codeowners)
    main.add_command(glossary)
    main.add_command(queue)
    main.add_command(pr_body)
    main.add_command(sync_branch)
    main.add_command(git_setup)
    main.add_command(merge_driver)
    main.add_command(move)
    main.add_command(build)
    main.add_command(merge)


_register_groups()


if __name__ == "__main__":  # pragma: no cover
    main()
