"""`helpglot check` shares per-run work (each source parsed once for all its translations, the
length ratios of every language learned in one pass, the checks' per-document caches): the
findings must be exactly those of checking each translation alone, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_sample, edit
from helpglot.config import load_settings
from helpglot.markdown.segment import parse
from helpglot.qa import checks as registry
from helpglot.qa import runner as qa
from helpglot.qa.checks import fences, ratios
from helpglot.terms import glossary


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_sample(tmp_path)
    # defects in several languages of one source, and in another source's translation
    plans = "account-and-billing/plans-and-pricing.md"
    for lang in ("es", "ro"):
        path = root / "translations" / lang / plans
        text = path.read_text(encoding="utf-8")
        text = text.replace("| $29 |", "| $92 |", 1).replace("](../getting-started/", "](../x/", 1)
        path.write_text(text, encoding="utf-8")
    # a source that cannot be read: every one of its translations reports it
    source = root / "docs" / "getting-started" / "create-your-account.md"
    source.write_bytes(source.read_bytes() + b"\n\xff\xfe broken\n")
    return root


def alone(root: Path) -> list:
    """The findings of each translation checked on its own (no shared source), ratios learned per language."""
    settings = load_settings(str(root / "mkdocs.yml"))
    ratios._CACHE.clear()
    loaded, terms = registry.load(), tuple(glossary.load(settings))
    found = [f for tf in qa.targets(settings, settings.targets, ())
             for f in qa.check_file(settings, tf, loaded, terms)]
    return found + qa.reader_strings(settings, settings.targets)


def test_run_is_every_file_alone_in_order(project: Path) -> None:
    settings = load_settings(str(project / "mkdocs.yml"))
    ratios._CACHE.clear()
    shared = qa.run(settings, settings.targets)
    expected = alone(project)
    assert [f.check for f in shared if "cannot be read" in f.message].count("structure") >= 2  # (shared error)
    assert {f.path.split("/")[1] for f in shared if f.check in ("numbers", "markup")} >= {"es", "ro"}
    assert shared == expected


def test_ratios_learned_together_equal_alone(project: Path) -> None:
    settings = load_settings(str(project / "mkdocs.yml"))
    ratios._CACHE.clear()
    together = {lang: ratios.expected(settings, lang, settings.targets) for lang in settings.targets}
    ratios._CACHE.clear()
    each = {lang: ratios.expected(settings, lang) for lang in settings.targets}
    assert together == each
    assert any(basis.startswith("learned") for _, basis in each.values())  # (not only the defaults)


def test_fences_kept_on_the_document_are_not_shared_out() -> None:
    doc = parse("# T\n\n```bash\nls\n```\n\ntext\n", "a.md")
    first = fences(doc)
    first.clear()  # a caller's list is its own
    assert [f.body for f in fences(doc)] == ["ls"]


def test_edit_between_runs_is_seen(project: Path) -> None:
    """Nothing is kept from one run to the next: a translation fixed between two runs has no finding."""
    settings = load_settings(str(project / "mkdocs.yml"))
    before = [f for f in qa.run(settings, ("es",)) if f.check == "numbers"]
    assert before
    edit(project / "translations" / "es" / "account-and-billing" / "plans-and-pricing.md", "| $92 |", "| $29 |")
    after = [f for f in qa.run(settings, ("es",)) if f.check == "numbers"]
    assert len(after) < len(before)
