"""The site's state handed to the long-lived workers: whole between builds, then only what changed.

A build forked by ``helpglot serve``'s warm process hands each previewed language to its
long-lived worker (:mod:`helpglot.site.langworker`) with the state it computed before the workers
(freshness records, publish decisions, dates, file facts). Pickled and unpickled whole, that was
a fifth of a second at 1,000 articles x 6 languages, on every save, for a state that differs from
the last one in the edited article's few entries.

So the warm process, once it has brought its kept state up to date after a build
(:mod:`helpglot.site.warmstate`), sends it to every worker (:func:`prime`, while the writer reads
the page). The next build patches that same state for the save, and hands over only the entries
that are not the kept state's own objects (:func:`delta`); the worker applies them to a copy of
what it was sent (:func:`resolve`). A worker that does not hold the version a delta was made
against declines the build, which then runs in a new process as it would without a worker.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from helpglot.site import crosslang


@dataclass(frozen=True)
class Prime:
    """The warm process's state, sent to a worker between builds (no answer)."""

    version: int
    state: tuple  # (settings, crosslang.SiteState, filefacts.FileFacts | None)


@dataclass(frozen=True)
class Delta:
    """A build's state as the entries that differ from the primed version ``base``."""

    base: int
    settings: Any
    records: dict
    translations: list[tuple[int, Any]]
    source_dates: dict
    facts_new: dict
    facts_removed: list[str]
    facts_now: int | None

    def __len__(self) -> int:
        return len(self.records) + len(self.translations) + len(self.facts_new) + len(self.facts_removed)


#: in the warm process (and so in the builds it forks): the version and state each worker was sent
_PRIMED: dict[str, tuple[int, tuple]] = {}
_VERSION = [0]


def new_version() -> int:
    """A number for one state sent to every worker (their deltas are then the same, made once)."""
    _VERSION[0] += 1
    return _VERSION[0]


def prime(conn: Connection, lang: str, state: tuple, version: int) -> None:
    """Send ``state`` to ``lang``'s worker; what the builds forked from here hand over is then a delta."""
    _PRIMED.pop(lang, None)
    try:
        conn.send(Prime(version, state))
    except (OSError, ValueError):
        return  # a worker that is gone: the next build starts another
    _PRIMED[lang] = (version, state)


def forget(lang: str) -> None:
    """A worker started or stopped: it holds no state sent from here."""
    _PRIMED.pop(lang, None)


#: the delta last made, by the version it is made against and the state it describes, that state
#: itself kept (compared by identity: an ``id`` alone could be a freed state's, reused) (six
#: languages' workers hold the same version: one pass over the file facts, not six)
_MADE: list[tuple[int, object, Delta]] = []


def delta(lang: str, state: tuple) -> tuple | Delta:
    """What to hand ``lang``'s worker: ``state`` as a :class:`Delta` of the state it holds, or whole
    (no state sent, or ``state`` not patched from it: another set of articles)."""
    found = _PRIMED.get(lang)
    if found is None:
        return state
    version = found[0]
    if _MADE and _MADE[0][0] == version and _MADE[0][1] is state[1]:
        return _MADE[0][2]
    made = _delta(version, found[1], state)
    if isinstance(made, Delta):
        _MADE[:] = [(version, state[1], made)]
    return made


def _delta(version: int, primed: tuple, state: tuple) -> tuple | Delta:
    _settings, kept, kept_facts = primed
    settings, site, facts = state
    if (site.records.keys() != kept.records.keys() or len(site.translations) != len(kept.translations)
            or facts is None or kept_facts is None):
        return state
    records = {key: value for key, value in site.records.items() if value is not kept.records[key]}
    translations = [(i, t) for i, t in enumerate(site.translations) if t is not kept.translations[i]]
    new = {key: value for key, value in facts.new.items() if kept_facts.new.get(key) is not value}
    removed = [key for key in kept_facts.new if key not in facts.new]
    return Delta(version, settings, records, translations, site.source_dates, new, removed, facts._now)


def resolve(prepared: tuple | Delta | None, primed: Prime | None) -> tuple | None:
    """In the worker: the state a build was handed, whole (None: a delta of a version it does not hold)."""
    if not isinstance(prepared, Delta):
        return prepared
    if primed is None or primed.version != prepared.base:
        return None
    _settings, kept, kept_facts = primed.state
    records = dict(kept.records)
    records.update(prepared.records)
    translations = list(kept.translations)
    for i, translation in prepared.translations:
        translations[i] = translation
    facts = copy.copy(kept_facts)  # (the one sent stays as it was: the next delta is made against it)
    facts.new = dict(kept_facts.new)
    facts.new.update(prepared.facts_new)
    for key in prepared.facts_removed:
        facts.new.pop(key, None)
    facts._now, facts._stamps = prepared.facts_now, {}
    return prepared.settings, crosslang.SiteState(records, translations, prepared.source_dates), facts
