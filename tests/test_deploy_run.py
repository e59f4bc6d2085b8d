"""No language's state blocks another's, or English, from being published (issue 19, 1), played
with deploy.yml's own steps (tests/workflow_runner.py) on a bare origin: a writer's English edit
makes translations stale, and one Spanish page carries a real QA error. The deploy publishes
every language; the faulty Spanish page is shown in English with the usual notice until fixed,
and the rest of Spanish stays Spanish."""

from __future__ import annotations

import json

from conftest import ROOT
from fake_deepl import FakeDeepL
from test_workflow_run import ARTICLE, DEEPL, TOKEN, git, seed
from workflow_runner import Runner

BROKEN = "getting-started/invite-your-team.md"  # its Spanish gets a wrong number


def test_one_spanish_mistake_and_a_writers_edit_hold_nothing_back(tmp_path) -> None:
    with FakeDeepL(auth_key=DEEPL) as fake:
        origin = seed(tmp_path, fake.url)
    person = tmp_path / "person"
    git(tmp_path, "clone", "-q", str(origin), str(person))
    source = person / "docs" / ARTICLE
    source.write_text(source.read_text(encoding="utf-8").replace("about two minutes", "about three minutes", 1),
                      encoding="utf-8")
    es = person / "translations" / "es" / BROKEN
    es.write_text(es.read_text(encoding="utf-8").replace("7 días", "9 días", 1), encoding="utf-8")
    git(person, "commit", "-qam", "three minutes; and a Spanish slip")
    git(person, "push", "-q", "origin", "main")
    runner = Runner(root=tmp_path / "runner", origin=origin, workflows=ROOT / ".github" / "workflows",
                    secrets={}, token=TOKEN, sha=git(origin, "rev-parse", "refs/heads/main").strip(),
                    env={"NO_MKDOCS_2_WARNING": "1"})
    runner.event = {}
    assert runner.run_job("deploy.yml", "qa") == "success"
    report = json.loads((runner.root / "artifacts" / "qa-report" / "qa.json").read_text(encoding="utf-8"))
    assert any(f["path"] == f"translations/es/{BROKEN}" and f["severity"] == "error" for f in report)
    for lang in ("en", "es", "ro", "tr", "ru", "lt"):
        assert runner.run_job("deploy.yml", "build", {"lang": lang}) == "success", \
            [s.output for s in runner.log if s.outcome == "failure"]
    assert runner.run_job("deploy.yml", "publish") == "success"
    assert runner.run_job("deploy.yml", "deploy") == "success"
    site = runner.root / "published"
    english = (site / "getting-started" / "create-your-account" / "index.html").read_text(encoding="utf-8")
    assert "about three minutes" in english  # the writer's fix is out
    held = (site / "es" / "getting-started" / "invite-your-team" / "index.html").read_text(encoding="utf-8")
    assert 'lang="en"' in held and "valid for 7 days" in held and "9 días" not in held
    other = (site / "es" / "getting-started" / "create-your-account" / "index.html").read_text(encoding="utf-8")
    assert "Crear tu cuenta" in other and "lang=\"es\"" in other  # the rest of Spanish is Spanish
    for lang in ("ro", "tr", "ru", "lt"):
        assert (site / lang / "index.html").is_file()
