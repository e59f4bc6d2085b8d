"""Review queues: approving machine drafts, and routing each language to its translators.

``approve`` is the last step of a translation pull request: the reviewer has read
the drafted blocks (and fixed them in the PR), and the blocks' status becomes
``reviewed`` with who and when in the provenance. It refuses what would record a
review that did not happen against the current text: a file that is not a tracked
translation, a translation whose source changed since (approving would bless a
translation of the *old* English), and a file with QA errors, unless the reviewer
says why (``--force --reason``), which is then kept in the provenance for the next
person. Safety errors (script, off-site links, pages over the build's budgets) are
refused even with ``--force``: they are not a translation choice, and an approval
must never be what lets them through. Like ``adopt`` and ``ack`` it plans every file first and writes nothing
if any is refused; only the provenance lines change.

``codeowners`` turns ``plugins.helpglot.maintainers`` and ``plugins.helpglot.translators``
into ``.github/CODEOWNERS`` so GitHub requests the right reviewers on each pull request:
the maintainers own every path (``mkdocs.yml``, ``docs/``, ``.github/``, ``src/``,
``scripts/``, ``glossary/``, ``.helpglot/``, ``*``), and a language's translators own only
``translations/<lang>/``. Without the maintainers' rules, a translation branch that also
changed ``mkdocs.yml`` or ``scripts/`` would ask only its translator to review it. It owns
only a marked section, so hand-written rules around it survive regeneration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from helpglot import layout
from helpglot.errors import ConfigError, ContentError, HelpglotError
from helpglot.fsutil import atomic_write_text
from helpglot.markdown.segment import parse_file
from helpglot.qa import checks as registry
from helpglot.qa import runner as qa
from helpglot.qa.checks.base import ERROR, Finding
from helpglot.qa.checks.safety import SECURITY_CHECKS
from helpglot.review import seen
from helpglot.review.bookkeeping import Planned, resolve_translations
from helpglot.settings import Settings
from helpglot.terms import glossary as glossary_mod
from helpglot.tracking import provenance
from helpglot.tracking.provenance import Accepted, BlockRecord

BEGIN = "# BEGIN helpglot"
END = "# END helpglot"
CODEOWNERS = Path(".github") / "CODEOWNERS"


@dataclass(frozen=True)
class ApprovalRequest:
    reviewer: str
    today: dt.date
    blocks: frozenset[int] = frozenset()  # 1-based translation block numbers; empty: every machine block
    force: bool = False
    reason: str | None = None
    seen: str | None = None  # the reviewed commit: only blocks as they were there are approved


def parse_blocks(value: str | None) -> frozenset[int]:
    """``--blocks 3,5-7`` as {3, 5, 6, 7}; a malformed list is an error naming the option."""
    if not value:
        return frozenset()
    numbers: set[int] = set()
    for part in (p.strip() for p in value.split(",")):
        try:
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
                if low > high:
                    raise ValueError
                numbers.update(range(low, high + 1))
            else:
                numbers.add(int(part))
        except ValueError:
            raise HelpglotError(f"--blocks {value}: '{part}' is not a block number or range "
                                "(e.g. --blocks 3,5-7)") from None
    if min(numbers) < 1:
        raise HelpglotError(f"--blocks {value}: block numbers start at 1")
    return frozenset(numbers)


def plan_approve(settings: Settings, paths: list[str], request: ApprovalRequest,
                 notes: list[str] | None = None) -> list[Planned]:
    """The provenance change for every named translation, or the first refusal (nothing planned)."""
    if request.force and not (request.reason or "").strip():
        raise HelpglotError('--force needs --reason "..." saying why the QA errors are acceptable; '
                            "it is recorded in the translation's provenance")
    loaded = registry.load()
    terms = tuple(glossary_mod.load(settings))
    planned: list[Planned] = []
    named = {(settings.root / p).resolve() for p in paths}
    for tfile in resolve_translations(settings, paths):
        if not tfile.has_source and tfile.path.resolve() not in named:
            # an orphan inside an approved folder must not stop the language's approval
            if notes is not None:
                notes.append(f"{settings.rel(tfile.path)}: skipped: its source {settings.rel(tfile.source)} no longer "
                             "exists (renamed or deleted); `helpglot mv` or `helpglot rm` settles it")
            continue
        item = _plan_one(settings, tfile, request, loaded, terms, notes)
        if item is not None:
            planned.append(item)
    return planned


def _plan_one(settings: Settings, tfile: layout.TranslationFile, request: ApprovalRequest,
              loaded: registry.Loaded, terms: tuple, notes: list[str] | None) -> Planned | None:
    shown = settings.rel(tfile.path)
    if not tfile.path.is_file():
        raise HelpglotError(f"{shown}: no such translation file")
    if not tfile.has_source:
        raise ContentError(f"{shown}: its source {settings.rel(tfile.source)} no longer exists (orphaned); "
                           "move or delete the translation instead of approving it; nothing was changed")
    source = parse_file(str(tfile.source), settings.rel(tfile.source))
    doc = parse_file(str(tfile.path), shown)
    prov = provenance.read(doc)
    if prov is None:
        raise ContentError(f"{shown}: not a tracked translation (no '{provenance.KEY}:' provenance); "
                           f"run `helpglot adopt {shown}` first; nothing was changed")
    where = f"{shown}:{provenance.key_line(doc)}"
    if len(prov.blocks) != len(doc.blocks) or len(source.blocks) != len(doc.blocks):
        raise ContentError(f"{where}: the translation's blocks do not line up with its provenance and source "
                           f"({len(doc.blocks)} blocks, provenance {len(prov.blocks)}, source "
                           f"{len(source.blocks)}); `helpglot status {settings.rel(tfile.source)}` says where; "
                           "nothing was changed")
    out_of_range = sorted(n for n in request.blocks if n > len(doc.blocks))
    if out_of_range:
        raise HelpglotError(f"--blocks {_numbers(out_of_range)}: {shown} has blocks 1 to {len(doc.blocks)}")
    stale = [i + 1 for i, (old, new) in enumerate(zip(prov.hashes, source.hashes, strict=True)) if old != new]
    # a stale block named with --blocks is one the reviewer checked against the *current* English
    # (fixed by hand, or the earlier translation still right): that block alone becomes reviewed
    unnamed = [n for n in stale if n not in request.blocks]
    if unnamed and (not request.blocks or any(prov.blocks[n - 1].status == "machine" for n in request.blocks)
                    or not set(request.blocks) <= set(stale)):
        raise ContentError(
            f"{where}: the source changed since this translation was made (stale block(s) "
            f"{_numbers(unnamed)}); approving would mark text reviewed against the old English. Run "
            f"`helpglot translate --lang {tfile.lang} {tfile.rel}` to draft the changes; if you fixed a "
            f"block by hand against the new English, approve just that one: "
            f"`helpglot approve --blocks {unnamed[0]} {shown}` (or the writer runs `helpglot ack "
            f"{tfile.rel}` if the English edit needs no re-translation); nothing was changed")
    wanted = request.blocks or frozenset(i + 1 for i, r in enumerate(prov.blocks) if r.status != "reviewed")
    chosen = sorted(n for n in wanted if prov.blocks[n - 1].status in ("machine", "reused") or n in stale)
    already = sorted(wanted - set(chosen))
    if already and notes is not None:
        notes.append(f"{shown}: block(s) {_numbers(already)} already reviewed")
    if request.seen:
        later = seen.unseen(chosen, doc, prov.hashes, seen.seen_blocks(settings.root, tfile.path, request.seen, shown))
        if later and notes is not None:
            notes.append(f"{shown}: block(s) {_numbers(later)} changed after the reviewed commit "
                         f"{request.seen[:10]}: not approved; review them again")
        chosen = [n for n in chosen if n not in later]
    if not chosen:
        if notes is not None:
            notes.append(f"{shown}: nothing to approve (no machine-drafted blocks selected)")
        return None
    errors = [f for f in qa.check_file(settings, tfile, loaded, terms) if f.severity == ERROR and not f.suppressed]
    unsafe = [f for f in errors if f.check in SECURITY_CHECKS]
    # an error in a block this approval leaves as a machine draft (one drafted after the reviewed
    # commit, or not named) is that draft's, not the reviewer's: it waits for its own review.
    # Safety errors anywhere stop the whole file.
    errors = [f for f in errors if f.check in SECURITY_CHECKS or f.block is None or f.block in chosen]
    note = prov.note
    accepted = list(prov.accepted)
    if unsafe:  # --force or not: a script or a foreign link is not a translation choice
        raise ContentError(
            f"{shown}: {len(unsafe)} safety QA error(s), which no one can approve (not even with --force):\n"
            f"{_list(unsafe)}\nRemove them from the translation (`helpglot check {shown}` names each line); "
            "nothing was changed")
    if errors:
        if not request.force:
            raise ContentError(
                f"{shown}: {len(errors)} QA error(s), fix them before approving:\n{_list(errors)}\n"
                f"(`helpglot check {shown}` shows them all; to approve anyway: --force --reason \"...\"); "
                "nothing was changed")
        note = (f"approved with QA errors ({', '.join(sorted({f.check for f in errors}))}) by "
                f"{request.reviewer} on {request.today.isoformat()}: {request.reason.strip()}")
        # each block's accepted errors, honoured by `check` until that block or its source changes;
        # never safety: a script or a foreign link is not a translation choice
        by_block: dict[int, set[str]] = {}
        for f in errors:
            if f.block is not None and f.check != "safety":
                by_block.setdefault(f.block, set()).add(f.check)
        for number, names in sorted(by_block.items()):
            accepted = [a for a in accepted if a.block != doc.blocks[number - 1].hash]
            accepted.append(Accepted(doc.blocks[number - 1].hash, source.hashes[number - 1], tuple(sorted(names)),
                                     request.reviewer, request.reason.strip()))
    records = list(prov.blocks)
    for number in chosen:
        records[number - 1] = BlockRecord(source.hashes[number - 1], "reviewed")
    approved = {source.hashes[n - 1] for n in chosen}
    pending = tuple(p for p in prov.pending if p.block not in approved)  # the review happened: done
    still_machine = any(r.status == "machine" for r in records)
    updated = prov.with_blocks(records, reviewer=request.reviewer, reviewed=request.today,
                               engine=prov.engine if still_machine else None, note=note, pending=pending,
                               accepted=tuple(accepted))
    summary = f"{shown}: block(s) {_numbers(chosen)} approved by {request.reviewer}"
    if still_machine:
        summary += f" ({sum(r.status == 'machine' for r in records)} machine block(s) left)"
    if errors:
        summary += f" despite {len(errors)} QA error(s)"
    return Planned(tfile.path, provenance.write(doc, updated), summary)


def _numbers(values: list[int]) -> str:
    return ", ".join(map(str, values))


def _list(findings: list[Finding], limit: int = 5) -> str:
    lines = [f"  {f.path}:{f.line}: [{f.check}] {f.message}" for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"  ... and {len(findings) - limit} more")
    return "\n".join(lines)


# ---- CODEOWNERS ------------------------------------------------------------------------


def codeowners_section(settings: Settings) -> str:
    """The generated block: one rule per language with translators, in the site's language order."""
    if not settings.translators:
        raise ConfigError("mkdocs.yml: plugins.helpglot.translators is empty; map each language to the GitHub "
                          "handles reviewing it, e.g. translators: {es: ['@lucia']}")
    if not settings.maintainers:
        raise ConfigError("mkdocs.yml: plugins.helpglot.maintainers is empty; list the GitHub handles who own "
                          "everything outside translations/<lang>/ (mkdocs.yml, docs/, .github/, src/, scripts/, "
                          "glossary/), e.g. maintainers: ['@tallybird/docs']")
    top = settings.rel(settings.translations_dir).strip("/")
    owners = " ".join(settings.maintainers)
    lines = [BEGIN,
             "# Generated by helpglot from plugins.helpglot.maintainers and .translators in mkdocs.yml; do not "
             "edit this section.",
             "# Regenerate with `helpglot codeowners`; CI runs `helpglot codeowners --check`.",
             "# The last matching rule wins: maintainers own every path, translators only their language.",
             f"* {owners}"]
    for path in _maintained(settings, top):
        lines.append(f"{path} {owners}")
    for code in settings.targets:
        handles = settings.translators.get(code)
        if handles:
            lines.append(f"/{top}/{code}/ {' '.join(handles)}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def _maintained(settings: Settings, translations: str) -> list[str]:
    """The paths a translation branch must never change without a maintainer: named one by one (not
    only through ``*``) so a hand-written rule above the section cannot hand them to someone else."""
    cache = settings.rel(settings.cache_dir).strip("/") if settings.cache_dir else ".helpglot"
    named = ["/mkdocs.yml", "/.github/", "/src/", "/scripts/", "/.helpglot/", f"/{cache}/", "/.gitattributes",
             f"/{settings.rel(settings.docs_dir).strip('/')}/", f"/{settings.rel(settings.glossary_dir).strip('/')}/",
             f"/{translations}/"]
    return list(dict.fromkeys(named))


def codeowners_text(settings: Settings, current: str | None) -> str:
    """``current`` with the helpglot section replaced (or appended); every other line kept as is."""
    section = codeowners_section(settings)
    if not current:
        return section
    lines = current.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if not starts and not ends:
        return current + ("" if current.endswith("\n") else "\n") + "\n" + section
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ContentError(f"{CODEOWNERS.as_posix()}: expected one '{BEGIN}' line followed by one '{END}' line; "
                           "fix the markers (or delete the section) and run `helpglot codeowners` again")
    return "".join(lines[: starts[0]]) + section + "".join(lines[ends[0] + 1 :])


def codeowners_path(settings: Settings) -> Path:
    return settings.root / CODEOWNERS


def read_codeowners(settings: Settings) -> str | None:
    path = codeowners_path(settings)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HelpglotError(f"{settings.rel(path)}: cannot read ({exc.strerror})") from None


def write_codeowners(settings: Settings) -> bool:
    """Write .github/CODEOWNERS if it differs; True when it changed."""
    current = read_codeowners(settings)
    text = codeowners_text(settings, current)
    if text == current:
        return False
    atomic_write_text(codeowners_path(settings), text)
    return True
