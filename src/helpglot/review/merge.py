"""Three-way merge of a translation file that keeps bookkeeping out of people's way.

Two branches that change *different* paragraphs of one translation should merge
cleanly, as any Markdown file would. The ``helpglot:`` provenance section breaks
that: ``fingerprint``, ``synced`` and ``reviewed`` are single lines that both
branches rewrite, so git reports a conflict inside bookkeeping that translators
are told never to edit. This merge treats the file as two parts:

* the text outside the section (front matter and body) is merged by git itself
  (``git merge-file``), so real conflicts in a translation still show as conflicts;
* the section is merged per block: each block takes the record of the side whose
  *text* the merged file holds (the record describes the text), dates take the
  later one, ``pending`` entries are merged as sets (one side's approval removes an
  entry, one side's sync adds one), and the fingerprint is computed afresh.

It is a git merge driver (``helpglot merge-driver``, set up by ``helpglot
git-setup`` and the translation workflow). GitHub's merge button runs no merge
driver, so the workflow merges ``main`` into every ``l10n/<lang>`` branch with
this driver after each push: the pull request then already contains ``main``
and its merge button has nothing left to conflict on.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from helpglot.errors import HelpglotError
from helpglot.markdown.segment import Document, parse
from helpglot.tracking import provenance
from helpglot.tracking.fingerprint import section
from helpglot.tracking.provenance import BlockRecord, Provenance


def _strip_section(text: str) -> str:
    span = section(text)
    return text if span is None else text[: span[0]] + text[span[1]:]


def _read(text: str) -> tuple[Document | None, Provenance | None]:
    try:
        doc = parse(text)
        return doc, provenance.read(doc)
    except HelpglotError:
        return None, None


def merge_text(base: str, ours: str, theirs: str, label: str = "") -> tuple[str, bool]:
    """The merged translation and whether it is clean (False: conflict markers are in the text)."""
    if ours == theirs or theirs == base:
        return ours, True
    if ours == base:
        return theirs, True
    body, clean = _merge_files(_strip_section(base), _strip_section(ours), _strip_section(theirs), label)
    o_doc, o_prov = _read(base)
    a_doc, a_prov = _read(ours)
    b_doc, b_prov = _read(theirs)
    if a_prov is None or b_prov is None or a_doc is None or b_doc is None:
        # not both tracked translations: an ordinary text merge of the whole file
        return _merge_files(base, ours, theirs, label)
    if not clean:
        # a real conflict in the translation: the person resolving it gets our section, which any
        # helpglot command after the resolution puts right (status says what is stale or machine)
        return _with(ours, body, a_prov), False
    merged_doc, _ = _read(body)
    if merged_doc is None:
        return _merge_files(base, ours, theirs, label)
    prov = merge_provenance(o_doc, o_prov, a_doc, a_prov, b_doc, b_prov, merged_doc)
    if prov is None:
        return _merge_files(base, ours, theirs, label)
    return provenance.write(merged_doc, prov), True


def merge_provenance(o_doc: Document | None, o: Provenance | None, a_doc: Document, a: Provenance,
                     b_doc: Document, b: Provenance, merged: Document) -> Provenance | None:
    """Provenance for ``merged``, or None when the two sides restructured the file differently."""
    counts = {len(a.blocks), len(b.blocks), len(merged.blocks), len(a_doc.blocks), len(b_doc.blocks)}
    if len(counts) != 1:
        # one side restructured the file (a structural sync): its record holds if the other side
        # left the structure alone; two different restructurings need a person
        if o is not None and o_doc is not None and len(merged.blocks) == len(b.blocks) == len(b_doc.blocks) \
                and a.blocks == o.blocks:
            return _scalars(o, a, b, list(b.blocks), _pending(o, a, b))
        if o is not None and o_doc is not None and len(merged.blocks) == len(a.blocks) == len(a_doc.blocks) \
                and b.blocks == o.blocks:
            return _scalars(o, a, b, list(a.blocks), _pending(o, a, b))
        return None
    same_base = o is not None and o_doc is not None and len(o.blocks) == len(a.blocks) == len(o_doc.blocks)
    records: list[BlockRecord] = []
    for i, text in enumerate(b.text for b in merged.blocks):
        ra, rb = a.blocks[i], b.blocks[i]
        ro = o.blocks[i] if same_base else None
        ta, tb = a_doc.blocks[i].text, b_doc.blocks[i].text
        if ra == rb:
            records.append(ra)
        elif text == ta and text != tb:
            records.append(ra)
        elif text == tb and text != ta:
            records.append(rb)
        elif ro is not None and ra == ro:
            records.append(rb)
        elif ro is not None and rb == ro:
            records.append(ra)
        elif ra.hash == rb.hash:  # same text, same source, one side approved it
            records.append(ra if ra.status == "reviewed" else rb)
        else:
            return None
    return _scalars(o, a, b, records, _pending(o, a, b))


def _pending(o: Provenance | None, a: Provenance, b: Provenance) -> tuple:
    base = set(o.pending) if o is not None else set()
    kept = [p for p in a.pending if p in base and p in b.pending]
    added = [p for p in (*a.pending, *b.pending) if p not in base]
    out: list = []
    for entry in (*kept, *added):
        if entry not in out:
            out.append(entry)
    return tuple(out)


def _later(x: dt.date | None, y: dt.date | None) -> dt.date | None:
    return max((d for d in (x, y) if d is not None), default=None)


def _scalars(o: Provenance | None, a: Provenance, b: Provenance, records: list[BlockRecord],
             pending: tuple) -> Provenance:
    reviewed = _later(a.reviewed, b.reviewed)
    reviewer = a.reviewer if reviewed == a.reviewed else b.reviewer
    engines = {r.engine for r in records if r.status == "machine" and r.engine}
    engine = ",".join(sorted(engines)) if engines else (a.engine if a.engine == b.engine else None)
    note = b.note if (o is not None and a.note == o.note) else a.note
    source = b.source if (o is not None and a.source == o.source) else a.source  # a rename on their side
    return replace(a, source=source, blocks=tuple(records), synced=_later(a.synced, b.synced), reviewed=reviewed,
                   reviewer=reviewer, engine=engine if any(r.status == "machine" for r in records) else None,
                   note=note, pending=pending, fingerprint=None)


def _with(text: str, body: str, prov: Provenance) -> str:
    """``body`` (the merged text outside the section, conflict markers and all) with ``prov``'s
    section put back at the end of its front matter."""
    if section(text) is None or not body.startswith("---\n"):
        return body
    close = body.find("\n---\n", 3)
    if close < 0:
        return body
    return body[: close + 1] + prov.dump() + body[close + 1:]


def _merge_files(base: str, ours: str, theirs: str, label: str) -> tuple[str, bool]:
    with tempfile.TemporaryDirectory(prefix="helpglot-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8", newline="")
            paths.append(str(path))
        proc = subprocess.run(["git", "merge-file", "-p", "-L", f"ours {label}".strip(), "-L", "base",
                               "-L", f"theirs {label}".strip(), *paths], capture_output=True)
        if proc.returncode < 0 or proc.returncode > 127:
            raise HelpglotError(f"git merge-file failed on {label}: {proc.stderr.decode(errors='replace')}")
        return proc.stdout.decode("utf-8"), proc.returncode == 0


def driver(base: Path, ours: Path, theirs: Path, label: str) -> bool:
    """git's merge driver protocol: the result replaces ``ours``; True when clean."""
    texts = []
    for which, path in (("base", base), ("ours", ours), ("theirs", theirs)):
        try:
            texts.append(path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as exc:  # git then falls back to its own line merge (see DRIVER)
            raise HelpglotError(f"{label or path}: the {which} version ({path}) is not UTF-8 (byte "
                                f"0x{exc.object[exc.start]:02x} at {exc.start}); helpglot merges text only, "
                                "so git merges this file line by line; check the result") from None
    merged, clean = merge_text(*texts, label=label)
    ours.write_bytes(merged.encode("utf-8"))
    return clean
