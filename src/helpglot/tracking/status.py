"""The freshness of every (article, language) of a help center.

Reads each source once, each translation once, and git at most three times for
the whole tree (never a subprocess per file), so a 10,000-article help center
in five languages is assessed in seconds; large trees are split across CPU
cores.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from helpglot import layout
from helpglot.errors import HelpglotError
from helpglot.fsutil import RACY_NS, file_clock
from helpglot.markdown.segment import Document, Outline, outline, parse, parse_file, read_text
from helpglot.settings import Settings
from helpglot.tracking import provenance, statuscache
from helpglot.tracking.fingerprint import quick
from helpglot.tracking.freshness import Record, align, first_mismatch
from helpglot.tracking.gitdates import source_dates, source_history, stale_since  # noqa: F401 (re-exported)
from helpglot.tracking.statuscache import StatusCache
from helpglot.tracking.statuscache import stamp as _stamp

PARALLEL_THRESHOLD = 2000


def assess(
    settings: Settings,
    rel: str,
    lang: str,
    source: Document | HelpglotError | None,
    updated: dt.date | None,
    today: dt.date,
    history: tuple[dt.date, ...] = (),
    where: tuple[str, str] | None = None,
    trust_fingerprints: bool = True,
) -> Record:
    """The freshness of one translation of one source article.

    ``history`` is the source's change dates, newest first (see :func:`source_history`).
    ``where`` is the translation's path and its path as shown, when the caller has them
    as strings already (see :func:`_assess_chunk`).

    A translation whose source is unchanged since its sync and whose provenance
    fingerprint matches is not segmented at all (:mod:`helpglot.tracking.fingerprint`; with
    ``trust_fingerprints=False`` every file takes the full path, which tests compare).
    Others are read with :func:`segment.outline` (its provenance and block kinds are
    all a record needs) and parsed fully only when it does not match its source, to
    name the file and line of the first difference.
    """
    if where is None:
        tpath = layout.translation_path(settings, lang, rel)
        where = (str(tpath), settings.rel(tpath))
    file, shown = where
    if source is None:
        return Record(rel, lang, shown, "orphaned",
                      message=f"{shown}: source {settings.rel(settings.docs_dir / rel)} no longer "
                      "exists (renamed or deleted); move or delete this translation")
    if isinstance(source, HelpglotError):
        return Record(rel, lang, shown, "error", message=source.message)
    if not os.path.isfile(file):
        return Record(rel, lang, shown, "missing", total_blocks=len(source.blocks),
                      stale_blocks=tuple(range(1, len(source.blocks) + 1)),
                      source_updated=updated)
    try:
        text = read_text(file, shown)
    except HelpglotError as exc:
        return Record(rel, lang, shown, "error", message=exc.message, source_updated=updated)
    base = dict(source=rel, lang=lang, path=shown, total_blocks=len(source.blocks),
                source_updated=updated)
    if trust_fingerprints and (known := quick(text)) is not None \
            and known.vouches_for(source.hashes, source.signatures):
        # the source is as the translation was synced to, and the file as helpglot wrote it with
        # the source's block kinds: aligned, nothing to segment
        return _current(base, known.machine, known.synced, known.line)
    try:
        doc: Document | Outline = outline(text, shown)
        prov = provenance.read(doc)
    except HelpglotError as exc:
        return Record(rel, lang, shown, "error", message=exc.message, source_updated=updated)
    if prov is None:
        mismatch = first_mismatch(source, parse(text, shown))
        return Record(**base, state="untracked" if mismatch is None else "unaligned",
                      message=mismatch or "no provenance yet: `helpglot adopt` records it")
    line = provenance.key_line(doc)
    t_sigs = doc.signatures
    if len(prov.blocks) != len(t_sigs):
        doc = parse(text, shown)  # (the messages below need the blocks' lines)
    if len(prov.blocks) > len(t_sigs):
        # provenance names blocks the file does not have: broken input, like bad YAML
        entries = provenance.entry_lines(doc)
        at = entries[len(doc.blocks)] if len(entries) > len(doc.blocks) else line
        return Record(**base, state="error", line=at,
                      message=f"{shown}:{at}: provenance lists {len(prov.blocks)} blocks but the "
                      f"translation has {len(doc.blocks)}, so entries {len(doc.blocks) + 1} to "
                      f"{len(prov.blocks)} name blocks that do not exist; restore the missing "
                      "blocks or re-run `helpglot adopt`")
    if len(prov.blocks) < len(t_sigs):
        extra = doc.blocks[len(prov.blocks)]  # type: ignore[union-attr]
        return Record(**base, state="unaligned", line=extra.line,
                      message=f"{shown}:{extra.line}: the translation has {len(doc.blocks)} "
                      f"blocks but its provenance ({shown}:{line}) lists {len(prov.blocks)}; "
                      "remove the extra blocks or re-run `helpglot adopt`")
    s_sigs = source.signatures
    alignment = align(prov.hashes, source.hashes, t_sigs, s_sigs)
    # describing a mismatch is costly; most pairs match, which a plain comparison shows
    mismatch = first_mismatch(source, parse(text, shown), alignment.pairs) \
        if any(t_sigs[old] != s_sigs[new] for old, new in alignment.pairs) else None
    if mismatch:
        return Record(**base, state="unaligned", message=mismatch, line=line)
    if alignment.changes:
        machine = tuple(i + 1 for i in prov.machine)
        stale = tuple(j + 1 for j in alignment.stale_new)
        since = stale_since(history, prov.synced, updated)
        days = settings.policy(lang).fail_on_stale_days
        failed = bool(days is not None and since and (today - since).days > days)
        message = f"{len(stale)} of {len(source.blocks)} source blocks changed"
        if any(c.kind != "changed" for c in alignment.changes):
            kinds = sorted({c.kind for c in alignment.changes})
            message += f" ({', '.join(kinds)})"
        return Record(**base, state="stale", stale_blocks=stale, machine_blocks=machine,
                      changes=alignment.changes, since=since, policy_failed=failed,
                      message=message, line=line)
    return _current(base, prov.machine, prov.synced, line)


def _current(base: dict, machine_indexes: Sequence[int], synced: dt.date | None, line: int) -> Record:
    """The record of a translation aligned with its source as it is now."""
    if machine_indexes:
        machine = tuple(i + 1 for i in machine_indexes)
        return Record(**base, state="machine", machine_blocks=machine, since=synced,
                      message=f"{len(machine)} machine-translated "
                      f"{'block awaits' if len(machine) == 1 else 'blocks await'} review", line=line)
    return Record(**base, state="up-to-date", since=synced, line=line)


def _chunk(args: tuple) -> tuple[list[Record], list[tuple]]:
    """Records of some sources, all languages. The cyclic garbage collector is paused meanwhile:
    parsing makes millions of short-lived, acyclic objects (freed by reference counting), and
    its passes over them cost several percent of the run for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _assess_chunk(*args)
    finally:
        if enabled:
            gc.enable()


def _assess_chunk(settings: Settings, rels: list[str], langs: tuple[str, ...], history: dict,
                  today: dt.date, orphans: list[tuple[str, str]], stamps: bool = False,
                  ) -> tuple[list[Record], list[tuple]]:
    """The records, and with ``stamps`` each one's (source stamp, translation stamp), taken
    before the files are read (see :class:`StatusCache`): the workers stat the files they read
    anyway, so the parent need not stat them all first."""
    records: list[Record] = []
    stamped: list[tuple] = []
    # each file's path and shown path as prefix + rel: Path objects per file cost too much.
    # Only for folders inside the project, where settings.rel is that string operation too.
    root = str(settings.root) + os.sep
    folders = [settings.docs_dir, *(settings.translations_dir / lang for lang in langs)]
    prefixes = [(str(folder) + os.sep, settings.rel(folder) + "/") for folder in folders] \
        if all(str(folder).startswith(root) for folder in folders) else \
        [(str(folder) + os.sep, None) for folder in folders]
    for rel in rels:
        native = rel.replace("/", os.sep)
        src_file = prefixes[0][0] + native
        src_stamp = _stamp(src_file) if stamps else None
        try:
            source: Document | HelpglotError = parse_file(
                src_file, settings.rel(settings.docs_dir / rel) if prefixes[0][1] is None
                else prefixes[0][1] + rel)
        except HelpglotError as exc:
            source = exc
        dates = history.get(rel, ())
        updated = dates[0] if dates else None
        for lang, (absolute, shown) in zip(langs, prefixes[1:], strict=True):
            file = absolute + native
            if stamps:
                stamped.append((src_stamp, _stamp(file)))
            where = (file, shown + rel) if shown is not None else None
            records.append(assess(settings, rel, lang, source, updated, today, dates, where))
    for lang, rel in orphans:
        records.append(assess(settings, rel, lang, None, None, today))
    return records, stamped


def _markdown_rels(top: Path) -> list[str]:
    """``layout._walk_markdown``'s list, built from strings: pathlib costs too much on 50,000 files."""
    found: list[str] = []
    if not top.is_dir():
        return found
    stack = [(str(top), "")]
    while stack:
        current, prefix = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError:  # unreadable, or a link loop: never a crash
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                if is_dir and entry.is_symlink():  # as layout: a linked folder is not entered (es/loop -> ..)
                    continue
            except OSError:
                is_dir = False
            if is_dir:
                if not entry.name.startswith((".", "_")):
                    stack.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(layout.MARKDOWN_SUFFIXES):
                found.append(prefix + entry.name)
    found.sort()
    return found


def _orphans(
    settings: Settings, langs: tuple[str, ...], paths: list[str] | None, sources: list[str]
) -> list[tuple[str, str]]:
    """(language, path) of the translations whose source is not a file (``layout.translation_files``'
    ``has_source``); a path the source walk found is one, so only the others are stat()ed."""
    known = set(sources)
    docs = str(settings.docs_dir)
    wanted = set(paths or ())
    return [
        (lang, rel) for lang in langs for rel in _markdown_rels(settings.translations_dir / lang)
        if rel not in known and not os.path.isfile(os.path.join(docs, rel)) and (not paths or rel in wanted)
    ]


def collect(
    settings: Settings,
    langs: tuple[str, ...] | None = None,
    paths: list[str] | None = None,
    today: dt.date | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    history: dict[str, tuple[dt.date, ...]] | None = None,
    write_cache: bool = True,
) -> list[Record]:
    """Records for every source article x language (sorted by language, then path).
    ``history``: :func:`source_history` of every source, when the caller has it already;
    ``write_cache=False``: the status cache is read, not written (``helpglot serve``'s warm
    process writes it between builds: :mod:`helpglot.site.warmstate`)."""
    langs = langs or settings.targets
    today = today or dt.date.today()
    sources = all_sources = layout.source_articles(settings)
    if paths:
        wanted = set(paths)
        sources = [rel for rel in sources if rel in wanted]
    layout.check_language_folders(settings)
    dates = history if history is not None else source_history(settings, sources)
    cache_dir = settings.cache_dir or settings.root / ".helpglot"
    cache = StatusCache(cache_dir / statuscache.NAME if use_cache else None)
    records: list[Record] = []
    todo: list[str] = []

    def key(rel: str, lang: str, src: tuple | None, translation: tuple | None) -> tuple:
        return (rel, lang, src, translation, tuple(dates.get(rel, ())), today,
                settings.policy(lang).fail_on_stale_days)

    for rel in sources if cache.old else ():  # (no cache to hit: no need to stat every file here)
        src = _stamp(settings.docs_dir / rel)
        keys = [key(rel, lang, src, _stamp(layout.translation_path(settings, lang, rel))) for lang in langs]
        hit = [cache.old.get(k) for k in keys]
        if None in hit:
            todo.append(rel)
        else:
            records.extend(hit)  # type: ignore[arg-type]
            cache.new.update(zip(keys, hit, strict=True))
    if not cache.old:
        todo = list(sources)
    stamps = cache.path is not None
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    fresh: list[Record] = []
    fresh_stamps: list[tuple] = []
    if jobs > 1 and len(todo) * len(langs) >= PARALLEL_THRESHOLD:
        # small chunks: the workers finish together (a large last chunk would leave one core idle)
        size = -(-len(todo) // (jobs * 16))
        chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
        args = [(settings, chunk, langs, {rel: dates[rel] for rel in chunk if rel in dates}, today, [],
                 stamps) for chunk in chunks]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = pool.map(_chunk, args)
            orphans = _orphans(settings, langs, paths, all_sources)  # while the workers parse
            for part, part_stamps in parts:
                fresh.extend(part)
                fresh_stamps.extend(part_stamps)
    else:
        fresh, fresh_stamps = _chunk((settings, todo, langs, dates, today, [], stamps))
        orphans = _orphans(settings, langs, paths, all_sources)
    if stamps:
        # a file saved in the last two seconds could be saved again, other bytes of the same size,
        # within its time stamp: its record is not kept (git's "racily clean" files)
        settled = file_clock(cache_dir) - RACY_NS
        for record, (src, translation) in zip(fresh, fresh_stamps, strict=True):
            if record.state != "error" and all(s is None or s[1] < settled for s in (src, translation)):
                cache.new[key(record.source, record.lang, src, translation)] = record
        if paths or langs != settings.targets:  # a part of the site: the other entries stay
            seen = set(sources)
            for old_key, record in cache.old.items():
                if old_key[0] not in seen or old_key[1] not in langs:
                    cache.new.setdefault(old_key, record)
        # every entry a hit and none gone: the file would be written again byte for byte
        if write_cache and (fresh or len(cache.new) != len(cache.old)):
            cache.save()
    records.extend(fresh)
    records.extend(_chunk((settings, [], langs, dates, today, orphans))[0])
    if any(r.state == "orphaned" for r in records):
        from helpglot.tracking.renames import annotate

        records = annotate(settings, records)  # a rename says which command finishes it
    order = {code: i for i, code in enumerate(settings.targets)}
    records.sort(key=lambda r: (order.get(r.lang, 99), r.source))
    return records
