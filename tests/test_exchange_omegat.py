"""OmegaT, a real CAT tool, round-trips helpglot's XLIFF with helpglot's TMX as its memory.

An OmegaT project gets the Lithuanian blocks to translate (`helpglot export --stale --copy-source`:
OmegaT's built-in XLIFF filter translates the target element) in source/, and helpglot's TMX
(`tm export` of the reviewed blocks plus memory/lt.tmx, seeded by `tm import` from a TMX that
translate-toolkit wrote) in tm/auto/. `omegat PROJECT --mode=console-translate` runs headless and
fills exact matches from tm/auto; helpglot imports the file OmegaT wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import edit, git_run, helpglot

OMEGAT = shutil.which("omegat")
ARTICLE = "account-and-billing/update-payment-method.md"
NS = "{urn:oasis:names:tc:xliff:document:1.2}"
PROJECT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat><project version="1.0">
  <source_dir>__DEFAULT__</source_dir><target_dir>__DEFAULT__</target_dir><tm_dir>__DEFAULT__</tm_dir>
  <glossary_dir>__DEFAULT__</glossary_dir><glossary_file>__DEFAULT__</glossary_file>
  <dictionary_dir>__DEFAULT__</dictionary_dir>
  <source_lang>EN</source_lang><target_lang>LT</target_lang>
  <source_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</source_tok>
  <target_tok>org.omegat.tokenizer.LuceneLithuanianTokenizer</target_tok>
  <sentence_seg>false</sentence_seg><support_default_translations>true</support_default_translations>
  <remove_tags>false</remove_tags>
</project></omegat>
"""


def _units(path: Path) -> dict[str, etree._Element]:
    return {u.get("id"): u for u in etree.parse(str(path)).getroot().iter(f"{NS}trans-unit")}


def _codes(element: etree._Element) -> list[tuple[str, str]]:
    return [(etree.QName(e).localname, e.get("id")) for e in element.iter(f"{NS}g", f"{NS}x")]


@pytest.mark.skipif(OMEGAT is None, reason="OmegaT is not installed (scripts/test installs Debian's omegat)")
def test_omegat_translates_helpglot_xliff_from_helpglot_tmx_and_helpglot_imports_it(sample_git, tmp_path):
    from translate.storage import tmx

    from helpglot.markdown.segment import parse_file

    root = sample_git
    doc = parse_file(str(root / "docs" / ARTICLE))
    plain = next(b for b in doc.blocks if b.kind == "paragraph" and not any(c in b.text for c in "`*[_"))
    marked = next(b for b in doc.blocks if b.kind in ("paragraph", "list_item") and "**" in b.text)
    new_plain = plain.text + " Check it twice."
    edit(root / "docs" / ARTICLE, plain.text, new_plain)
    edit(root / "docs" / ARTICLE, marked.text, marked.text + " Really.")
    git_run(root, "commit", "-qam", "English edits")
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", f"docs/{ARTICLE}", cwd=root)
    # the agency's memory, written by translate-toolkit, seeds helpglot's memory/lt.tmx
    agency = tmx.tmxfile(sourcelanguage="en", targetlanguage="lt")
    agency.addtranslation(new_plain, "en", "Agentūros vertimas: patikrinkite du kartus.", "lt")
    (tmp_path / "agency.tmx").write_bytes(bytes(agency))
    helpglot("tm", "import", str(tmp_path / "agency.tmx"), cwd=root)

    project = tmp_path / "omegat-project"
    for folder in ("source", "target", "tm/auto", "omegat", "glossary", "dictionary"):
        (project / folder).mkdir(parents=True)
    (project / "omegat.project").write_text(PROJECT, encoding="utf-8")
    helpglot("export", "--lang", "lt", "--stale", "--copy-source", "--article", ARTICLE,
             "-o", str(project / "source" / "lt.xlf"), cwd=root)
    helpglot("tm", "export", "--lang", "lt", "-o", str(project / "tm" / "auto" / "reviewed.tmx"), cwd=root)
    shutil.copy(root / "memory" / "lt.tmx", project / "tm" / "auto" / "memory.tmx")
    env = {**os.environ, "HOME": str(tmp_path / "home"), "JAVA_TOOL_OPTIONS": "-Djava.awt.headless=true"}
    proc = subprocess.run([OMEGAT, str(project), "--mode=console-translate"], capture_output=True, text=True,
                          env=env, timeout=600)
    assert proc.returncode == 0 and "Finished" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
    written = project / "target" / "lt.xlf"
    units, sent = _units(written), _units(project / "source" / "lt.xlf")
    plain_id, marked_id = f"b{plain.index + 1}", f"b{marked.index + 1}"
    # the exact match came back as the target; the inline codes of every unit survived OmegaT
    assert units[plain_id].find(f"{NS}target").text == "Agentūros vertimas: patikrinkite du kartus."
    assert _codes(units[marked_id].find(f"{NS}target")) == _codes(sent[marked_id].find(f"{NS}source")) != []
    for unit_id, unit in units.items():
        assert _codes(unit.find(f"{NS}target")) == _codes(sent[unit_id].find(f"{NS}source")), unit_id

    translation = root / "translations" / "lt" / ARTICLE
    before = translation.read_text(encoding="utf-8")
    proc = helpglot("import", "--reviewer", "OmegaT user", str(written), cwd=root)
    assert f"block(s) {plain.index + 1} written as drafts" in proc.stdout
    after = translation.read_text(encoding="utf-8")
    from helpglot.markdown.segment import parse

    new_doc, old_blocks = parse_file(str(translation)), parse(before, "before").blocks
    changed = [b.index for b, o in zip(new_doc.blocks, old_blocks, strict=True) if b.text != o.text]
    assert changed == [plain.index]  # the untranslated (source-copy) units wrote nothing
    assert new_doc.blocks[plain.index].text == "Agentūros vertimas: patikrinkite du kartus."
    records = [line.strip() for line in after.splitlines() if line.startswith("  - ") and len(line.split()) >= 3]
    assert records[plain.index].endswith(" machine import")  # a CAT tool's unapproved target is a draft
    assert records[marked.index].endswith(" machine pseudo")  # left as the engine drafted it


@pytest.mark.skipif(OMEGAT is None, reason="OmegaT is not installed (scripts/test installs Debian's omegat)")
def test_helpglot_tmx_validates_against_the_tmx_1_4_schema_omegat_ships(sample_git, tmp_path):
    """The TMX 1.4 XSD inside OmegaT.jar (no package ships the OASIS XLIFF schemas: those files are
    checked by translate-toolkit's readers and by OmegaT itself, above)."""
    import zipfile

    jar = Path(os.path.realpath(OMEGAT)).parent.parent / "share" / "omegat" / "OmegaT.jar"
    with zipfile.ZipFile(jar) as archive:
        for name in ("tmx14.xsd", "xml.xsd"):
            (tmp_path / name).write_bytes(archive.read(f"schemas/{name}"))
    schema = etree.XMLSchema(etree.parse(str(tmp_path / "tmx14.xsd")))
    helpglot("tm", "export", "--lang", "ru", "-o", str(tmp_path / "ru.tmx"), cwd=sample_git)
    from translate.storage import tmx

    agency = tmx.tmxfile(sourcelanguage="en", targetlanguage="lt")
    for n in range(120):
        agency.addtranslation(f"Sentence number {n}.", "en", f"Sakinys numeris {n}.", "lt")
    (tmp_path / "agency.tmx").write_bytes(bytes(agency))
    helpglot("tm", "import", str(tmp_path / "agency.tmx"), cwd=sample_git)
    for path in (tmp_path / "ru.tmx", sample_git / "memory" / "lt.tmx"):
        document = etree.parse(str(path))
        assert schema.validate(document), schema.error_log
        assert len(document.getroot().find("body")) > 100
    broken = etree.parse(str(tmp_path / "ru.tmx"))
    broken.getroot().find("body")[0].append(etree.Element("bogus"))
    assert not schema.validate(broken)  # the schema does reject what it should
