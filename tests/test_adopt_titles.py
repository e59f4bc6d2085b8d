"""A translated title on an untitled ``///`` admonition is a translation choice, not a divergence.

FastAPI's translators write ``/// note | Nota`` where the English has ``/// note`` (the type is the
title readers see); before the empty title place existed, ``adopt`` refused three files in four for
it. The fixtures (tests/fixtures/adopt, MIT, see its README) are cut from the FastAPI corpus: whole
articles in es, ru, ja and de, and one Russian section whose translator merged two paragraphs (a
real divergence that must still be refused, by name)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

from conftest import helpglot
from helpglot.markdown.segment import parse
from helpglot.qa.checks.base import Pair
from helpglot.qa.checks.structure import StructureCheck
from helpglot.site.notices import PagePlan, mark
from helpglot.tracking.align import align, first_divergence

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "adopt"
MKDOCS = """\
site_name: Adopt
theme: {name: material}
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.blocks.admonition
  - pymdownx.superfences
plugins:
  - search
  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - {locale: en, default: true, name: English}
        - {locale: es, name: Español}
        - {locale: ru, name: Русский}
        - {locale: ja, name: 日本語}
        - {locale: de, name: Deutsch}
  - helpglot
"""
GOOD = ["es/advanced/testing-websockets.md", "ru/advanced/testing-websockets.md",
        "ja/advanced/testing-websockets.md", "es/tutorial/request-forms-and-files.md",
        "de/tutorial/request-forms-and-files.md"]


def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    shutil.copytree(FIXTURES / "translations", tmp_path / "translations")
    (tmp_path / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return tmp_path


def test_an_untitled_block_has_an_empty_title_place_a_translation_may_fill():
    source = parse("Intro.\n\n/// note\n\nBody.\n\n///\n", "en.md")
    translated = parse("Intro.\n\n/// note | Nota\n\nCuerpo.\n\n///\n", "es.md")
    assert [b.signature for b in source.blocks] == [b.signature for b in translated.blocks]
    title = source.blocks[1]
    assert (title.kind, title.text, title.start == title.end, title.line) == ("admonition_title", "", True, 3)
    assert source.render() == source.text
    # writing a title into the empty place adds the "|" pymdownx.blocks needs, once
    assert source.render({1: "Heads up"}) == "Intro.\n\n/// note | Heads up\n\nBody.\n\n///\n"
    bar = parse("/// tip |\n\nBody.\n\n///\n")
    assert bar.blocks[0].text == "" and bar.render({0: "Ojo"}) == "/// tip | Ojo\n\nBody.\n\n///\n"
    # tabs, html and captions have no implicit title; a titled source keeps its title block
    assert [b.kind for b in parse("/// tab | Python\n\nx\n\n///\n").blocks] == ["tab_label", "paragraph"]
    assert [b.kind for b in parse("/// html | div\n\nx\n\n///\n").blocks] == ["paragraph"]
    aligned = align(source, translated, "es")
    assert aligned.exact and first_divergence(source, translated, "es") is None


def test_adopt_takes_every_aligned_file_and_names_the_real_divergence(tmp_path: Path):
    root = project(tmp_path)
    # one language folder in one call: both Spanish files, every /// note titled "Nota"
    proc = helpglot("adopt", "--reviewer", "Ana", "translations/es/", cwd=root, check=False)
    assert proc.returncode == 0 and "adopted 2 translation(s)" in proc.stdout, proc.stdout + proc.stderr
    proc = helpglot("adopt", "--reviewer", "Ana", "translations/", cwd=root, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for rel in GOOD:
        said = next((line for line in lines if line.startswith(f"translations/{rel}: ")), "")
        wanted = "already tracked" if rel.startswith("es/") else "recorded as reviewed"
        assert wanted in said, (rel, proc.stdout)
    assert "adopted 3 translation(s)" in proc.stdout
    refusals = [line for line in proc.stderr.splitlines() if line.startswith("cannot adopt")]
    assert len(refusals) == 1, proc.stderr
    # the merged paragraph: the English one it lost, at the paragraph it should come before
    assert "translations/ru/tutorial/numeric-validations.md:24:" in refusals[0]
    assert "docs/tutorial/numeric-validations.md:24" in refusals[0] and "That when called" in refusals[0]
    assert "admonition title" not in proc.stderr
    # adopted files are what status and check see as aligned and current: no block shifted
    status = json.loads(helpglot("status", "--json", cwd=root, check=False).stdout)
    records = status if isinstance(status, list) else status.get("files", status.get("records", []))
    states = {r["path"].removeprefix("translations/"): r["state"] for r in records}
    assert {rel: states.get(rel) for rel in GOOD} == dict.fromkeys(GOOD, "up-to-date"), states
    found = json.loads(helpglot("check", "--format", "json", "translations/", cwd=root, check=False).stdout)
    errors = [f for f in found if f["severity"] == "error" and f["path"].removeprefix("translations/") in GOOD]
    assert errors == [], errors


def test_a_dropped_title_is_not_taken_for_a_translated_one():
    """The reverse is a real loss: a titled English block whose translation has none. The aligner still
    pairs every block with its own, and the structure check names the lost title, once."""
    source = parse("/// note | Technical Details\n\nBody.\n\n///\n\nAfter.\n", "en.md")
    translated = parse("/// note\n\nCuerpo.\n\n///\n\nDespués.\n", "es.md")
    aligned = align(source, translated, "es")
    assert aligned.exact and aligned.pairs == ((0, 0), (1, 1), (2, 2))
    assert translated.blocks[0].text == "" and source.blocks[0].text == "Technical Details"
    settings = SimpleNamespace(source_lang="en", checks=None, translations_dir=Path("/nonexistent"))
    check = Pair(settings, "es", source, translated, "docs/x.md", "translations/es/x.md",  # type: ignore[arg-type]
                 aligned.pairs, ())
    found = list(StructureCheck().run(check))
    assert [(f.line, f.severity) for f in found] == [(1, "error")], found
    assert "'Technical Details' missing" in found[0].message and "docs/x.md:1" in found[0].message
    titled = parse("/// note | Detalles técnicos\n\nCuerpo.\n\n///\n\nDespués.\n", "es.md")
    assert list(StructureCheck().run(Pair(settings, "es", source, titled, "docs/x.md",  # type: ignore[arg-type]
                                          "translations/es/x.md", aligned.pairs, ()))) == []


def test_an_english_title_shown_in_an_empty_title_place_keeps_the_header_whole():
    """A page shows the English of a block its translation does not have yet (publish_machine: false,
    stale blocks): a title the writer added to ``/// note`` goes into the translation's empty place
    with its ``|``, so pymdownx still reads the header."""
    translated = parse("/// note\n\nCuerpo.\n\n///\n", "es.md")
    page = PagePlan({0: "english"}, {0: "Heads up"}, 2)
    assert mark(translated, page, 0).startswith("/// note | Heads up\n\nCuerpo.")
