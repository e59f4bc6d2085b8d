"""`helpglot approve` and `helpglot codeowners` run for real on temporary git copies of the
sample help center: a source edit, a pseudo draft for Lithuanian (whose policy holds
machine drafts back, so the pseudo engine is allowed), then the reviewer's approval."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import block_no, copy_sample, edit, helpglot

ARTICLE = "getting-started/create-your-account.md"
SOURCE = f"docs/{ARTICLE}"
LT = f"translations/lt/{ARTICLE}"
CLOSING = ("Your workspace is ready. Next,", "Your workspace is ready now. Next,")
DETAILS = ("Have the following details ready:", "Have these details ready before you start:")
TODAY = dt.date.today().isoformat()
NO_GIT_USER = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **NO_GIT_USER}
    return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@x", "-c", "commit.gpgsign=false", *args],
                          cwd=root, env=env, capture_output=True, text=True, check=True).stdout




def prov(root: Path) -> dict:
    import yaml

    text = (root / LT).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])["helpglot"]


def statuses(root: Path) -> dict[int, str]:
    return {n: line.split()[1] for n, line in enumerate(prov(root)["blocks"], start=1)}


def lt_status(root: Path) -> dict:
    proc = helpglot("status", "--json", "--lang", "lt", SOURCE, cwd=root, check=False)
    (record,) = json.loads(proc.stdout)
    return record


def without_provenance(text: str) -> str:
    """The file with its `helpglot:` front-matter section cut out: what approval must not touch."""
    return re.sub(r"^helpglot:\n(?:[ \t].*\n)*", "", text, flags=re.M)


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    """A sample repo where two blocks of the Lithuanian article are fresh pseudo drafts."""
    root = copy_sample(tmp_path)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    for old, new in (CLOSING, DETAILS):
        edit(root / SOURCE, old, new)
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", ARTICLE, cwd=root)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "drafts")
    return root


def drafted_blocks(root: Path) -> tuple[int, int]:
    return block_no(root, SOURCE, DETAILS[1]), block_no(root, SOURCE, CLOSING[1])


def test_approve_marks_drafts_reviewed_and_changes_only_provenance(drafted: Path) -> None:
    details, closing = drafted_blocks(drafted)
    assert lt_status(drafted)["state"] == "machine"
    assert {n for n, s in statuses(drafted).items() if s == "machine"} == {details, closing}
    before = (drafted / LT).read_text(encoding="utf-8")

    git(drafted, "config", "user.name", "Rūta Kazlauskienė")  # the default reviewer
    proc = helpglot("approve", LT, cwd=drafted, env=NO_GIT_USER)
    assert f"block(s) {details}, {closing} approved by Rūta Kazlauskienė" in proc.stdout

    after = (drafted / LT).read_text(encoding="utf-8")
    assert without_provenance(after) == without_provenance(before)
    assert set(statuses(drafted).values()) == {"reviewed"}
    record = prov(drafted)
    assert record["reviewer"] == "Rūta Kazlauskienė"
    assert str(record["reviewed"]) == TODAY
    assert "engine" not in record  # no machine block left to have an engine
    assert lt_status(drafted)["state"] == "up-to-date"
    changed = [line for line in git(drafted, "diff", "-U0", "--", LT).splitlines()
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed and all(re.match(r"^[+-]  (reviewer|reviewed|engine|- [0-9a-f]{12} )", x)
                           or re.match(r"^-  (pending:|- \{block: )", x) for x in changed), changed
    assert "pending" not in record  # the earlier translations kept for this review are done with

    again = helpglot("approve", "--reviewer", "Someone", LT, cwd=drafted)
    assert "nothing to approve" in again.stdout
    assert (drafted / LT).read_text(encoding="utf-8") == after


def test_approve_without_any_reviewer_name_is_refused(drafted: Path) -> None:
    before = (drafted / LT).read_bytes()
    proc = helpglot("approve", LT, cwd=drafted, check=False, env=NO_GIT_USER)
    assert proc.returncode != 0
    assert "--reviewer" in proc.stderr and "user.name" in proc.stderr
    assert (drafted / LT).read_bytes() == before


def test_approve_only_the_given_blocks(drafted: Path) -> None:
    details, closing = drafted_blocks(drafted)
    helpglot("approve", "--reviewer", "R", "--blocks", str(closing), LT, cwd=drafted)
    assert statuses(drafted)[closing] == "reviewed"
    assert statuses(drafted)[details] == "machine"
    record = lt_status(drafted)
    assert record["state"] == "machine" and record["machine_blocks"] == [details]
    assert prov(drafted)["engine"] == "pseudo"  # still describes the block left as machine

    total = len(statuses(drafted))
    bad = helpglot("approve", "--reviewer", "R", "--blocks", f"{details},{total + 1}", LT, cwd=drafted, check=False)
    assert bad.returncode != 0 and f"has blocks 1 to {total}" in bad.stderr
    assert statuses(drafted)[details] == "machine"
    malformed = helpglot("approve", "--reviewer", "R", "--blocks", "3-x", LT, cwd=drafted, check=False)
    assert malformed.returncode != 0 and "'3-x'" in malformed.stderr

    helpglot("approve", "--reviewer", "R", "--blocks", f"{details - 1}-{details}", LT, cwd=drafted)
    assert lt_status(drafted)["state"] == "up-to-date"


def test_qa_errors_block_approval_unless_forced_with_a_reason(drafted: Path) -> None:
    edit(drafted / LT, "téáám](invite-your-team.md)", "téáám](invite-your-teem.md)")  # broken link in the draft
    before = (drafted / LT).read_bytes()
    refused = helpglot("approve", "--reviewer", "R", LT, cwd=drafted, check=False)
    assert refused.returncode != 0
    assert "QA error" in refused.stderr and "[markup]" in refused.stderr and "invite-your-teem.md" in refused.stderr
    assert (drafted / LT).read_bytes() == before

    no_reason = helpglot("approve", "--reviewer", "R", "--force", LT, cwd=drafted, check=False)
    assert no_reason.returncode != 0 and "--reason" in no_reason.stderr
    assert (drafted / LT).read_bytes() == before

    helpglot("approve", "--reviewer", "Rūta", "--force", "--reason", "link fixed upstream next week", LT,
             cwd=drafted)
    note = prov(drafted)["note"]
    assert note == f"approved with QA errors (markup) by Rūta on {TODAY}: link fixed upstream next week"
    assert set(statuses(drafted).values()) == {"reviewed"}


def test_warnings_do_not_block_approval(drafted: Path) -> None:
    findings = json.loads(helpglot("check", "--format", "json", LT, cwd=drafted).stdout)
    assert findings and {f["severity"] for f in findings} == {"warning"}  # pseudo text misses glossary terms
    helpglot("approve", "--reviewer", "R", LT, cwd=drafted)
    assert "note" not in prov(drafted)


def test_a_file_that_is_not_a_tracked_translation_is_refused_and_nothing_changes(drafted: Path) -> None:
    before = (drafted / LT).read_bytes()
    source = helpglot("approve", "--reviewer", "R", SOURCE, LT, cwd=drafted, check=False)
    assert source.returncode != 0 and "not a translation" in source.stderr

    untracked = drafted / "translations/lt/integrations/connect-stripe.md"
    untracked.write_text((drafted / "docs/integrations/connect-stripe.md").read_text(encoding="utf-8"),
                         encoding="utf-8")
    proc = helpglot("approve", "--reviewer", "R", LT, "translations/lt/integrations/connect-stripe.md",
                    cwd=drafted, check=False)
    assert proc.returncode != 0 and "helpglot adopt" in proc.stderr
    assert (drafted / LT).read_bytes() == before  # all or nothing


def test_a_stale_translation_is_refused(drafted: Path) -> None:
    edit(drafted / SOURCE, "Choose your country and default currency", "Pick your country and default currency")
    before = (drafted / LT).read_bytes()
    proc = helpglot("approve", "--reviewer", "R", LT, cwd=drafted, check=False)
    assert proc.returncode != 0
    assert "source changed" in proc.stderr and "helpglot translate --lang lt" in proc.stderr
    assert "helpglot ack" in proc.stderr
    assert (drafted / LT).read_bytes() == before


# ---- codeowners ----------------------------------------------------------------------


def test_codeowners_written_from_translators_and_checked(tmp_path: Path) -> None:
    root = copy_sample(tmp_path)
    owners = root / ".github" / "CODEOWNERS"
    missing = helpglot("codeowners", "--check", cwd=root, check=False)
    assert missing.returncode == 1 and not owners.exists()

    helpglot("codeowners", cwd=root)
    text = owners.read_text(encoding="utf-8")
    rules = [line for line in text.splitlines() if line and not line.startswith("#")]
    docs = "@tallybird/docs"
    assert rules == [f"* {docs}", f"/mkdocs.yml {docs}", f"/.github/ {docs}", f"/src/ {docs}", f"/scripts/ {docs}",
                     f"/.helpglot/ {docs}", f"/.gitattributes {docs}", f"/docs/ {docs}", f"/glossary/ {docs}",
                     f"/translations/ {docs}",
                     "/translations/es/ @lucia-fernandez", "/translations/ro/ @andrei-popescu",
                     "/translations/tr/ @elif-yilmaz", "/translations/ru/ @olga-smirnova",
                     "/translations/lt/ @ruta-kazlauskiene"]
    assert "generated by helpglot" in text.lower() and "helpglot codeowners" in text
    assert helpglot("codeowners", "--check", cwd=root).returncode == 0

    # hand-written rules outside the marked section survive regeneration
    owners.write_text("* @tallybird/docs\n" + text + "/mkdocs.yml @tallybird/platform\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    edit(config, 'es: ["@lucia-fernandez"]', 'es: ["@lucia-fernandez", "@tallybird/spanish"]')
    kept = owners.read_bytes()
    stale = helpglot("codeowners", "--check", cwd=root, check=False)
    assert stale.returncode == 1 and "helpglot codeowners" in stale.stderr
    assert owners.read_bytes() == kept  # --check writes nothing

    helpglot("codeowners", cwd=root)
    lines = owners.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "* @tallybird/docs" and lines[-1] == "/mkdocs.yml @tallybird/platform"
    assert "/translations/es/ @lucia-fernandez @tallybird/spanish" in lines
    assert helpglot("codeowners", "--check", cwd=root).returncode == 0


def owners_of(codeowners: str, path: str) -> list[str]:
    """GitHub's rule: the last matching line wins (the pattern forms helpglot writes: *, /file, /dir/)."""
    found: list[str] = []
    for line in codeowners.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *handles = line.split()
        if pattern == "*" or (pattern.endswith("/") and ("/" + path).startswith(pattern)) or pattern == "/" + path:
            found = handles
    return found


def test_codeowners_gives_every_path_outside_a_language_to_the_maintainers(tmp_path: Path) -> None:
    """A translation branch that also changes mkdocs.yml (hooks), src/, scripts/ or .github/ must
    ask a maintainer, not only that language's translator (issue 18, item 6)."""
    root = copy_sample(tmp_path)
    helpglot("codeowners", cwd=root)
    text = (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    for path in ("mkdocs.yml", "evil_hook.py", "docs/index.md", ".github/workflows/translate.yml",
                 "src/helpglot/__init__.py", "scripts/l10n-pr", "glossary/terms.yml", ".gitattributes",
                 ".helpglot/status-cache.pickle", "helpglot/cli/__main__.py", "translations/README.md"):
        assert owners_of(text, path) == ["@tallybird/docs"], path
    assert owners_of(text, "translations/lt/index.md") == ["@ruta-kazlauskiene"]
    assert owners_of(text, "translations/es/getting-started/index.md") == ["@lucia-fernandez"]
    # no maintainers: one clear error naming the setting, nothing written
    edit(root / "mkdocs.yml", '      maintainers: ["@tallybird/docs"]\n', "")
    before = (root / ".github" / "CODEOWNERS").read_bytes()
    refused = helpglot("codeowners", cwd=root, check=False)
    assert refused.returncode != 0 and "plugins.helpglot.maintainers is empty" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (root / ".github" / "CODEOWNERS").read_bytes() == before
    edit(root / "mkdocs.yml", "      translators:\n", "      maintainers: [docs-team]\n      translators:\n")
    bad = helpglot("codeowners", cwd=root, check=False)
    assert bad.returncode != 0 and "plugins.helpglot.maintainers must be a list of GitHub handles" in bad.stderr


def test_the_review_workflow_approval_is_only_a_listed_translators(drafted: Path) -> None:
    before = (drafted / LT).read_bytes()
    stranger = helpglot("approve", "--require-translator", "--reviewer", "@mallory", LT, cwd=drafted, check=False)
    assert stranger.returncode != 0
    assert "@mallory is not a translator of 'lt'" in stranger.stderr and "@ruta-kazlauskiene" in stranger.stderr
    assert (drafted / LT).read_bytes() == before
    helpglot("approve", "--require-translator", "--reviewer", "@Ruta-Kazlauskiene", LT, cwd=drafted)
    assert prov(drafted)["reviewer"] == "@Ruta-Kazlauskiene"
    assert set(statuses(drafted).values()) == {"reviewed"}


def test_a_stale_block_fixed_by_hand_is_approved_alone(drafted: Path) -> None:
    helpglot("approve", "--reviewer", "R", LT, cwd=drafted)  # the drafts are reviewed
    edit(drafted / SOURCE, "Choose your country and default currency", "Pick your country and default currency")
    n = block_no(drafted, SOURCE, "Pick your country")
    helpglot("approve", "--reviewer", "Rūta", "--blocks", str(n), LT, cwd=drafted)
    assert statuses(drafted)[n] == "reviewed" and prov(drafted)["reviewer"] == "Rūta"
    state = json.loads(helpglot("status", "--json", "--lang", "lt", SOURCE, cwd=drafted, check=False).stdout)
    assert [r["state"] for r in state] == ["up-to-date"]
    # the other languages still see that block as stale: it was approved for Lithuanian only
    es = json.loads(helpglot("status", "--json", "--lang", "es", SOURCE, cwd=drafted, check=False).stdout)
    assert [r["state"] for r in es] == ["stale"]


def test_a_forced_approval_silences_that_finding_until_the_block_or_its_source_changes(drafted: Path) -> None:
    edit(drafted / LT, "téáám](invite-your-team.md)", "téáám](invite-your-teem.md)")  # a broken link
    def errors() -> list[dict]:
        proc = helpglot("check", "--format", "json", LT, cwd=drafted, check=False)
        return [f for f in json.loads(proc.stdout) if f["severity"] == "error"]

    [finding] = errors()
    assert finding["check"] == "markup" and not finding["suppressed"]
    helpglot("approve", "--reviewer", "Rūta", "--force", "--reason", "the page moves there next week", LT,
             cwd=drafted)
    [accepted] = errors()
    assert accepted["suppressed"] and accepted["reason"] == "approved by Rūta: the page moves there next week"
    assert helpglot("check", LT, cwd=drafted, check=False).returncode == 0  # no longer fails CI
    # the translator touches that block again: the approval no longer covers it
    edit(drafted / LT, "téáám](invite-your-teem.md)", "téáám ](invite-your-teem.md)")
    [again] = errors()
    assert not again["suppressed"]
    assert helpglot("check", LT, cwd=drafted, check=False).returncode == 1
