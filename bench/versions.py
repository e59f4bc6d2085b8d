"""Benchmark: one incremental edit built by two versions of helpglot, interleaved (A/B).

Why: a change to a per-build pass (the parent's freshness pass, a worker's search index) is a
second or two of a build that the shared machine's noise can hide; timing each version on its own
at another hour says nothing. Here each version gets its own copy of the project (so each keeps its
own `.helpglot/` caches: the file facts and memos are stamped with the code that wrote them), and
each round makes the same English paragraph edit in both copies and builds them one after the other,
the order alternating. CPU seconds are those of the whole process tree (``wait4``).

Usage: bench/versions.py PROJECT OLD_SRC [--rounds N] [--lang L] [--work DIR] [--new-src DIR]
  PROJECT: a generated help center (``bench/build.py``'s ``helpglot`` folder, a git repository)
  OLD_SRC: the ``src`` folder of the other checkout (``git worktree add /tmp/old <commit>``);
           the new version is this checkout's.
Prints a Markdown table: median and each round's CPU and wall seconds per version.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPGLOT = str(Path(sys.executable).parent / "helpglot")


def edit(project: Path, n: int) -> None:
    """Reword the first prose paragraph of the 50th English article (the round's number in it)."""
    article = sorted(project.glob("docs/**/*.md"))[50]
    text = article.read_text(encoding="utf-8")
    text = re.sub(r" \(edit \d+\)", "", text)
    parts = text.split("\n\n")
    for i, part in enumerate(parts):
        if i > 1 and part[:1].isalpha():
            parts[i] = part + f" (edit {n})"
            break
    article.write_text("\n\n".join(parts), encoding="utf-8")


def build(project: Path, src: Path, lang: str) -> tuple[float, float]:
    """(wall s, CPU s of the process tree) of ``helpglot build --lang L`` with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    proc = subprocess.Popen([HELPGLOT, "build", "--lang", lang, "-d", str(project / "parts")], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)  # (its usage covers the workers it waited for)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {project}: {proc.stderr.read() if proc.stderr else ''}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("old_src", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--work", type=Path, default=Path("/tmp/helpglot-versions"))
    parser.add_argument("--new-src", type=Path, default=ROOT / "src", help="default: this checkout's")
    args = parser.parse_args()
    versions = {"old": args.old_src.resolve(), "new": args.new_src.resolve()}
    copies = {}
    for name in versions:
        copy = args.work / name
        if not copy.exists():
            shutil.copytree(args.project, copy, symlinks=True, ignore=shutil.ignore_patterns("parts", ".helpglot"))
        copies[name] = copy
        build(copy, versions[name], args.lang)  # the first build of each: caches made, not measured
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    for n in range(args.rounds):
        order = list(versions) if n % 2 == 0 else list(reversed(versions))
        for name in order:
            edit(copies[name], n)
            figures[name].append(build(copies[name], versions[name], args.lang))
            print(f"round {n + 1} {name}: wall {figures[name][-1][0]:.1f} s, CPU {figures[name][-1][1]:.1f} s",
                  file=sys.stderr, flush=True)
    print(f"| `helpglot build --lang {args.lang}` after a paragraph edit | median CPU s | median wall s | "
          "CPU s each round |")
    print("| --- | ---: | ---: | --- |")
    for name, rows in figures.items():
        cpu = [c for _, c in rows]
        print(f"| {name} ({versions[name]}) | {statistics.median(cpu):.2f} | "
              f"{statistics.median(w for w, _ in rows):.2f} | {', '.join(f'{c:.2f}' for c in cpu)} |")
    old, new = (statistics.median(c for _, c in figures[name]) for name in ("old", "new"))
    print(f"\nnew / old, CPU: {new / old:.2f}")


if __name__ == "__main__":
    main()
