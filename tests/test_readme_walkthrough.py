"""README's "Try it on the sample" walk-through, run line by line as a reader would, on a
git copy of the sample: a source edit makes exactly the expected translations stale, an
offline Apertium draft makes Spanish "machine", approve makes it current, and ack takes a later
spelling fix off every language's list while the rewording stays stale where nobody reviewed it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, copy_sample

SKIP = (". .venv/bin/activate", "mkdocs serve", "git switch", "git checkout")
ARTICLE = "getting-started/invite-your-team.md"


def walkthrough() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Try it on the sample", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README lost its walk-through"
    lines = [line.split("  #", 1)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def touch_changed(root: Path, env: dict) -> None:
    """Date the files a command changed by this process's clock, which is what ``status`` reads
    for uncommitted edits: under ``faketime`` the file system would stamp them with the real one."""
    out = subprocess.run(["git", "status", "--porcelain", "-z"], cwd=root, env=env, capture_output=True,
                         text=True, check=True).stdout
    now = time.time()
    for entry in filter(None, out.split("\0")):
        path = root / entry[3:]
        if path.is_file():
            os.utime(path, (now, now))


def test_the_readme_walkthrough_does_what_its_comments_say(tmp_path: Path):
    root = copy_sample(tmp_path)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q"], ["config", "user.name", "Reader"], ["config", "user.email", "r@x"],
                 ["add", "-A"], ["commit", "-qm", "sample"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    def states() -> dict[tuple[str, str], str]:
        proc = subprocess.run(["helpglot", "status", "--json"], cwd=root, env=env, capture_output=True,
                              text=True)
        return {(r["source"], r["lang"]): r["state"] for r in json.loads(proc.stdout)}

    seen: list[dict[tuple[str, str], str]] = []
    commands = walkthrough()
    assert any(c.startswith("helpglot translate") for c in commands)
    for command in commands:
        if command.startswith(SKIP):
            continue
        proc = subprocess.run(["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, (command, proc.stdout, proc.stderr)
        touch_changed(root, env)
        if command.startswith("helpglot status"):
            seen.append(states())
    first, after_draft, last = seen
    assert {key for key, state in first.items() if state == "stale"} == {
        (ARTICLE, "es"), (ARTICLE, "ro"), (ARTICLE, "ru")}
    assert after_draft[(ARTICLE, "es")] == "machine"
    assert after_draft[(ARTICLE, "ro")] == "stale"
    # the spelling fix is acknowledged everywhere; the rewording still waits for ro and ru
    assert last[(ARTICLE, "es")] == "up-to-date"
    assert last[(ARTICLE, "ro")] == last[(ARTICLE, "ru")] == "stale"
    assert {state for key, state in last.items() if key[0] != ARTICLE} <= {"up-to-date", "missing"}
    proc = subprocess.run(["helpglot", "status", "--json", "--lang", "ro", ARTICLE], cwd=root, env=env,
                          capture_output=True, text=True)
    [ro] = json.loads(proc.stdout)
    assert len(ro["stale_blocks"]) == 1  # the rewording; the acknowledged spelling fix is not stale
    # the draft is Apertium's Spanish, approved as the translator's (the walk-through skips the edit)
    text = (root / "translations" / "es" / ARTICLE).read_text(encoding="utf-8")
    assert "todo el mundo" in text and "Reader" in text
