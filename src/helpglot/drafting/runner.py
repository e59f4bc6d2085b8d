"""One language's drafting run: the planned blocks, through the cache, in batches the engine
accepts, restored and written file by file.

:mod:`helpglot.drafting.sync` decides what to draft and how a file is put back together;
this module spends the money. A result is cached as soon as the engine answers, before it
is restored, screened or written (a full disk or a bug further on must not lose a billed
text), and a file is written only once all of its blocks are back, so a killed or stopped
run costs nothing twice and leaves each file either old or new.

The cache keeps the engine's answer as it came, also when it is unusable: a draft that lost
markup, or that holds markup its source has not (``screen``, e.g. entity-escaped
``<script>`` that restores to a real tag), is refused again from the cache on the next run
instead of being paid for on every CI run. The screen comes from the caller because the
safety allow-list lives in :mod:`helpglot.qa`, above this stage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from helpglot.drafting.cache import CacheError, TranslationCache, cache_key
from helpglot.drafting.engines.base import Engine, EngineError, GlossaryPair, Request
from helpglot.drafting.limits import fit
from helpglot.drafting.sync import FilePlan, FileResult, Task, finish
from helpglot.markdown.inline import MarkupLost, restore
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.writeset import count, write_translation

BATCH_BYTES = 120 * 1024  # under DeepL's 128 KiB, leaving room for the request's other fields


def batches(tasks: list[Task], engine: Engine, context: str | None = None) -> list[list[Task]]:
    """Split into requests within the engine's limits (texts and bytes)."""
    limit = min(engine.max_bytes, BATCH_BYTES)
    measure = getattr(engine, "request_bytes", None)  # the engine's own bound on the request body
    out: list[list[Task]] = []
    current: list[Task] = []
    for task in tasks:
        candidate = current + [task]
        if measure is not None:
            size = measure([t.protected.text for t in candidate], context)
            over = size > engine.max_bytes
        else:
            over = sum(len(t.protected.text.encode("utf-8")) for t in candidate) > limit
        if current and (len(candidate) > engine.max_texts or over):
            out.append(current)
            current = [task]
        else:
            current = candidate
    if current:
        out.append(current)
    return out


Progress = Callable[[str, int], None]
#: (source block Markdown, draft block Markdown) -> why the draft must not be written, or None
Screen = Callable[[str, str], str | None]


def run_language(
    settings: Settings,
    lang: str,
    plans: list[FilePlan],
    engine: Engine,
    cache: TranslationCache,
    glossary: GlossaryPair | None,
    formality: str | None,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
    screen: Screen | None = None,
) -> list[FileResult]:
    """Draft, cache, restore, screen and write one language's files; stops cleanly on an engine
    error or when the cache cannot keep what was billed."""
    today = today or dt.date.today()
    gversion = glossary.version if glossary else "-"
    options = f"formality={formality or ''};tags=xml"
    results: list[FileResult] = []
    pending = [t for fp in plans for t in fp.tasks if t.result is None]
    for task in pending:
        task.key = cache_key(engine.name, settings.source_lang, lang, gversion, options, task.protected.text)
    cached = cache.get_many([t.key for t in pending])
    stop: EngineError | None = None
    for fp in plans:
        result = FileResult(lang, fp.shown)
        results.append(result)
        result.blocks_reused = sum(1 for t in fp.tasks if t.origin in ("tm", "ice"))
        todo = []
        twins: dict[str, list[Task]] = {}  # identical segments: sent once, used everywhere
        for task in fp.tasks:
            if task.result is not None:
                continue
            if task.key in cached:
                _apply(task, cached[task.key], "cache", screen)
                result.blocks_cached += 1
            elif task.key in twins:
                twins[task.key].append(task)
                result.blocks_repeated += 1
            else:
                twins[task.key] = [task]
                todo.append(task)
        for batch in batches(fit(todo, engine, fp.title), engine, fp.title):
            if dry_run:  # the plan: what would be sent
                count(result, batch)
            if dry_run or stop is not None:
                continue
            request = Request(tuple(t.protected.text for t in batch), settings.source_lang, lang,
                              context=fp.title, formality=formality, glossary=glossary)
            try:
                outputs = engine.translate(request)
            except EngineError as exc:
                stop = exc
                result.errors.append(exc.message)
                continue
            if len(outputs) != len(batch):
                stop = EngineError(f"{engine.name} returned {len(outputs)} segments for {len(batch)}")
                result.errors.append(stop.message)
                continue
            count(result, batch)  # billed: counted only once the engine answered
            try:  # first of all: what was paid for is kept, usable or not
                cache.put_many([(t.key, engine.name, settings.source_lang, lang, gversion, t.protected.text, out)
                                for t, out in zip(batch, outputs, strict=True)])
            except CacheError as exc:
                stop = EngineError(exc.message)
                result.errors.append(exc.message)
            for task, out in zip(batch, outputs, strict=True):
                cached[task.key] = out
                for twin in twins[task.key]:
                    _apply(twin, out, "engine", screen)
            if progress:
                progress(fp.shown, len(batch))
        if dry_run:
            continue
        if any(t.result is None and t.error is None for t in fp.tasks):
            result.errors.append(f"{fp.shown}: not written: the engine stopped before all its blocks came "
                                 "back; rerun to continue (finished blocks are cached)")
            continue
        text, errors = finish(fp, engine.name, today, settings.reuse_as_reviewed)
        result.errors.extend(errors)
        if text is not None:
            problem = write_translation(fp.path, text, fp.translation.text if fp.translation else None, fp.shown)
            result.errors.extend([problem] if problem else [])
            result.written = problem is None
    if stop is not None:
        raise _Stopped(stop, results)
    return results


class _Stopped(Exception):
    def __init__(self, error: EngineError, results: list[FileResult]) -> None:
        super().__init__(error.message)
        self.error = error
        self.results = results


Stopped = _Stopped


def _apply(task: Task, engine_output: str, origin: str, screen: Screen | None = None) -> None:
    try:
        draft = restore(task.protected, engine_output)
    except MarkupLost as exc:
        task.error = f"the draft lost or invented markup ({exc.message})"
        return
    if screen is not None:
        reason = screen(restore(task.protected, task.protected.text), draft)
        if reason:
            task.error = f"the draft holds markup its source has not ({reason}), so it is not written"
            return
    task.result = draft
    task.origin = origin


def load_glossary(settings: Settings, lang: str) -> GlossaryPair | None:
    return glossary_mod.pair(glossary_mod.load(settings), settings.source_lang, lang)
