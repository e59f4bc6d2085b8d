"""Every command under faults: read-only and immutable files, an OSError at write, symlink loops,
bad input. Each asserts the exit code, the message and that the tree is exactly as it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import block_no, copy_sample, edit, helpglot, mkdocs

WALK = "getting-started/invite-your-team.md"
WORDING = ("so everyone works", "so that everybody works")


def snapshot(root: Path) -> dict[str, str]:
    """Every file under docs/, translations/ and glossary/ (path -> sha256; links by their target)."""
    found = {}
    for top in ("docs", "translations", "glossary"):
        for dirpath, dirnames, filenames in os.walk(root / top):
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for name in filenames + [d for d in os.listdir(dirpath) if os.path.islink(os.path.join(dirpath, d))]:
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                if path.is_symlink():
                    found[rel] = "-> " + os.readlink(path)
                else:
                    found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def no_traceback(proc: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    (tmp_path / "repo").mkdir()
    return copy_sample(tmp_path / "repo")


@pytest.fixture
def immutable():
    """chattr +i (refused even to root); always undone, so pytest can delete the folder."""
    done: list[Path] = []

    def make(path: Path) -> None:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        done.append(path)

    yield make
    for path in done:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def stale_walkthrough(root: Path) -> list[Path]:
    edit(root / "docs" / WALK, *WORDING)
    return [root / "translations" / lang / WALK for lang in ("es", "ro", "ru")]


def ack_args(root: Path) -> list[str]:
    """ack of the walk-through's edit; no git here to tell the writer's own edit, so the block is named
    and --force vouches for it (as ack's message asks)."""
    return ["ack", "--force", "--block", str(block_no(root, f"docs/{WALK}", "Invite your colleagues")), f"docs/{WALK}"]


def test_ack_with_an_immutable_translation_changes_no_file(sample: Path, immutable) -> None:
    targets = stale_walkthrough(sample)
    immutable(targets[-1])  # the last one ack writes: before write sets, the others were already rewritten
    before = snapshot(sample)
    proc = helpglot(*ack_args(sample), cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode == 2
    assert f"translations/ru/{WALK}" in proc.stderr and "nothing was changed" in proc.stderr
    assert snapshot(sample) == before
    assert not [p for p in (sample / "translations").rglob("*.tmp")]
    assert not (sample / ".helpglot/journal.json").exists(), "rolled back in process: no journal left"


def test_ack_with_a_read_only_translation_says_so_and_changes_no_file(sample: Path) -> None:
    targets = stale_walkthrough(sample)
    targets[1].chmod(0o444)
    before = snapshot(sample)
    proc = helpglot(*ack_args(sample), cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode == 2 and "is read-only" in proc.stderr and "chmod u+w" in proc.stderr
    assert snapshot(sample) == before


def test_an_oserror_at_the_second_replace_rolls_back_the_first(sample: Path, monkeypatch) -> None:
    """ENOSPC injected into os.replace, in process: the file already replaced is put back."""
    from click.testing import CliRunner

    from helpglot import fsutil
    from helpglot.cli import main

    stale_walkthrough(sample)
    before = snapshot(sample)
    real = os.replace
    calls = []

    def failing(src, dst):
        if "/translations/" in str(dst):  # (the journal's own write is not one of the set)
            calls.append(dst)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(fsutil.os, "replace", failing)
    monkeypatch.chdir(sample)
    result = CliRunner().invoke(main, ack_args(sample))
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "nothing was changed" in result.output
    assert len(calls) >= 3  # two replaces and the roll-back of the first
    monkeypatch.setattr(fsutil.os, "replace", real)
    assert snapshot(sample) == before
    assert not [p for p in (sample / "translations").rglob("*.tmp")]


def test_approve_with_an_immutable_translation_changes_nothing(tmp_path: Path, immutable) -> None:
    (tmp_path / "repo").mkdir()
    root = copy_sample(tmp_path / "repo")
    lt = root / "translations/lt/getting-started/create-your-account.md"
    edit(root / "docs/getting-started/create-your-account.md", "Your workspace is ready. Next,",
         "Your workspace is ready now. Next,")
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", "getting-started/create-your-account.md", cwd=root)
    immutable(lt)
    before = snapshot(root)
    proc = helpglot("approve", "--reviewer", "Rūta", str(lt.relative_to(root)), cwd=root, check=False)
    no_traceback(proc)
    assert proc.returncode == 2 and "nothing was changed" in proc.stderr
    assert snapshot(root) == before


def make_loops(root: Path) -> None:
    es = root / "translations/es"
    os.symlink("..", es / "loop")
    os.symlink("self.md", es / "self.md")
    os.symlink("b.md", es / "a.md")
    os.symlink("a.md", es / "b.md")
    (root / "docs/self.md").write_text("# Self\n\nText.\n", encoding="utf-8")
    (root / "docs/a.md").write_text("# A\n\nText.\n", encoding="utf-8")


@pytest.mark.parametrize("command, codes", [
    (["status"], {0, 1, 2}), (["check"], {1}), (["languages"], {0}),
    (["translate", "--lang", "lt", "--engine", "pseudo", "--dry-run"], {0}),
])
def test_symlink_loops_crash_no_command(sample: Path, command: list[str], codes: set[int]) -> None:
    make_loops(sample)
    before = snapshot(sample)
    proc = helpglot(*command, cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode in codes, proc.stderr
    assert "loop/" not in proc.stdout  # a linked folder is not walked
    assert snapshot(sample) == before
    if command == ["check"]:
        assert "translations/es/self.md:1: error [safety] is a symbolic link (-> self.md)" in proc.stdout


def test_symlink_loops_do_not_crash_the_build(sample: Path) -> None:
    make_loops(sample)
    proc = mkdocs("build", "--site-dir", str(sample / "site"), cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert "translations/es/self.md is a symbolic link" in proc.stderr


def test_a_non_utf8_glossary_is_a_clear_error(sample: Path) -> None:
    (sample / "glossary/extra.yml").write_bytes("terms:\n  - en: café\n".encode("latin-1"))
    for command in (["check"], ["translate", "--lang", "lt", "--engine", "pseudo", "--dry-run"]):
        proc = helpglot(*command, cwd=sample, check=False)
        no_traceback(proc)
        assert proc.returncode != 0 and "glossary/extra.yml:2: not UTF-8 (byte 0xe9)" in proc.stderr


@pytest.mark.parametrize("glossary, message", [
    ("terms:\n  - en: 123\n", "needs a non-empty 'en' text"),
    ("terms:\n  - en: \"bank\u200bfeed\"\n", "ZERO WIDTH SPACE"),
    ("terms:\n  - en: invoice\n    translations: {es: \"fac\u202etura\"}\n", "RIGHT-TO-LEFT OVERRIDE"),
])
def test_bad_glossary_values_are_refused(sample: Path, glossary: str, message: str) -> None:
    (sample / "glossary/extra.yml").write_text(glossary, encoding="utf-8")
    proc = helpglot("check", cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode != 0 and message in proc.stderr and "glossary/extra.yml" in proc.stderr


@pytest.mark.parametrize("setting, message", [
    ("      messages: {es: {no_such_message: x}}\n",
     "plugins.helpglot.messages.es.no_such_message: unknown message key"),
    ("      languages: {ro: {fail_on_stale_days: -5}}\n", "fail_on_stale_days: -5 is negative"),
    ("      engines: {deepl: {server_url: 'http://[::1'}}\n",
     "engines.deepl.server_url: 'http://[::1' is not a valid URL"),
])
def test_bad_settings_are_config_errors(sample: Path, setting: str, message: str) -> None:
    cfg = sample / "mkdocs.yml"
    text = cfg.read_text(encoding="utf-8")
    text = text.replace("  - helpglot:\n", "  - helpglot:\n" + setting, 1)
    # the sample already has languages: keep one mapping by merging ro into it
    if "fail_on_stale_days: -5" in setting:
        text = text.replace(setting, "").replace("ro: {formality: prefer_more}", "ro: {formality: prefer_more, "
                                                                                  "fail_on_stale_days: -5}")
    cfg.write_text(text, encoding="utf-8")
    for command in (["status"], ["languages"]):
        proc = helpglot(*command, cwd=sample, check=False)
        no_traceback(proc)
        assert proc.returncode != 0 and message in proc.stderr, proc.stderr
    proc = mkdocs("build", "--site-dir", str(sample / "site"), cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode != 0 and message in proc.stderr


def test_a_temp_file_left_by_a_killed_run_is_cleaned_by_the_next_translate(sample: Path) -> None:
    left = sample / "translations/lt/getting-started/.create-your-account.md.abcd1234.tmp"
    left.write_text("half a file", encoding="utf-8")
    old = time.time() - 3600
    os.utime(left, (old, old))
    proc = helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=sample)
    assert not left.exists()
    assert "left by a run that was killed" in proc.stderr


def test_a_second_translate_waits_for_the_first(sample: Path) -> None:
    """The lock is held by another process; the second run says it waits, then runs."""
    lock = sample / ".helpglot/translate.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(lock)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, str(os.getpid()).encode())\n"
        "print('locked', flush=True); time.sleep(3)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        proc = helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=sample)
        assert f"waiting for another `helpglot translate` (pid {holder.pid})" in proc.stderr
        assert time.monotonic() - started >= 1.0  # it waited for the holder to let go
    finally:
        holder.wait(timeout=30)


def test_translate_does_not_overwrite_a_file_edited_while_it_ran(sample: Path) -> None:
    """A person saves the translation between the plan and the write (injected in process)."""
    from helpglot.drafting import runner
    from helpglot.writeset import write_translation

    edit(sample / "docs/getting-started/create-your-account.md", "Your workspace is ready. Next,",
         "Your workspace is ready now. Next,")
    lt = sample / "translations/lt/getting-started/create-your-account.md"
    edited = lt.read_text(encoding="utf-8") + "\nA person's sentence.\n"

    def racing(path, text, original, shown):
        path.write_text(edited, encoding="utf-8")  # the edit lands just before helpglot writes
        return write_translation(path, text, original, shown)

    from click.testing import CliRunner

    from helpglot.cli import main

    mp = pytest.MonkeyPatch()
    mp.setattr(runner, "write_translation", racing)  # where the drafting run writes
    mp.chdir(sample)
    try:
        result = CliRunner().invoke(main, ["translate", "--lang", "lt", "--engine", "pseudo",
                                           "getting-started/create-your-account.md"])
    finally:
        mp.undo()
    assert result.exit_code == 1
    assert "changed while helpglot was translating it" in result.output
    assert lt.read_text(encoding="utf-8") == edited


def test_translate_keeps_a_translations_bom(sample: Path) -> None:
    edit(sample / "docs/getting-started/create-your-account.md", "Your workspace is ready. Next,",
         "Your workspace is ready now. Next,")
    lt = sample / "translations/lt/getting-started/create-your-account.md"
    lt.write_bytes(b"\xef\xbb\xbf" + lt.read_bytes())
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=sample)
    data = lt.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---") and data.count(b"\xef\xbb\xbf") == 1
    assert "machine" in data.decode("utf-8")


def test_an_oversized_paragraph_is_refused_by_name(sample: Path, monkeypatch) -> None:
    """One 180 KB paragraph, the real deepl client and the fake DeepL server: that block is refused
    by number and line, the rest of the article is drafted, no traceback."""
    import deepl
    from click.testing import CliRunner

    from fake_deepl import FakeDeepL
    from helpglot.cli import main

    key = "0f8fad5b-d9cb-469f-a165-70867728950e:fx"
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 1)
    monkeypatch.setenv("DEEPL_AUTH_KEY", key)
    article = sample / "docs/getting-started/create-your-account.md"
    big = " ".join(["Tallybird sends the invoice when the payment is due."] * 3500)
    article.write_text(article.read_text(encoding="utf-8").rstrip("\n") + "\n\n" + big + "\n", encoding="utf-8")
    line = article.read_text(encoding="utf-8").split("\n").index(big) + 1
    with FakeDeepL(auth_key=key) as fake:
        cfg = sample / "mkdocs.yml"
        cfg.write_text(cfg.read_text(encoding="utf-8").replace(
            "      defaults:\n", f"      engines:\n        deepl: {{server_url: '{fake.url}'}}\n      defaults:\n"),
            encoding="utf-8")
        monkeypatch.chdir(sample)
        result = CliRunner().invoke(main, ["translate", "--lang", "ro", "getting-started/create-your-account.md"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "ValueError" not in result.output
    assert f"create-your-account.md:{line}) not written: it is" in result.output
    assert "more than deepl takes in one request (128 KiB)" in result.output


def test_a_structural_sync_keeps_the_reviewers_suppression_comments(sample: Path) -> None:
    """A paragraph inserted near the top of the source (a structural change): the Lithuanian
    translation is rebuilt on the source's skeleton and its two glossary suppressions stay
    before the blocks they were about, so check still reports those findings as suppressed."""
    import json

    rel = "getting-started/send-your-first-invoice.md"
    lt = sample / "translations/lt" / rel
    comments = [line for line in lt.read_text(encoding="utf-8").split("\n") if "helpglot: ignore" in line]
    assert len(comments) == 2
    # the findings those comments suppress: a missing preferred rendering anywhere (the default
    # reports it only where the English term stayed, which this translation does not do)
    config = sample / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "      contact_url:", "      checks: {glossary_missing: any}\n      contact_url:", 1), encoding="utf-8")
    edit(sample / "docs" / rel, "## Add a customer\n", "## Add a customer\n\nYou can also import customers "
         "from a spreadsheet later.\n\n")
    before = json.loads(helpglot("check", "--format", "json", f"translations/lt/{rel}", cwd=sample,
                                 check=False).stdout)
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", rel, cwd=sample)
    text = lt.read_text(encoding="utf-8")
    assert [line for line in text.split("\n") if "helpglot: ignore" in line] == comments
    after = json.loads(helpglot("check", "--format", "json", f"translations/lt/{rel}", cwd=sample,
                                check=False).stdout)
    assert sum(f["suppressed"] for f in after) == sum(f["suppressed"] for f in before) == 2


def test_a_non_utf8_source_article_stops_the_build_with_its_name(sample: Path) -> None:
    (sample / "docs/getting-started/latin1.md").write_bytes("# Año\n\nCafé.\n".encode("latin-1"))
    proc = mkdocs("build", "--site-dir", str(sample / "site"), cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode == 1
    assert "docs/getting-started/latin1.md:1: not UTF-8 (byte 0xf1); save the file as UTF-8" in proc.stderr


def test_a_stop_at_the_first_request_reports_nothing_billed_and_says_so_once(sample: Path, monkeypatch) -> None:
    """Quota exhausted (456) at the very first request, real deepl client, fake DeepL server."""
    import json

    import deepl
    from click.testing import CliRunner

    from fake_deepl import FakeDeepL
    from helpglot.cli import main

    key = "0f8fad5b-d9cb-469f-a165-70867728950e:fx"
    monkeypatch.setattr(deepl.http_client, "max_network_retries", 1)
    monkeypatch.setenv("DEEPL_AUTH_KEY", key)
    for path in (sample / "translations/ro").rglob("*.md"):
        path.unlink()
    with FakeDeepL(auth_key=key, quota=0) as fake:
        cfg = sample / "mkdocs.yml"
        cfg.write_text(cfg.read_text(encoding="utf-8").replace(
            "      defaults:\n", f"      engines:\n        deepl: {{server_url: '{fake.url}'}}\n      defaults:\n"),
            encoding="utf-8")
        monkeypatch.chdir(sample)
        result = CliRunner().invoke(main, ["translate", "--lang", "ro", "--json"])
        billed = [c for c in fake.calls("translate") if c.status == 200]
    assert result.exit_code == 1 and billed == []
    records = json.loads(result.stdout[result.stdout.index("["):result.stdout.rindex("]") + 1])
    assert sum(r["chars_sent"] for r in records) == 0 and sum(r["requests"] for r in records) == 0
    stop = next(line for line in result.stderr.splitlines() if line.startswith("stopped:"))
    message = stop.removeprefix("stopped: ").split(" (ro:")[0]
    assert result.stderr.count(message) == 1, result.stderr  # (the JSON records carry it as data)


def test_symlink_loops_do_not_stop_a_real_translate(sample: Path) -> None:
    make_loops(sample)
    proc = helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=sample, check=False)
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    assert (sample / "translations/lt/self.md").is_file()  # drafted from docs/self.md as usual
    assert os.readlink(sample / "translations/es/self.md") == "self.md"  # the loop is left alone


# -- output folders: never a source, swapped in whole (issue 18, item 9) --------------------------------


def mini_project(root: Path) -> Path:
    from conftest import MINI_MKDOCS

    files = {"mkdocs.yml": MINI_MKDOCS, "docs/index.md": "---\ntitle: Home\n---\n\nWelcome.\n",
             "docs/guide.md": "---\ntitle: Guide\n---\n\n## Set up\n\nDo this.\n",
             "translations/es/guide.md": "---\ntitle: Guía\n---\n\n## Configuración\n\nHaz esto.\n",
             "glossary/terms.yml": "terms: []\n"}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def whole_tree(root: Path) -> dict[str, str]:
    """Every file under root, .git aside (path -> sha256)."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and ".git" not in path.parts:
            found[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.mark.parametrize("site_dir", ["docs", "translations", "glossary", ".", "..", "docs/site",
                                      "translations/es", ".git", "src"])
def test_build_into_a_source_folder_is_refused_and_changes_nothing(tmp_path: Path, site_dir: str) -> None:
    root = mini_project(tmp_path / "p")
    (root / "src").mkdir()
    (root / "src" / "code.py").write_text("print('mine')\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "docs" / "guide.md").write_text("an uncommitted edit\n", encoding="utf-8")
    before = whole_tree(tmp_path)
    for args in (["build", "-j", "1", "--site-dir", site_dir], ["build", "--lang", "es", "--site-dir", site_dir]):
        proc = helpglot(*args, cwd=root, check=False)
        no_traceback(proc)
        assert proc.returncode == 2, proc.stderr
        (line,) = [x for x in proc.stderr.splitlines() if x.strip()]
        assert f"--site-dir {site_dir}:" in line and "Nothing was changed" in line
        assert whole_tree(tmp_path) == before


@pytest.fixture(scope="module")
def mini_parts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = mini_project(tmp_path_factory.mktemp("parts") / "p")
    for lang in ("en", "es", "lt"):
        helpglot("build", "--lang", lang, "--site-dir", "parts", cwd=root)
    return root


@pytest.mark.parametrize("site_dir", ["docs", "translations", "glossary", ".", "parts", "parts/en"])
def test_merge_into_a_source_folder_is_refused_and_changes_nothing(tmp_path: Path, mini_parts: Path,
                                                                   site_dir: str) -> None:
    import shutil

    root = tmp_path / "p"
    shutil.copytree(mini_parts, root, symlinks=True)
    before = whole_tree(tmp_path)
    proc = helpglot("merge", "parts/en", "parts/es", "parts/lt", "--site-dir", site_dir, cwd=root, check=False)
    no_traceback(proc)
    assert proc.returncode == 2 and "Nothing was changed" in proc.stderr, proc.stderr
    assert whole_tree(tmp_path) == before
    proc = helpglot("merge", "parts/en", "parts/es", "parts/lt", "--site-dir", "out", cwd=root)
    assert (root / "out" / "es" / "guide" / "index.html").is_file()


def test_a_build_killed_in_the_merge_window_leaves_the_old_site_whole(tmp_path: Path) -> None:
    """SIGKILL the whole build the moment the new site is being put in place; the published folder is the
    old site, file for file, and the next build finishes and removes the leftovers. (A full build
    assembles the site aside and swaps it in; an incremental one renames its few changed files
    into the old site one by one, and the next build redoes what a kill left: test_incremental.)"""
    import signal

    from conftest import BIN

    root = mini_project(tmp_path / "p")
    site = root / "site"
    helpglot("build", "-j", "2", cwd=root)
    old = whole_tree(site)
    assert "index.html" in old and "es/guide/index.html" in old
    (root / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\nWelcome back.\n", encoding="utf-8")
    staging = root / ".site.helpglot-new"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    caught = 0
    for _attempt in range(6):
        proc = subprocess.Popen([str(BIN / "helpglot"), "build", "-j", "2", "--full"], cwd=root, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.time() + 120
        while proc.poll() is None and time.time() < deadline:
            if staging.exists() or not site.exists() or not (site / "index.html").exists():
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.0002)
        proc.wait()
        if proc.returncode == -signal.SIGKILL:
            caught += 1
            assert whole_tree(site) == old, "killed mid-swap: the old site, whole"
        else:
            assert proc.returncode == 0
            new = whole_tree(site)
            assert new.keys() == old.keys() and new["index.html"] != old["index.html"] or new == old, \
                "finished: the new site, whole"
            old = new
    assert caught >= 1, "no kill landed in the merge window"
    helpglot("build", "-j", "2", cwd=root)
    assert "Welcome back." in (site / "index.html").read_text(encoding="utf-8")
    leftovers = [p.name for p in root.iterdir() if "helpglot-" in p.name]
    assert leftovers == [], leftovers


def test_a_failed_build_leaves_the_site_and_no_temp_folder(tmp_path: Path) -> None:
    root = mini_project(tmp_path / "p")
    helpglot("build", "-j", "2", cwd=root)
    old = whole_tree(root / "site")
    (root / "docs" / "broken.md").write_bytes(b"---\ntitle: x\n---\n\nbad \xff byte\n")
    proc = helpglot("build", "-j", "2", cwd=root, check=False)
    no_traceback(proc)
    assert proc.returncode != 0 and "docs/broken.md" in proc.stderr
    assert whole_tree(root / "site") == old
    assert [p.name for p in root.iterdir() if "helpglot-" in p.name] == []


def test_temp_names_of_killed_runs_are_gitignored(tmp_path: Path) -> None:
    """review.yml runs `git add --all`: what a killed run leaves must never be committed."""
    from conftest import ROOT, git_run

    (tmp_path / ".gitignore").write_bytes((ROOT / ".gitignore").read_bytes())
    git_run(tmp_path, "init", "-q")
    names = [".site.helpglot-new/index.html", ".site.helpglot-old/index.html", "site.helpglot-parts/en/x.html",
             "translations/es/.guide.md.k2j4_x9a.tmp", ".helpglot/.journal.json.abcdefgh.tmp",
             "glossary/.terms.yml.12345678.tmp"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "translations/es/guide.md").write_text("kept", encoding="utf-8")
    git_run(tmp_path, "add", "--all")
    staged = git_run(tmp_path, "diff", "--cached", "--name-only").split()
    assert staged == [".gitignore", "translations/es/guide.md"]


# -- bad input: file names, spreadsheets, term bases (issue 18, item 10) --------------------------------

INJECTED = ("a\n::warning::pwned.md", "b\n::stop-commands::tok.md", "c\r##[error]legacy.md")


def test_file_names_with_line_breaks_inject_no_workflow_command(sample: Path) -> None:
    """GitHub Actions acts on any output line starting with `::` or `##[`; a translator controls file names."""
    for name in INJECTED:
        (sample / "docs" / name).write_text("---\ntitle: P\n---\n\nHello.\n", encoding="utf-8")
        (sample / "translations/es" / name).write_text("---\ntitle: P\n---\n\nHola <script>x</script>.\n",
                                                      encoding="utf-8")
    (sample / "translations/es/d\n::add-mask::orphan.md").write_text("---\ntitle: Q\n---\n\nHola.\n", encoding="utf-8")
    runs = {
        "check github": ["check", "--lang", "es", "--format", "github"],
        "check text": ["check", "--lang", "es"],
        "queue": ["queue", "--lang", "es"],
        "queue markdown": ["queue", "--lang", "es", "--format", "markdown"],
        "status": ["status"],
        "translate": ["translate", "--lang", "lt", "--engine", "pseudo"],
        "build": ["build", "-j", "2", "--site-dir", "out"],
    }
    annotations = []
    for what, args in runs.items():
        proc = helpglot(*args, cwd=sample, check=False)
        no_traceback(proc)
        for line in (proc.stdout + "\n" + proc.stderr).replace("\r", "\n").splitlines():
            if what == "check github" and line.startswith(("::error file=", "::warning file=")):
                annotations.append(line)
                continue
            assert not line.lstrip().startswith(("::", "##[")), f"{what}: {line!r}"
    injected = [a for a in annotations if "pwned" in a or "tok.md" in a or "legacy" in a or "orphan" in a]
    assert injected, "the hostile files are reported"
    for line in injected:  # GitHub's escapes: data %, CR, LF; properties also : and ,
        props = line.split("::")[1]
        assert "\n" not in line and "%0A" in props or "%0D" in props
        assert ":" not in props.split("file=", 1)[1].split(",line=")[0]


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0",
                                   "-2+3", "@SUM(A1)"])
def test_csv_export_neutralises_formula_cells_and_import_takes_it_back(sample: Path, value: str) -> None:
    import csv
    import io

    terms = sample / "glossary" / "terms.yml"
    import yaml

    data = yaml.safe_load(terms.read_text(encoding="utf-8"))
    data["terms"].append({"en": "formula term", "note": value, "translations": {"es": value}})
    terms.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = sample / "terms.csv"
    helpglot("glossary", "export", "--format", "csv", "--lang", "es", "-o", str(out), cwd=sample)
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"), newline="")))
    row = next(r for r in rows if r[0] == "formula term")
    for cell in (c for r in rows for c in r):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert row[1] == "'" + value and row[3] == "'" + value
    before = terms.read_bytes()
    proc = helpglot("glossary", "import", str(out), cwd=sample)
    assert "0 added, 0 updated" in proc.stdout, proc.stdout  # the ' is taken off again: nothing changed
    assert terms.read_bytes() == before


NESTED_ENTITIES = """<?xml version="1.0"?>
<!DOCTYPE tbx [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><note>&e;</note><langSec xml:lang="en"><termSec><term>x</term></termSec></langSec>
</conceptEntry></body></text></tbx>
"""


def test_a_tbx_with_nested_entities_is_refused_at_once(sample: Path) -> None:
    tbx = sample / "bomb.tbx"
    tbx.write_text(NESTED_ENTITIES, encoding="utf-8")
    assert len(NESTED_ENTITIES.encode()) < 1100
    before = snapshot(sample)
    start = time.perf_counter()
    proc = helpglot("glossary", "import", str(tbx), cwd=sample, check=False)
    elapsed = time.perf_counter() - start
    no_traceback(proc)
    assert proc.returncode == 2 and elapsed < 20
    (line,) = [x for x in proc.stderr.splitlines() if x.strip()]
    assert "bomb.tbx:2: a DOCTYPE" in line and "export the term base again" in line
    assert snapshot(sample) == before


def test_tbx_text_is_read_in_linear_time() -> None:
    """Expat hands text over in pieces (one per entity reference); joining them once keeps a 6 MB note
    (1,000,000 references) at about 0.3 s, where appending piece by piece took 110 s (quadratic)."""
    from conftest import ROOT
    from helpglot.config import load_settings
    from helpglot.terms.exchange import read_tbx

    settings = load_settings(str(ROOT / "mkdocs.yml"))
    note = "x&amp;" * 1_000_000
    data = (f'<tbx xml:lang="en"><text><body><conceptEntry id="c1"><note>{note}</note><langSec xml:lang="en">'
            '<termSec><term>pay</term></termSec></langSec></conceptEntry></body></text></tbx>').encode()
    start = time.perf_counter()
    (item,) = read_tbx(data, "big.tbx", settings)
    assert time.perf_counter() - start < 10
    assert item.item["note"] == "x&" * 1_000_000


# -- kills in a multi-file write: the journal (issue 18, item 9) -----------------------------------------

APPROVED = 45


def drafted_lt(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A sample with 45 machine-drafted Lithuanian translations (extra articles added to reach 45)."""
    (tmp_path / "repo").mkdir()
    root = copy_sample(tmp_path / "repo")
    for path in (root / "translations/lt").rglob("*.md"):
        path.unlink()
    have = len(list((root / "docs").rglob("*.md")))
    for n in range(APPROVED - have):
        (root / f"docs/extra/page-{n:02d}.md").parent.mkdir(exist_ok=True)
        (root / f"docs/extra/page-{n:02d}.md").write_text(f"---\ntitle: Extra {n}\n---\n\nPage number {n}.\n",
                                                           encoding="utf-8")
    helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=root)
    files = sorted((root / "translations/lt").rglob("*.md"))
    assert len(files) == APPROVED
    return root, files


def killed_approve(root: Path, after: int) -> int:
    """Run the real `approve` of every Lithuanian file in a forked child that dies (os._exit, no clean-up,
    like SIGKILL) right after its ``after``-th translation is replaced; returns the exit status."""
    pid = os.fork()
    if pid == 0:  # the child
        try:
            from click.testing import CliRunner

            from helpglot import fsutil
            from helpglot.cli import main

            real = os.replace
            done = [0]

            def replace(src, dst, *args, **kwargs):
                real(src, dst, *args, **kwargs)
                if "/translations/" in str(dst):
                    done[0] += 1
                    if done[0] == after:
                        os._exit(137)

            fsutil.os.replace = replace
            os.chdir(root)
            CliRunner().invoke(main, ["approve", "--reviewer", "Rūta", "translations/lt"])
        finally:
            os._exit(3)  # not killed: the test fails on the status
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def test_a_kill_midway_through_approve_is_completed_by_the_next_run(tmp_path: Path) -> None:
    import shutil

    root, files = drafted_lt(tmp_path)
    before = {p: p.read_bytes() for p in files}
    reference = tmp_path / "reference"
    shutil.copytree(root, reference)
    helpglot("approve", "--reviewer", "Rūta", "translations/lt", cwd=reference)
    approved = {p: (reference / p.relative_to(root)).read_bytes() for p in files}
    assert all(approved[p] != before[p] for p in files)

    assert killed_approve(root, after=22) == 137
    changed = [p for p in files if p.read_bytes() != before[p]]
    assert len(changed) == 22, "the kill landed midway"
    assert (root / ".helpglot/journal.json").is_file()
    proc = helpglot("translate", "--lang", "lt", "--engine", "pseudo", cwd=root)  # any next run
    assert "completed an interrupted write of 45 files (approved translations): 23 were still to write" \
        in proc.stderr, proc.stderr
    assert {p: p.read_bytes() for p in files} == approved
    assert not (root / ".helpglot/journal.json").exists()
    assert not [p for p in (root / "translations").rglob("*") if p.name.endswith(".tmp")]


def test_a_kill_midway_through_approve_is_rolled_back_when_a_file_changed_since(tmp_path: Path) -> None:
    root, files = drafted_lt(tmp_path)
    before = {p: p.read_bytes() for p in files}
    assert killed_approve(root, after=22) == 137
    pending = [p for p in files if p.read_bytes() == before[p]]
    person = pending[0]
    person.write_bytes(before[person] + b"\nA person's line.\n")
    proc = helpglot("approve", "--reviewer", "Rūta", str(files[0].relative_to(root)), cwd=root, check=False)
    assert "rolled back an interrupted write of 45 files (approved translations): 22 had been written" \
        in proc.stdout, proc.stdout + proc.stderr
    assert f"{person.relative_to(root).as_posix()}: changed since the write was interrupted" in proc.stdout
    for path in files[1:]:
        expected = before[path] + b"\nA person's line.\n" if path == person else before[path]
        assert path.read_bytes() == expected, path


def test_a_planted_journal_cannot_make_helpglot_write_outside_the_project(tmp_path: Path) -> None:
    import json

    root, files = drafted_lt(tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("mine\n", encoding="utf-8")
    (root / ".helpglot").mkdir(exist_ok=True)
    (root / ".helpglot/journal.json").write_text(json.dumps({"helpglot_journal": 1, "command": "x", "files": [
        {"path": "../outside.txt", "tmp": ".outside.txt.abcdefgh.tmp", "before": None, "after": None, "old": None}]}),
        encoding="utf-8")
    before = snapshot(root)
    proc = helpglot("approve", "--reviewer", "Rūta", "translations/lt", cwd=root, check=False)
    no_traceback(proc)
    assert proc.returncode == 2 and "not a journal helpglot wrote" in proc.stderr and "outside the project" \
        in proc.stderr
    assert outside.read_text(encoding="utf-8") == "mine\n" and snapshot(root) == before


def test_one_pass_over_many_translations_refuses_what_each_file_alone_would(mini, tmp_path_factory) -> None:
    """A build asks publish.refusal about every translation with one ``seen`` dict, so each folder
    is looked at once: a file below a linked folder, a linked file, a linked language folder get
    the same answer as asked one by one, and a regular file beside them is still published; so does
    a file reached through a linked translations folder (inside the repository: published; outside:
    refused)."""
    import shutil

    from helpglot.config import load_settings
    from helpglot.qa import publish

    root = mini.root
    outside = tmp_path_factory.mktemp("outside")
    (outside / "guide.md").write_text("---\ntitle: Guía\n---\n\nHaz esto.\n", encoding="utf-8")
    os.symlink(outside, root / "translations/es/linked-folder")
    os.symlink(outside / "guide.md", root / "translations/es/linked.md")
    mini("translations/es/plain/guide.md", "---\ntitle: Guía\n---\n\nHaz esto.\n")
    moved = mini("elsewhere/lt/guide.md", "---\ntitle: Vadovas\n---\n\nDarykite tai.\n")
    os.symlink(moved.parent, root / "translations/lt")
    settings = load_settings(str(root / "mkdocs.yml"))
    files = [root / "translations/es/guide.md", root / "translations/es/linked-folder/guide.md",
             root / "translations/es/linked.md", root / "translations/es/plain/guide.md",
             root / "translations/lt/guide.md"]
    seen: dict = {}
    for _ in range(2):  # the second round answers from what the first one saw
        together = [publish.refusal(settings, path, seen=seen) for path in files]
        assert together == [publish.refusal(settings, path) for path in files]
    assert together[0] is None and together[3] is None
    assert all(why.startswith("is a symbolic link (-> ") for why in together[1:3] + together[4:])
    shutil.move(root / "translations", root / "elsewhere/translations")
    os.symlink(root / "elsewhere/translations", root / "translations")  # still inside the repository
    guide = root / "translations/es/guide.md"
    assert publish.refusal(settings, guide, seen={}) is None and publish.refusal(settings, guide) is None
    os.unlink(root / "translations")
    shutil.copytree(root / "elsewhere/translations", outside / "translations", symlinks=True)
    os.symlink(outside / "translations", root / "translations")  # now it leads out of the repository
    assert publish.refusal(settings, guide, seen={}) == publish.refusal(settings, guide)
    assert "outside the repository" in publish.refusal(settings, guide, seen={})
