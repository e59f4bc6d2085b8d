"""``helpglot approve`` and ``helpglot codeowners``: the review-queue commands.

A separate module so the main CLI stays a list of commands: ``cli.py`` registers
them. The logic lives in :mod:`helpglot.review.approval`.
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from helpglot import writeset
from helpglot.cli.options import CONFIG_OPTION, echo
from helpglot.config import load_settings
from helpglot.errors import HelpglotError
from helpglot.review import approval
from helpglot.review import bookkeeping as tracking


@click.command()
@CONFIG_OPTION
@click.option("--reviewer", help="Name recorded as reviewer (default: git config user.name).")
@click.option("--blocks", "blocks", metavar="N,N-M",
              help="Approve only these translation block numbers (as `helpglot status` and "
              "`helpglot check` number them); default: every machine-drafted block.")
@click.option("--force", is_flag=True,
              help="Approve even though `helpglot check` reports errors (needs --reason).")
@click.option("--reason", metavar="TEXT",
              help="Why the QA errors are acceptable; recorded in the provenance with --force.")
@click.option("--require-translator", is_flag=True,
              help="Refuse unless the reviewer is one of the language's translators in mkdocs.yml "
              "(plugins.helpglot.translators); the review workflow approves with this.")
@click.option("--seen", metavar="COMMIT",
              help="Approve only blocks as they were at COMMIT (the reviewed commit); later changes stay "
                   "unreviewed.")
@click.argument("paths", nargs=-1, required=True)
def approve(config_file: str, reviewer: str | None, blocks: str | None, force: bool, reason: str | None,
            require_translator: bool, seen: str | None, paths: tuple[str, ...]) -> None:
    """Mark the machine-drafted blocks of translations as reviewed.

    PATH is a translation file or folder under translations/<lang>/, or a
    language's reader strings (translations/<lang>/.helpglot-strings.yml, also
    approved with its language folder): every string is then reviewed. The reviewer
    and today's date go into the provenance; the text is not touched. Refused,
    with nothing written, for a file that is not a tracked translation, whose
    source changed since it was drafted (run `helpglot translate` or `helpglot
    ack` first), or that has QA errors (unless --force --reason "...").
    """
    if reason and not force:
        raise HelpglotError("--reason is recorded only with --force (approving despite QA errors)")
    settings = load_settings(config_file)
    for line in writeset.replay(settings.root):  # a killed approve/adopt/ack: finished before planning anew
        echo(line)
    name = reviewer or tracking.git_user(settings.root)
    if not name:
        raise HelpglotError("no reviewer: pass --reviewer NAME or set `git config user.name`")
    if require_translator:
        handle = name.lstrip("@").casefold()
        for tfile in tracking.resolve_translations(settings, list(paths)):
            allowed = [t.lstrip("@").casefold() for t in settings.translators.get(tfile.lang, ())]
            if handle not in allowed:
                raise HelpglotError(
                    f"{name} is not a translator of '{tfile.lang}' (mkdocs.yml plugins.helpglot.translators."
                    f"{tfile.lang}: {', '.join(settings.translators.get(tfile.lang, ())) or 'nobody'}); "
                    "add them there (and run `helpglot codeowners`) or ask a listed translator; nothing was changed")
    strings, paths = approve_strings(settings, paths, name, blocks, seen)
    if not paths:
        for line in strings():
            echo(line)
        return
    request = approval.ApprovalRequest(name, dt.date.today(), approval.parse_blocks(blocks), force, reason, seen)
    notes: list[str] = []
    planned = approval.plan_approve(settings, list(paths), request, notes)
    for line in tracking.apply_and_report(planned, notes, "approved"):
        echo(line)
    for line in strings():
        echo(line)


def approve_strings(settings, paths: tuple[str, ...], name: str, blocks: str | None, seen: str | None):
    """Split off reader-strings files (``translations/<lang>/.helpglot-strings.yml``, see
    :mod:`helpglot.tracking.readerstrings`): every string in them is checked now and approved by
    the returned writer (run after the articles' approval); the other paths are returned."""
    from pathlib import Path

    from helpglot import fsutil
    from helpglot.review import seen as seen_mod
    from helpglot.site import materialstrings
    from helpglot.tracking import readerstrings

    planned: list[tuple[Path, str, str]] = []
    rest = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and path.resolve().parent == settings.translations_dir.resolve():
            rest.append(raw)  # a language folder: its articles, and its strings if it has any
            path = path / readerstrings.FILE_NAME
            if not path.is_file():
                continue
        elif path.name != readerstrings.FILE_NAME:
            rest.append(raw)
            continue
        lang = path.resolve().parent.name
        if path.resolve().parent.parent != settings.translations_dir.resolve() or lang not in settings.targets:
            raise HelpglotError(f"{raw}: reader strings live in {settings.rel(settings.translations_dir)}/<lang>/"
                                f"{readerstrings.FILE_NAME} for a language of mkdocs.yml")
        if blocks:
            raise HelpglotError(f"{raw}: --blocks applies to articles; a reader-strings file is approved whole "
                                "(correct any text first)")
        entries = readerstrings.load(path, settings.rel(path))
        saw = seen_mod.seen_strings(settings.root, path, seen) if seen else None
        today = dt.date.today().isoformat()
        human = materialstrings.for_language(lang)  # Material's text as it is stays Material's; an edit is reviewed
        done = {key: (e.approved(name, today) if (e.status != "material" or e.new_en or e.text != human.get(key)) and
                      (saw is None or (key, e.text, e.new_en or e.en) in saw) else e)
                for key, e in entries.items()}
        changed = sum(1 for key in entries if done[key] != entries[key])
        unseen = sum(1 for key, e in done.items() if e.status == "machine" or e.new_en)
        note = f" ({unseen} changed after the reviewed commit stay unreviewed)" if saw is not None and unseen else ""
        planned.append((path, readerstrings.dump(lang, done), f"{settings.rel(path)}: {changed} reader strings "
                        f"approved by {name}{note}" if changed else f"{settings.rel(path)}: nothing to approve{note}"))

    def write() -> list[str]:
        for path, text, _line in planned:
            if path.read_text(encoding="utf-8") != text:
                fsutil.atomic_write_text(path, text)
        return [line for _p, _t, line in planned]

    return write, tuple(rest)


@click.command()
@CONFIG_OPTION
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 if .github/CODEOWNERS is out of date (for CI).")
def codeowners(config_file: str, check_only: bool) -> None:
    """Write .github/CODEOWNERS from plugins.helpglot.maintainers and .translators in mkdocs.yml.

    The maintainers own every path (*, mkdocs.yml, docs/, .github/, src/, scripts/,
    glossary/, .helpglot/), and one rule per language (/translations/<lang>/ @handle ...)
    hands only that folder to its translators: a translation pull request that changes
    anything else needs a maintainer's review. Only the section between
    '# BEGIN helpglot' and '# END helpglot' is managed; other lines stay.
    """
    settings = load_settings(config_file)
    shown = settings.rel(approval.codeowners_path(settings))
    if check_only:
        current = approval.read_codeowners(settings)
        if approval.codeowners_text(settings, current) != current:
            echo(f"{shown} is out of date with plugins.helpglot.maintainers/translators; "
                 "run `helpglot codeowners`",
                 err=True)
            sys.exit(1)
        echo(f"{shown} is up to date")
        return
    changed = approval.write_codeowners(settings)
    echo(f"{shown} {'written' if changed else 'already up to date'}")


@click.command("verify-reviews")
@CONFIG_OPTION
@click.option("--lang", required=True, metavar="LANG", help="The language whose translations to verify.")
@click.option("--base", required=True, metavar="REF", help="The commit the pull request is based on.")
@click.option("--approver", "approvers", multiple=True, metavar="LOGIN",
              help="A GitHub login that approved the pull request; repeat.")
def verify_reviews(config_file: str, lang: str, base: str, approvers: tuple[str, ...]) -> None:
    """Fail when blocks marked reviewed on this branch have no GitHub approval behind them.

    Every block reviewed here and not reviewed with the same text at BASE needs a reviewer
    @login who is among the --approver logins (check.yml reads them from the pull request's
    reviews) and one of the language's translators; so does every reader string newly marked
    reviewed in translations/LANG/.helpglot-strings.yml, and one marked `material` must say
    what Material's own translation says. A review marker written by hand, or by
    someone else, is named with its file and line. Exits 1 when any is found.
    """
    from helpglot.review.backing import unbacked
    from helpglot.site import materialstrings

    settings = load_settings(config_file)
    found = unbacked(settings, lang, base, set(approvers), materialstrings.for_language(lang))
    for item in found:
        click.echo(f"error: {item.message()}", err=True)
    if found:
        raise HelpglotError(f"{len(found)} file(s) mark blocks reviewed that no approval on GitHub backs")
    echo(f"{lang}: every review recorded since {base[:12]} is backed by an approval on GitHub")

