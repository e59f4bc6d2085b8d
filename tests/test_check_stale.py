"""Stale is a state, never a QA error (issue 19, 1): after a routine English edit, ``check``
judges each translation against the English it was made from, so no language's pull request
and no deploy is blocked by a writer's change; ``status`` says what is stale."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_sample, edit, helpglot
from test_tracking_cli import ARTICLE, SOURCE, TODAY, commit, record, sample_repo, stamp, status


def _check(root: Path, *args: str) -> tuple[int, list[dict]]:
    proc = helpglot("check", "--format", "json", *args, cwd=root, check=False)
    return proc.returncode, json.loads(proc.stdout)


def _english_edits(root: Path) -> None:
    edit(root / SOURCE, "The invitation is valid for 7 days.", "The invitation is valid for 14 days.")
    edit(root / SOURCE, "## Choose a role\n", "Roles can be changed later, at any time.\n\n## Choose a role\n")


def test_a_routine_english_edit_fails_no_language(tmp_path: Path) -> None:
    root = sample_repo(tmp_path)
    code, before = _check(root)
    assert code == 0, [f for f in before if f["severity"] == "error"]
    _english_edits(root)
    commit(root, "14 days; a new paragraph", stamp(TODAY))
    code, findings = _check(root)
    errors = [f for f in findings if f["severity"] == "error" and not f["suppressed"]]
    assert code == 0 and errors == []
    # nothing new is said about those translations: they are judged as made
    assert {(f["path"], f["message"]) for f in findings} == {(f["path"], f["message"]) for f in before}
    _, records = status(root, ARTICLE)
    assert {record(records, ARTICLE, lang)["state"] for lang in ("es", "ro", "ru")} == {"stale"}


def test_a_mistake_against_the_english_it_was_made_from_is_still_an_error(tmp_path: Path) -> None:
    """Checking against the old English is no amnesty: a wrong number the translator wrote is found."""
    root = sample_repo(tmp_path)
    es = root / "translations" / "es" / ARTICLE
    text = es.read_text(encoding="utf-8")
    assert "7 días" in text
    es.write_text(text.replace("7 días", "9 días", 1), encoding="utf-8")
    _english_edits(root)
    commit(root, "14 days; and a wrong Spanish number", stamp(TODAY))
    code, findings = _check(root, "--lang", "es")
    assert code == 1
    assert any(f["check"] == "numbers" and f["severity"] == "error" and "9" in f["message"] for f in findings)


def test_without_the_history_staleness_is_a_warning_that_says_so(tmp_path: Path) -> None:
    """No git (or the version out of reach): the current English is used and what staleness
    explains is a warning naming the reason, never an error."""
    root = copy_sample(tmp_path)
    _english_edits(root)
    code, findings = _check(root, "--lang", "es")
    assert code == 0
    warned = [f for f in findings if "the English changed since this translation was made" in f["message"]]
    assert warned and all(f["severity"] == "warning" for f in warned)
