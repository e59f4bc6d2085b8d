"""`helpglot status`, `adopt` and `ack` run for real on temporary copies of the sample
help center (a git repository where dates matter): which blocks a source edit makes
stale, what bookkeeping changes in a translation, and how bad input is reported."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import block_no, copy_sample, edit, helpglot

ARTICLE = "getting-started/invite-your-team.md"
SOURCE = f"docs/{ARTICLE}"
TRACKED = ("es", "ro", "ru")  # the sample languages that translate ARTICLE
INTRO = "Invite your colleagues and your accountant so everyone works from the same numbers."
TABLE_INTRO = "This table summarizes the most common permissions:"
REMOVED = "When you remove a user, the invoices, quotes and expenses they created stay"
OLD = "2020-01-01T12:00:00+0000"  # before every `synced:` date in the sample
TODAY = dt.date.today()
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# ---- helpers ------------------------------------------------------------------------


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    proc = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@x", "-c", "commit.gpgsign=false",
         *args], cwd=root, env=env, capture_output=True, text=True, check=True,
    )
    return proc.stdout


def commit(root: Path, message: str, date: str = OLD) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, date=date)


def stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T12:00:00+0000"


def sample_repo(tmp_path: Path) -> Path:
    """The sample help center, committed once with an old date."""
    root = copy_sample(tmp_path)
    git(root, "init", "-q")
    commit(root, "init")
    return root




def status(root: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    proc = helpglot("status", "--json", *args, cwd=root, check=False)
    return proc, json.loads(proc.stdout) if proc.stdout.strip() else []


def record(records: list[dict], source: str, lang: str) -> dict:
    found = [r for r in records if r["source"] == source and r["lang"] == lang]
    assert len(found) == 1, (source, lang, found)
    return found[0]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "translations").rglob("*")) if p.is_file()}


def split_front_matter(text: str) -> tuple[list[str], str]:
    """(front-matter lines, everything after the closing ---)."""
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return text[4:end].split("\n"), text[end:]


# ---- source edits ---------------------------------------------------------------------


def test_baseline_every_sample_translation_is_up_to_date_or_missing(tmp_path: Path):
    root = sample_repo(tmp_path)
    proc, records = status(root, "--fail-on", "stale,unaligned,error,untracked")
    assert proc.returncode == 0, proc.stderr
    assert {r["state"] for r in records} == {"up-to-date", "missing"}
    for r in records:
        assert {"source", "lang", "path", "state", "stale_blocks"} <= r.keys()


def test_editing_one_paragraph_makes_exactly_that_block_stale_since_the_commit(tmp_path: Path):
    root = sample_repo(tmp_path)
    edited = TODAY - dt.timedelta(days=3)
    n = block_no(root, SOURCE, INTRO)
    edit(root / SOURCE, "so everyone works", "so that everybody works")
    commit(root, "reword intro", stamp(edited))

    proc, records = status(root)
    assert proc.returncode == 0, proc.stderr
    for lang in TRACKED:
        r = record(records, ARTICLE, lang)
        assert r["state"] == "stale", r
        assert r["stale_blocks"] == [n]
        assert r["stale_count"] == 1
        assert r["changes"] == [{"kind": "changed", "source_block": n, "translation_block": n}]
        assert DATE.match(r["since"]) and r["since"] == edited.isoformat()
    assert record(records, "getting-started/create-your-account.md", "es")["state"] == "up-to-date"


def test_the_table_lists_the_most_urgent_first_and_counts_the_rest(tmp_path: Path):
    """The readable table puts stale translations above missing ones and stops at --limit,
    counting what it leaves out; --json still has every record."""
    root = sample_repo(tmp_path)
    n = block_no(root, SOURCE, INTRO)
    edit(root / SOURCE, "so everyone works", "so that everybody works")
    commit(root, "reword intro", stamp(TODAY))
    _proc, records = status(root)
    missing = sum(r["state"] == "missing" for r in records)
    assert missing > 3
    text = helpglot("status", "--limit", "4", cwd=root).stdout
    rows = [line for line in text.splitlines() if line.startswith("│") and "translations/" in line]
    assert [row.split("│")[2].strip() for row in rows] == ["stale", "stale", "stale", "missing"]
    assert f"block {n} of " in rows[0] and f"(stale since {TODAY.isoformat()})" in rows[0]
    assert f"... and {missing - 1} more ({missing - 1} missing): --limit 0 lists them all" in text
    everything = helpglot("status", "--limit", "0", cwd=root).stdout
    assert sum("translations/" in line for line in everything.splitlines()) == 3 + missing
    assert "more (" not in everything


def test_whitespace_only_edit_makes_nothing_stale(tmp_path: Path):
    root = sample_repo(tmp_path)
    text = (root / SOURCE).read_text(encoding="utf-8")
    text = text.replace("your accountant so everyone", "your accountant\nso  everyone")
    text = text.replace("## Choose a role\n", "## Choose a role   \n\n")
    text = text.replace("stay in the workspace. Their", "stay in the workspace.   Their")
    assert text != (root / SOURCE).read_text(encoding="utf-8")
    (root / SOURCE).write_text(text, encoding="utf-8")
    commit(root, "rewrap", stamp(TODAY))

    proc, records = status(root, ARTICLE, "--fail-on", "stale,unaligned")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [r["state"] for r in records if r["lang"] in TRACKED] == ["up-to-date"] * 3


def test_inserting_a_paragraph_makes_only_it_to_translate(tmp_path: Path):
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "## Choose a role\n", "Roles can be changed later.\n\n## Choose a role\n")
    commit(root, "insert", stamp(TODAY))
    n = block_no(root, SOURCE, "Roles can be changed later.")

    proc, records = status(root, ARTICLE)
    assert proc.returncode == 0, proc.stderr
    for lang in TRACKED:
        r = record(records, ARTICLE, lang)
        assert r["state"] == "stale", r  # not "unaligned", not everything after it
        assert r["stale_blocks"] == [n]
        assert r["changes"] == [{"kind": "inserted", "source_block": n, "translation_block": None}]
        assert "inserted" in r["message"]


def test_deleting_a_paragraph_is_a_deletion_with_nothing_to_translate(tmp_path: Path):
    root = sample_repo(tmp_path)
    m = block_no(root, f"translations/es/{ARTICLE}", "Esta tabla resume")
    assert m == block_no(root, SOURCE, TABLE_INTRO)
    edit(root / SOURCE, TABLE_INTRO + "\n\n", "")
    commit(root, "delete", stamp(TODAY))

    proc, records = status(root, ARTICLE)
    assert proc.returncode == 0, proc.stderr
    for lang in TRACKED:
        r = record(records, ARTICLE, lang)
        assert r["state"] == "stale", r
        assert r["stale_blocks"] == []
        assert r["changes"] == [{"kind": "deleted", "source_block": None, "translation_block": m}]
        assert "deleted" in r["message"]


def test_moving_a_paragraph_is_reported_as_moved_not_as_new_text(tmp_path: Path):
    root = sample_repo(tmp_path)
    old = block_no(root, SOURCE, REMOVED)
    text = (root / SOURCE).read_text(encoding="utf-8")
    para = next(p for p in text.split("\n\n") if p.startswith(REMOVED))
    text = text.replace(para + "\n\n", "").replace("## Choose a role\n", f"## Choose a role\n\n{para}\n")
    (root / SOURCE).write_text(text, encoding="utf-8")
    commit(root, "move", stamp(TODAY))
    new = block_no(root, SOURCE, REMOVED)
    assert new < old

    proc, records = status(root, ARTICLE)
    for lang in TRACKED:
        r = record(records, ARTICLE, lang)
        assert r["changes"] == [{"kind": "moved", "source_block": new, "translation_block": old}]
        assert r["stale_blocks"] == [] and r["stale_count"] == 0
        assert "moved" in r["message"]


def test_renaming_the_source_orphans_the_old_translation_and_the_new_one_is_missing(
    tmp_path: Path,
):
    root = sample_repo(tmp_path)
    new_rel = "getting-started/invite-people.md"
    git(root, "mv", SOURCE, f"docs/{new_rel}")
    commit(root, "rename", stamp(TODAY))

    proc, records = status(root)
    assert proc.returncode == 0, proc.stderr
    for lang in TRACKED:
        orphan = record(records, ARTICLE, lang)
        assert orphan["state"] == "orphaned"
        assert orphan["path"] == f"translations/{lang}/{ARTICLE}"
        assert f"renamed to docs/{new_rel}; run `helpglot mv {ARTICLE} {new_rel}`" in orphan["message"]
        missing = record(records, new_rel, lang)
        assert missing["state"] == "missing"
        assert missing["path"] == f"translations/{lang}/{new_rel}"
    gate = helpglot("status", "--fail-on", "orphaned", cwd=root, check=False)
    assert gate.returncode == 1


def test_an_inserted_heading_next_to_an_edited_paragraph_is_not_taken_for_the_edit(
    tmp_path: Path,
):
    """The edited paragraph pairs with the old paragraph; acknowledging it leaves only
    the new heading to translate (not an unaligned translation)."""
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "## Resend or cancel an invitation\n\nIf the invitation email got lost",
         "## Resend or cancel an invitation\n\n## Lost invitations\n\nIf the invitation e-mail "
         "got lost")
    commit(root, "heading + typo", stamp(TODAY))
    heading = block_no(root, SOURCE, "Lost invitations")
    para = block_no(root, SOURCE, "If the invitation e-mail")
    assert para == heading + 1

    _, records = status(root, ARTICLE, "--lang", "es")
    r = record(records, ARTICLE, "es")
    assert r["stale_blocks"] == [heading, para]
    assert r["changes"] == [
        {"kind": "inserted", "source_block": heading, "translation_block": None},
        {"kind": "changed", "source_block": para, "translation_block": heading},
    ]
    helpglot("ack", SOURCE, cwd=root)
    _, records = status(root, ARTICLE, "--lang", "es")
    r = record(records, ARTICLE, "es")
    assert r["state"] == "stale", r["message"]
    assert r["stale_blocks"] == [heading]


# ---- ack -----------------------------------------------------------------------------


def test_ack_records_a_typo_fix_without_touching_any_translation_text(tmp_path: Path):
    root = sample_repo(tmp_path)
    n = block_no(root, SOURCE, INTRO)
    edit(root / SOURCE, "numbers. Each person gets their own login", "numbers. Each person gets "
         "their own log-in")
    commit(root, "typo", stamp(TODAY))
    before = snapshot(root)

    proc = helpglot("ack", SOURCE, cwd=root)
    for lang in TRACKED:
        assert f"translations/{lang}/{ARTICLE}: acknowledged block(s) {n}" in proc.stdout

    _, records = status(root, ARTICLE)
    assert [record(records, ARTICLE, lang)["state"] for lang in TRACKED] == ["up-to-date"] * 3
    after = snapshot(root)
    changed = {k for k in after if after[k] != before[k]}
    assert changed == {f"translations/{lang}/{ARTICLE}" for lang in TRACKED}
    for name in changed:
        old_fm, old_body = split_front_matter(before[name].decode("utf-8"))
        new_fm, new_body = split_front_matter(after[name].decode("utf-8"))
        assert new_body == old_body  # the translation's text, byte for byte
        assert len(new_fm) == len(old_fm)
        diff = [(a, b) for a, b in zip(old_fm, new_fm, strict=True) if a != b]
        entry = old_fm.index("  blocks:") + n  # the n-th "  - hash status" line
        assert (old_fm[entry], new_fm[entry]) in diff
        for a, b in diff:
            assert (a.startswith("  - ") and b.startswith("  - ")) or (
                a.startswith("  synced: ") and b == f"  synced: {TODAY.isoformat()}"
            ), (a, b)


def test_ack_block_acknowledges_only_that_block(tmp_path: Path):
    root = sample_repo(tmp_path)
    first = block_no(root, SOURCE, INTRO)
    second = block_no(root, SOURCE, TABLE_INTRO)
    edit(root / SOURCE, "everyone works", "everybody works")
    edit(root / SOURCE, TABLE_INTRO, "This table summarises the most common permissions:")
    commit(root, "two edits", stamp(TODAY))

    helpglot("ack", ARTICLE, "--block", str(second), cwd=root)
    _, records = status(root, ARTICLE)
    for lang in TRACKED:
        assert record(records, ARTICLE, lang)["stale_blocks"] == [first]


def test_ack_refuses_a_block_that_is_new_in_the_source_and_changes_nothing(tmp_path: Path):
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "everyone works", "everybody works")
    edit(root / SOURCE, "## Choose a role\n", "Roles can be changed later.\n\n## Choose a role\n")
    commit(root, "edit + insert", stamp(TODAY))
    new = block_no(root, SOURCE, "Roles can be changed later.")
    before = snapshot(root)

    proc = helpglot("ack", SOURCE, "--block", str(new), cwd=root, check=False)
    assert proc.returncode != 0
    assert f"--block {new}" in proc.stderr and "new in the source" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(root) == before

    proc = helpglot("ack", SOURCE, "--block", "999", cwd=root, check=False)
    assert proc.returncode != 0 and "--block 999" in proc.stderr
    assert snapshot(root) == before


def test_ack_keeps_a_byte_order_mark(tmp_path: Path):
    """A translation saved with a UTF-8 BOM keeps it: only provenance lines change."""
    root = sample_repo(tmp_path)
    rel = f"translations/es/{ARTICLE}"
    (root / rel).write_bytes(b"\xef\xbb\xbf" + (root / rel).read_bytes())
    edit(root / SOURCE, TABLE_INTRO, "This table summarises the most common permissions:")
    commit(root, "typo", stamp(TODAY))
    before = (root / rel).read_bytes()

    helpglot("ack", SOURCE, cwd=root)
    after = (root / rel).read_bytes()
    assert after.startswith(b"\xef\xbb\xbf---\n")
    changed = [(a, b) for a, b in zip(before.split(b"\n"), after.split(b"\n"), strict=True)
               if a != b]
    assert changed and all(a.startswith((b"  - ", b"  synced: ")) for a, _ in changed)


# ---- adopt ---------------------------------------------------------------------------


def test_adopt_records_an_aligned_untracked_translation_as_reviewed(mini):
    root = mini.root
    git(root, "init", "-q")
    git(root, "config", "user.name", "Ana García")
    commit(root, "init")
    original = (root / "translations/es/guide.md").read_text(encoding="utf-8")
    _, records = status(root, "--lang", "es")
    assert record(records, "guide.md", "es")["state"] == "untracked"

    proc = helpglot("adopt", "translations/es/guide.md", cwd=root)
    assert "translations/es/guide.md" in proc.stdout

    _, records = status(root, "--lang", "es")
    assert record(records, "guide.md", "es")["state"] == "up-to-date"
    text = (root / "translations/es/guide.md").read_text(encoding="utf-8")
    assert "  reviewer: Ana García\n" in text
    assert f"  reviewed: {TODAY.isoformat()}\n" in text
    # only provenance lines were added: the original lines are all there, in order
    assert [line for line in text.splitlines() if line in original.splitlines()] == \
        original.splitlines()
    assert text.endswith(split_front_matter(original)[1])

    helpglot("adopt", "--force", "--reviewer", "Iker Ruiz", "translations/es/guide.md", cwd=root)
    assert "  reviewer: Iker Ruiz\n" in (root / "translations/es/guide.md").read_text("utf-8")


def test_adopt_refuses_a_misaligned_translation_and_changes_no_file(mini):
    root = mini.root
    # the heading is a level-1 heading in the translation, a paragraph in the source
    mini("translations/es/index.md", "---\ntitle: Inicio\n---\n\n# Bienvenido\n")
    before = snapshot(root)

    proc = helpglot("adopt", "translations/es/guide.md", "translations/es/index.md",
                    cwd=root, check=False)
    assert proc.returncode != 0
    assert "translations/es/index.md:5:" in proc.stderr
    assert "level-1 heading" in proc.stderr and "paragraph" in proc.stderr
    assert "docs/index.md:5" in proc.stderr
    assert "nothing was changed" in proc.stderr
    after = snapshot(root)
    # per file: index.md is refused and untouched, guide.md aligns and is adopted all the same
    assert after["translations/es/index.md"] == before["translations/es/index.md"]
    assert b"helpglot:" in after["translations/es/guide.md"] and b"helpglot:" not in before["translations/es/guide.md"]
    assert "refused 1 translation(s)" in proc.stderr and "adopted 1 translation(s)" in proc.stdout


def test_adopt_names_the_line_where_a_shorter_translation_ends(mini):
    root = mini.root
    mini("docs/guide.md", "---\ntitle: Guide\n---\n\n## Set up\n\nDo this.\n\nThen that.\n")
    before = snapshot(root)
    proc = helpglot("adopt", "translations/es", cwd=root, check=False)
    assert proc.returncode != 0
    assert "translations/es/guide.md:7:" in proc.stderr  # its last block, "Haz esto."
    assert "docs/guide.md:9" in proc.stderr  # the source block it lacks
    assert snapshot(root) == before


# ---- gates and policy ----------------------------------------------------------------


def test_fail_on_stale_exits_1_only_when_something_is_stale(tmp_path: Path):
    root = sample_repo(tmp_path)
    assert helpglot("status", "--fail-on", "stale", cwd=root, check=False).returncode == 0
    edit(root / SOURCE, "everyone works", "everybody works")
    commit(root, "edit", stamp(TODAY))
    proc = helpglot("status", "--fail-on", "stale", cwd=root, check=False)
    assert proc.returncode == 1
    assert "3 translation(s) in state(s) stale" in proc.stderr
    bad = helpglot("status", "--fail-on", "stail", cwd=root, check=False)
    assert bad.returncode == 2 and "unknown state(s) stail" in bad.stderr


def test_fail_on_stale_days_policy_fails_with_the_setting_named(tmp_path: Path):
    """ru has fail_on_stale_days: 30 in the sample's mkdocs.yml; es has no policy."""
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "everyone works", "everybody works")
    commit(root, "recent edit", stamp(TODAY - dt.timedelta(days=2)))
    assert helpglot("status", "--lang", "ru", cwd=root, check=False).returncode == 0

    git(root, "reset", "-q", "--hard", "HEAD~1")
    edit(root / SOURCE, "everyone works", "everybody works")
    old = TODAY - dt.timedelta(days=45)
    commit(root, "old edit", stamp(old))
    proc = helpglot("status", "--lang", "ru", cwd=root, check=False)
    assert proc.returncode == 1
    assert "plugins.helpglot.languages.ru.fail_on_stale_days" in proc.stderr
    assert f"translations/ru/{ARTICLE}" in proc.stderr and old.isoformat() in proc.stderr
    _, records = status(root)
    assert record(records, ARTICLE, "ru")["policy_failed"] is True
    assert record(records, ARTICLE, "es")["policy_failed"] is False
    assert helpglot("status", "--lang", "es", cwd=root, check=False).returncode == 0


def test_stale_since_is_the_first_change_after_the_sync_not_the_last(tmp_path: Path):
    """A writer who keeps editing must not reset the fail_on_stale_days clock."""
    root = sample_repo(tmp_path)
    edit(root / f"translations/ru/{ARTICLE}", "  synced: 2026-11-22", "  synced: 2020-06-01")
    commit(root, "old ru sync")
    first = TODAY - dt.timedelta(days=60)
    edit(root / SOURCE, "everyone works", "everybody works")
    commit(root, "first edit", stamp(first))
    edit(root / SOURCE, TABLE_INTRO, "This table summarises the most common permissions:")
    commit(root, "second edit", stamp(TODAY))

    proc, records = status(root, "--lang", "ru")
    r = record(records, ARTICLE, "ru")
    assert r["since"] == first.isoformat()
    assert r["source_updated"] == TODAY.isoformat()
    assert r["policy_failed"] is True
    assert proc.returncode == 1


def test_policy_without_git_uses_the_files_modification_time(tmp_path: Path):
    root = copy_sample(tmp_path)  # no git at all
    edit(root / SOURCE, "everyone works", "everybody works")
    now = time.time()  # this process's clock, which status reads too (the file system's may differ)
    os.utime(root / SOURCE, (now, now))
    assert helpglot("status", "--lang", "ru", cwd=root, check=False).returncode == 0
    old = (dt.datetime.now() - dt.timedelta(days=40)).timestamp()
    os.utime(root / SOURCE, (old, old))
    proc = helpglot("status", "--lang", "ru", cwd=root, check=False)
    assert proc.returncode == 1
    assert "fail_on_stale_days" in proc.stderr


# ---- bad input -----------------------------------------------------------------------


def _broken_front_matter(root: Path) -> tuple[str, int]:
    rel = "translations/es/integrations/bank-feeds.md"
    edit(root / rel, "title: Configurar una conexión", "title: Configurar: una conexión")
    return rel, 2


def _unclosed_fence(root: Path) -> tuple[str, int]:
    rel = "docs/troubleshooting/cannot-sign-in.md"
    text = (root / rel).read_text(encoding="utf-8")
    (root / rel).write_text(text + "\n```bash\necho hi\n", encoding="utf-8")
    return rel, text.count("\n") + 2


def _not_utf8(root: Path) -> tuple[str, int]:
    rel = "translations/ro/getting-started/index.md"
    raw = (root / rel).read_bytes()
    (root / rel).write_bytes(raw + b"\nCaf\xe9 latin-1\n")
    return rel, raw.count(b"\n") + 2


def _provenance_names_missing_blocks(root: Path) -> tuple[str, int]:
    rel = f"translations/es/{ARTICLE}"
    text = (root / rel).read_text(encoding="utf-8")
    fm, _ = split_front_matter(text)
    last = max(i for i, line in enumerate(fm) if line.startswith("  - "))
    edit(root / rel, fm[last] + "\n---\n", fm[last] + "\n  - 0123456789ab reviewed\n---\n")
    return rel, last + 3  # 1-based, after the opening ---


def _malformed_provenance_entry(root: Path) -> tuple[str, int]:
    rel = f"translations/es/{ARTICLE}"
    fm, _ = split_front_matter((root / rel).read_text(encoding="utf-8"))
    second = [i for i, line in enumerate(fm) if line.startswith("  - ")][1]
    edit(root / rel, fm[second] + "\n", "  - not-a-hash reviewed\n")
    return rel, second + 2


@pytest.mark.parametrize("breaker", [
    _broken_front_matter, _unclosed_fence, _not_utf8, _provenance_names_missing_blocks,
    _malformed_provenance_entry,
], ids=lambda f: f.__name__.strip("_"))
def test_bad_input_is_one_clear_message_and_status_goes_on(tmp_path: Path, breaker):
    root = sample_repo(tmp_path)
    _, baseline = status(root)
    rel, line = breaker(root)

    proc, records = status(root)
    assert proc.returncode == 2, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert errors == [errors[0]], "one message, even when every language hits it"
    assert f"{rel}:{line}:" in errors[0]
    assert "Traceback" not in proc.stderr
    # every other (article, language) is still assessed and reported
    assert len(records) == len(baseline)
    bad = [r for r in records if r["state"] == "error"]
    assert bad and all(f"{rel}:{line}:" in r["message"] for r in bad)
    good = [r for r in records if r["state"] != "error"]
    assert good and {r["state"] for r in good} == {"up-to-date", "missing"}
    # the human-readable table keeps going too
    table = helpglot("status", cwd=root, check=False)
    assert table.returncode == 2 and "Translation status" in table.stdout


def test_unknown_language_is_an_error_naming_the_setting(tmp_path: Path):
    root = sample_repo(tmp_path)
    proc = helpglot("status", "--lang", "xx", cwd=root, check=False)
    assert proc.returncode == 2
    assert "--lang xx" in proc.stderr and "plugins.i18n.languages" in proc.stderr
    assert "es, ro, tr, ru, lt" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_machine_blocks_are_reported(tmp_path: Path):
    root = sample_repo(tmp_path)
    rel = f"translations/es/{ARTICLE}"
    fm, _ = split_front_matter((root / rel).read_text(encoding="utf-8"))
    third = [i for i, line in enumerate(fm) if line.startswith("  - ")][2]
    edit(root / rel, fm[third] + "\n", fm[third].replace("reviewed", "machine deepl") + "\n")
    _, records = status(root, ARTICLE, "--lang", "es")
    r = record(records, ARTICLE, "es")
    assert r["state"] == "machine" and r["machine_blocks"] == [3]


# ---- HTML report ---------------------------------------------------------------------


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, str] = {}
        self.langs: list[str] = []
        self.sections: dict[str, bool] = {}  # section -> shown open

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and "data-state" in a:
            assert a["href"] not in self.cells, f"two cells link to {a['href']}"
            self.cells[a["href"] or ""] = a["data-state"] or ""
        if tag == "tr" and "data-lang" in a:
            self.langs.append(a["data-lang"] or "")
        if tag == "details" and "data-section" in a:
            self.sections[a["data-section"] or ""] = "open" in a


def test_html_report_has_each_language_and_a_cell_per_article_and_language(tmp_path: Path):
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "everyone works", "everybody works")
    commit(root, "edit", stamp(TODAY))
    report = tmp_path / "out" / "status.html"

    proc, records = status(root, "--html", str(report))
    assert proc.returncode == 0, proc.stderr
    parser = _Cells()
    parser.feed(report.read_text(encoding="utf-8"))
    assert parser.langs == ["es", "ro", "tr", "ru", "lt"]
    assert len(parser.cells) == len(records)
    for r in records:
        stem = r["source"][: -len(".md")]
        page = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index")
                                           else stem + "/")
        href = f"https://help.tallybird.com/{r['lang']}/{page}"
        assert parser.cells.get(href) == r["state"], (href, r["state"])
    assert parser.cells[f"https://help.tallybird.com/es/{ARTICLE[:-3]}/"] == "stale"
    # grouped by section: those with something to do are open, the all-green one is not
    assert parser.sections == {"(top level)": False, "account-and-billing": True, "getting-started": True,
                               "integrations": True, "troubleshooting": True}
    assert "3 stale" in report.read_text(encoding="utf-8")  # (in getting-started's summary)


def test_adopt_skips_tracked_translations_unless_forced(tmp_path):
    root = copy_sample(tmp_path)
    path = root / "translations" / "es" / "getting-started" / "index.md"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.endswith(" reviewed"))
    lines[first] = lines[first].replace("reviewed", "machine deepl")
    path.write_text("\n".join(lines), encoding="utf-8")
    proc = helpglot("adopt", "translations/es/getting-started/index.md", cwd=root)
    assert "already tracked, skipped" in proc.stdout
    assert "machine deepl" in path.read_text(encoding="utf-8"), "a machine block must not become reviewed"
    helpglot("adopt", "--force", "--reviewer", "Ana", "translations/es/getting-started/index.md", cwd=root)
    new = path.read_text(encoding="utf-8")
    assert "machine" not in new and "reviewer: Ana" in new


def test_status_cache_gives_the_same_answers_and_sees_edits(tmp_path):
    root = copy_sample(tmp_path)
    cold = helpglot("status", "--json", "--no-cache", cwd=root).stdout
    helpglot("status", "--json", cwd=root)  # fills .helpglot/status-cache.json
    cache = root / ".helpglot" / "status-cache.json"
    assert cache.is_file()
    full = cache.read_bytes()
    # a status of one article or one language keeps what the cache knows of the others
    helpglot("status", "--json", "--lang", "es", "docs/getting-started/create-your-account.md", cwd=root)
    assert cache.read_bytes() == full
    # a warm run with every answer from the cache does not write it again
    stamp = cache.stat().st_mtime_ns, cache.stat().st_ino
    assert helpglot("status", "--json", cwd=root).stdout == cold
    assert (cache.stat().st_mtime_ns, cache.stat().st_ino) == stamp
    source = root / "docs" / "getting-started" / "create-your-account.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("## ", "## Now ", 1), encoding="utf-8")
    warm = {(r["source"], r["lang"]): r["state"] for r in json.loads(helpglot("status", "--json", cwd=root,
                                                                              check=False).stdout)}
    assert warm[("getting-started/create-your-account.md", "es")] == "stale"


def test_ack_refuses_a_real_edit_next_to_a_comma_and_names_the_block(tmp_path: Path):
    root = sample_repo(tmp_path)
    edit(root / SOURCE, "The invitation is valid for 7 days.", "The invitation is valid for 14 days.")
    edit(root / SOURCE, "Click the three-dot menu next to the person's name.",
         "Click the three-dot menu, next to the person's name.")
    commit(root, "validity + comma", stamp(TODAY))
    before = snapshot(root)
    n = block_no(root, SOURCE, "The person receives an email")
    proc = helpglot("ack", SOURCE, cwd=root, check=False)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert f"block {n} (docs/getting-started/invite-your-team.md:21) is not a cosmetic edit: " \
           "its numbers changed (7 → 14)" \
        in proc.stderr
    assert snapshot(root) == before  # nothing written
    # the comma alone, for Spanish only: the number change stays stale everywhere
    comma = block_no(root, SOURCE, "Click the three-dot menu, next")
    helpglot("ack", SOURCE, "--block", str(comma), "--lang", "es", cwd=root)
    _, records = status(root, ARTICLE)
    assert record(records, ARTICLE, "es")["stale_blocks"] == [n]
    for lang in ("ro", "ru"):
        assert record(records, ARTICLE, lang)["stale_blocks"] == [n, comma]


def test_ack_acts_on_the_writers_own_last_edit_only(tmp_path: Path):
    root = sample_repo(tmp_path)
    real = block_no(root, SOURCE, INTRO)
    edit(root / SOURCE, "everyone works from the same numbers", "everyone works from one shared set of numbers")
    commit(root, "a real rewording", stamp(TODAY))
    edit(root / SOURCE, TABLE_INTRO, "This table summarises the most common permissions:")  # uncommitted typo fix
    typo = block_no(root, SOURCE, "This table summarises")
    proc = helpglot("ack", SOURCE, cwd=root)
    assert f"acknowledged block(s) {typo}" in proc.stdout and f"block(s) {real}" not in proc.stdout
    _, records = status(root, ARTICLE)
    for lang in TRACKED:
        assert record(records, ARTICLE, lang)["stale_blocks"] == [real]



def test_a_cache_is_data_never_code_and_a_committed_one_is_not_read(tmp_path: Path):
    """Issue 18, 2: a committed `.helpglot/status-cache.pickle` executed code in `status`, `build`
    and `mkdocs build`. The cache is JSON now (a pickle there is never opened), and a cache file
    git tracks is not trusted at all."""
    import pickle

    root = sample_repo(tmp_path)
    marker = tmp_path / "pwned"

    class Exec:
        def __reduce__(self):
            return (exec, (f"open({str(marker)!r}, 'w').write('ran')",))

    (root / ".helpglot").mkdir(exist_ok=True)
    (root / ".helpglot" / "status-cache.pickle").write_bytes(pickle.dumps((2, Exec())))
    cold = helpglot("status", "--json", "--no-cache", cwd=root, check=False).stdout
    assert helpglot("status", "--json", cwd=root, check=False).stdout == cold
    assert not marker.exists()
    # a JSON cache with lies in it, committed with `git add -f`: ignored
    cache = root / ".helpglot" / "status-cache.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    for record in data["records"].values():
        record["state"] = "up-to-date"
        record["message"] = "all good"
    cache.write_text(json.dumps(data), encoding="utf-8")
    git(root, "add", "-f", ".helpglot/status-cache.json")
    assert helpglot("status", "--json", cwd=root, check=False).stdout == cold
