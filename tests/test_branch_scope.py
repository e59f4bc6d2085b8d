"""A translation branch is data (issue 18, item 1): what ``sync-branch``, ``scripts/branch-scope``,
the merge driver and ``scripts/build-previews`` each do with a branch that carries more than
translations. The whole workflows on a hostile branch: tests/test_workflow_run.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import BIN, ROOT, copy_sample, git_run, helpglot

ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def origin_and_clones(tmp_path: Path) -> tuple[Path, Path, Path]:
    (tmp_path / "seed").mkdir()
    seed = copy_sample(tmp_path / "seed")
    (seed / ".gitattributes").write_text("translations/**/*.md merge=helpglot\n", encoding="utf-8")
    git_run(seed, "init", "-q", "-b", "main")
    git_run(seed, "add", "-A")
    git_run(seed, "commit", "-qm", "sample")
    origin = tmp_path / "origin.git"
    git_run(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    git_run(tmp_path, "clone", "-q", str(origin), "translator")
    git_run(tmp_path, "clone", "-q", str(origin), "bot")
    return origin, tmp_path / "translator", tmp_path / "bot"


def test_sync_branch_refuses_a_branch_with_hooks_before_checking_it_out(tmp_path: Path) -> None:
    origin, person, bot = origin_and_clones(tmp_path)
    marker = tmp_path / "hook-ran"
    git_run(person, "checkout", "-q", "-b", "l10n/lt")
    (person / "mkdocs.yml").write_text((person / "mkdocs.yml").read_text(encoding="utf-8")
                                       + "hooks:\n  - evil.py\n", encoding="utf-8")
    (person / "evil.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    (person / "x\n::stop-commands::hidden").write_text("newline in a name\n", encoding="utf-8")
    lt = person / "translations" / "lt" / "index.md"
    lt.write_text(lt.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git_run(person, "add", "-A")
    git_run(person, "commit", "-qm", "lt")
    git_run(person, "push", "-q", "origin", "l10n/lt")
    tip = git_run(origin, "rev-parse", "refs/heads/l10n/lt")
    before = git_run(bot, "rev-parse", "HEAD")

    proc = helpglot("sync-branch", "--lang", "lt", "--engine", "pseudo", cwd=bot, check=False, env=ENV)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()  # one line: a name with a newline cannot start a workflow command
    assert ("l10n/lt: changes files outside translations/lt/ and glossary/: evil.py, mkdocs.yml, "
            "'x\\n::stop-commands::hidden'.") in line
    assert "nothing was merged, drafted or pushed" in line
    assert not marker.exists()
    assert git_run(origin, "rev-parse", "refs/heads/l10n/lt") == tip
    assert git_run(bot, "rev-parse", "HEAD") == before and git_run(bot, "branch", "--show-current") == "main\n"


def test_branch_scope_script_allows_translations_and_glossary_only(tmp_path: Path) -> None:
    _origin, person, _bot = origin_and_clones(tmp_path)
    script = [sys.executable, str(ROOT / "scripts" / "branch-scope")]
    git_run(person, "checkout", "-q", "-b", "l10n/lt")
    for rel in ("translations/lt/index.md", "glossary/terms.yml"):
        (person / rel).write_text((person / rel).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    git_run(person, "commit", "-qam", "lt and glossary")
    ok = subprocess.run([*script, "lt", "origin/main", "HEAD"], cwd=person, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == "l10n/lt: changes only translations/lt/ and glossary/"
    # another language's folder, or a rename out of the language, is outside
    git_run(person, "mv", "translations/es/index.md", "translations/lt/copied.md")
    git_run(person, "commit", "-qm", "move")
    refused = subprocess.run([*script, "lt", "origin/main", "HEAD"], cwd=person, capture_output=True, text=True)
    assert refused.returncode == 1
    assert "changes files outside translations/lt/ and glossary/: translations/es/index.md." in refused.stderr
    assert "nothing was approved or pushed" in refused.stderr
    bad = subprocess.run([*script, "../x", "origin/main", "HEAD"], cwd=person, capture_output=True, text=True)
    assert bad.returncode == 2 and "usage: scripts/branch-scope LANG" in bad.stderr


def test_the_merge_driver_never_imports_a_helpglot_package_from_the_work_tree(tmp_path: Path) -> None:
    """git runs the driver in the work tree; `python -m helpglot.cli` would put that tree first on
    sys.path, so a `helpglot/` folder there (left by a branch) would be the driver."""
    (tmp_path / "repo").mkdir()
    root = copy_sample(tmp_path / "repo")
    git_run(root, "init", "-q", "-b", "main")
    git_run(root, "add", "-A")
    git_run(root, "commit", "-qm", "sample")
    helpglot("git-setup", cwd=root, env=ENV)
    git_run(root, "add", "-A")
    git_run(root, "commit", "-qm", "driver")
    marker = tmp_path / "driver-hijacked"
    for rel in ("helpglot/__init__.py", "helpglot/cli/__init__.py", "helpglot/cli/__main__.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(f"open({str(marker)!r}, 'w').write('ran')\n", encoding="utf-8")
    lt = "translations/lt/getting-started/create-your-account.md"
    text = (root / lt).read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    git_run(root, "checkout", "-q", "-b", "side")
    (root / lt).write_text(text[:body] + text[body:].replace("Tallybird", "Tallybird ", 1), encoding="utf-8")
    git_run(root, "commit", "-qam", "side")
    git_run(root, "checkout", "-q", "main")
    last = text.rindex("Tallybird")
    (root / lt).write_text(text[:last] + "Tallybird " + text[last + 9:], encoding="utf-8")
    git_run(root, "commit", "-qam", "main")
    merged = subprocess.run(["git", "-c", "user.name=W", "-c", "user.email=w@x", "merge", "--no-edit", "side"],
                            cwd=root, capture_output=True, text=True, env={**os.environ, **ENV})
    assert not marker.exists(), "the merge driver ran the work tree's helpglot/"
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "-I -m helpglot.cli merge-driver" in git_run(root, "config", "merge.helpglot.driver")


def test_previews_take_plain_files_only(tmp_path: Path) -> None:
    """A symlink in a branch's translations (to a secret on the build machine) gets that branch no
    preview; nothing is built from it, and the run goes on."""
    _origin, person, bot = origin_and_clones(tmp_path)
    git_run(person, "checkout", "-q", "-b", "l10n/lt")
    (person / "translations" / "lt" / "leak.md").symlink_to("/etc/passwd")
    git_run(person, "add", "-A")
    git_run(person, "commit", "-qm", "lt: a link")
    git_run(person, "push", "-q", "origin", "l10n/lt")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build-previews"), "previews"], cwd=bot,
                          capture_output=True, text=True, env={**os.environ, **ENV})
    assert proc.returncode == 0, proc.stderr
    assert "refs/remotes/origin/l10n/lt: no preview: 'translations/lt/leak.md' is a symlink, not a file" \
        in proc.stderr
    assert json.loads((bot / "previews" / "previews.json").read_text(encoding="utf-8")) == {"lt": False}
    assert not (bot / "previews" / "lt").exists()
    assert git_run(bot, "worktree", "list").count("\n") == 1  # the temporary tree is gone
