"""``helpglot translate``: choose engines, report the plan, show progress, print results.

The terminal side of drafting: :mod:`helpglot.drafting.sync` and
:mod:`helpglot.drafting.runner` know nothing about terminals.
"""

from __future__ import annotations

import json
import sys

import click

from helpglot import fsutil, writeset
from helpglot.cli.options import CONFIG_OPTION, check_langs, echo, lang_option, source_rel_arg
from helpglot.config import load_settings
from helpglot.drafting import engines as engine_registry
from helpglot.drafting import runner, sync
from helpglot.drafting.cache import TranslationCache
from helpglot.drafting.engines.base import EngineOptions
from helpglot.errors import ConfigError, HelpglotError
from helpglot.settings import Settings
from helpglot.tracking import renames


def engine_for(settings: Settings, lang: str, override: str | None):
    policy = settings.policy(lang)
    name = override or policy.engine
    if not name:
        raise ConfigError(
            f"no engine for '{lang}': set plugins.helpglot.languages.{lang}.engine (or defaults.engine) "
            "in mkdocs.yml, or pass --engine"
        )
    if name == "pseudo" and policy.publish_machine:
        raise ConfigError(
            f"engine 'pseudo' refused for '{lang}': its policy publishes machine drafts "
            f"(plugins.helpglot.languages.{lang}.publish_machine), and pseudo-localised text must never "
            "reach readers. Use it where publish_machine is false, or pick a real engine"
        )
    extra = settings.engines.get(name, {})
    options = EngineOptions(
        root=str(settings.root),
        server_url=extra.get("server_url"),
        price_per_million=extra.get("price_per_million"),
        extra=extra,
    )
    engine = engine_registry.load(name, options)
    if not engine.supports(settings.source_lang, lang):
        check = getattr(engine, "check", None)
        if check is not None:
            check(settings.source_lang, lang)  # raises with the package to install, if any
        raise ConfigError(f"engine '{name}' cannot translate {settings.source_lang} → {lang}; "
                          f"choose another with plugins.helpglot.languages.{lang}.engine or --engine")
    return engine


def screen_for(settings: Settings) -> runner.Screen:
    """The drafting run's screen: a draft may not render to anything the publish-time sanitiser would
    remove unless its source block renders to the same (``<script>`` from ``&lt;script&gt;``, a
    ``javascript:`` link from Markdown link syntax an engine wrote). Engines are untrusted too, and a
    draft with ``publish_machine`` goes out unreviewed."""
    from collections import Counter

    from helpglot.qa import sanitize
    from helpglot.qa.checks import safety

    def found(markdown: str) -> Counter[str]:
        return Counter(sanitize.problems(safety.render(settings, markdown), once=False))

    def screen(source: str, draft: str) -> str | None:
        added = found(draft) - found(source)
        return ", ".join(sorted(added)) if added else None

    return screen


def strings_files(settings: Settings, langs: tuple[str, ...]) -> dict[str, dict]:
    """The reader-strings files of the languages helpglot ships no strings for, read and checked
    before anything is drafted (a broken one stops the run with its file and line)."""
    from helpglot import messages
    from helpglot.tracking import readerstrings

    found = {}
    for lang in langs:
        if not messages.has_language(lang):
            path = readerstrings.path_for(settings.translations_dir, lang)
            found[lang] = readerstrings.load(path, settings.rel(path), strict=False)
    return found


def draft_strings(settings: Settings, lang: str, entries: dict, engine, cache: TranslationCache,
                  dry_run: bool) -> sync.FileResult | None:
    """One language's reader strings through its engine (see :mod:`helpglot.drafting.readerstrings`),
    Material's human translations first; written only when something changed."""
    from helpglot.drafting import readerstrings as drafting_strings
    from helpglot.site import materialstrings
    from helpglot.tracking import readerstrings

    path = readerstrings.path_for(settings.translations_dir, lang)
    done = drafting_strings.draft(lang, settings.source_lang, entries, materialstrings.for_language(lang), engine,
                                  cache, runner.load_glossary(settings, lang), settings.policy(lang).formality,
                                  dry_run=dry_run)
    result = sync.FileResult(lang, settings.rel(path), blocks_sent=done.drafted, chars_sent=done.chars,
                             blocks_cached=done.cached, blocks_reused=done.material, errors=done.errors)
    result.requests = -(-done.drafted // max(1, min(engine.max_texts, 50)))
    if not dry_run and done.entries != entries:
        fsutil.atomic_write_text(path, readerstrings.dump(lang, done.entries))
        result.written = True
    busy = result.written or done.drafted or done.cached or done.errors
    return result if busy else None  # (a file with nothing to do is no line in the report)


def run(settings: Settings, langs: tuple[str, ...], rels: list[str], override: str | None,
        dry_run: bool, as_json: bool, strings: bool = True) -> int:
    """One ``translate`` at a time per project (a lock in the cache folder): a second run waits, then
    finds the first one's drafts in place and in the cache, so nothing is paid twice."""
    cache_dir = settings.cache_dir or settings.root / ".helpglot"
    # engines first: an unknown engine or a missing key is refused before anything is locked or cached
    own = strings_files(settings, langs) if strings else {}  # (a broken one is bad input like a missing key)
    chosen = {lang: engine_for(settings, lang, override) for lang in langs}
    if dry_run:
        return _run(settings, langs, rels, chosen, dry_run, as_json, own)
    with fsutil.Lock(cache_dir / "translate.lock", on_wait=lambda pid: echo(
            f"waiting for another `helpglot translate` (pid {pid}) to finish...", err=True)):
        for line in writeset.replay(settings.root):  # before the clean-up: its temp files are the new texts
            echo(line, err=True)
        for stale in fsutil.clean_stale_temps(settings.translations_dir, cache_dir, older_than=5.0):
            echo(f"removed {settings.rel(stale)}, left by a run that was killed", err=True)
        return _run(settings, langs, rels, chosen, dry_run, as_json, own)


def _run(settings: Settings, langs: tuple[str, ...], rels: list[str], chosen: dict,
         dry_run: bool, as_json: bool, own: dict | None = None) -> int:
    cache = TranslationCache((settings.cache_dir or settings.root / ".helpglot") / "cache.sqlite")
    results: list[sync.FileResult] = []
    skipped: list[str] = []  # files that cannot be aligned: reported, the rest is drafted
    failed = False
    stops: set[str] = set()
    tty = sys.stdout.isatty() and not as_json
    screen = screen_for(settings)
    try:
        for lang in langs:
            engine = chosen[lang]
            memory = sync.translation_memory(settings, lang)
            moved = renames.pending_moves(settings, lang)
            for new in (r for r in rels if r in moved):
                echo(f"skipped: {settings.rel(settings.docs_dir / new)} ({lang}): its translation is still at "
                           f"the old path; run `helpglot mv {moved[new]} {new}` instead of drafting it anew",
                           err=True)
            plans = sync.plan(settings, lang, [r for r in rels if r not in moved], memory, skipped)
            glossary = runner.load_glossary(settings, lang)
            formality = settings.policy(lang).formality
            total = sum(1 for fp in plans for t in fp.tasks if t.result is None)
            progress, close = _progress(lang, engine.name, total, tty and not dry_run)
            try:
                results.extend(runner.run_language(settings, lang, plans, engine, cache, glossary, formality,
                                                 dry_run=dry_run, progress=progress, screen=screen))
            except runner.Stopped as stopped:
                results.extend(stopped.results)
                close()
                done = sum(r.blocks_sent for r in stopped.results)
                echo(f"stopped: {stopped.error.message} ({lang}: {done} blocks requested before the "
                           "stop; finished blocks are cached, so a rerun continues where this one stopped)",
                           err=True)
                stops.add(stopped.error.message)
                failed = True
                break
            close()
            if lang in (own or {}) and engine.name == "pseudo":  # its text must never reach readers
                echo(f"reader strings ({lang}): not drafted with 'pseudo' (they are shown to readers whatever "
                     "publish_machine says); run with a real engine", err=True)
            elif lang in (own or {}) and (done := draft_strings(settings, lang, own[lang], engine, cache, dry_run)):
                results.append(done)
    except HelpglotError:
        cache.close()
        raise
    cache.close()
    if as_json:
        echo(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=1))
    else:
        _report(results, chosen if not failed or results else {}, dry_run)
    for line in skipped:
        echo(f"error: {line}", err=True)
    failed = failed or bool(skipped)
    if any(r.errors for r in results):
        failed = True
        for r in results:
            for error in r.errors:
                if error not in stops:  # the stop message was printed once already
                    echo(f"error: {error}", err=True)
    return 1 if failed else 0


def _progress(lang: str, engine: str, total: int, tty: bool):
    if not total:
        return None, lambda: None
    if tty:
        from rich.progress import Progress

        bar = Progress()
        task = bar.add_task(f"{lang} ({engine})", total=total)
        bar.start()
        return (lambda path, n: bar.advance(task, n)), bar.stop
    done = [0]

    def plain(path: str, n: int) -> None:
        done[0] += n
        echo(f"{lang}: {done[0]}/{total} blocks ({path})", err=True)

    return plain, lambda: None


def _report(results: list[sync.FileResult], chosen: dict, dry_run: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160)
    table = Table(title="Plan (nothing sent)" if dry_run else "Machine translation", title_justify="left")
    for column in ("lang", "file", "blocks", "billable chars", "cached", "reused", "requests", "cost"):
        table.add_column(column, justify="left" if column in ("lang", "file") else "right")
    totals: dict[str, list[float]] = {}
    for r in results:
        engine = chosen.get(r.lang)
        cost = engine.cost(r.chars_sent) if engine else 0.0
        t = totals.setdefault(r.lang, [0, 0, 0, 0, 0, 0.0])
        for i, v in enumerate((r.blocks_sent, r.chars_sent, r.blocks_cached, r.blocks_reused, r.requests, cost)):
            t[i] += v
        table.add_row(r.lang, r.path, str(r.blocks_sent), f"{r.chars_sent:,}", str(r.blocks_cached),
                      str(r.blocks_reused), str(r.requests), f"{cost:.4f}")
    for lang, t in totals.items():
        table.add_row(lang, "[b]total[/b]", str(int(t[0])), f"{int(t[1]):,}", str(int(t[2])), str(int(t[3])),
                      str(int(t[4])), f"{t[5]:.4f}")
    if results:
        console.print(table)
    else:
        console.print("Nothing to translate: every translation matches its source.")


@click.command()
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

    Without PATH, a language helpglot ships no reader strings for (notices,
    badges, search words) also gets them drafted into
    translations/<lang>/.helpglot-strings.yml, marked `machine` for review
    (Material for MkDocs' own translations where it has them).
    """
    from helpglot import layout

    settings = load_settings(config_file)
    wanted = check_langs(settings, langs)
    rels = [source_rel_arg(settings, p) for p in paths] or layout.source_articles(settings)
    code = run(settings, wanted, rels, engine_name, dry_run, as_json, strings=not paths)
    if code:
        sys.exit(code)
