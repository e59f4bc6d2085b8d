"""Machine-translation sync: draft only what changed, keep everything else.

For each target language and article: a missing translation is drafted whole;
in an existing one, only the source blocks that changed or were inserted are
drafted and spliced in, every other block stays byte-identical, and drafted
blocks are marked ``machine`` in provenance. Before any engine, an identical
source block that already has a reviewed translation elsewhere in the help
center is reused (translation memory). Every engine result goes through the
cache first, so nothing is paid for twice, and every file is written
atomically once all of its blocks are back, so a killed run leaves each file
either old or new.

A block whose draft lost or invented a tag is not written: in an existing
translation the old text stays (and stays stale); in a new file the English
text stands in with a placeholder hash, so ``status`` keeps it on the queue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from helpglot import glossary as glossary_mod
from helpglot import layout, provenance, skeleton
from helpglot.cache import TranslationCache, cache_key
from helpglot.engines.base import Engine, EngineError, GlossaryPair, Request
from helpglot.errors import ContentError, HelpglotError
from helpglot.freshness import align, first_mismatch
from helpglot.inline import MarkupLost, Protected, protect, restore
from helpglot.keep import keep_suppressions
from helpglot.limits import fit
from helpglot.provenance import BlockRecord, Pending, Provenance
from helpglot.segment import Document, fill, parse, parse_file
from helpglot.settings import Settings
from helpglot.writeset import count, write_translation

#: provenance hash of a block whose draft failed: never equal to a real source hash
UNTRANSLATED = "0" * 12
BATCH_BYTES = 120 * 1024  # under DeepL's 128 KiB, leaving room for the request's other fields


@dataclass
class Task:
    """One source block to draft."""

    index: int
    markdown: str
    protected: Protected
    key: str = ""
    result: str | None = None
    origin: str = ""  # cache | engine | tm | empty (an empty title place, see blocks.fill)
    error: str | None = None


@dataclass
class FilePlan:
    lang: str
    rel: str
    path: Path
    shown: str
    source: Document
    translation: Document | None
    prov: Provenance | None
    pairs: dict[int, int]  # current source block -> translation block with the same source text
    changed: dict[int, int]  # current source block -> translation block it replaces in place
    tasks: list[Task]
    structural: bool
    errors: list[str] = field(default_factory=list)
    keep: bool = False  # on_source_change: keep (the earlier translation stays, the draft goes to pending)
    carried: dict[int, str] = field(default_factory=dict)  # source block -> translation with new skeleton
    gaps: dict[int, str] = field(default_factory=dict)  # skeleton between blocks taken from the source

    @property
    def title(self) -> str | None:
        meta = next((b for b in self.source.blocks if b.kind == "meta" and b.detail == "title"), None)
        return meta.text if meta else None


@dataclass
class FileResult:
    lang: str
    path: str
    blocks_sent: int = 0
    chars_sent: int = 0
    blocks_reused: int = 0
    blocks_cached: int = 0
    blocks_repeated: int = 0  # identical to a block sent in the same run: not sent again
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    written: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def body_start(doc: Document) -> int:
    """Offset of the first character after the front matter's closing line."""
    if doc.front_matter is None:
        return 0
    end = doc.text.find("\n", doc.front_matter[1])
    return len(doc.text) if end < 0 else end + 1


def translation_memory(settings: Settings, lang: str) -> dict[str, str]:
    """source block hash -> reviewed translation text, from every tracked translation."""
    memory: dict[str, str] = {}
    for tfile in layout.translation_files(settings, (lang,)):
        try:
            doc = parse_file(str(tfile.path), settings.rel(tfile.path))
            prov = provenance.read(doc)
        except HelpglotError:
            continue
        if prov is None or len(prov.blocks) != len(doc.blocks):
            continue
        for record, block in zip(prov.blocks, doc.blocks, strict=True):
            if record.status == "reviewed" and record.hash != UNTRANSLATED:
                memory.setdefault(record.hash, block.text)
    return memory


def plan(
    settings: Settings, lang: str, rels: list[str], memory: dict[str, str] | None,
    skipped: list[str] | None = None,
) -> list[FilePlan]:
    """What to draft for one language; refuses to touch untracked or unaligned translations.

    With a ``skipped`` list, such a file is reported there and left alone while the language's
    other files are planned (``translate`` drafts what it can); without one, it raises."""
    if skipped is not None:
        plans: list[FilePlan] = []
        for rel in rels:
            try:
                plans.extend(plan(settings, lang, [rel], memory))
            except ContentError:
                raise  # a broken source or translation file is bad input: stop, as before
            except HelpglotError as exc:
                skipped.append(f"{exc.message} (skipped; the other files of {lang} were drafted)")
        return plans
    plans = []
    keep = settings.policy(lang).on_source_change == "keep"
    for rel in rels:
        source = parse_file(str(settings.docs_dir / rel), settings.rel(settings.docs_dir / rel))
        path = layout.translation_path(settings, lang, rel)
        shown = settings.rel(path)
        translation = prov = None
        carried: dict[int, str] = {}
        new_gaps: dict[int, str] = {}
        pairs: dict[int, int] = {}
        changed: dict[int, int] = {}
        needed: list[int]
        structural = True
        if path.is_file():
            translation = parse_file(str(path), shown)
            prov = provenance.read(translation)
            if prov is None:
                raise HelpglotError(f"{shown}: no provenance, so helpglot cannot tell which blocks a "
                                    f"person wrote; run `helpglot adopt {shown}` first")
            if len(prov.blocks) != len(translation.blocks):
                raise HelpglotError(f"{shown}: provenance lists {len(prov.blocks)} blocks but the file "
                                    f"has {len(translation.blocks)}; fix the file or re-adopt it")
            alignment = align(prov.hashes, source.hashes)
            mismatch = first_mismatch(source, translation, alignment.pairs)
            if mismatch:
                raise HelpglotError(f"{mismatch}; align the translation before syncing it")
            pairs = {new: old for old, new in alignment.pairs}
            changed = {c.new: c.old for c in alignment.changes if c.kind == "changed"}
            structural = alignment.structural
            needed = sorted(alignment.stale_new)
            carried, new_gaps = ({}, {}) if structural else _skeleton(settings, rel, source, translation, prov,
                                                                        path, changed)
            needed = [n for n in needed if n not in carried]
            if not alignment.changes and not new_gaps:
                continue
            if keep:  # a changed reviewed block whose draft already waits in pending needs nothing
                needed = [n for n in needed if not _draft_waits(prov, changed.get(n), source.blocks[n].hash)]
        else:
            needed = list(range(len(source.blocks)))
        tasks = []
        for index in needed:
            block = source.blocks[index]
            task = Task(index, block.text, protect(block.text))
            reused = memory.get(block.hash) if memory is not None else None
            if not block.text:  # the empty title place of an untitled admonition: nothing to draft
                task.result, task.origin = "", "empty"
            elif reused is not None:
                task.result, task.origin = reused, "tm"
            tasks.append(task)
        plans.append(FilePlan(lang, rel, path, shown, source, translation, prov, pairs, changed,
                              tasks, structural, keep=keep, carried=carried, gaps=new_gaps))
    return plans


def _skeleton(settings: Settings, rel: str, source: Document, translation: Document, prov: Provenance,
              path: Path, changed: dict[int, int]) -> tuple[dict[int, str], dict[int, str]]:
    """Skeleton-only source changes to carry into the translation (see :mod:`helpglot.skeleton`):
    blocks whose edit is confined to spans, and gaps between blocks the source changed."""
    s_body, t_body = body_start(source), body_start(translation)
    differs = skeleton.gaps(source, s_body) != skeleton.gaps(translation, t_body)
    if not changed and not differs:
        return {}, {}
    source_path = settings.docs_dir / rel
    base = skeleton.base_source(source_path, path)
    new_gaps = {}
    if base is not None and differs:
        new_gaps = skeleton.gap_updates(base, source, translation, s_body, body_start(base), t_body)
    carried: dict[int, str] = {}
    history = None
    for new, old in changed.items():
        old_text = None
        if base is not None and len(base.blocks) == len(prov.blocks) and base.blocks[old].hash == prov.hashes[old]:
            old_text = base.blocks[old].text
        else:
            from helpglot.review import SourceTexts

            history = history or SourceTexts(source_path, source)
            old_text = history.find(prov.hashes[old])
        if old_text is not None:
            text = skeleton.carry_spans(old_text, source.blocks[new].text, translation.blocks[old].text)
            if text is not None:
                carried[new] = text
    return carried, new_gaps


def _draft_waits(prov: Provenance, old: int | None, new_hash: str) -> bool:
    if old is None or prov.blocks[old].status != "reviewed":
        return False
    entry = prov.pending_for(new_hash)
    return entry is not None and entry.draft is not None and entry.was == prov.blocks[old].hash


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


def _yaml_value(original: Document, block_index: int, text: str) -> str:
    """A translated front-matter value that stays valid YAML in the original's quoting."""
    block = original.blocks[block_index]
    before = original.text[block.start - 1] if block.start else ""
    text = " ".join(text.split())
    if before == '"':
        return text.replace("\\", "\\\\").replace('"', '\\"')
    if before == "'":
        return text.replace("'", "''")
    if re.search(r":\s|\s#|^[\[\]{}&*!|>'\"%@`,?:-]", text) or text != text.strip():
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _render_span(doc: Document, start: int, end: int, texts: dict[int, str]) -> str:
    out: list[str] = []
    pos = start
    for block in doc.blocks:
        if block.start < start or block.end > end or block.index not in texts:
            continue
        out.append(doc.text[pos : block.start])
        out.append(fill(doc.text, block, texts[block.index]))
        pos = block.end
    out.append(doc.text[pos:end])
    return "".join(out)


def compose(fp: FilePlan, texts: dict[int, str]) -> str:
    """The new translation text: ``texts`` holds the Markdown of every current source block."""
    source, translation = fp.source, fp.translation
    meta = {b.index: _yaml_value(source, b.index, texts[b.index]) for b in source.blocks if b.kind == "meta"}
    if translation is not None and not fp.structural:
        repl = {}
        for new, old in fp.changed.items():
            value = texts[new]
            if translation.blocks[old].kind == "meta":
                value = _yaml_value(translation, old, value)
            repl[old] = value
        return skeleton.render(translation, repl, fp.gaps)
    s_body = body_start(source)
    if translation is not None and translation.front_matter is not None:
        t_body = body_start(translation)
        t_meta = [b for b in translation.blocks if b.end <= t_body]
        s_meta = [b for b in source.blocks if b.end <= s_body]
        repl = {
            t.index: _yaml_value(translation, t.index, texts[s.index])
            for s, t in zip(s_meta, t_meta, strict=False)
        }
        head = _render_span(translation, 0, t_body, repl)
    else:
        head = _render_span(source, 0, s_body, meta)
    body_texts = {b.index: texts[b.index] for b in source.blocks if b.start >= s_body}
    return head + _render_span(source, s_body, len(source.text), body_texts)


def finish(
    fp: FilePlan, engine_name: str, today: dt.date, tm_reviewed: bool = False
) -> tuple[str | None, list[str]]:
    """Compose the file and its provenance; None when a block could not be placed."""
    source = fp.source
    by_index = {task.index: task for task in fp.tasks}
    texts: dict[int, str] = {}
    records: list[BlockRecord] = []
    old_records = fp.prov.blocks if fp.prov else ()
    old_pending = {p.block: p for p in fp.prov.pending} if fp.prov else {}
    pending: list[Pending] = []
    errors: list[str] = []
    for block in source.blocks:
        task = by_index.get(block.index)
        old = fp.changed.get(block.index)
        earlier = None if old is None else old_pending.get(old_records[old].hash)
        human = old is not None and (old_records[old].status == "reviewed"
                                     or (earlier is not None and earlier.previous is not None))
        if task is None and block.index in fp.carried:  # only skeleton changed: no translator needed
            texts[block.index] = fp.carried[block.index]
            records.append(BlockRecord(block.hash, old_records[old].status, old_records[old].engine))
            if earlier is not None:
                pending.append(earlier)
        elif task is None and old is not None:  # keep policy, draft already waiting: nothing moves
            texts[block.index] = fp.translation.blocks[old].text
            records.append(old_records[old])
            pending.append(old_pending[block.hash])
        elif task is None:
            old = fp.pairs[block.index]
            texts[block.index] = fp.translation.blocks[old].text
            records.append(old_records[old])
            if old_records[old].hash in old_pending:
                pending.append(old_pending[old_records[old].hash])
        elif task.result is not None and human and fp.keep:
            # the reviewed translation stays (stale, and readers are told); the draft waits for review
            texts[block.index] = fp.translation.blocks[old].text
            records.append(old_records[old])
            pending.append(Pending(block.hash, old_records[old].hash, draft=task.result))
        elif task.result is not None:
            if human:  # the draft goes in; the person's translation it replaces is kept for the reviewer
                if earlier is not None and earlier.previous is not None:
                    pending.append(Pending(block.hash, earlier.was, previous=earlier.previous))
                else:
                    pending.append(Pending(block.hash, old_records[old].hash,
                                           previous=fp.translation.blocks[old].text))
            texts[block.index] = task.result
            if task.origin == "empty":
                records.append(BlockRecord(block.hash, "reviewed"))
            elif task.origin == "tm":
                records.append(BlockRecord(block.hash, "reviewed" if tm_reviewed else "reused", "tm"))
            else:
                records.append(BlockRecord(block.hash, "machine", engine_name))
        else:
            errors.append(f"{fp.shown}: block {block.index + 1} ({source.path}:{block.line}) not written: "
                          f"{task.error}; left for a person")
            if old is not None and fp.translation is not None:
                texts[block.index] = fp.translation.blocks[old].text
                records.append(old_records[old])
                if earlier is not None:
                    pending.append(earlier)
            else:
                texts[block.index] = block.text
                records.append(BlockRecord(UNTRANSLATED, "machine", engine_name))
    text = compose(fp, texts)
    if fp.structural:  # the source's skeleton: put the reviewer's suppression comments back
        text = keep_suppressions(fp.translation, text, {t: s for s, t in {**fp.pairs, **fp.changed}.items()})
    if fp.translation is not None and fp.prov is not None and text == fp.translation.text \
            and tuple(records) == fp.prov.blocks and tuple(pending) == fp.prov.pending:
        return None, errors  # every draft was refused: the file, its dates included, stays as it was
    doc = parse(text, fp.shown)
    mismatch = first_mismatch(source, doc)
    if mismatch or len(doc.blocks) != len(source.blocks):
        return None, errors + [f"{fp.shown}: the draft would not align with its source ({mismatch}); "
                               "nothing written"]
    engines = {r.engine for r in records if r.status == "machine" and r.engine}
    base = fp.prov or Provenance(source=fp.rel, blocks=())
    engine = sorted(engines)[0] if len(engines) == 1 else ",".join(sorted(engines)) or base.engine
    prov = base.with_blocks(records, pending=tuple(pending), synced=today, engine=engine)
    return provenance.write(doc, prov), errors


Progress = Callable[[str, int], None]


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
) -> list[FileResult]:
    """Draft, cache, restore and write one language's files; stops cleanly on an engine error."""
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
        result.blocks_reused = sum(1 for t in fp.tasks if t.origin == "tm")
        todo = []
        twins: dict[str, list[Task]] = {}  # identical segments: sent once, used everywhere
        for task in fp.tasks:
            if task.result is not None:
                continue
            if task.key in cached:
                _apply(task, cached[task.key], "cache")
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
            for task, out in zip(batch, outputs, strict=True):
                cached[task.key] = out
                for twin in twins[task.key]:
                    _apply(twin, out, "engine")
            # a draft that lost markup is not cached: a rerun asks again instead of failing forever
            cache.put_many([(t.key, engine.name, settings.source_lang, lang, gversion, t.protected.text, out)
                            for t, out in zip(batch, outputs, strict=True) if t.error is None])
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


def _apply(task: Task, engine_output: str, origin: str) -> None:
    try:
        task.result = restore(task.protected, engine_output)
        task.origin = origin
    except MarkupLost as exc:
        task.error = f"the draft lost or invented markup ({exc.message})"


def load_glossary(settings: Settings, lang: str) -> GlossaryPair | None:
    return glossary_mod.pair(glossary_mod.load(settings), settings.source_lang, lang)
