"""The workflows' trust rules, read from the YAML (issue 18): a job that holds a secret or a
write permission never runs the code of a branch.

What each rule stops: a checkout that persists its token leaves it in ``.git/config`` for any
later process; a tag can be moved to other code after review, a commit SHA cannot; ``pages`` or
``id-token`` on a job that builds branches lets that build publish; ``pip install -e .`` of a
branch makes its ``src/helpglot`` the code that holds the DeepL key. The hostile-branch run of
these same steps is in ``tests/test_workflow_run.py``.
"""

from __future__ import annotations

import re

from conftest import ROOT
from test_workflows import WORKFLOWS, steps, workflow

SHA_PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*([\w.-]+/[\w.-]+(?:/[\w.-]+)*)@([0-9a-f]{40})\s+#\s*v\d+(?:\.\d+){0,2}\s*$")
# the only jobs that may write, and what: pushing a translation branch, opening its pull
# request, deploying Pages
WRITERS = {
    ("translate.yml", "translate"): {"contents", "pull-requests"},
    ("review-record.yml", "approve"): {"contents"},
    ("deploy.yml", "deploy"): {"pages", "id-token"},
}
TOKENS = ("secrets.", "github.token", "steps.app.outputs.token")


def all_jobs():
    for path in sorted(WORKFLOWS.glob("*.yml")):
        data = workflow(path.name)
        for name, job in data["jobs"].items():
            yield path.name, data, name, job


def permissions(data: dict, job: dict) -> dict:
    perms = job.get("permissions", data.get("permissions"))
    assert isinstance(perms, dict), "permissions must be explicit (a mapping), never the repository default"
    return perms


def test_every_checkout_drops_its_credentials() -> None:
    checkouts = 0
    for name, _data, job_name, job in all_jobs():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                checkouts += 1
                assert step.get("with", {}).get("persist-credentials") is False, f"{name}: {job_name}"
                assert "token" not in step.get("with", {}), f"{name}: {job_name}: a token given to checkout"
    assert checkouts >= 9


def test_every_action_is_pinned_to_a_commit_with_its_version_as_a_comment() -> None:
    pinned = 0
    for path in WORKFLOWS.glob("*.yml"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"^\s*(?:-\s+)?uses:", line):
                assert SHA_PIN.match(line), f"{path.name}:{n}: {line.strip()} (pin a full commit SHA, # vX.Y.Z)"
                pinned += 1
    assert pinned >= 20
    # one SHA per action everywhere: an update is one reviewed change
    shas: dict[str, set[str]] = {}
    for path in WORKFLOWS.glob("*.yml"):
        for match in map(SHA_PIN.match, path.read_text(encoding="utf-8").splitlines()):
            if match:
                shas.setdefault(match[1], set()).add(match[2])
    assert all(len(v) == 1 for v in shas.values()), shas


def test_write_permissions_only_where_a_job_must_write() -> None:
    for name, data, job_name, job in all_jobs():
        top = data.get("permissions")
        assert top == {} or all(v in ("read", "none") for v in top.values()), f"{name}: workflow-level {top}"
        perms = permissions(data, job)
        writes = {k for k, v in perms.items() if v == "write"}
        assert writes <= WRITERS.get((name, job_name), set()), f"{name}: {job_name} writes {writes}"
    deploy = workflow("deploy.yml")["jobs"]
    assert deploy["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s.get("uses", "").split("@")[0] for s in steps(deploy["deploy"])] == ["actions/deploy-pages"]


def test_no_editable_install_and_privileged_jobs_install_main_only() -> None:
    for name, _data, job_name, job in all_jobs():
        commands = "\n".join(s.get("run", "") for s in steps(job))
        assert not re.search(r"pip install[^\n]*(\s-e\s|--editable)", commands), f"{name}: {job_name}"
        privileged = (name, job_name) in WRITERS or any(t in str(job) for t in TOKENS)
        branch_content = name in ("translate.yml", "review-record.yml") or job_name == "previews"
        if not (privileged and branch_content):
            continue
        installs = re.findall(r"pip install[^\n]*", commands)
        assert installs and all(i.rstrip().endswith("./trusted") for i in installs), (name, job_name, installs)
        [trusted] = [s for s in steps(job) if s.get("with", {}).get("path") == "trusted"]
        assert trusted["with"]["ref"] in ("${{ github.sha }}", "${{ github.event.repository.default_branch }}")
        # every script a privileged step runs is main's copy, never the branch's
        for step in steps(job):
            for script in re.findall(r"[\w$./{}\"-]*scripts/[\w-]+", step.get("run", "")):
                assert script.startswith('"$GITHUB_WORKSPACE/trusted/scripts/'), (name, job_name, script)


def test_secrets_and_tokens_only_in_steps_that_run_mains_code() -> None:
    seen = set()
    for name, _data, job_name, job in all_jobs():
        for step in steps(job):
            env = step.get("env", {})
            holders = [k for k, v in env.items() if any(t in str(v) for t in TOKENS)]
            if not holders:
                continue
            seen.update(holders)
            run = step.get("run", "")
            # main's helpglot and git/gh only: no mkdocs (hooks), no pip, no python, no relative script
            assert not re.search(r"\bmkdocs\b|\bpip\b|python|(^|[\s;&|])\.?/?scripts/", run), (name, job_name, run)
            assert "set -x" not in run and not re.search(r"echo[^\n]*\$(DEEPL|PUSH_TOKEN|GH_TOKEN)", run)
    assert {"DEEPL_AUTH_KEY", "PUSH_TOKEN", "GH_TOKEN"} <= seen
    # the DeepL key is in exactly one step, and that step's job installed main, not the branch
    translate = workflow("translate.yml")["jobs"]["translate"]
    [holder] = [s for s in steps(translate) if "DEEPL_AUTH_KEY" in s.get("env", {})]
    assert holder["working-directory"] == "work" and "helpglot sync-branch" in holder["run"]
    # an environment whose branch policy can keep the key from workflow files pushed on other branches
    assert translate["environment"] == "translation-drafts"
    assert workflow("deploy.yml")["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_previews_are_a_separate_artifact_never_the_pages_site() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    publish = "\n".join(s.get("run", "") for s in steps(jobs["publish"]))
    assert "build-previews" not in publish and "preview" not in publish
    [pages] = [s for s in steps(jobs["publish"]) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert pages["with"]["path"] == "site/"
    previews = jobs["previews"]
    assert permissions(workflow("deploy.yml"), previews) == {"contents": "read"}
    assert "scripts/build-previews previews" in "\n".join(s.get("run", "") for s in steps(previews))
    [upload] = [s for s in steps(previews) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["name"] == "previews" and upload["with"]["path"] == "previews/"
    assert "needs" not in jobs["deploy"] or jobs["deploy"]["needs"] == "publish"  # previews never gate Pages
    script = (ROOT / "scripts" / "build-previews").read_text(encoding="utf-8")
    assert "preview/" not in script.replace("previews", "")
