"""Benchmark: `helpglot check`.

1. The sample help center (the repository itself): wall time of the real CLI,
   against a bare baseline measured in the same run (`helpglot languages`:
   the same start-up and config loading, no checking).
2. A generated tree (bench/status.py's generator, ARTICLES articles x 5
   languages) where every 7th translation has seeded defects: findings per
   second and files per second.

3. One long article (BIG_MB, default 5 MB: the sample's "Create your account" repeated, headings
   numbered) and its Lithuanian translation: `helpglot check` on it against `helpglot translate`
   (pseudo engine, the first draft of the whole article) on it, in the same run, interleaved
   (BIG_RUNS rounds, default 1; medians).

Usage: bench/check.py [ARTICLES] [BIG_MB] [BIG_RUNS]   (defaults 1000 5 1)
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


def big_article(mb: float, runs: int) -> tuple[float, float, int]:
    """(check seconds, translate seconds, bytes) for one article of ``mb`` megabytes, medians."""
    import re

    checks, translates = [], []
    size = 0
    for _ in range(runs):
        work = Path(tempfile.mkdtemp(prefix="helpglot-check-big-"))
        try:
            for name in ("mkdocs.yml", "docs", "glossary"):
                (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, work / name)
            body = (ROOT / "docs/getting-started/create-your-account.md").read_text(encoding="utf-8")
            body = body.split("---\n", 2)[2]
            parts, size, i = [], 0, 0
            while size < mb * 1024 * 1024:
                i += 1
                parts.append(re.sub(r"^(#+ .*)$", lambda m, i=i: f"{m.group(1)} {i}", body, flags=re.M))
                size += len(parts[-1].encode("utf-8"))
            (work / "docs/big.md").write_text("---\ntitle: Big\n---\n\n" + "\n".join(parts), encoding="utf-8")
            start = time.perf_counter()
            proc = subprocess.run([HELPGLOT, "translate", "--lang", "lt", "--engine", "pseudo", "big.md"],
                                  cwd=work, capture_output=True, text=True)
            translates.append(time.perf_counter() - start)
            if proc.returncode:
                raise SystemExit(proc.stderr[-2000:])
            start = time.perf_counter()
            proc = subprocess.run([HELPGLOT, "check", "--lang", "lt", "translations/lt/big.md"],
                                  cwd=work, capture_output=True, text=True)
            checks.append(time.perf_counter() - start)
            if proc.returncode not in (0, 1):
                raise SystemExit(proc.stderr[-2000:])
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return statistics.median(checks), statistics.median(translates), size


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    big_mb = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
    big_runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
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
        big_check, big_translate, big_size = big_article(big_mb, big_runs)
        print(f"| one {big_size / 1e6:.1f} MB article (lt), check vs translate --engine pseudo: "
              f"{big_check / big_translate:.1f}x | 1 | {big_check:.2f} | {big_translate:.2f} (translate) | - | - | - |")
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
