"""Benchmark: how `helpglot status` and `helpglot check` grow from 1,000 to 10,000 articles.

Both help centers come from bench/status.py's generator (N articles x 5 translation
languages, some missing, some stale). Each round measures every size in turn (rotated order,
so machine noise hits them alike), and the table gives medians:

* baseline: reading every Markdown file once, no parsing (the floor any command pays);
* `status --json --no-cache` (cold, as on a fresh clone in CI);
* `status --json` warm (its cache filled by a first run that is not counted);
* `check --format json` (every check on every translation).

The last row divides the 10,000-article figures by the 1,000-article ones: 10.0 is linear.
A second table gives CPU seconds (user + system of the command's process, from the kernel's
accounting of waited-for children), which a busy machine changes far less than wall time.
Usage: bench/scale.py [--sizes 1000,10000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from status import baseline, generate, timed  # noqa: E402

HELPGLOT = str(Path(sys.executable).parent / "helpglot")
MEASURES = ("baseline", "status cold", "status warm", "check")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(root: Path, what: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one measurement."""
    cpu = _cpu()
    if what == "baseline":
        wall = baseline(root)
    elif what == "status cold":
        wall = timed([HELPGLOT, "status", "--json", "--no-cache"], root)[0]
    elif what == "status warm":
        wall = timed([HELPGLOT, "status", "--json"], root)[0]
    else:
        wall = timed([HELPGLOT, "check", "--format", "json"], root)[0]
    return wall, _cpu() - cpu


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
        cpus: dict[tuple[int, str], list[float]] = {(s, m): [] for s in sizes for m in MEASURES}
        for round_no in range(args.rounds):
            order = sizes[round_no % len(sizes):] + sizes[:round_no % len(sizes)]
            for what in MEASURES:
                for size in order:
                    wall, cpu = measure(roots[size], what)
                    results[size, what].append(wall)
                    cpus[size, what].append(cpu)
                    print(f"round {round_no + 1} {size} {what}: {wall:.2f} s, {cpu:.2f} CPU s, "
                          f"load {os.getloadavg()[0]:.1f}", flush=True)
        for label, values in (("wall", results), ("CPU", cpus)):
            table(label, args.rounds, sizes, files, values)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(label: str, rounds: int, sizes: list[int], files: dict[int, int],
          results: dict[tuple[int, str], list[float]]) -> None:
    """One table: medians per size and measure, and the growth from the smallest to the largest size."""
    med = {key: statistics.median(values) for key, values in results.items()}
    print()
    print(f"{label}: {rounds} interleaved rounds, medians, seconds; {os.cpu_count()} cores; "
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


if __name__ == "__main__":
    main()
