"""Provenance a translator writes by hand is not a review (issue 18, 6). check.yml's own steps
(tests/workflow_runner.py) on a pull request of l10n/ro: blocks marked reviewed on the branch need
a reviewer @login who approved the pull request on GitHub and is a Romanian translator. A marker
written by hand fails the check with the file named; the same branch passes once that translator
has approved it on GitHub; a plain name (no GitHub login) is never enough."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from test_workflow_run import TOKEN, git, seed
from workflow_runner import Runner

PAGE = "translations/ro/getting-started/invite-your-team.md"


def _branch(tmp_path, reviewer: str) -> tuple:
    origin = seed(tmp_path, "http://127.0.0.1:9")  # no engine is called by these checks
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    page = work / PAGE
    text = page.read_text(encoding="utf-8")
    # main: the last two blocks are machine drafts waiting for review
    lines = text.split("\n")
    marks = [i for i, line in enumerate(lines) if re.fullmatch(r"  - [0-9a-f]{12} reviewed", line)]
    for i in marks[-2:]:
        lines[i] = lines[i].replace(" reviewed", " machine deepl")
    page.write_text("\n".join(lines), encoding="utf-8")
    git(work, "commit", "-qam", "ro: two drafts")
    git(work, "push", "-q", "origin", "main")
    base = git(work, "rev-parse", "HEAD").strip()
    # the branch: someone writes "reviewed" back by hand, naming a reviewer
    git(work, "checkout", "-q", "-b", "l10n/ro")
    page.write_text(re.sub(r"(?m)^  reviewer: .*$", f"  reviewer: {reviewer}", text), encoding="utf-8")
    git(work, "commit", "-qam", "ro: reviewed")
    git(work, "push", "-q", "origin", "l10n/ro")
    head = git(work, "rev-parse", "HEAD").strip()
    return origin, base, head


def _check(tmp_path, origin, base, head, approved: list[str]) -> Runner:
    runner = Runner(root=tmp_path / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                    secrets={}, token=TOKEN, sha=head, env={"NO_MKDOCS_2_WARNING": "1"})
    (runner.root / "gh").mkdir(parents=True)
    (runner.root / "gh" / "approved").write_text("\n".join(approved), encoding="utf-8")
    runner.event = {"pull_request": {"number": 7, "base": {"sha": base, "ref": "main"},
                                     "head": {"ref": "l10n/ro", "repo": {"full_name": "tallybird/help"}}}}
    runner.run_job("check.yml", "translations")
    return runner


def _step(runner: Runner):
    return next(s for s in runner.log if "Reviews are backed" in s.name)


@pytest.mark.parametrize("reviewer, approved, backed", [
    ("'@andrei-popescu'", [], False),  # written by hand, nobody approved on GitHub
    ("'@andrei-popescu'", ["elif-yilmaz"], False),  # approved by someone else (a Turkish translator)
    ("'@andrei-popescu'", ["andrei-popescu"], True),  # what review.yml records after his approval
    ("Andrei Popescu", ["andrei-popescu"], False),  # a plain name: no approval can back it
])
def test_a_review_needs_an_approval_on_github(tmp_path, reviewer, approved, backed) -> None:
    origin, base, head = _branch(tmp_path, reviewer)
    step = _step(_check(tmp_path, origin, base, head, approved))
    assert step.outcome == ("success" if backed else "failure"), step.output[-1500:]
    if not backed:
        assert f"{PAGE}:" in step.output and "block(s)" in step.output


STRINGS = "translations/ro/.helpglot-strings.yml"


def _strings_file(entries: dict) -> str:
    import yaml

    return yaml.safe_dump({"strings": entries}, allow_unicode=True, sort_keys=False)


def _strings_branch(tmp_path, branch_entries: dict) -> tuple:
    """main holds machine-drafted reader strings; the branch writes ``branch_entries`` over them."""
    origin = seed(tmp_path, "http://127.0.0.1:9")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    machine = {"machine_title": {"text": "Traducere automată", "status": "machine", "en": "Machine translation"},
               "skip": {"text": "Sari la conținut", "status": "machine", "en": "Skip to content"}}
    (work / STRINGS).write_text(_strings_file(machine), encoding="utf-8")
    git(work, "add", STRINGS)
    git(work, "commit", "-qm", "ro: drafted reader strings")
    git(work, "push", "-q", "origin", "main")
    base = git(work, "rev-parse", "HEAD").strip()
    git(work, "checkout", "-q", "-b", "l10n/ro")
    (work / STRINGS).write_text(_strings_file({**machine, **branch_entries}), encoding="utf-8")
    git(work, "commit", "-qam", "ro: strings")
    git(work, "push", "-q", "origin", "l10n/ro")
    return origin, base, git(work, "rev-parse", "HEAD").strip()


REVIEWED = {"machine_title": {"text": "Traducere automată", "status": "reviewed", "en": "Machine translation",
                              "reviewer": "'@andrei-popescu'", "reviewed": "2026-11-30"}}


@pytest.mark.parametrize("entries, approved, backed, named", [
    (REVIEWED, [], False, "reader string machine_title"),  # written by hand: nobody approved
    (REVIEWED, ["andrei-popescu"], True, ""),  # what review-record.yml writes after his approval
    # labelled as Material's own translation, but Material says something else
    ({"skip": {"text": "Mergi direct la text", "status": "material", "en": "Skip to content"}}, ["andrei-popescu"],
     False, "reader string skip says `status: material`"),
])
def test_a_reader_string_review_needs_an_approval_too(tmp_path, entries, approved, backed, named) -> None:
    """Reader strings carry their own reviewer per string: a hand-written `reviewed` (or a text
    passed off as Material's human translation) is caught like an article block."""
    entries = {key: {k: (v.strip("'") if k == "reviewer" else v) for k, v in e.items()} for key, e in entries.items()}
    origin, base, head = _strings_branch(tmp_path, entries)
    step = _step(_check(tmp_path, origin, base, head, approved))
    assert step.outcome == ("success" if backed else "failure"), step.output[-1500:]
    if not backed:
        assert f"{STRINGS}:" in step.output and named in step.output, step.output[-1500:]
