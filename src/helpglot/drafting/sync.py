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
from dataclasses import dataclass, field
from pathlib import Path

from helpglot import layout
from helpglot.drafting import memory as memory_mod
from helpglot.drafting import skeleton
from helpglot.drafting.keep import keep_suppressions
from helpglot.errors import ContentError, HelpglotError
from helpglot.markdown.blocks import block_hash
from helpglot.markdown.inline import Protected, protect
from helpglot.markdown.segment import Document, fill, parse, parse_file
from helpglot.settings import Settings
from helpglot.tracking import provenance
from helpglot.tracking.fingerprint import of_text
from helpglot.tracking.freshness import align, first_mismatch
from helpglot.tracking.provenance import BlockRecord, Pending, Provenance

#: provenance hash of a block whose draft failed: never equal to a real source hash
UNTRANSLATED = "0" * 12


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


body_start = skeleton.body_start  # (kept here too: older callers import it from sync)


def translation_memory(settings: Settings, lang: str) -> memory_mod.Memory:
    """The language's memory: reviewed blocks and ``memory/<lang>.tmx`` (see :mod:`helpglot.drafting.memory`)."""
    return memory_mod.load(settings, lang)


def plan(
    settings: Settings, lang: str, rels: list[str], memory: object | None,
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
            if not block.text:  # the empty title place of an untitled admonition: nothing to draft
                task.result, task.origin = "", "empty"
            elif memory is not None and (hit := _recall(memory, source, index)) is not None:
                task.result, task.origin = hit  # translation memory: in context ("ice") or exact ("tm")
            tasks.append(task)
        plans.append(FilePlan(lang, rel, path, shown, source, translation, prov, pairs, changed,
                              tasks, structural, keep=keep, carried=carried, gaps=new_gaps))
    return plans


def _recall(memory: object, source: Document, index: int) -> tuple[str, str] | None:
    """A memory hit: a drafting.memory.Memory knows context ("ice"); a hash -> text dict only "tm"."""
    if hasattr(memory, "match"):
        return memory.match(source, index)
    return None if (hit := memory.get(source.blocks[index].hash)) is None else (hit, "tm")  # type: ignore


def _skeleton(settings: Settings, rel: str, source: Document, translation: Document, prov: Provenance,
              path: Path, changed: dict[int, int]) -> tuple[dict[int, str], dict[int, str]]:
    """Skeleton-only source changes to carry into the translation (see :mod:`helpglot.drafting.skeleton`):
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
            from helpglot.tracking.history import SourceTexts

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


def _edited_by_a_person(fp: FilePlan) -> frozenset[int]:
    """The translation blocks a person may have edited since helpglot last wrote the file.

    A machine draft a translator fixed but did not approve yet is human work (DESIGN contract
    4): when its English changes, the fix is kept as the previous translation, like reviewed
    text. The file's fingerprint proves it is as helpglot wrote it; when it does not (or the
    file has none), which block the person touched is unknown, so every block counts: the
    reviewer may see an untouched draft as the earlier text beside the new one, never lose
    a fixed one.
    """
    if fp.translation is None or fp.prov is None:
        return frozenset()
    if fp.prov.fingerprint is not None and fp.prov.fingerprint == of_text(fp.translation.text, fp.shown):
        return frozenset()
    return frozenset(range(len(fp.translation.blocks)))


def _fixed_draft(earlier: Pending, current: str, file_edited: bool) -> bool:
    """Is ``current`` a person's fix of the draft ``earlier`` put in the file? Known from the
    draft's hash where helpglot recorded it; otherwise from the file's fingerprint."""
    if earlier.drafted is not None:
        return block_hash(current) != earlier.drafted
    return file_edited and earlier.previous is None


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
    edited = _edited_by_a_person(fp)
    for block in source.blocks:
        task = by_index.get(block.index)
        old = fp.changed.get(block.index)
        # approving a block removes its entry: one left beside a reviewed block (a merge that kept
        # both sides) is stale and must never win over the approved text
        earlier = None if old is None or old_records[old].status == "reviewed" \
            else old_pending.get(old_records[old].hash)
        human = old is not None and (old_records[old].status == "reviewed"
                                     or (earlier is not None and earlier.previous is not None)
                                     or (old in edited and old_records[old].hash != UNTRANSLATED))
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
            if old_records[old].hash in old_pending and old_records[old].status != "reviewed":
                pending.append(old_pending[old_records[old].hash])
        elif task.result is not None and human and fp.keep:
            # the reviewed translation stays (stale, and readers are told); the draft waits for review
            texts[block.index] = fp.translation.blocks[old].text
            records.append(old_records[old])
            pending.append(Pending(block.hash, old_records[old].hash, draft=task.result))
        elif task.result is not None:
            if human:  # the draft goes in; the person's translation it replaces is kept for the reviewer
                current = fp.translation.blocks[old].text
                fixed = earlier is not None and _fixed_draft(earlier, current, old in edited)
                if earlier is not None and earlier.previous is not None and not fixed:
                    pending.append(Pending(block.hash, earlier.was, previous=earlier.previous,
                                           drafted=block_hash(task.result)))
                else:  # (a fixed draft is the newest human text: it replaces the older one here)
                    pending.append(Pending(block.hash, old_records[old].hash, previous=current,
                                           drafted=block_hash(task.result)))
            texts[block.index] = task.result
            if task.origin == "empty":
                records.append(BlockRecord(block.hash, "reviewed"))
            elif task.origin in ("tm", "ice"):
                records.append(BlockRecord(block.hash, "reviewed" if tm_reviewed else "reused", task.origin))
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
