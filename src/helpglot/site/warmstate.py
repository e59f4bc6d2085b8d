"""The site's state kept warm in ``helpglot serve``, patched for what a save changed.

Before it hands a build to the language workers, ``helpglot build`` computes the state of every
translation (:func:`helpglot.site.crosslang.compute`: freshness records, publish decisions,
review dates). The file facts and the status cache keep each file's answers by its stat, yet
finding them still means a stat, a few path operations and a dictionary look-up for each of the
thousands of (article, language) pairs: half a second at 1,000 articles x 6 languages, on every
save, for one changed file.

``helpglot serve``'s warm process therefore computes the state itself after each build
(:func:`remember`), with a snapshot of what it was computed from: the stat of every file under
``docs/`` and ``translations/``, the settings, the day, the ``--withhold`` report and each
source's git history. The build forked for the next save takes a new snapshot (a walk of both
trees, no file read) and, when only files that the state knows changed, recomputes the records and
decisions of those articles alone (:func:`patched`). Anything else (a file added, removed or
renamed, a symbolic link in either tree, a file that is neither a source article nor a known
translation, other settings, another day) is a full computation, as without this module.

Why this is the same state as a full computation: every answer in the state is a function of
the two files of one (article, language) pair, that article's git history, the settings, the day
and the withheld report; the pairs whose inputs are all unchanged keep their answers, the others
are computed by the same functions a full computation calls. A file modified in the two seconds
before the snapshot counts as changed (a second save within the file system's time stamp could
keep its stat: git's "racily clean" files). ``tests/test_warmstate.py`` compares the patched
state with one computed from nothing after random edits.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from helpglot import layout
from helpglot.fsutil import RACY_NS, dir_entries, file_clock
from helpglot.settings import Settings
from helpglot.site import crosslang, filefacts
from helpglot.tracking import gitdates
from helpglot.tracking import status as freshness_status
from helpglot.tracking.freshness import Record

Stats = dict[str, tuple[int, int, int]]


@dataclass
class Warm:
    """A state and everything it was computed from (see the module's docstring)."""

    settings: str
    today: dt.date
    held: frozenset[str]
    clock: int
    stats: Stats
    history: dict[str, tuple[dt.date, ...]]
    state: crosslang.SiteState
    facts: filefacts.FileFacts | None
    translations: dict[tuple[str, str], int] = field(default_factory=dict)  # (lang, rel) -> index


#: the state the warm process computed after the last build, by site (never used to build itself)
_WARM: dict[tuple, Warm] = {}


def _snapshot(settings: Settings) -> Stats | None:
    """The stat of every file under the two trees, or None where a symbolic link makes the trees
    more than their files (a linked folder is walked by the build, and a link can be re-aimed)."""
    stats: Stats = {}
    for top in (settings.docs_dir, settings.translations_dir):
        top_s = str(top)
        if os.path.islink(top_s):
            return None
        if not os.path.isdir(top_s):
            continue
        stack = [top_s]
        while stack:
            entries = dir_entries(stack.pop())
            if entries is None:
                return None
            for entry in entries:
                if entry.is_symlink():
                    return None
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    return None
                stats[entry.path] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return stats


def remember(settings: Settings) -> None:
    """Bring the kept state to the files as they are now (in the warm process, after a build, while
    the writer types): patched like a build patches it, else computed in full, with the caches it
    reads and completes saved as a build saves them (a patch saves nothing: the builds forked from
    here find everything in memory, and :func:`save` writes the file facts when the session ends)."""
    from helpglot.site import pagekeys

    key = crosslang._key(settings)
    previous = _WARM.pop(key, None)
    try:
        fresh = _refresh(settings, previous) if previous is not None else None
        if fresh is not None:
            pagekeys.prehash(settings, save=False)
            fresh.facts = crosslang.file_facts()
            _WARM[key] = fresh
            return
        stats = _snapshot(settings)
        if stats is None:
            return
        clock = file_clock(settings.cache_dir or settings.root / ".helpglot")
        held = crosslang.withheld(settings)
        today = dt.date.today()
        history = gitdates.source_history(settings, layout.source_articles(settings))
        state = crosslang.compute(settings, save=False, history=history, today=today)
        pagekeys.prehash(settings)  # (saves the file facts, with the answers the last build found)
        if not any(r.state == "orphaned" for r in state.records.values()):  # (their notes name renames git
            _WARM[key] = _kept(settings, today, held, clock, stats, history, state)  # saw: a commit changes them)
    finally:
        crosslang.use_facts(None)  # this process builds nothing: its children start from their own view


def _kept(settings: Settings, today: dt.date, held: frozenset[str], clock: int, stats: Stats,
          history: dict[str, tuple[dt.date, ...]], state: crosslang.SiteState) -> Warm:
    index = {(t.lang, t.rel): i for i, t in enumerate(state.translations)}
    return Warm(repr(settings), today, held, clock, stats, history, state, crosslang.file_facts(), index)


def save() -> None:
    """Write the kept file facts (``helpglot serve`` stopping), for the next cold build."""
    for warm in _WARM.values():
        if warm.facts is not None:
            warm.facts.save()


def current(settings: Settings) -> Warm | None:
    """The state kept for this site (in the warm process), if any."""
    return _WARM.get(crosslang._key(settings))


def kept(settings: Settings) -> bool:
    """Whether this process was forked from a warm process that keeps this site's state (and
    saves the caches after the build, off the writer's wait)."""
    return crosslang._key(settings) in _WARM


def patched(settings: Settings) -> crosslang.SiteState | None:
    """The state for the files as they are now, from the kept one and what changed since it was
    computed; None when it cannot be patched (then the caller computes it in full). Adopted like a
    preloaded state: the file facts of the kept state, less those of the changed files."""
    warm = _WARM.get(crosslang._key(settings))
    fresh = _refresh(settings, warm) if warm is not None else None
    return fresh.state if fresh is not None else None


def _refresh(settings: Settings, warm: Warm) -> Warm | None:
    """The kept state patched for what changed since its snapshot, with a new snapshot (None: it
    cannot be patched)."""
    if repr(settings) != warm.settings or dt.date.today() != warm.today:
        return None
    stats = _snapshot(settings)
    if stats is None or stats.keys() != warm.stats.keys() or crosslang.withheld(settings) != warm.held:
        return None
    clock = file_clock(settings.cache_dir or settings.root / ".helpglot")
    racy = warm.clock - RACY_NS
    changed = {path for path, stat in stats.items() if stat != warm.stats[path] or stat[1] >= racy}
    docs = os.path.join(str(settings.docs_dir), "")
    translations = os.path.join(str(settings.translations_dir), "")
    sources = layout.source_articles(settings)
    history = gitdates.source_history(settings, sources)
    rels = {rel for rel in sources if history.get(rel) != warm.history.get(rel)}
    pairs: set[tuple[str, str]] = set()
    known = set(sources)
    for path in changed:
        native = path.replace(os.sep, "/")
        if path.startswith(docs) and native[len(docs):] in known:
            rels.add(native[len(docs):])
            continue
        lang, _, rel = native[len(translations):].partition("/") if path.startswith(translations) else ("", "", "")
        if (lang, rel) not in warm.translations or rel not in known:
            return None  # not a file the state knows: computed in full
        pairs.add((lang, rel))
    state = _patch(settings, warm, changed, rels, pairs, history)
    return Warm(warm.settings, warm.today, warm.held, clock, stats, history, state, crosslang.file_facts(),
                warm.translations)


def _patch(settings: Settings, warm: Warm, changed: set[str], rels: set[str], pairs: set[tuple[str, str]],
           history: dict[str, tuple[dt.date, ...]]) -> crosslang.SiteState:
    facts = _facts_without(warm.facts, changed)
    crosslang.use_facts(facts)
    records: dict[tuple[str, str], Record] = dict(warm.state.records)
    wanted = sorted(rels | {rel for _lang, rel in pairs})
    if wanted:
        fresh = freshness_status.collect(settings, paths=wanted, jobs=1, history=history, today=warm.today,
                                         write_cache=False)
        records.update(((r.source, r.lang), r) for r in fresh)
    translations = list(warm.state.translations)
    held, seen = warm.held, {}
    redo = pairs | {(lang, rel) for lang, rel in warm.translations if rel in rels}
    for lang, rel in sorted(redo):
        i = warm.translations[(lang, rel)]
        old = translations[i]
        tfile = layout.TranslationFile(lang, rel, old.path, settings.docs_dir / rel)
        translations[i] = new = crosslang.decide(settings, tfile, records, held, seen)
        if new.why is None:
            crosslang.reviewed_date(new.path)  # read here once, as a full computation does
        record = records.get((rel, lang))
        if record is not None and record.state not in ("missing", "orphaned", "error"):
            crosslang.page_images(settings, record)
    state = crosslang.SiteState(records, translations, gitdates.last_changed(settings.docs_dir))
    crosslang.adopt(settings, state, facts)
    return state


def _facts_without(facts: filefacts.FileFacts | None, changed: set[str]) -> filefacts.FileFacts | None:
    """A copy of the kept file facts in which this build has looked at every file but the changed
    ones (their answers are found again), so nothing else is stat'ed again."""
    if facts is None:
        return None
    copy = filefacts.FileFacts.__new__(filefacts.FileFacts)
    copy.__dict__.update(facts.__dict__)
    absolute = {os.path.abspath(path) for path in changed}
    copy.new = {key: value for key, value in facts.new.items()
                if not absolute.intersection(key.split("\0")[1:])}
    copy._stamps = {}
    copy._now = None
    return copy
