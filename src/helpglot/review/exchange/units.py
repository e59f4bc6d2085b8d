"""What an exchange file carries: one unit per block of a translation, with what a translator needs.

A unit is a source block (the English now), the translation's block (a machine draft or a reviewed
translation) in a state that follows provenance (``machine``/``reused``/stale = a draft that needs
review, ``reviewed`` = final), and the context a reviewer gets in a pull request: the English before
and after for a changed block, the translation a person approved before the English changed, the
glossary terms the block holds, and memory suggestions. The block number and the source hash travel
with the unit: on the way back (:mod:`helpglot.review.exchange.importing`) a unit whose English has
changed since the export is refused as stale rather than written against the wrong English.

Only translations whose blocks line up one to one with their source are exported; one with blocks
still to draft (an inserted paragraph) is left out with a note to run ``helpglot translate`` first,
so every unit maps to exactly one block of a file on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpglot import layout
from helpglot.drafting import memory as memory_mod
from helpglot.errors import HelpglotError
from helpglot.markdown.inline import Protected, protect
from helpglot.markdown.segment import parse_file
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.terms.termmatch import find_source
from helpglot.tracking import provenance
from helpglot.tracking.freshness import first_mismatch
from helpglot.tracking.history import SourceTexts, previous_hashes

SELECTIONS = ("all", "stale")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Unit:
    rel: str  # the article, relative to docs/
    block: int  # 1-based block number (as `approve --blocks` and `check` number them)
    kind: str  # the block's kind (heading, paragraph, list_item, meta, ...)
    source_hash: str  # the current English block's hash: the way back checks it
    source: Protected  # the English now, protected
    target: Protected | None  # the translation in the file, protected against the source's spans
    text: str  # the translation in the file, Markdown
    final: bool  # reviewed (final) or a draft that needs review
    stale: bool = False  # the translation was made from other English (``before``)
    before: str | None = None  # the English the translation was made from, when it changed
    previous: str | None = None  # the translation a person approved before the English changed
    terms: tuple[str, ...] = ()  # "term -> translation" for glossary terms in the block
    suggestions: tuple[memory_mod.Suggestion, ...] = ()

    @property
    def id(self) -> str:
        return f"b{self.block}"

    def notes(self) -> list[tuple[str, str]]:
        """(origin, text) notes for a translator, in the order they read them."""
        out = [("helpglot", f"block {self.block} ({self.kind}) of {self.rel}; source hash {self.source_hash}")]
        if self.stale or self.before is not None:
            out.append(("english-before", self.before if self.before is not None
                        else "(the earlier English is not available)"))
            out.append(("english-after", markdown(self.source)))
        if self.previous is not None:
            out.append(("previous-translation", self.previous))
        out.extend(("glossary", term) for term in self.terms)
        for s in self.suggestions:
            out.append(("memory", f"{s.score:.0f}% match: {s.target}  [English diff: {s.diff}]"))
        return out


@dataclass(frozen=True)
class Article:
    rel: str
    path: str  # the translation, as shown (relative to the project root)
    units: tuple[Unit, ...]


def markdown(protected: Protected) -> str:
    from helpglot.markdown.inline import restore

    return restore(protected, protected.text)


def target_protected(source: Protected, text: str) -> Protected | None:
    """The translation's block as a fragment with the *source's* tag ids, so a CAT tool sees the same
    inline codes in source and target; None when the translation's markup differs from the source's
    (it then travels as text: a tag check would refuse it, and the translator sees the Markdown)."""
    mine = protect(text)
    wanted = sorted((s.kind, s.role, s.markup, s.close) for s in source.spans)
    if sorted((s.kind, s.role, s.markup, s.close) for s in mine.spans) != wanted:
        return None
    ids: dict[int, int] = {}
    free = {key: [s.id for s in source.spans if (s.kind, s.role, s.markup, s.close) == key]
            for key in {(s.kind, s.role, s.markup, s.close) for s in source.spans}}
    for span in mine.spans:
        ids[span.id] = free[(span.kind, span.role, span.markup, span.close)].pop(0)
    fragment = re.sub(r'(<(?:x|g) id=")(\d+)(")', lambda m: f"{m.group(1)}{ids[int(m.group(2))]}{m.group(3)}",
                      mine.text)
    return Protected(fragment, source.spans)


def collect(settings: Settings, lang: str, selection: str = "all", article: str | None = None,
            notes: list[str] | None = None) -> list[Article]:
    """The units of one language's translations (one article, or all), in source order."""
    if lang not in settings.targets:
        raise HelpglotError(f"--lang {lang}: not a target language of this site ({', '.join(settings.targets)})")
    if selection not in SELECTIONS:
        raise HelpglotError(f"selection {selection!r}: use one of {', '.join(SELECTIONS)}")
    files = layout.translation_files(settings, (lang,))
    if article is not None:
        wanted = article.removeprefix(settings.rel(settings.docs_dir) + "/")
        wanted = wanted.split(f"{settings.rel(settings.translations_dir)}/{lang}/", 1)[-1]
        files = [t for t in files if t.rel == wanted]
        if not files:
            raise HelpglotError(f"{article}: no {lang} translation of that article "
                                f"(give its path under {settings.rel(settings.docs_dir)}/)")
    terms = [t for t in glossary_mod.load(settings) if not t.search_only]
    memory = memory_mod.load(settings, lang)
    out: list[Article] = []
    for tf in files:
        shown = settings.rel(tf.path)
        if not tf.has_source:
            continue
        source = parse_file(str(tf.source), settings.rel(tf.source))
        doc = parse_file(str(tf.path), shown)
        prov = provenance.read(doc)
        if prov is None:
            if notes is not None:
                notes.append(f"{shown}: skipped: not tracked (run `helpglot adopt {shown}`)")
            continue
        if not (len(prov.blocks) == len(doc.blocks) == len(source.blocks)) or first_mismatch(source, doc):
            if notes is not None:
                notes.append(f"{shown}: skipped: its blocks do not line up with the English one to one "
                             f"(run `helpglot translate --lang {lang} {tf.rel}` first)")
            continue
        units = _units(settings, tf, source, doc, prov, selection, terms, memory, lang)
        unfit = [u.block for u in units if _NOT_XML.search(u.text) or _NOT_XML.search(markdown(u.source))]
        if unfit:  # (XML 1.0 cannot hold control characters; such a block stays for the Markdown review)
            if notes is not None:
                notes.append(f"{shown}: block(s) {', '.join(map(str, unfit))} left out: they hold control "
                             "characters XML cannot carry (`helpglot check` shows them)")
            units = [u for u in units if u.block not in unfit]
        if units:
            out.append(Article(tf.rel, shown, tuple(units)))
    return out


def _units(settings: Settings, tf: layout.TranslationFile, source, doc, prov, selection: str, terms: list,
           memory: memory_mod.Memory, lang: str) -> list[Unit]:  # noqa: ANN001
    texts = SourceTexts(tf.source, source)
    lookup = [i for i, r in enumerate(prov.blocks) if r.status != "reviewed" and r.hash == source.hashes[i]
              and prov.pending_for(r.hash) is None]
    olds = previous_hashes(tf.path, doc, prov, lookup) if lookup else {}
    out: list[Unit] = []
    for i, (sblock, tblock, record) in enumerate(zip(source.blocks, doc.blocks, prov.blocks, strict=True)):
        if not sblock.text.strip():
            continue  # the empty title place of an untitled admonition: nothing to translate
        stale = record.hash != sblock.hash
        final = record.status == "reviewed" and not stale
        if selection == "stale" and final:
            continue
        before = previous = None
        waiting = prov.pending_for(sblock.hash)
        if stale:
            before = texts.find(record.hash)
        elif waiting is not None:
            before, previous = texts.find(waiting.was), waiting.previous
        elif olds.get(i):
            before = texts.find(olds[i])
        sprot = protect(sblock.text)
        hits = []
        for term in terms:
            if find_source([term.source], sblock.text, settings.source_lang):
                rendering = term.source if term.dnt else term.preferred.get(lang)
                if rendering:
                    hits.append(f"{term.source} -> {rendering}" + (" (do not translate)" if term.dnt else ""))
        suggestions = () if final else memory.fuzzy(sblock.text, exclude_target=tblock.text)
        out.append(Unit(tf.rel, i + 1, sblock.kind, sblock.hash, sprot, target_protected(sprot, tblock.text),
                        tblock.text, final, stale, before, previous, tuple(hits), suggestions))
    return out
