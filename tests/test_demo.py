"""README's first command: `scripts/demo --build-only` builds the sample into site/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_demo_build_only_builds_every_language():
    env = {**os.environ, "HELPGLOT_VENV": sys.prefix}  # reuse this environment instead of a new .venv
    program = Path(sys.prefix) / "bin" / "helpglot"
    before = program.stat().st_ino
    proc = subprocess.run(["bash", str(ROOT / "scripts" / "demo"), "--build-only"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # an installed environment is used as it is: reinstalling rewrote bin/helpglot while the tests
    # beside this one were starting it (CI saw "No such file or directory")
    assert "==> installing" not in proc.stdout and program.stat().st_ino == before, proc.stdout
    assert "built the help center into" in proc.stdout
    for lang in ("", "es/", "ro/", "tr/", "ru/", "lt/"):
        assert (ROOT / "site" / lang / "index.html").is_file(), lang
    bad = subprocess.run(["bash", str(ROOT / "scripts" / "demo"), "--nope"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert bad.returncode == 2 and "usage: scripts/demo [--build-only]" in bad.stderr
