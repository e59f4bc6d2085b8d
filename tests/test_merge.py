"""The translation merge driver on hand-made three-way cases: bookkeeping never conflicts,
block records follow the text they describe, and real conflicts in the text still show."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, MINI_MKDOCS
from helpglot.markdown.segment import parse
from helpglot.review.merge import merge_text
from helpglot.tracking import provenance
from helpglot.tracking.fingerprint import of_text
from helpglot.tracking.provenance import BlockRecord, Pending, Provenance

BODY = "# Título\n\nPrimer párrafo.\n\nSegundo párrafo.\n\nTercer párrafo.\n"
H = ["a" * 12, "b" * 12, "c" * 12, "d" * 12, "e" * 12]  # title, heading, three paragraphs


def translation(body: str = BODY, records: list[BlockRecord] | None = None, **fields) -> str:
    doc = parse("---\ntitle: Guía\n---\n\n" + body)
    records = records or [BlockRecord(h, "reviewed") for h in H]
    return provenance.write(doc, Provenance("guide.md", tuple(records), **fields))


def read(text: str) -> Provenance:
    prov = provenance.read(parse(text))
    assert prov is not None
    return prov


def test_different_paragraphs_with_different_bookkeeping_merge_cleanly():
    base = translation(synced=dt.date(2026, 1, 1))
    # ours: a translator rewrote paragraph 1 and approved it (new hash, reviewed, reviewer)
    ours = translation(BODY.replace("Primer párrafo.", "El primer párrafo."),
                       [BlockRecord(H[0], "reviewed"), BlockRecord(H[1], "reviewed"), BlockRecord("1" * 12, "reviewed"),
                        BlockRecord(H[3], "reviewed"), BlockRecord(H[4], "reviewed")],
                       synced=dt.date(2026, 2, 1), reviewer="Ana", reviewed=dt.date(2026, 2, 1))
    # theirs: a sync re-drafted paragraph 3 (machine) and kept the previous translation
    theirs = translation(BODY.replace("Tercer párrafo.", "[Draft three]"),
                         [BlockRecord(H[0], "reviewed"), BlockRecord(H[1], "reviewed"), BlockRecord(H[2], "reviewed"),
                          BlockRecord(H[3], "reviewed"), BlockRecord("3" * 12, "machine", "deepl")],
                         synced=dt.date(2026, 3, 1),
                         pending=(Pending("3" * 12, H[4], previous="Tercer párrafo."),))
    merged, clean = merge_text(base, ours, theirs)
    assert clean and "<<<<<<<" not in merged
    assert "El primer párrafo." in merged and "[Draft three]" in merged
    prov = read(merged)
    assert [r.line() for r in prov.blocks] == [f"{H[0]} reviewed", f"{H[1]} reviewed", f"{'1' * 12} reviewed",
                                               f"{H[3]} reviewed", f"{'3' * 12} machine deepl"]
    assert prov.synced == dt.date(2026, 3, 1) and prov.reviewer == "Ana" and prov.engine == "deepl"
    assert prov.pending == (Pending("3" * 12, H[4], previous="Tercer párrafo."),)
    # the fingerprint vouches for the merged text, whatever either side had
    without = "".join(line for line in merged.splitlines(keepends=True) if not line.startswith("  fingerprint:"))
    assert prov.fingerprint and prov.fingerprint == of_text(without)


def test_an_approval_on_one_side_removes_the_pending_entry_the_other_side_still_has():
    entry = Pending("3" * 12, H[4], previous="Tercer párrafo.")
    drafted = [BlockRecord(h, "reviewed") for h in H[:4]] + [BlockRecord("3" * 12, "machine", "deepl")]
    base = translation(BODY.replace("Tercer párrafo.", "[Draft three]"), drafted, pending=(entry,))
    approved = translation(BODY.replace("Tercer párrafo.", "Tercer párrafo, revisado."),
                           drafted[:4] + [BlockRecord("3" * 12, "reviewed")], reviewer="Ana")
    other = translation(BODY.replace("Segundo párrafo.", "Segundo, editado.")
                        .replace("Tercer párrafo.", "[Draft three]"),
                        drafted[:3] + [BlockRecord("9" * 12, "reviewed")] + drafted[4:], pending=(entry,))
    merged, clean = merge_text(base, approved, other)
    assert clean
    prov = read(merged)
    assert prov.pending == () and prov.blocks[4].status == "reviewed" and prov.blocks[3].hash == "9" * 12


def test_the_same_sentence_changed_on_both_sides_is_a_conflict_a_person_resolves():
    base = translation()
    ours = translation(BODY.replace("Segundo párrafo.", "Segundo (Ana)."))
    theirs = translation(BODY.replace("Segundo párrafo.", "Segundo (Luis)."))
    merged, clean = merge_text(base, ours, theirs)
    assert not clean
    assert "<<<<<<<" in merged and "Segundo (Ana)." in merged and "Segundo (Luis)." in merged
    assert merged.count("helpglot:") == 1  # bookkeeping itself is not part of the conflict


def test_git_runs_the_driver(tmp_path: Path):
    """git merge with the driver configured as `helpglot git-setup` does it."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@x", *args], cwd=tmp_path,
                              capture_output=True, text=True)

    (tmp_path / "mkdocs.yml").write_text(MINI_MKDOCS, encoding="utf-8")  # git-setup reads translations_dir
    (tmp_path / "docs").mkdir()
    page = tmp_path / "translations" / "es" / "guide.md"
    page.parent.mkdir(parents=True)
    page.write_text(translation(synced=dt.date(2026, 1, 1)), encoding="utf-8")
    git("init", "-q", "-b", "main")
    subprocess.run([str(BIN / "helpglot"), "git-setup"], cwd=tmp_path, check=True, capture_output=True)
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "side")
    page.write_text(translation(BODY.replace("Primer párrafo.", "Uno."), synced=dt.date(2026, 2, 1)),
                    encoding="utf-8")
    git("commit", "-qam", "side")
    git("checkout", "-q", "main")
    page.write_text(translation(BODY.replace("Tercer párrafo.", "Tres."), synced=dt.date(2026, 3, 1)),
                    encoding="utf-8")
    git("commit", "-qam", "main")
    proc = git("merge", "--no-edit", "side")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = page.read_text(encoding="utf-8")
    assert "Uno." in text and "Tres." in text and read(text).synced == dt.date(2026, 3, 1)


@pytest.mark.parametrize("interpreter", ["present", "gone"])
def test_a_driver_that_cannot_run_leaves_conflict_markers_not_ours(tmp_path, interpreter) -> None:
    """Issue 19, 6: when the interpreter git-setup wrote into the config is gone (a rebuilt
    virtualenv), git used to keep "ours" without a conflict; now git merge-file marks it."""
    import subprocess
    import sys

    from helpglot.review import branch

    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=check)

    git("init", "-q", "-b", "main")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "T")
    driver = branch.DRIVER if interpreter == "present" else branch.DRIVER.replace(sys.executable,
                                                                                  "/nonexistent/bin/python")
    branch.setup(repo, driver)
    page = repo / "translations" / "es" / "a.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Título\n\nUn párrafo.\n", encoding="utf-8")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "other")
    page.write_text("# Título\n\nUn párrafo, de Lucía.\n", encoding="utf-8")
    git("commit", "-qam", "theirs")
    git("checkout", "-q", "main")
    page.write_text("# Título\n\nUn párrafo, de Ana.\n", encoding="utf-8")
    git("commit", "-qam", "ours")
    merged = git("merge", "-q", "--no-edit", "other", check=False)
    text = page.read_text(encoding="utf-8")
    assert merged.returncode != 0  # a real conflict either way
    assert "<<<<<<<" in text and "de Lucía" in text and "de Ana" in text  # never "ours" silently


def test_git_setup_chooses_how_git_pull_joins_unless_the_person_did(tmp_path) -> None:
    """git >= 2.27 refuses `git pull` on divergent branches until pull.rebase is set."""
    import subprocess

    from helpglot.review import branch

    def config(repo, *args):
        return subprocess.run(["git", "-C", str(repo), "config", *args], capture_output=True, text=True)

    for preset in (None, "true"):
        repo = tmp_path / f"repo-{preset}"
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        if preset:
            config(repo, "pull.rebase", preset)
        branch.setup(repo)
        assert config(repo, "--get", "pull.rebase").stdout.strip() == (preset or "false")
