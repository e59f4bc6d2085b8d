"""A volunteer without write access translates from a fork (issue 19, 7). check.yml's own steps
(tests/workflow_runner.py) judge the pull request on the languages it changes, with the base
branch's helpglot, read-only and without secrets: a slip in a Romanian translation fails the
check with the line named; the same file without the slip passes. Nothing of the fork runs with
a secret: review.yml holds nothing, review-record.yml refuses a fork's branch (read from GitHub's
API), and no secret is passed to check.yml."""

from __future__ import annotations

import yaml

from conftest import ROOT
from test_workflow_run import TOKEN, git, seed
from workflow_runner import Runner

PAGE = "translations/ro/getting-started/invite-your-team.md"


def _pull_request(tmp_path, slip: bool) -> tuple[str, Runner]:
    origin = seed(tmp_path, "http://127.0.0.1:9")  # no engine is called by these checks
    fork = tmp_path / "fork"
    git(tmp_path, "clone", "-q", str(origin), str(fork))
    base = git(fork, "rev-parse", "HEAD").strip()
    git(fork, "checkout", "-q", "-b", "patch-1")
    page = fork / PAGE
    text = page.read_text(encoding="utf-8")
    assert "7 zile" in text
    new = text.replace("7 zile", "9 zile", 1) if slip else text.replace("  reviewed:", "  reviewed:", 1) + "\n"
    page.write_text(new, encoding="utf-8")
    git(fork, "commit", "-qam", "ro: a volunteer's fix")
    # GitHub fetches the fork's head into the base repository as refs/pull/N/head
    git(fork, "push", "-q", str(origin), "patch-1:refs/pull/7/head")
    head = git(fork, "rev-parse", "HEAD").strip()
    runner = Runner(root=tmp_path / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                    secrets={}, token=TOKEN, sha=head, env={"NO_MKDOCS_2_WARNING": "1"})
    runner.event = {"pull_request": {"number": 7, "base": {"sha": base, "ref": "main"},
                                     "head": {"ref": "patch-1", "repo": {"full_name": "volunteer/help"}}}}
    return runner.run_job("check.yml", "translations"), runner


def test_a_volunteers_fork_pull_request_is_judged_on_its_language(tmp_path) -> None:
    status, runner = _pull_request(tmp_path / "slip", slip=True)
    assert status == "failure"
    qa = next(s for s in runner.log if "Translation QA (annotated" in s.name)
    assert qa.outcome == "failure" and PAGE in qa.output and "9" in qa.output
    status, runner = _pull_request(tmp_path / "fine", slip=False)
    assert status == "success", [(s.name, s.output[-800:]) for s in runner.log if s.outcome == "failure"]
    assert next(s for s in runner.log if "Translation QA (annotated" in s.name).outcome == "success"


def test_nothing_with_a_secret_or_a_push_runs_for_a_fork() -> None:
    review = yaml.safe_load((ROOT / ".github" / "workflows" / "review.yml").read_text(encoding="utf-8"))
    assert review["permissions"] == {} and "secrets." not in str(review)  # the fork's copy holds nothing
    record = yaml.safe_load((ROOT / ".github" / "workflows" / "review-record.yml").read_text(encoding="utf-8"))
    steps = "\n".join(s.get("run", "") for s in record["jobs"]["approve"]["steps"])
    assert '"$repo" != "$REPOSITORY"' in steps  # a fork's branch, read from GitHub's API, is refused
    check = (ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8")
    assert "secrets." not in check and "pull_request_target" not in check
