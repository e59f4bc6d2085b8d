"""Benchmark: build a generated help center (N articles x 6 languages) four ways,
interleaved in the same run, and compare with the best-tuned plain build.

* plain static-i18n, Material defaults (suffix layout: docs/x.es.md)
* plain static-i18n + ``navigation.prune`` (the best-tuned plain build)
* helpglot, single process: ``mkdocs build`` (docs/ + translations/)
* helpglot, parallel: ``helpglot build --jobs N`` (one process per language)

Each round builds every variant once, in a rotated order so machine noise hits
them alike; the table gives medians of wall time, CPU time (user+sys of the
whole process tree), peak RSS (largest single process, from wait4) and output
bytes per page, with ratios to the best-tuned plain build. The helpglot
single-process and parallel sites are then compared file by file.

Usage: bench/build.py [--articles 1000] [--rounds 3] [--jobs N] [--keep DIR]
       bench/build.py --incremental [--articles 300] [--serve] ...   (bench/incremental.py: edits
       rebuilt incrementally, and `helpglot serve` in a browser, against a full build)
The generated project lives in a temporary folder and is deleted (never commit it).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sitegen  # noqa: E402

BIN = Path(sys.executable).parent
VARIANTS = ("plain", "plain-prune", "helpglot", "helpglot-parallel")
LABELS = {
    "plain": "plain static-i18n, Material defaults",
    "plain-prune": "plain static-i18n + navigation.prune (best-tuned plain)",
    "helpglot": "helpglot, single process (`mkdocs build`)",
    "helpglot-parallel": "helpglot, parallel (`helpglot build`)",
}


def git_commit(root: Path) -> None:
    """Dates on pages come from git, as in a real help center."""
    env = {**os.environ, "GIT_AUTHOR_DATE": "2026-11-01T10:00:00", "GIT_COMMITTER_DATE": "2026-11-01T10:00:00"}
    for cmd in (["init", "-q"], ["add", "-A"], ["-c", "user.name=bench", "-c", "user.email=b@example.com",
                                                 "commit", "-qm", "generated"]):
        subprocess.run(["git", *cmd], cwd=root, check=True, env=env)


def prepare(work: Path, articles: int) -> dict[str, Path]:
    ours, plain = work / "helpglot", work / "plain"
    counts = sitegen.generate(ours, articles)
    (ours / "mkdocs.yml").write_text(sitegen.mkdocs_config(prune=False, helpglot=True), encoding="utf-8")
    (ours / ".gitignore").write_text("site/\n.helpglot/\n", encoding="utf-8")
    git_commit(ours)
    sitegen.plain_layout(ours, plain)
    (plain / "mkdocs.yml").write_text(sitegen.mkdocs_config(prune=False, helpglot=False), encoding="utf-8")
    (plain / "mkdocs-prune.yml").write_text(sitegen.mkdocs_config(prune=True, helpglot=False), encoding="utf-8")
    print(f"generated {articles} articles x 6 languages: translations {counts}", flush=True)
    return {"helpglot": ours, "plain": plain}


def command(variant: str, projects: dict[str, Path], site: Path, jobs: int) -> tuple[list[str], Path]:
    mkdocs = str(BIN / "mkdocs")
    if variant == "plain":
        return [mkdocs, "build", "-q", "--site-dir", str(site)], projects["plain"]
    if variant == "plain-prune":
        return [mkdocs, "build", "-q", "-f", "mkdocs-prune.yml", "--site-dir", str(site)], projects["plain"]
    if variant == "helpglot":
        return [mkdocs, "build", "-q", "--site-dir", str(site)], projects["helpglot"]
    return [str(BIN / "helpglot"), "build", "--jobs", str(jobs), "--site-dir", str(site)], projects["helpglot"]


def run(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of the process tree, peak RSS (KB) of its largest process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _stderr = proc.stderr.read() if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{_stderr[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def site_size(site: Path) -> tuple[int, int, int]:
    """Total bytes, HTML pages, median bytes of an article page."""
    total, pages, articles = 0, 0, []
    for path in site.rglob("*"):
        if path.is_file():
            size = path.stat().st_size
            total += size
            if path.name == "index.html":
                pages += 1
                if "/article-" in path.as_posix():
                    articles.append(size)
    return total, pages, int(statistics.median(articles)) if articles else 0


def same_files(a: Path, b: Path) -> tuple[bool, int, list[str]]:
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    different = sorted(files_a ^ files_b)
    different += [rel for rel in sorted(files_a & files_b) if (a / rel).read_bytes() != (b / rel).read_bytes()]
    return not different, len(files_a), different[:5]


def main() -> None:
    if "--incremental" in sys.argv:
        sys.argv.remove("--incremental")
        import incremental

        incremental.main()
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--only", default=",".join(VARIANTS), help="comma-separated variants")
    parser.add_argument("--keep", help="keep the generated projects and sites in this folder")
    args = parser.parse_args()
    variants = [v for v in VARIANTS if v in args.only.split(",")]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="helpglot-build-bench-"))
    try:
        projects = prepare(work, args.articles)
        results: dict[str, list[tuple[float, float, int]]] = {v: [] for v in variants}
        sites = {v: work / "sites" / v for v in variants}
        # the comparison that matters first (a run cut short still has it), rotated every round
        first = [v for v in ("plain-prune", "helpglot-parallel", "helpglot", "plain") if v in variants]
        for round_no in range(args.rounds):
            order = first[round_no % len(first):] + first[:round_no % len(first)]
            for variant in order:
                cmd, cwd = command(variant, projects, sites[variant], args.jobs)
                # cold, as on a fresh CI clone: no freshness cache from the previous round
                shutil.rmtree(projects["helpglot"] / ".helpglot", ignore_errors=True)
                results[variant].append(run(cmd, cwd))
                wall, cpu, rss = results[variant][-1]
                print(f"round {round_no + 1} {variant}: {wall:.1f} s wall, {cpu:.1f} s CPU, {rss / 1024:.0f} MB",
                      flush=True)
        report(args, variants, results, sites)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, variants: list[str], results: dict, sites: dict[str, Path]) -> None:
    base = "plain-prune" if "plain-prune" in variants else variants[0]
    base_wall = statistics.median(r[0] for r in results[base])
    print()
    print(f"{args.articles} articles x 6 languages, {args.rounds} interleaved rounds, medians; "
          f"{os.cpu_count()} cores, parallel --jobs {args.jobs}; load average before the table "
          f"{os.getloadavg()[0]:.1f}")
    print()
    print("| build | wall s | CPU s | peak RSS MB | output MB | pages | bytes/page | article page bytes "
          "| wall vs best-tuned plain |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for variant in variants:
        wall = statistics.median(r[0] for r in results[variant])
        cpu = statistics.median(r[1] for r in results[variant])
        rss = statistics.median(r[2] for r in results[variant]) / 1024
        total, pages, article = site_size(sites[variant])
        print(f"| {LABELS[variant]} | {wall:.1f} | {cpu:.1f} | {rss:.0f} | {total / 1e6:.0f} | {pages} "
              f"| {total // max(pages, 1):,} | {article:,} | {wall / base_wall:.2f} |")
    if "helpglot" in variants and "helpglot-parallel" in variants:
        same, count, different = same_files(sites["helpglot"], sites["helpglot-parallel"])
        print()
        print(f"helpglot parallel vs single process: {count} files, "
              + ("byte-identical" if same else f"DIFFERENT, e.g. {different}"))


if __name__ == "__main__":
    main()
