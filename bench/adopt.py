"""Benchmark: `helpglot adopt translations/` on FastAPI's docs, a translated site nobody here wrote.

A team moving an existing translated help center to helpglot runs adopt once over everything; each
file that aligns with its source must be adopted, and each refusal must name a real divergence
(a merged or split paragraph, a dropped list), not a translation choice. Lays the corpus out as
bench/check_precision.py does (a temporary copy, made writable), times adopt, prints adopted and
refused files per language and every refusal, then asks `helpglot status` whether the adopted
files are up to date (an adopt that wrote provenance the other commands disagree with would show
here as unaligned).

Usage: bench/adopt.py [--langs es,ru,tr,ja,de] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from check_precision import CORPUS, layout  # noqa: E402

from helpglot.config import load_settings  # noqa: E402
from helpglot.review import bookkeeping as tracking  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="es,ru,tr,ja,de")
    parser.add_argument("--corpus", default=str(CORPUS))
    args = parser.parse_args()
    langs = args.langs.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        root = layout(Path(args.corpus), langs, Path(tmp))
        for path in root.rglob("*"):  # the corpus is read-only; adopt refuses read-only files
            path.chmod(path.stat().st_mode | 0o200)
        settings = load_settings(str(root / "mkdocs.yml"))
        refused: list[str] = []
        start = time.perf_counter()
        planned = tracking.plan_adopt(settings, [str(root / "translations")], "bench", dt.date(2026, 1, 1),
                                      refused=refused)
        tracking.apply(planned)
        elapsed = time.perf_counter() - start
        adopted = collections.Counter(settings.rel(p.path).split("/")[1] for p in planned)
        rejected = collections.Counter(line.split("translations/", 1)[1].split("/")[0] for line in refused)
        total = sum(adopted.values()) + sum(rejected.values())
        print(f"adopt translations/: {sum(adopted.values())} of {total} adopted, {len(refused)} refused, "
              f"in {elapsed:.1f} s\n")
        print(f"| | {' | '.join(langs)} | all |")
        print(f"| --- | {' | '.join('---' for _ in langs)} | --- |")
        for name, counts in (("adopted", adopted), ("refused", rejected)):
            print(f"| {name} | {' | '.join(str(counts[x]) for x in langs)} | {sum(counts.values())} |")
        for line in refused:
            print(f"\n{line}")
        helpglot = Path(sys.executable).with_name("helpglot")
        proc = subprocess.run([str(helpglot), "status", "--json"], cwd=root, capture_output=True, text=True)
        data = json.loads(proc.stdout)
        records = data if isinstance(data, list) else data.get("files", data.get("records", []))
        states = collections.Counter(r["state"] for r in records)
        print(f"\nstatus after adopt: {dict(states)}")


if __name__ == "__main__":
    main()
