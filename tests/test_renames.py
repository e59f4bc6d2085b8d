"""Renaming an article: its translations move with it, provenance and review state intact,
whether the writer uses `helpglot mv` or plain `git mv` (then status names the command
that finishes the rename, and translate does not draft the article anew)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import git_run, helpglot

OLD = "getting-started/invite-your-team.md"
NEW = "team/invite-people.md"
LANGS = ("es", "ro", "ru")  # the sample's translations of OLD


git = git_run


@pytest.fixture
def repo(sample_git: Path) -> Path:
    return sample_git


def records(root: Path) -> dict[tuple[str, str], dict]:
    proc = helpglot("status", "--json", "--no-cache", cwd=root, check=False)
    return {(r["source"], r["lang"]): r for r in json.loads(proc.stdout)}


def provenance_of(root: Path, lang: str, rel: str) -> str:
    text = (root / "translations" / lang / rel).read_text(encoding="utf-8")
    return text.split("helpglot:", 1)[1].split("\n---", 1)[0]


def test_mv_moves_the_article_its_translations_and_the_nav_entry(repo: Path):
    before = {lang: provenance_of(repo, lang, OLD) for lang in LANGS}
    proc = helpglot("mv", f"docs/{OLD}", NEW, cwd=repo)
    assert f"translations/es/{OLD} -> translations/es/{NEW}" in proc.stdout
    assert not (repo / "docs" / OLD).exists() and (repo / "docs" / NEW).is_file()
    for lang in LANGS:
        after = provenance_of(repo, lang, NEW)
        assert f"source: {NEW}" in after
        # the same blocks, statuses, reviewer and dates: only the source path changed
        assert after.replace(f"source: {NEW}", f"source: {OLD}").split("fingerprint:")[0] == \
            before[lang].split("fingerprint:")[0]
    assert f"- {NEW}" in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    assert f"RM translations/es/{OLD} -> translations/es/{NEW}" in status  # git follows the history
    states = records(repo)
    assert {states[(NEW, lang)]["state"] for lang in LANGS} == {"up-to-date"}
    assert not [k for k, r in states.items() if r["state"] == "orphaned"]


def test_plain_git_mv_is_recognised_and_finished_by_mv(repo: Path):
    (repo / "docs" / "team").mkdir()
    git(repo, "mv", f"docs/{OLD}", f"docs/{NEW}")
    states = records(repo)
    orphan = states[(OLD, "es")]
    assert orphan["state"] == "orphaned"
    assert f"renamed to docs/{NEW}; run `helpglot mv {OLD} {NEW}`" in orphan["message"]
    assert f"run `helpglot mv {OLD} {NEW}`" in states[(NEW, "es")]["message"]
    # translate does not rebuild the renamed article from translation memory as a machine draft
    proc = helpglot("translate", "--json", "--lang", "es", f"docs/{NEW}", cwd=repo)
    assert f"run `helpglot mv {OLD} {NEW}` instead of drafting it anew" in proc.stderr
    assert not (repo / "translations" / "es" / NEW).exists()
    helpglot("mv", OLD, NEW, cwd=repo)
    states = records(repo)
    assert {states[(NEW, lang)]["state"] for lang in LANGS} == {"up-to-date"}


def test_mv_refuses_before_moving_anything(repo: Path):
    target = repo / "translations" / "ru" / NEW
    target.parent.mkdir(parents=True)
    target.write_text("---\ntitle: x\n---\n\nx\n", encoding="utf-8")
    proc = helpglot("mv", OLD, NEW, cwd=repo, check=False)
    assert proc.returncode != 0 and f"translations/ru/{NEW} exists already" in proc.stderr
    assert (repo / "docs" / OLD).is_file() and not (repo / "docs" / NEW).exists()
    assert (repo / "translations" / "es" / OLD).is_file()


def test_the_english_before_survives_a_rename(repo: Path):
    """Issue 19, 5: the queue reads the English a translation was made from out of git history;
    after a rename that history is under the old name, and the reviewer still sees it."""
    helpglot("mv", f"docs/{OLD}", NEW, cwd=repo)  # moved and edited in one commit: the old
    source = repo / "docs" / NEW  # English exists only under the old name
    old = "The invitation is valid for 7 days."
    source.write_text(source.read_text(encoding="utf-8").replace(old, "The invitation is valid for 14 days."),
                      encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "move the article; 14 days")
    proc = helpglot("queue", "--lang", "es", "--format", "json", cwd=repo)
    items = [i for i in json.loads(proc.stdout) if i["path"].endswith(NEW)]
    [block] = [b for item in items for b in item["blocks"] if b["after"] and "14 days" in b["after"]]
    assert block["before"] and "7 days" in block["before"]


def test_a_renamed_article_keeps_its_old_url_in_every_language(repo: Path):
    """Issue 19, 5: links and bookmarks to the old address (in any language) land on the article,
    #section included; a URL a page uses now is never taken over."""
    import subprocess
    import sys

    helpglot("mv", f"docs/{OLD}", NEW, cwd=repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "move the article")
    site = repo / "site"
    subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "-d", str(site)], cwd=repo,
                   check=True, capture_output=True)
    for prefix in ("", "es/", "lt/", "ru/"):  # lt has no translation of it: the English stand-in
        page = (site / prefix / "getting-started" / "invite-your-team" / "index.html").read_text(encoding="utf-8")
        assert 'url=../../team/invite-people/"' in page and "location.hash" in page, prefix
        assert (site / prefix / "team" / "invite-people" / "index.html").is_file()
    assert "invite-your-team" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_rm_deletes_the_article_its_translations_and_the_nav_entry(repo: Path):
    proc = helpglot("rm", f"docs/{OLD}", cwd=repo)
    for lang in LANGS:
        assert f"deleted translations/{lang}/{OLD}" in proc.stdout
        assert not (repo / "translations" / lang / OLD).exists()
    assert not (repo / "docs" / OLD).exists()
    assert OLD not in (repo / "mkdocs.yml").read_text(encoding="utf-8")
    status = git(repo, "status", "--porcelain")
    assert f"D  docs/{OLD}" in status and f"D  translations/es/{OLD}" in status  # staged, like git rm
    states = records(repo)
    assert not [k for k, r in states.items() if r["state"] in ("orphaned", "error")]
    proc = helpglot("rm", f"docs/{OLD}", cwd=repo, check=False)
    assert proc.returncode != 0 and "nothing was deleted" in proc.stderr


def test_an_orphan_is_shown_in_the_pr_body_and_never_stops_the_languages_approval(repo: Path):
    """Issue 19, 5: after a plain `git rm` of the English, the es translation is an orphan; the
    Spanish pull request names it, and approving translations/es/ approves the rest."""
    git(repo, "rm", "-q", f"docs/{OLD}")
    body = helpglot("pr-body", "--lang", "es", cwd=repo).stdout
    assert "### Orphaned translations" in body and f"`translations/es/{OLD}`" in body
    proc = helpglot("approve", "--reviewer", "Ana", "translations/es/", cwd=repo, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"translations/es/{OLD}: skipped: its source" in proc.stdout + proc.stderr
    named = helpglot("approve", "--reviewer", "Ana", f"translations/es/{OLD}", cwd=repo, check=False)
    assert named.returncode != 0 and "no longer exists" in named.stderr
