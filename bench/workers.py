"""Benchmark: the CPU seconds of one incremental build, forked per build against long-lived workers.

Two warm build processes of `helpglot serve` (helpglot.cli.buildserver) on one project: one with
its long-lived language workers, one with `HELPGLOT_LANG_WORKERS=0` (a forked worker per build, as
before). They build the same part folder in turns, in alternating order, with a one-paragraph edit
of another English article before every build, so each build has exactly one edit to take in;
the first round warms them and is not counted. CPU seconds of each warm process's whole tree
(bench/incremental.py's tree_cpu), medians.

Usage: bench/workers.py PROJECT LANGS ROUNDS PARTS
  e.g. bench/workers.py DIR/helpglot en 3 /tmp/parts  (a project from bench/incremental.py --keep DIR)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import incremental as bench  # noqa: E402


def server(root: Path, workers: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from helpglot.cli.buildserver import main; main()"], cwd=root,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "HELPGLOT_LANG_WORKERS": workers})


def ask(proc: subprocess.Popen, langs: list[str], out: str) -> tuple[float, float]:
    args = ["build", "--jobs", "2", "-v", "--site-dir", out] + [a for lang in langs for a in ("--lang", lang)]
    before, start = bench.tree_cpu(proc.pid), time.perf_counter()
    proc.stdin.write(json.dumps(args) + "\n")
    proc.stdin.flush()
    answer = json.loads(proc.stdout.readline())
    if answer["code"] != 0:
        raise SystemExit(answer["output"][-3000:])
    return time.perf_counter() - start, bench.tree_cpu(proc.pid) - before


def main() -> None:
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    root, langs, rounds, out = Path(sys.argv[1]).resolve(), sys.argv[2].split(","), int(sys.argv[3]), sys.argv[4]
    servers = {"forked": server(root, "0"), "workers": server(root, "1")}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in servers}
    load, count = os.getloadavg()[0], 0
    for n in range(rounds + 1):
        for name in (list(servers) if n % 2 else list(servers)[::-1]):
            count += 1
            bench.edit_paragraph(root, 30 + count, 8000 + count + 100 * (int(time.time()) % 100_000))
            wall, cpu = ask(servers[name], langs, out)
            warming = " (warming)" if n == 0 else ""
            print(f"round {n} {name}: {wall:.2f} s wall, {cpu:.2f} s CPU{warming}", flush=True)
            if n:
                results[name].append((wall, cpu))
    print(f"\n{','.join(langs)}, {rounds} rounds, load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print("| one-paragraph edit | wall s, median | CPU s, median | CPU s, each |")
    print("| --- | ---: | ---: | --- |")
    for name, found in results.items():
        print(f"| {name} | {statistics.median(w for w, _ in found):.2f} | {statistics.median(c for _, c in found):.2f} "
              f"| {', '.join(f'{c:.2f}' for _, c in found)} |")
    for proc in servers.values():
        proc.stdin.close()
        proc.wait()


if __name__ == "__main__":
    main()
