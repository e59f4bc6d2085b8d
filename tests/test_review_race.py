"""An approval covers exactly what its reviewer saw (issue 19, 2), played with the workflows'
own steps (tests/workflow_runner.py) on a bare origin: the translator reviews commit C1 of
l10n/lt and clicks Approve; meanwhile a writer's push made translate.yml draft a new block on
the branch (head C2). review.yml gets ``review.commit_id`` = C1: the blocks the translator saw
become reviewed, the new draft stays a machine draft, and the run says so. Both workflows
share one concurrency group per branch, so they never run at once."""

from __future__ import annotations

import re

import yaml

from conftest import ROOT
from fake_deepl import FakeDeepL
from helpglot.markdown.segment import parse
from helpglot.tracking import provenance
from test_workflow_run import ARTICLE, DEEPL, TOKEN, git, seed
from workflow_runner import Runner


def test_translate_and_review_of_one_branch_share_a_concurrency_group() -> None:
    flows = ROOT / ".github" / "workflows"
    translate = yaml.safe_load((flows / "translate.yml").read_text(encoding="utf-8"))
    review = yaml.safe_load((flows / "review-record.yml").read_text(encoding="utf-8"))
    group_t = translate["jobs"]["translate"]["concurrency"]["group"].replace("${{ matrix.lang }}", "lt")
    group_r = review["concurrency"]["group"].replace("${{ github.event.workflow_run.head_branch }}", "l10n/lt")
    assert group_t == group_r


def _statuses(origin, ref: str) -> dict[str, list[str]]:
    """status -> the texts of the article's blocks in that state, on ``ref``."""
    text = git(origin, "show", f"{ref}:translations/lt/{ARTICLE}")
    doc = parse(text, "lt")
    prov = provenance.read(doc)
    out: dict[str, list[str]] = {}
    for block, record in zip(doc.blocks, prov.blocks, strict=True):
        out.setdefault(record.status, []).append(block.text)
    return out


def test_an_approval_blesses_only_the_reviewed_commit(tmp_path) -> None:
    with FakeDeepL(auth_key=DEEPL) as fake:
        origin = seed(tmp_path, fake.url)
        writer = tmp_path / "writer"
        git(tmp_path, "clone", "-q", str(origin), str(writer))
        source = writer / "docs" / ARTICLE

        def english(old: str, new: str, message: str) -> str:
            git(writer, "pull", "-q", "--no-rebase", "origin", "main")
            source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
            git(writer, "commit", "-qam", message)
            git(writer, "push", "-q", "origin", "main")
            return git(origin, "rev-parse", "refs/heads/main").strip()

        runner = Runner(root=tmp_path / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                        secrets={"DEEPL_AUTH_KEY": DEEPL, "HELPGLOT_APP_KEY": "unused"}, token=TOKEN,
                        env={"NO_MKDOCS_2_WARNING": "1"})
        runner.sha = english("about two minutes", "about three minutes", "three minutes")
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-1") == "success"
        # the translator fixes the draft in the pull request (names as the glossary keeps them)
        person = tmp_path / "translator"
        git(tmp_path, "clone", "-q", "-b", "l10n/lt", str(origin), str(person))
        for rel in git(person, "diff", "--name-only", "origin/main...origin/l10n/lt").split():
            page = person / rel
            text = page.read_text(encoding="utf-8")
            for name in ("Tallybird", "Stripe", "Slack", "PayPal", "Google Workspace"):
                text = re.sub(rf"(?<!\w){name.upper()}(?!\w)", name, text)
            page.write_text(text, encoding="utf-8")
        git(person, "commit", "-qam", "lt: names as they are")
        git(person, "push", "-q", "origin", "l10n/lt")
        seen = git(origin, "rev-parse", "refs/heads/l10n/lt").strip()
        reviewed_texts = _statuses(origin, seen)["machine"]
        # ...and clicks Approve on C1, while a writer's push drafts another block (head C2)
        runner.sha = english("even if someone learns your password",
                             "even if someone learns or guesses your password", "guesses")
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-2") == "success"
        head = git(origin, "rev-parse", "refs/heads/l10n/lt").strip()
        assert head != seen
        new_drafts = [t for t in _statuses(origin, head)["machine"] if t not in reviewed_texts]
        assert new_drafts, "the second run drafted a block the reviewer never saw"
        assert runner.approve_in_browser("lt", "ruta-kazlauskiene", seen) == "success", \
            [s.output for s in runner.log[-3:]]
    after = _statuses(origin, "refs/heads/l10n/lt")
    assert set(new_drafts) <= set(after.get("machine", []))  # unseen: still a machine draft
    assert not set(reviewed_texts) & set(after.get("machine", []))  # seen: reviewed
    said = "\n".join(step.output for step in runner.log if "Record the approval" in step.name)
    assert "changed after the reviewed commit" in said


def test_the_pull_request_step_on_a_new_repository_and_after_a_merge(tmp_path) -> None:
    """Issue 19, 7, with gh refusing as GitHub does: on a new repository the label does not exist
    yet, and when the branch has nothing ahead of main (the first run, or right after its pull
    request was merged) there is nothing to propose; neither is a red job. A long queue is cut
    at an article, never inside a fence or a character, and the whole queue is an artifact."""
    import json

    with FakeDeepL(auth_key=DEEPL) as fake:
        origin = seed(tmp_path, fake.url)
        writer = tmp_path / "writer"
        git(tmp_path, "clone", "-q", str(origin), str(writer))
        runner = Runner(root=tmp_path / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                        secrets={"DEEPL_AUTH_KEY": DEEPL, "HELPGLOT_APP_KEY": "unused"}, token=TOKEN,
                        env={"NO_MKDOCS_2_WARNING": "1"})
        runner.sha = git(origin, "rev-parse", "refs/heads/main").strip()
        # nothing changed in English: l10n/lt ends up level with main, nothing to propose
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-quiet") == "success", \
            [s.output for s in runner.log if s.outcome == "failure"]
        source = writer / "docs" / ARTICLE
        source.write_text(source.read_text(encoding="utf-8").replace("about two minutes", "about three minutes", 1),
                          encoding="utf-8")
        git(writer, "commit", "-qam", "three minutes")
        git(writer, "push", "-q", "origin", "main")
        runner.sha = git(origin, "rev-parse", "refs/heads/main").strip()
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-edit") == "success", \
            [s.output for s in runner.log if s.outcome == "failure"]
    calls = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((runner.root / "gh").glob("*.json"))]
    creates = [c for c in calls if c["args"][:2] == ["pr", "create"]]
    assert len(creates) == 1 and "--label" in creates[0]["args"]
    body = creates[0]["files"]["--body-file"]
    assert "/approve translations/lt/" in body and "Approve" in body  # the browser approval is explained
    queue = runner.root / "artifacts" / "review-queue-lt" / "lt.md"
    assert queue.is_file() and "about three minutes" in queue.read_text(encoding="utf-8")


def test_a_failed_update_still_tells_the_pull_request_what_to_do(tmp_path) -> None:
    """Issue 19, 6: when the update of l10n/<lang> stops, the pull request still hears about it
    (the pull-request step runs ``if: always()``), in one comment that names the file and the fix;
    the job stays red, and the next good run removes the comment."""
    import json

    with FakeDeepL(auth_key=DEEPL) as fake:
        origin = seed(tmp_path, fake.url)
        writer = tmp_path / "writer"
        git(tmp_path, "clone", "-q", str(origin), str(writer))
        runner = Runner(root=tmp_path / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                        secrets={"DEEPL_AUTH_KEY": DEEPL, "HELPGLOT_APP_KEY": "unused"}, token=TOKEN,
                        env={"NO_MKDOCS_2_WARNING": "1"})
        source = writer / "docs" / ARTICLE

        def english(old: str, new: str) -> None:
            git(writer, "pull", "-q", "--no-rebase", "origin", "main")
            source.write_text(source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
            git(writer, "commit", "-qam", new)
            git(writer, "push", "-q", "origin", "main")
            runner.sha = git(origin, "rev-parse", "refs/heads/main").strip()

        english("about two minutes", "about three minutes")
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-1") == "success"
        # someone commits an English change on the translation branch: the update refuses the branch
        person = tmp_path / "translator"
        git(tmp_path, "clone", "-q", "-b", "l10n/lt", str(origin), str(person))
        index = person / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\nAn English line.\n", encoding="utf-8")
        git(person, "commit", "-qam", "oops: English on the translation branch")
        git(person, "push", "-q", "origin", "l10n/lt")
        english("even if someone learns your password", "even if someone guesses your password")
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-2") == "failure"
        steps = {s.name.split(": ", 1)[1]: s for s in runner.log if s.name.startswith("translate-translate-lt-2")}
        assert steps["Open or update the pull request and its review comment"].outcome == "success"
        comments = json.loads((runner.root / "gh" / "comments.state").read_text(encoding="utf-8"))
        failed = [c["body"] for c in comments if c["body"].startswith("<!-- helpglot-sync-failed -->")]
        assert len(failed) == 1
        assert "docs/index.md" in failed[0] and "What to do" in failed[0]
        assert DEEPL not in failed[0] and TOKEN not in failed[0]
        # the translator takes the English line out again; the next update works and clears the comment
        git(person, "revert", "--no-edit", "HEAD")
        git(person, "push", "-q", "origin", "l10n/lt")
        english("Start with", "Begin with") if "Start with" in source.read_text(encoding="utf-8") else \
            english("about three minutes", "about four minutes")
        assert runner.run_job("translate.yml", "translate", {"lang": "lt"}, run="-3") == "success", \
            [s.output for s in runner.log if s.outcome == "failure"][-1:]
        comments = json.loads((runner.root / "gh" / "comments.state").read_text(encoding="utf-8"))
        assert not [c for c in comments if c["body"].startswith("<!-- helpglot-sync-failed -->")]
        assert [c for c in comments if c["body"].startswith("<!-- helpglot-review-queue -->")]
