"""The review queue: what translators should look at, most important first.

A translation is on the queue when it has blocks a person has not approved:
``machine`` blocks (drafts) and stale blocks (their source changed and they
were not re-drafted yet). For each such block a reviewer needs three texts:
the English it was made from *before*, the English *now*, and the draft.

Finding "before". Provenance only keeps hashes, and after ``helpglot
translate`` a re-drafted block's provenance already holds the *new* source
hash. So the old hash is taken from the translation's own git history: its
committed versions (``git log -- translations/L/x.md``, newest first, at most
:data:`helpglot.tracking.history.MAX_VERSIONS`) are read until one whose provenance, aligned with the
current provenance, has a *different* hash for that block. This one rule
covers every situation without guessing branch names: an uncommitted sync
(HEAD's version differs), a bot commit on ``l10n/L`` (the commit before it
differs), and drafts already merged to main. The old hash's text is then
looked up in the source's history the same way (``git log -- docs/x.md``, then
``git show`` per version until a block with that hash turns up). Without git,
or beyond the bound, the reviewer sees "previous text not available".
Stale blocks need no translation history: their provenance hash *is* the old
one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from helpglot import layout
from helpglot.drafting import memory as memory_mod
from helpglot.drafting.memory import Suggestion
from helpglot.drafting.sync import UNTRANSLATED
from helpglot.markdown.segment import Document, parse_file
from helpglot.qa import checks as check_registry
from helpglot.qa import runner as qa
from helpglot.qa.checks.base import Finding
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.tracking import provenance
from helpglot.tracking.freshness import align
from helpglot.tracking.history import SourceTexts, previous_hashes

KINDS = ("new", "changed", "machine")


@dataclass(frozen=True)
class ReviewBlock:
    """One block awaiting review."""

    block: int | None  # 1-based translation block number (None: a source block not translated yet)
    line: int | None  # its line in the translation
    status: str  # machine | stale | new (drafted with the whole article)
    before: str | None  # English the translation was previously made from
    before_note: str  # found | new | unavailable: why ``before`` may be None
    after: str | None  # English now
    draft: str | None  # a fresh draft (in the file, or waiting in provenance under ``keep``)
    findings: tuple[Finding, ...] = ()
    previous: str | None = None  # the translation a person approved before the English changed
    in_file: str = "draft"  # which of ``draft``/``previous`` the file holds until review
    suggestions: tuple[Suggestion, ...] = ()  # fuzzy translation-memory matches (>= 75 %), best first

    def as_json(self) -> dict:
        return {"block": self.block, "line": self.line, "status": self.status, "before": self.before,
                "before_note": self.before_note, "after": self.after, "draft": self.draft,
                "previous": self.previous, "in_file": self.in_file,
                "findings": [f.as_json() for f in self.findings],
                "suggestions": [s.as_json() for s in self.suggestions]}


@dataclass(frozen=True)
class QueueItem:
    """One translation awaiting review."""

    lang: str
    path: str  # the translation, relative to the project root
    source: str  # relative to docs/
    kind: str  # new | changed | machine
    priority: int  # 1-based position in its language's queue
    blocks: tuple[ReviewBlock, ...]
    findings: tuple[Finding, ...] = ()  # every QA finding of the file (blocks hold theirs too)

    def as_json(self) -> dict:
        return {"lang": self.lang, "path": self.path, "source": self.source, "kind": self.kind,
                "priority": self.priority, "blocks": [b.as_json() for b in self.blocks],
                "findings": [f.as_json() for f in self.findings if f.block is None]}


def _item_blocks(settings: Settings, tf: layout.TranslationFile, source: Document, translation: Document,
                 prov: provenance.Provenance, findings: list[Finding]) -> tuple[str, list[ReviewBlock]]:
    """The kind of a translation on the queue and its blocks awaiting review (empty: nothing to do)."""
    texts = SourceTexts(tf.source, source)
    by_block: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.block is not None:
            by_block.setdefault(finding.block, []).append(finding)

    def before(block_hash: str | None) -> tuple[str | None, str]:
        if block_hash is None:
            return None, "new"
        text = None if block_hash == UNTRANSLATED else texts.find(block_hash)
        return text, "found" if text is not None else "unavailable"

    def make(t: int | None, status: str, old_hash: str | None, note: str | None, s: int | None) -> ReviewBlock:
        tb = translation.blocks[t] if t is not None else None
        waiting = prov.pending_for(source.blocks[s].hash) if s is not None else None
        if waiting is not None and (t is None or waiting.was in (old_hash, prov.hashes[t])):
            old_hash, note = waiting.was, None  # provenance says what the translation was made from
        text, how = (None, note) if note else before(old_hash)
        draft, previous, in_file = (tb.text if tb else None), None, "draft"
        if waiting is not None and waiting.draft is not None:  # keep policy: the file holds the earlier one
            draft, previous, in_file = waiting.draft, (tb.text if tb else None), "previous"
        elif waiting is not None:
            previous = waiting.previous
        return ReviewBlock(
            block=None if t is None else t + 1, line=tb.line if tb else None, status=status, before=text,
            before_note=how, after=None if s is None else source.blocks[s].text, draft=draft,
            findings=tuple(by_block.get(t + 1, ())) if t is not None else (), previous=previous,
            in_file=in_file,
        )

    machine = prov.machine
    alignment = align(prov.hashes, source.hashes)
    to_source = dict(alignment.pairs)
    stale: dict[int, ReviewBlock] = {}  # keyed by source block for ordering
    stale_old: set[int] = set()
    for change in alignment.changes:
        if change.kind == "changed":
            stale_old.add(change.old)
            stale[change.new] = make(change.old, "stale", prov.hashes[change.old], None, change.new)
        elif change.kind == "inserted":
            stale[change.new] = make(None, "stale", None, "new", change.new)
    if machine and len(machine) == len(prov.blocks) and not stale:
        return "new", [make(t, "new", None, "new", to_source.get(t)) for t in machine]
    wanted = [t for t in machine if t not in stale_old]
    known = {t for t in wanted if prov.pending_for(prov.hashes[t]) is not None}
    lookup = [t for t in wanted if t not in known]
    olds = previous_hashes(tf.path, translation, prov, lookup) if lookup else {}
    olds.update({t: prov.pending_for(prov.hashes[t]).was for t in known})
    result: list[tuple[int, ReviewBlock]] = []
    for t in wanted:
        note = None if t in olds else "unavailable"
        result.append((to_source.get(t, -1), make(t, "machine", olds.get(t), note, to_source.get(t))))
    result.extend(stale.items())
    result.sort(key=lambda pair: (pair[0], pair[1].block or 0))
    changed = bool(stale) or any(h is not None for h in olds.values())
    return ("changed" if changed else "machine"), [b for _, b in result]


def _order_key(settings: Settings, rel: str, source: Document) -> tuple:
    nav = {path: i for i, path in enumerate(settings.nav_order)}
    nav_key = (nav.get(rel, len(nav)), rel)
    if settings.queue_priority == "path":
        return (rel,)
    if settings.queue_priority == "weight":
        weight = provenance.front_matter_data(source).get("weight")
        number = weight if isinstance(weight, (int, float)) and not isinstance(weight, bool) else math.inf
        return (number, *nav_key)
    return nav_key


def build(settings: Settings, langs: tuple[str, ...]) -> tuple[list[QueueItem], list[str]]:
    """The queue of the given languages in order, and notes about translations left out (why)."""
    terms = tuple(glossary_mod.load(settings))
    loaded = check_registry.load()
    skipped: list[str] = []
    items: list[QueueItem] = []
    for lang in langs:
        memory = memory_mod.load(settings, lang)
        found: list[tuple[tuple, str, layout.TranslationFile, list[ReviewBlock], list[Finding]]] = []
        for tf in layout.translation_files(settings, (lang,)):
            shown = settings.rel(tf.path)
            if not tf.has_source:
                continue
            source = parse_file(str(tf.source), settings.rel(tf.source))
            translation = parse_file(str(tf.path), shown)
            prov = provenance.read(translation)
            if prov is None:
                skipped.append(f"{shown}: no provenance (untracked); see `helpglot adopt`")
                continue
            if len(prov.blocks) != len(translation.blocks):
                skipped.append(f"{shown}: provenance lists {len(prov.blocks)} blocks, the file has "
                               f"{len(translation.blocks)}; fix it before review")
                continue
            if not prov.machine and prov.hashes == source.hashes:
                continue
            findings = qa.check_file(settings, tf, loaded, terms)
            kind, blocks = _item_blocks(settings, tf, source, translation, prov, findings)
            if not blocks:
                continue
            blocks = [replace(b, suggestions=memory.fuzzy(b.after, exclude_target=b.draft)) if b.after else b
                      for b in blocks]
            group = 0 if kind == "new" else 1
            found.append(((group, *_order_key(settings, tf.rel, source)), kind, tf, blocks, findings))
        found.sort(key=lambda entry: entry[0])
        for position, (_key, kind, tf, blocks, findings) in enumerate(found, start=1):
            items.append(QueueItem(lang, settings.rel(tf.path), tf.rel, kind, position, tuple(blocks),
                                   tuple(findings)))
    return items, skipped
