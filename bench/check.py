"""Benchmark: `helpglot check`.

1. The sample help center (the repository itself): wall time of the real CLI,
   against a bare baseline measured in the same run (`helpglot languages`:
   the same start-up and config loading, no checking).
2. A generated tree (bench/status.py's generator, ARTICLES articles x 5
   languages) where every 7th translation has seeded defects: findings per
   second and files per second.

Usage: bench/check.py [ARTICLES]   (default 1000)
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from status import LANGS, generate  # noqa: E402

HELPGLOT = str(Path(sys.executable).parent / "helpglot")


def timed(args: list[str], cwd: Path, runs: int = 3) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([HELPGLOT, *args], cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(proc.stderr)
        out = proc.stdout
    return statistics.median(times), out


def seed_defects(root: Path) -> int:
    rng = random.Random(3)
    seeded = 0
    for i, path in enumerate(sorted((root / "translations").rglob("*.md"))):
        if i % 7:
            continue
        text = path.read_text(encoding="utf-8")
        text = text.replace("$29", "$39", 1).replace("`tally invoices list --status paid`", "`tally list`", 1)
        text += rng.choice(["\n<script>alert(1)</script>\n", "\nSee [this](https://evil.example/x).\n"])
        path.write_text(text, encoding="utf-8")
        seeded += 1
    return seeded


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    sample_base, _ = timed(["languages", "--json"], ROOT)
    sample_check, out = timed(["check", "--format", "json"], ROOT)
    sample_findings = len(json.loads(out))
    sample_files = sum(1 for _ in (ROOT / "translations").rglob("*.md"))
    work = Path(tempfile.mkdtemp(prefix="helpglot-check-bench-"))
    try:
        generate(work, count)
        seeded = seed_defects(work)
        files = sum(1 for _ in (work / "translations").rglob("*.md"))
        base, _ = timed(["languages", "--json"], work, runs=1)
        elapsed, out = timed(["check", "--format", "json"], work, runs=1)
        findings = json.loads(out)
        print("| tree | translations | seconds | baseline s | findings | findings/s | files/s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        print(f"| sample help center | {sample_files} | {sample_check:.2f} | {sample_base:.2f} | "
              f"{sample_findings} | - | {sample_files / sample_check:,.0f} |")
        print(f"| generated: {count} articles x {len(LANGS)} languages, {seeded} files with seeded defects | "
              f"{files} | {elapsed:.2f} | {base:.2f} | {len(findings)} | {len(findings) / elapsed:,.0f} | "
              f"{files / elapsed:,.0f} |")
        by_check: dict[str, int] = {}
        for finding in findings:
            by_check[finding["check"]] = by_check.get(finding["check"], 0) + 1
        print()
        print("findings by check (generated tree; its translations are English copies, hence "
              f"'untranslated'): {dict(sorted(by_check.items()))}")
        print("baseline: `helpglot languages --json` in the same tree (start-up, config, file listing)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
