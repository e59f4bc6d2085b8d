"""Benchmark: how `helpglot status` and `helpglot check` grow from 1,000 to 10,000 articles.

Both help centers come from bench/status.py's generator (N articles x 5 translation
languages, some missing, some stale). Each round measures every size in turn (rotated order,
so machine noise hits them alike), and the table gives medians:

* baseline: reading every Markdown file once, no parsing (the floor any command pays);
* `status --json --no-cache` (cold, as on a fresh clone in CI);
* `status --json` warm (its cache filled by a first run that is not counted);
* `check --format json` (every check on every translation).

The last row divides the 10,000-article figures by the 1,000-article ones: 10.0 is linear.
Usage: bench/scale.py [--sizes 1000,10000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from status import baseline, generate, timed  # noqa: E402

HELPGLOT = str(Path(sys.executable).parent / "helpglot")
MEASURES = ("baseline", "status cold", "status warm", "check")


def measure(root: Path, what: str) -> float:
    if what == "baseline":
        return baseline(root)
    if what == "status cold":
        return timed([HELPGLOT, "status", "--json", "--no-cache"], root)[0]
    if what == "status warm":
        return timed([HELPGLOT, "status", "--json"], root)[0]
    start = time.perf_counter()
    timed([HELPGLOT, "check", "--format", "json"], root)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="helpglot-scale-bench-"))
    try:
        roots, files = {}, {}
        for size in sizes:
            roots[size] = work / str(size)
            roots[size].mkdir()
            generate(roots[size], size)
            files[size] = sum(1 for _ in roots[size].rglob("*.md"))
            timed([HELPGLOT, "status", "--json"], roots[size])  # fills the status cache
            print(f"generated {size} articles: {files[size]} Markdown files", flush=True)
        results: dict[tuple[int, str], list[float]] = {(s, m): [] for s in sizes for m in MEASURES}
        for round_no in range(args.rounds):
            order = sizes[round_no % len(sizes):] + sizes[:round_no % len(sizes)]
            for what in MEASURES:
                for size in order:
                    results[size, what].append(measure(roots[size], what))
                    print(f"round {round_no + 1} {size} {what}: {results[size, what][-1]:.2f} s", flush=True)
        med = {key: statistics.median(values) for key, values in results.items()}
        print()
        print(f"{args.rounds} interleaved rounds, medians, seconds; {os.cpu_count()} cores; "
              f"load average at the end {os.getloadavg()[0]:.1f}")
        print()
        print("| articles | Markdown files | " + " | ".join(MEASURES) + " | check ms per file |")
        print("| ---: | ---: | " + " | ".join("---:" for _ in MEASURES) + " | ---: |")
        for size in sizes:
            cells = " | ".join(f"{med[size, m]:.2f}" for m in MEASURES)
            print(f"| {size:,} | {files[size]:,} | {cells} | {1000 * med[size, 'check'] / files[size]:.2f} |")
        if len(sizes) > 1:
            small, big = sizes[0], sizes[-1]
            cells = " | ".join(f"{med[big, m] / med[small, m]:.1f}" for m in MEASURES)
            print(f"| growth {big:,} / {small:,} | {files[big] / files[small]:.1f} | {cells} | |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
