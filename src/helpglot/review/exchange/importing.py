"""``helpglot import``: an exchange file back into the translations, as an approval path.

Like ``approve`` it plans every file first and writes nothing if anything is refused, and it records
only what the file says happened:

* a unit in a final state (XLIFF ``final``/``signed-off``/``approved="yes"``, a PO entry that is not
  fuzzy) becomes ``reviewed`` by the reviewer the command or the file names;
* any other changed unit is written as a draft (``machine``, engine ``import``); the translation a
  person approved before stays in provenance (``pending.previous``) for the reviewer;
* a unit whose source hash is no longer the English block's is stale: reported, not written;
* an unchanged unit changes nothing (so a file imported as exported changes no byte on disk).

Refused, each with one message naming the file and unit, nothing written: broken inline codes (the
same check as an engine's answer, :func:`helpglot.markdown.inline.restore`), a unit or article
helpglot never exported, the wrong language pair, a target that breaks the block structure, safety
QA errors in the result (script, off-site links: :data:`helpglot.qa.checks.safety.SECURITY_CHECKS`),
and hostile XML (:mod:`helpglot.drafting.safexml`). A final unit whose block has other QA errors is
written as a draft instead, and said so: an approval must not hide a QA error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import tempfile
from pathlib import Path

from helpglot import layout
from helpglot.drafting import memory as memory_mod
from helpglot.drafting import safexml, skeleton
from helpglot.drafting.sync import _yaml_value
from helpglot.markdown.blocks import block_hash
from helpglot.markdown.inline import MarkupLost, protect, restore
from helpglot.markdown.segment import Document, parse, parse_file
from helpglot.qa import checks as registry
from helpglot.qa import runner as qa
from helpglot.qa.checks.base import ERROR
from helpglot.qa.checks.safety import SECURITY_CHECKS
from helpglot.review.bookkeeping import Planned
from helpglot.review.exchange import codes, po, xliff
from helpglot.review.exchange.model import ExchangeError, ExchangeFile, Incoming
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.tracking import provenance
from helpglot.tracking.freshness import first_mismatch
from helpglot.tracking.provenance import BlockRecord, Pending

IMPORT_ENGINE = "import"


def read_file(path: Path, shown: str) -> ExchangeFile:
    """An exchange file by its content: XML (XLIFF 1.2 or 2.x) or PO; hostile input refused."""
    data = safexml.read_bytes(path, shown)
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return xliff.read(safexml.parse(data, shown), shown)
    return po.read(data, shown)


def _same(code: str | None, lang: str) -> bool:
    """``en-US`` is ``en``; ``pt-BR`` is not ``pt-PT`` (see :func:`helpglot.drafting.memory.same_lang`)."""
    return memory_mod.same_lang(code, lang)


def language(settings: Settings, data: ExchangeFile, shown: str, wanted: str | None) -> str:
    """The target language the file is for, checked against the site and ``--lang``."""
    if data.source_lang and not _same(data.source_lang, settings.source_lang):
        raise ExchangeError(f"{shown}: its source language is {data.source_lang}, this site's is "
                            f"{settings.source_lang}; nothing was changed")
    target = data.target_lang
    if not target:
        if wanted is None:
            raise ExchangeError(f"{shown}: names no target language; pass --lang; nothing was changed")
        return wanted
    match = next((code for code in settings.targets if code.casefold() == target.replace("_", "-").casefold()),
                 None) or next((code for code in settings.targets if _same(target, code)), None)
    if match is None:
        raise ExchangeError(f"{shown}: its target language {target} is not one of this site's "
                            f"({', '.join(settings.targets)}); nothing was changed")
    if wanted is not None and wanted != match:
        raise ExchangeError(f"{shown}: the file is for {target}, not --lang {wanted}; nothing was changed")
    return match


@dataclasses.dataclass(frozen=True)
class ImportRequest:
    lang: str | None
    reviewer: str | None
    today: dt.date
    fallback: str | None = None  # the reviewer when neither the command nor the file names one (git user)


def plan_import(settings: Settings, path: Path, request: ImportRequest,
                notes: list[str]) -> list[Planned]:
    """The translation files an import changes, or the first refusal (ExchangeError, nothing planned)."""
    shown = settings.rel(path) if path.is_absolute() else str(path)
    data = read_file(path, shown)
    lang = language(settings, data, shown, request.lang)
    reviewer = request.reviewer or data.reviewer or request.fallback
    by_rel: dict[str, list[Incoming]] = {}
    for unit in data.units:
        by_rel.setdefault(unit.rel, []).append(unit)
    planned: list[Planned] = []
    loaded, terms = registry.load(), tuple(glossary_mod.load(settings))
    for rel, units in by_rel.items():
        item = _plan_article(settings, lang, rel, units, reviewer, request.today, notes, (loaded, terms))
        if item is not None:
            planned.append(item)
    if not data.units:
        notes.append(f"{shown}: no units")
    return planned


def _plan_article(settings: Settings, lang: str, rel: str, units: list[Incoming], reviewer: str | None,
                  today: dt.date, notes: list[str], qa_state: tuple) -> Planned | None:
    first = units[0].where
    if not rel or rel.startswith(("/", "../")) or "/../" in rel or "\\" in rel:
        raise ExchangeError(f"{first}: {rel!r} is not an article path under docs/; nothing was changed")
    tpath = layout.translation_path(settings, lang, rel)
    tshown = settings.rel(tpath)
    source_path = settings.docs_dir / rel
    if not source_path.is_file() or not tpath.is_file():
        raise ExchangeError(f"{first}: there is no {'article ' + rel if not source_path.is_file() else tshown}; "
                            "import only files exported from this help center; nothing was changed")
    source = parse_file(str(source_path), settings.rel(source_path))
    doc = parse_file(str(tpath), tshown)
    prov = provenance.read(doc)
    if prov is None or not (len(prov.blocks) == len(doc.blocks) == len(source.blocks)) \
            or first_mismatch(source, doc):
        raise ExchangeError(f"{tshown}: its blocks no longer line up with the English one to one; run "
                            f"`helpglot translate --lang {lang} {rel}`, export again; nothing was changed")
    texts: dict[int, str] = {}
    finals: set[int] = set()
    stale: list[str] = []
    seen: set[int] = set()
    for unit in units:
        if unit.block in seen:
            raise ExchangeError(f"{unit.where}: block {unit.block} of {rel} appears twice in the file; keep one "
                                "unit per block; nothing was changed")
        seen.add(unit.block)
        if unit.block > len(source.blocks):
            raise ExchangeError(f"{unit.where}: {rel} has blocks 1 to {len(source.blocks)}, no block {unit.block}; "
                                "nothing was changed")
        i = unit.block - 1
        if unit.source_hash != source.hashes[i]:
            stale.append(f"{unit.where}: stale: the English of block {unit.block} changed since the export "
                         f"(source hash {unit.source_hash}, now {source.hashes[i]}); not imported, export it again")
            continue
        if unit.text is None:
            continue
        text = _markdown(unit, source.blocks[i].text, doc.blocks[i].text)
        if text != doc.blocks[i].text or unit.final:
            texts[i] = text
            if unit.final:
                finals.add(i)
    notes.extend(stale)
    new_text = _compose(doc, {i: t for i, t in texts.items() if t != doc.blocks[i].text})
    new_doc = parse(new_text, tshown)
    if len(new_doc.blocks) != len(source.blocks) or first_mismatch(source, new_doc):
        culprit = _culprit(doc, texts, source)
        raise ExchangeError(f"{culprit}: the translation breaks the block structure (a line break or a "
                            "Markdown marker that starts a new block); fix it in the CAT tool; nothing was changed")
    blocked = _qa(settings, lang, rel, tpath, source_path, new_text, finals, tshown, qa_state)
    if blocked:
        notes.append(f"{tshown}: block(s) {', '.join(str(b + 1) for b in sorted(blocked))} have QA errors "
                     f"(`helpglot check {tshown}`): imported as drafts, not approved")
        finals -= blocked
    records = list(prov.blocks)
    pending = {p.block: p for p in prov.pending}
    approved: list[int] = []
    drafted: list[int] = []
    for i, text in sorted(texts.items()):
        old, now = records[i], source.hashes[i]
        if i in finals:
            if old.status == "reviewed" and old.hash == now and text == doc.blocks[i].text:
                continue
            records[i] = BlockRecord(now, "reviewed")
            pending.pop(now, None)
            approved.append(i + 1)
        elif text != doc.blocks[i].text:
            if old.status == "reviewed" and now not in pending:  # a person's translation: kept for review
                pending[now] = Pending(now, old.hash, previous=doc.blocks[i].text, drafted=block_hash(text))
            records[i] = BlockRecord(now, "machine", IMPORT_ENGINE)
            drafted.append(i + 1)
    if not approved and not drafted:
        return None
    if approved and not reviewer:
        raise ExchangeError("no reviewer for the final units: pass --reviewer NAME (or set `git config "
                            "user.name`); nothing was changed")
    still = any(r.status == "machine" for r in records)
    engines = sorted({r.engine for r in records if r.status == "machine" and r.engine})
    changes: dict = {"pending": tuple(p for p in pending.values()), "engine": ",".join(engines) if still else None}
    if approved:
        changes.update(reviewer=reviewer, reviewed=today)
    updated = prov.with_blocks(records, **changes)
    summary = f"{tshown}: " + "; ".join(part for part in (
        f"block(s) {', '.join(map(str, approved))} approved by {reviewer}" if approved else "",
        f"block(s) {', '.join(map(str, drafted))} written as drafts" if drafted else "") if part)
    return Planned(tpath, provenance.write(new_doc, updated), summary)


def _markdown(unit: Incoming, source_text: str, current: str) -> str:
    protected = protect(source_text)
    fragment = unit.text if unit.codes == "xml" else codes.from_placeholders(protected, unit.text or "")
    try:
        return restore(protected, fragment)
    except MarkupLost as exc:
        # a translation whose markup differs from its source travels as its Markdown (see units.target_protected)
        plain = html.unescape(fragment) if "<" not in fragment else None
        if unit.codes == "braces" and unit.text == current or plain == current:
            return current
        raise ExchangeError(f"{unit.where}: the inline codes do not match the English ({exc.message}); fix the "
                            "tags in the CAT tool (its tag check lists them); nothing was changed") from None


def _compose(doc: Document, texts: dict[int, str]) -> str:
    """The file with ``texts`` in place of its blocks, put together the way a sync does (a front-matter
    value keeps valid YAML in the file's quoting); everything else byte for byte."""
    repl = {i: _yaml_value(doc, i, t) if doc.blocks[i].kind == "meta" else t for i, t in texts.items()}
    return skeleton.render(doc, repl, {})


def _culprit(doc: Document, texts: dict[int, str], source: Document) -> str:
    for i in sorted(texts):
        if texts[i] == doc.blocks[i].text:
            continue
        try:
            trial = parse(_compose(doc, {i: texts[i]}), doc.path)
        except Exception:  # noqa: BLE001 - any failure names this unit
            return f"unit b{i + 1} of {doc.path}"
        if len(trial.blocks) != len(source.blocks) or first_mismatch(source, trial):
            return f"unit b{i + 1} of {doc.path}"
    return doc.path


def _qa(settings: Settings, lang: str, rel: str, tpath: Path, source_path: Path, text: str, finals: set[int],
        shown: str, qa_state: tuple) -> set[int]:
    """Run the QA checks on the file as it would be written (in a scratch copy, not in place):
    safety errors refuse the import; 0-based final blocks with other errors are returned."""
    loaded, terms = qa_state
    with tempfile.TemporaryDirectory(prefix="helpglot-import-") as tmp:
        root = Path(tmp)
        scratch = root / settings.rel(tpath)
        scratch.parent.mkdir(parents=True, exist_ok=True)
        scratch.write_text(text, encoding="utf-8")
        scratch_settings = dataclasses.replace(settings, root=root, translations_dir=root / settings.rel(
            settings.translations_dir))
        tf = layout.TranslationFile(lang, rel, scratch, source_path)
        findings = [f for f in qa.check_file(scratch_settings, tf, loaded, terms)
                    if f.severity == ERROR and not f.suppressed]
    unsafe = [f for f in findings if f.check in SECURITY_CHECKS]
    if unsafe:
        first, message = unsafe[0], " ".join(unsafe[0].message.split())
        raise ExchangeError(f"{shown}:{first.line}: the imported translation has {len(unsafe)} safety error(s), "
                            f"which no one can approve: {message}; remove it in the CAT tool; nothing was changed")
    return {f.block - 1 for f in findings if f.block is not None and f.block - 1 in finals}
