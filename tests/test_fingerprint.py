"""Provenance fingerprints: `status` skips segmenting a translation only when a hash proves
that is safe, and every answer equals the one the full path gives."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, copy_sample, helpglot
from helpglot.config import load_settings
from helpglot.errors import HelpglotError
from helpglot.layout import source_articles
from helpglot.markdown.segment import parse, read_text
from helpglot.tracking import fingerprint, provenance, status
from helpglot.tracking.provenance import BlockRecord, Provenance

ARTICLE = "getting-started/invite-your-team.md"
TRANSLATION = f"translations/es/{ARTICLE}"


def records(root: Path, trust: bool) -> dict[tuple[str, str], status.Record]:
    """Every (source, language) record, assessed in-process with or without fingerprints."""
    settings = load_settings(str(root / "mkdocs.yml"))
    today = dt.date(2026, 11, 22)
    found = {}
    for rel in source_articles(settings):
        try:
            source = parse(read_text(str(settings.docs_dir / rel)), rel)
        except HelpglotError as exc:  # (as status does: a broken source is a record per language)
            source = exc
        for lang in settings.targets:
            found[(rel, lang)] = status.assess(settings, rel, lang, source, None, today,
                                               trust_fingerprints=trust)
    return found


def fast_path_taken(root: Path) -> int:
    """How many translations have a fingerprint that vouches for them as they are."""
    settings = load_settings(str(root / "mkdocs.yml"))
    count = 0
    for path in sorted((root / "translations").rglob("*.md")):
        rel = path.relative_to(root / "translations").as_posix().split("/", 1)[1]
        source = parse(read_text(str(settings.docs_dir / rel)), rel)
        known = fingerprint.quick(read_text(str(path)))
        if known and known.vouches_for(source.hashes, source.signatures):
            count += 1
    return count


def cli_state(root: Path, rel: str = ARTICLE, lang: str = "es") -> dict:
    proc = helpglot("status", "--json", "--no-cache", cwd=root, check=False)
    found = [r for r in json.loads(proc.stdout) if r["source"] == rel and r["lang"] == lang]
    assert len(found) == 1
    return found[0]


def test_both_paths_agree_on_every_sample_translation_and_the_fast_one_is_taken():
    fast, full = records(ROOT, trust=True), records(ROOT, trust=False)
    assert fast == full
    translations = len(list((ROOT / "translations").rglob("*.md")))
    assert fast_path_taken(ROOT) == translations  # the sample's fingerprints are all current


def first_paragraph(path: Path):
    return next(b for b in parse(path.read_text(encoding="utf-8")).blocks
                if b.kind == "paragraph" and "\n" not in b.text)


def insert_at(path: Path, offset: int, text: str) -> None:
    old = path.read_text(encoding="utf-8")
    path.write_text(old[:offset] + text + old[offset:], encoding="utf-8")


def test_a_translator_edit_that_keeps_the_structure_is_still_up_to_date(tmp_path: Path):
    root = copy_sample(tmp_path)
    insert_at(root / TRANSLATION, first_paragraph(root / TRANSLATION).end, " Es muy fácil.")
    assert fast_path_taken(root) == fast_path_taken(ROOT) - 1  # this file is read in full now
    assert cli_state(root)["state"] == "up-to-date"


def test_an_edit_that_breaks_the_structure_is_unaligned_despite_the_fingerprint(tmp_path: Path):
    """A paragraph made a heading: the fingerprint is still in the file, untouched, but it no
    longer matches, so the file is segmented and the mismatch is found."""
    root = copy_sample(tmp_path)
    insert_at(root / TRANSLATION, first_paragraph(root / TRANSLATION).start, "## ")
    assert "fingerprint: " in (root / TRANSLATION).read_text(encoding="utf-8")
    found = cli_state(root)
    assert found["state"] == "unaligned"
    assert "heading" in found["message"]


def test_a_source_block_that_changes_kind_but_not_text_is_unaligned(tmp_path: Path):
    """The hashes all match (a block's hash is its text), so only the block kinds, which the
    fingerprint covers, tell the paragraph that became a heading."""
    root = copy_sample(tmp_path)
    source = root / "docs" / ARTICLE
    before = parse(source.read_text(encoding="utf-8")).hashes
    insert_at(source, first_paragraph(source).start, "## ")
    assert parse(source.read_text(encoding="utf-8")).hashes == before
    assert cli_state(root)["state"] == "unaligned"
    assert records(root, trust=True) == records(root, trust=False)


def test_write_sets_the_fingerprint_from_what_is_written_whatever_it_is_given():
    text = "---\ntitle: Guía\n---\n\n## Configuración\n\n1. Haz esto.\n"
    doc = parse(text, "t.md")
    records = [BlockRecord(h, "reviewed") for h in doc.hashes]
    records[1] = BlockRecord(records[1].hash, "machine", "deepl")
    prov = Provenance(source="guide.md", blocks=tuple(records), synced=dt.date(2026, 1, 2),
                      reviewer="Seán O'Neill", engine="deepl", fingerprint="bogus")
    written = provenance.write(doc, prov)
    assert provenance.read(parse(written)) == prov
    known = fingerprint.quick(written)
    assert known is not None
    assert (known.hashes, known.machine, known.synced) == (doc.hashes, (1,), dt.date(2026, 1, 2))
    assert known.fingerprint == fingerprint.fingerprint(known.rest, parse(written).signatures)
    assert known.vouches_for(doc.hashes, doc.signatures)
    assert known.rest == text  # everything but the section
    assert known.line == 3
    assert '"Seán O\'Neill"' in written  # (a quoted value is still the quick form)


@pytest.mark.parametrize("value", ["012345678901", "1234e5678901", "yes", "2024"])
def test_values_yaml_would_type_are_quoted_and_read_back_as_strings(value: str):
    prov = Provenance(source="a.md", blocks=(), note=value, fingerprint=value)
    dumped = prov.dump()
    assert f'note: "{value}"' in dumped and f'fingerprint: "{value}"' in dumped
    again = provenance.read(parse(f"---\n{dumped}---\n\nText.\n"))
    assert again is not None and (again.note, again.fingerprint) == (value, value)


@pytest.mark.parametrize("text", [
    # two sections: YAML would keep the last one, so no shortcut guesses which
    "---\nhelpglot:\n  source: a.md\n  fingerprint: 0a0a0a0a0a0a\n  blocks: []\n"
    "helpglot:\n  source: b.md\n  blocks: []\n---\n\nText.\n",
    # a lone CR (old Mac line breaks) takes the full path, which knows every line break
    "---\rhelpglot:\r  source: a.md\r  fingerprint: 0a0a0a0a0a0a\r  blocks:\r  - 0a0a0a0a0a0a reviewed\r"
    "---\r\rText.\r",
    # no fingerprint (written by hand, or by an older helpglot)
    "---\nhelpglot:\n  source: a.md\n  blocks: []\n---\n\nText.\n",
    # broken provenance: the full path names the line
    "---\nhelpglot:\n  source: a.md\n  synced: someday\n  fingerprint: 0a0a0a0a0a0a\n  blocks:\n"
    "  - 0a0a0a0a0a0a reviewed\n---\n\nText.\n",
    "---\nhelpglot:\n  source: a.md\n  synced: 2026-02-30\n  fingerprint: 0a0a0a0a0a0a\n  blocks:\n"
    "  - 0a0a0a0a0a0a reviewed\n---\n\nText.\n",
    # YAML would read the reviewer as a boolean, not as "yes"
    "---\nhelpglot:\n  source: a.md\n  reviewer: yes\n  fingerprint: 0a0a0a0a0a0a\n  blocks:\n"
    "  - 0a0a0a0a0a0a reviewed\n---\n\nText.\n",
    # a comment, or a key helpglot does not write
    "---\nhelpglot:\n  source: a.md # here\n  fingerprint: 0a0a0a0a0a0a\n  blocks:\n"
    "  - 0a0a0a0a0a0a reviewed\n---\n\nText.\n",
    "---\nhelpglot:\n  source: a.md\n  owner: me\n  fingerprint: 0a0a0a0a0a0a\n  blocks:\n"
    "  - 0a0a0a0a0a0a reviewed\n---\n\nText.\n",
    # an unclosed front matter
    "---\nhelpglot:\n  source: a.md\n  fingerprint: 0a0a0a0a0a0a\n  blocks: []\n",
])
def test_quick_declines_what_only_the_full_path_can_judge(text: str):
    assert fingerprint.quick(text) is None


_values = st.one_of(st.none(), st.text(min_size=1, max_size=20),
                    st.sampled_from(["Ana García", "yes", "0123", "a: b", "O'Neill", 'say "hi"', "x\\y"]))


@settings(max_examples=300, deadline=None)
@given(reviewer=_values, note=_values, engine=_values, source=st.sampled_from(["a.md", "2024-01-01.md", "x y.md"]),
       statuses=st.lists(st.sampled_from(["machine", "reviewed"]), min_size=1, max_size=5),
       synced=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))))
def test_quick_reads_what_yaml_reads_or_declines(reviewer, note, engine, source, statuses, synced):
    """Whatever values a provenance holds, the quick reader agrees with YAML or leaves it to YAML."""
    body = "\n\n".join(f"Paragraph {k}." for k in range(len(statuses)))
    doc = parse(f"---\ntitle: T\n---\n\n{body}\n", "t.md")
    blocks = tuple(BlockRecord(h, s, "deepl" if s == "machine" else None)
                   for h, s in zip(doc.hashes[1:], statuses, strict=True))
    prov = Provenance(source=source, blocks=(BlockRecord(doc.hashes[0], "reviewed"), *blocks),
                      synced=synced, reviewer=reviewer, note=note, engine=engine)
    written = provenance.write(doc, prov)
    full = provenance.read(parse(written, "t.md"))
    assert full == prov
    known = fingerprint.quick(written)
    if known is not None:
        assert (known.hashes, list(known.machine), known.synced) == (full.hashes, full.machine, full.synced)
        assert known.vouches_for(doc.hashes, doc.signatures)
    if all(v is None or v.isalnum() and v.isascii() and not v.isdigit() for v in (reviewer, note, engine)) \
            and source != "2024-01-01.md":
        assert known is not None  # the common form is read quickly


_SOURCE = """---
title: Send an invoice
---

## Before you start

Add the customer first. See [Customers](customers.md#add).

1. Open **Invoices**.
1. Click **New invoice**.

!!! tip "Save time"
    Use a template.

| Plan | Price |
| --- | --- |
| Solo | $9 |
"""
_TRANSLATION = """---
title: Enviar una factura
---

## Antes de empezar

Añade primero el cliente. Consulta [Clientes](customers.md#add).

1. Abre **Facturas**.
1. Haz clic en **Nueva factura**.

!!! tip "Ahorra tiempo"
    Usa una plantilla.

| Plan | Precio |
| --- | --- |
| Solo | 9 $ |
"""
_SNIPPETS = st.sampled_from(["\n", "\n\n", "## ", "1. ", "    ", "!!! note\n    ", "| x |", "```\n", "---\n",
                             "palabra", " ", "<div>", "title: x\n", "  - 0123456789ab reviewed\n", "[^1]: n"])


def test_a_windows_checkout_keeps_the_fingerprint_written_with_lf():
    """With core.autocrlf, git checks out CRLF what helpglot wrote (and hashed) with LF."""
    text = "---\ntitle: Guía\n---\n\n## Configuración\n\n1. Haz esto.\n"
    doc = parse(text, "t.md")
    prov = Provenance(source="guide.md", blocks=tuple(BlockRecord(h, "reviewed") for h in doc.hashes))
    written = provenance.write(doc, prov)
    crlf = written.replace("\n", "\r\n")
    known = fingerprint.quick(crlf)
    assert known is not None and known.vouches_for(doc.hashes, doc.signatures)
    # and helpglot writing on Windows gives the same fingerprint as on Linux
    again = provenance.write(parse(crlf, "t.md"), prov)
    assert again == crlf


@settings(max_examples=150, deadline=None)
@given(edits=st.lists(st.tuples(st.booleans(), st.floats(0, 1), st.integers(0, 12), _SNIPPETS), max_size=3),
       crlf=st.sampled_from(["", "source", "translation", "both"]))
def test_any_edit_gets_the_same_record_with_or_without_the_fingerprint(tmp_path_factory, edits, crlf):
    """Random insertions and deletions, in the source or the translation (the fingerprint line
    included): the quick path never changes an answer, it only skips work."""
    root = tmp_path_factory.mktemp("edits")
    (root / "docs").mkdir()
    (root / "translations" / "es").mkdir(parents=True)
    (root / "mkdocs.yml").write_text((ROOT / "tests" / "fixtures" / "fingerprint-mkdocs.yml").read_text())
    doc = parse(_TRANSLATION, "translations/es/guide.md")
    source = parse(_SOURCE, "guide.md")
    assert doc.signatures == source.signatures
    prov = Provenance(source="guide.md", blocks=tuple(BlockRecord(h, "reviewed") for h in source.hashes))
    texts = {"source": _SOURCE, "translation": provenance.write(doc, prov)}
    for in_source, where, delete, snippet in edits:
        name = "source" if in_source else "translation"
        text = texts[name]
        at = int(where * len(text))
        texts[name] = text[:at] + text[at + delete:] if delete else text[:at] + snippet + text[at:]
    for name in ("source", "translation"):
        if crlf in (name, "both"):
            texts[name] = texts[name].replace("\n", "\r\n")
    (root / "docs" / "guide.md").write_bytes(texts["source"].encode())
    (root / "translations" / "es" / "guide.md").write_bytes(texts["translation"].encode())
    found = records(root, trust=True)
    assert found == records(root, trust=False)
    if not edits:
        assert found[("guide.md", "es")].state == "up-to-date"
