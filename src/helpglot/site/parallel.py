"""One MkDocs build per language, each in its own process.

mkdocs-static-i18n builds the other languages one after another inside its
``on_post_build``, in one process, so a multi-core machine (or a CI runner)
sits mostly idle. Here each language is a full MkDocs build of its own, with
the same config and plugins, started by forking a parent that has already
imported MkDocs, Material and helpglot (so the import cost is paid once). The
i18n plugin is told which language to build and that it is already "building"
(so it starts no other language), and helpglot's plugin writes only that
language's files (see ``HelpglotPlugin.single_lang``). Cross-language outputs
come from the trees (:mod:`helpglot.site.crosslang`), so a language's pages do not
depend on which other languages were built with it.

Each language is built into its own folder ("part"); :mod:`helpglot.site.sitemerge`
assembles the parts into one site.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from helpglot.errors import HelpglotError, no_commands, one_line
from helpglot.site import sitemerge

log = logging.getLogger("helpglot.build")


class BuildError(HelpglotError):
    """A language's MkDocs build failed (its messages were printed above)."""


@dataclass(frozen=True)
class Reuse:
    """Where an incremental build finds the previous build (see :mod:`helpglot.site.incremental`):
    its state, the folder it wrote, and where the new state goes until the site is in place."""

    state: Path
    site: Path | None
    new_state: Path
    full_reason: str | None = None
    full: bool = False  # --full: nothing of the previous build is reused (its state is still recorded)
    in_place: bool = False  # the previous site is updated in place (helpglot.site.inplace)


@dataclass(frozen=True)
class LanguageResult:
    lang: str
    seconds: float
    ok: bool
    skipped: bool = False  # nothing it is made from changed: its previous files are kept


def _preload() -> None:
    """Import what every worker needs before forking, so each one starts warm."""
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config  # noqa: F401
    import mkdocs_static_i18n.plugin  # noqa: F401
    import pymdownx  # noqa: F401

    import helpglot.site.plugin  # noqa: F401
    from helpglot import messages
    from helpglot.site import searchmemo, statuspage, warm

    messages.shipped()
    statuspage.template()
    warm.theme_listing()
    searchmemo.code_key()


def _preload_site_state(config_file: str) -> tuple | None:
    """Read every translation's state once here, before forking, rather than once per worker;
    (config, settings, state), or None when the workers will meet (and report) a problem."""
    from mkdocs.config import load_config

    from helpglot.config import settings_from_mkdocs
    from helpglot.site import crosslang, pagekeys, warmstate

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # the workers print the config's warnings
    try:
        config = load_config(config_file)
        plugin = config.plugins.get("helpglot")
        if plugin is None:
            return None  # build_one says what is missing
        settings = settings_from_mkdocs(config, plugin.config)
        state = warmstate.patched(settings)  # (in helpglot serve: the warm process saves the caches)
        if state is None:
            state = crosslang.preload(settings, save=False)
        pagekeys.prehash(settings, save=not warmstate.kept(settings))  # (the state's file facts and the hashes)
        return config, settings, state
    except Exception:  # noqa: BLE001 - each worker meets the same problem and reports it by name
        return None
    finally:
        quiet.setLevel(level)


def _prime_files(config: Any, settings: Any, state: Any) -> None:
    """static-i18n's copies of the files (the docs folder's and each language's translations),
    made once here for the workers about to be forked (:func:`helpglot.site.warm.prime_i18n_files`);
    a long-lived worker keeps its own, so a build it takes primes nothing. Never fails: the
    workers meet (and report) whatever stops it."""
    from helpglot.site import files as files_mod
    from helpglot.site import warm

    def offered(lang: str, exists: Callable[[str], bool]) -> Iterable[str]:
        if lang == settings.source_lang:
            return ()
        try:
            return files_mod.offer(settings, state.translations, lang, lang, exists).files
        except HelpglotError:
            return ()  # the worker reports it

    try:
        warm.prime_i18n_files(config, offered, (settings.cache_dir or settings.root / ".helpglot") / "i18n-files.json")
    except Exception:  # noqa: BLE001 - only a head start
        pass


def _warm_templates(config: Any, reuses: list[Reuse | None]) -> None:
    """The templates every worker about to be forked renders, compiled once here: where its workers
    keep compiled templates on disk (an incremental build's, every language reusing), compiled
    there, and only those not compiled yet; else in this process, for the workers to inherit."""
    from helpglot.site import incremental, jinjacache

    cache = None
    if reuses and all(reuse is not None for reuse in reuses):
        cache = jinjacache.DiskBytecodeCache(str(incremental.bytecode_folder(reuses[0].new_state)))
    jinjacache.warm(config, cache)


def warm_between_builds(config_file: str) -> None:
    """In ``helpglot serve``'s warm process, after a build: compile the site's templates and compute
    the site's state from the caches that build wrote, then save them (:mod:`helpglot.site.warmstate`),
    so the next build, forked from here, finds them ready and patches the state for what changed;
    never fails (a build reports)."""
    from mkdocs.config import load_config

    from helpglot.config import settings_from_mkdocs
    from helpglot.site import jinjacache, langworker, warmstate

    quiet = logging.getLogger("mkdocs")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        config = load_config(config_file)
        jinjacache.warm(config)
        plugin = config.plugins.get("helpglot")
        if plugin is not None:
            settings = settings_from_mkdocs(config, plugin.config)
            warmstate.remember(settings)  # (reads and saves the caches)
            kept = warmstate.current(settings)
            if kept is not None:  # the next build hands the workers only what it changes
                langworker.prime((settings, kept.state, kept.facts))
    except Exception:  # noqa: BLE001 - only a head start
        pass
    finally:
        quiet.setLevel(level)


class _OneLine(logging.Formatter):
    """One line per message: a file name with a line break (``x\\n::warning::y.md``) is shown escaped,
    so it cannot start a line a CI runner takes for a workflow command."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        record.message = one_line(record.message)
        return super().formatMessage(record)


def _log_to_stderr(lang: str, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_OneLine(f"[{lang}] %(levelname)s - %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO if verbose else logging.WARNING)
    logger.propagate = False


def build_one(config_file: str, lang: str, part_dir: Path, strict: bool = False, reuse: Reuse | None = None) -> None:
    """Build ``lang`` alone into ``part_dir`` (a part: only the files that language owns); with
    ``reuse``, pages whose inputs did not change are taken from the previous build."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from helpglot.config import find_i18n, settings_from_mkdocs
    from helpglot.site import searchmemo

    config = load_config(config_file, site_dir=str(part_dir), strict=strict)
    i18n = find_i18n(config)
    plugin = config.plugins.get("helpglot")
    if plugin is None:
        raise HelpglotError(f"{config_file}: add '- helpglot' to plugins to build one language per process")
    settings = settings_from_mkdocs(config, plugin.config)
    if lang not in settings.codes:
        raise HelpglotError(f"--lang {lang}: not a language of this site ({', '.join(settings.codes)})")
    i18n.current_language = lang
    i18n.building = True  # i18n builds no other language after this one
    plugin.single_lang = lang
    searchmemo.read_memos(reuse is not None and not reuse.full)
    if reuse is not None:
        from helpglot.site.incremental import IncrementalPlugin

        config.plugins["helpglot-incremental"] = IncrementalPlugin(plugin, lang, reuse.state, reuse.new_state,
                                                                   reuse.site, reuse.full_reason, reuse.in_place)
    warned = _Warned()
    logging.getLogger("mkdocs").addHandler(warned)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=reuse is not None)
    finally:
        config.plugins.on_shutdown()
        logging.getLogger("mkdocs").removeHandler(warned)
    if warned.count and reuse is not None:  # shown again next time: this language is never skipped
        from helpglot.site import langskip

        langskip.record(reuse.new_state, None)
    sitemerge.keep_own_files(part_dir, lang, settings.source_lang, settings.codes)


class _Warned(logging.Handler):
    """Counts the warnings of a language's build (any: a page's, a plugin's, MkDocs')."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def run_logged(config_file: str, lang: str, part_dir: str, strict: bool, verbose: bool, reuse: Reuse | None) -> bool:
    """One language's build with its messages on stderr, a failure said in one line; True if it succeeded."""
    _log_to_stderr(lang, verbose)
    try:
        build_one(config_file, lang, Path(part_dir), strict, reuse)
    except HelpglotError as exc:
        print(f"[{lang}] Error: {no_commands(exc.message)}", file=sys.stderr)
        return False
    except BaseException as exc:  # noqa: BLE001 - MkDocs' Abort, PluginError, ConfigurationError ...
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        print(f"[{lang}] Error: {no_commands(message)}", file=sys.stderr)
        return False
    return True


def _worker(config_file: str, lang: str, part_dir: str, strict: bool, verbose: bool, reuse: Reuse | None) -> None:
    ok = run_logged(config_file, lang, part_dir, strict, verbose, reuse)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if ok else 1)


def order(langs: list[str], source_lang: str) -> list[str]:
    """The source language first: it has the most to do (every page real, status page, sitemap)."""
    return sorted(langs, key=lambda code: code != source_lang)


def build_parts(config_file: str, langs: list[str], parts: Path, jobs: int, strict: bool = False,
                verbose: bool = False, reuse: dict[str, Reuse] | None = None) -> list[LanguageResult]:
    """Build each language into ``parts/<lang>``, at most ``jobs`` at a time, one process each
    (incrementally for the languages ``reuse`` names): a long-lived worker's where the warm
    process of ``helpglot serve`` keeps one (:mod:`helpglot.site.langworker`), else a forked one."""
    from helpglot.site import langworker

    _preload()
    prepared = _preload_site_state(config_file)
    results: list[LanguageResult] = []
    skipped, record_keys = _unchanged(prepared, langs, reuse or {})
    keys_recorded = primed = False
    results += [LanguageResult(lang, 0.0, True, skipped=True) for lang in langs if lang in skipped]
    context = multiprocessing.get_context("fork")
    pending = [lang for lang in langs if lang not in skipped]
    warm = _warm_request(prepared, config_file, parts, strict, verbose, reuse or {})
    running: dict[object, tuple[str, float, multiprocessing.process.BaseProcess | None]] = {}
    while pending or running:
        while pending and len(running) < max(1, jobs):
            lang = pending.pop(0)
            conn = langworker.connection(lang) if warm is not None else None
            if conn is not None:
                langworker.submit(conn, warm(lang))
                running[conn] = (lang, time.perf_counter(), None)
                continue
            if not primed and prepared is not None:
                if len(langs) > 1:  # (one language's worker gains less than reading the copies costs)
                    _prime_files(*prepared)
                _warm_templates(prepared[0], [(reuse or {}).get(lang) for lang in [lang, *pending]])
            primed = True
            proc = context.Process(target=_worker, args=(config_file, lang, str(parts / lang), strict, verbose,
                                                         (reuse or {}).get(lang)))
            proc.start()
            running[proc.sentinel] = (lang, time.perf_counter(), proc)
        if not keys_recorded:  # while the first languages build
            record_keys()
            keys_recorded = True
        for sentinel in wait(list(running)):
            lang, start, proc = running.pop(sentinel)
            if proc is None:  # a long-lived worker's answer
                answer = langworker.receive(sentinel)
                sys.stderr.write(answer.output)
                sys.stderr.flush()
                if answer.declined is not None:
                    _say(verbose, f"'{lang}' is built by a new process: {answer.declined}")
                    shutil.rmtree(parts / lang, ignore_errors=True)
                    langworker.forget(lang)
                    pending.insert(0, lang)
                    continue
                results.append(LanguageResult(lang, time.perf_counter() - start, answer.ok))
                continue
            proc.join()
            results.append(LanguageResult(lang, time.perf_counter() - start, proc.exitcode == 0))
    return results


def _warm_request(prepared: tuple | None, config_file: str, parts: Path, strict: bool, verbose: bool,
                  reuse: dict[str, Reuse]):  # noqa: ANN202 - lang -> langworker.Request, or None
    """How a language's build is handed to a long-lived worker, or None when none may take it
    (none is running, or the config has inputs helpglot cannot track: said with ``-v``)."""
    from helpglot.site import crosslang, handover, langworker

    if not langworker.running():
        return None
    reason = langworker.why_not(prepared[0] if prepared is not None else None)
    if reason is not None:
        _say(verbose, f"the languages are built by new processes, not the long-lived ones: {reason}")
        return None
    state = (prepared[1], prepared[2], crosslang.file_facts())
    environ, cwd = dict(os.environ), os.getcwd()
    return lambda lang: langworker.Request(str(Path(config_file).resolve()), lang, str((parts / lang).resolve()),
                                           strict, verbose, reuse.get(lang), handover.delta(lang, state), environ,
                                           cwd)


def _say(verbose: bool, message: str) -> None:
    if verbose:
        print(f"helpglot build: {message}", file=sys.stderr, flush=True)


def _unchanged(prepared: tuple | None, langs: list[str],
               reuse: dict[str, Reuse]) -> tuple[set[str], Callable[[], None]]:
    """The languages none of whose inputs changed since their files in the output were written
    (:mod:`helpglot.site.langskip`), and what records the other languages' keys for the next build:
    called once they are building (a language whose quick key changed is built, and its full key,
    a tenth of a second at 1,000 articles, need not hold it up)."""
    from helpglot.site import langskip

    found: set[str] = set()
    later: list[str] = []
    planned = [lang for lang in langs if lang in reuse]
    shared: list[str | None] = []

    def full_key(lang: str) -> str | None:
        if prepared is None:
            return None
        if not shared:
            shared.append(langskip.shared_key(*prepared))
        return langskip.language_key(shared[0], prepared[1], prepared[2], lang) if shared[0] is not None else None

    quick: dict[str, str | None] = {}
    for lang in planned:
        plan = reuse[lang]
        quick[lang] = langskip.quick_key(prepared[0], prepared[1], lang) if prepared is not None else None
        key, old_quick = langskip.recorded(plan.state)
        if (quick[lang] is None or quick[lang] != old_quick or key is None or plan.full or not plan.in_place
                or not plan.state.is_file()):
            langskip.forget(plan.new_state)  # built: its key is recorded while it builds
            later.append(lang)
            continue
        new_key = full_key(lang)
        langskip.record(plan.new_state, new_key, quick[lang])
        if new_key is not None and new_key == key:
            found.add(lang)

    def record_later() -> None:
        for lang in later:
            langskip.record(reuse[lang].new_state, full_key(lang), quick[lang], unless_recorded=True)

    return found, record_later
