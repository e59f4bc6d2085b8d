"""Benchmark: the translation previews deploy.yml builds (scripts/build-previews), every page of
every preview (`--full`, how they were built before) against one incremental build folder.

A generated help center (bench/sitegen.py, N articles x 6 languages) is pushed to a bare
`origin` with one `l10n/<lang>` branch per translation language, each changing three of its
translations as a translator would (a paragraph rewritten). In a fresh clone of the origin
(as deploy.yml's previews job has) each round runs both ways, in rotated order; the table
gives medians of wall and CPU seconds (the whole process tree, from wait4) and checks that
both ways give byte-identical previews.

Usage: bench/previews.py [--articles 120] [--rounds 2]
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
from build import git_commit, same_files  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "NO_MKDOCS_2_WARNING": "1",
       "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=b@example.com", *args], cwd=cwd,
                          capture_output=True, text=True, env=ENV)
    if proc.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {proc.stderr}")
    return proc.stdout


def prepare(work: Path, articles: int) -> Path:
    """The origin with main and one translation branch per language; returns the deploy clone."""
    project = work / "project"
    sitegen.generate(project, articles)
    (project / "mkdocs.yml").write_text(sitegen.mkdocs_config(prune=False, helpglot=True), encoding="utf-8")
    (project / ".gitignore").write_text("site/\n.helpglot/\n/previews*/\n", encoding="utf-8")
    git_commit(project)
    shutil.copy(ROOT / "scripts" / "build-previews", project / "build-previews")
    git(project, "add", "build-previews")
    git(project, "commit", "-qm", "the previews script")
    git(work, "clone", "-q", "--bare", str(project), "origin.git")
    main_branch = git(project, "rev-parse", "--abbrev-ref", "HEAD").strip()
    for lang in sitegen.LANGS:
        git(project, "checkout", "-q", "-b", f"l10n/{lang}", main_branch)
        edited = 0
        for path in sorted((project / "translations" / lang).rglob("article-*.md")):
            text = path.read_text(encoding="utf-8")
            body = text.index("\n---\n", 4)
            paragraph = next(p for p in text[body:].split("\n\n") if p and p[0].isalpha() and len(p) > 40)
            path.write_text(text.replace(paragraph, paragraph[::-1].capitalize(), 1), encoding="utf-8")
            edited += 1
            if edited == 3:
                break
        git(project, "commit", "-qam", f"{lang}: a translator's edits")
        git(project, "push", "-q", str(work / "origin.git"), f"l10n/{lang}")
        git(project, "checkout", "-q", main_branch)
    git(work, "clone", "-q", str(work / "origin.git"), "deploy")
    return work / "deploy"


def run(deploy: Path, out: str, full: bool) -> tuple[float, float]:
    shutil.rmtree(deploy / out, ignore_errors=True)
    start = time.perf_counter()
    cmd = [sys.executable, "build-previews", *(["--full"] if full else []), out]
    proc = subprocess.Popen(cmd, cwd=deploy, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = proc.stderr.read() if proc.stderr else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or "no preview" in err or "failed" in err:
        raise SystemExit(f"build-previews failed:\n{err[-3000:]}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="helpglot-previews-bench-"))
    try:
        deploy = prepare(work, args.articles)
        ways = {"full": "previews-full", "incremental": "previews"}
        results: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
        for round_no in range(args.rounds):
            order = list(ways) if round_no % 2 == 0 else list(ways)[::-1]
            for way in order:
                results[way].append(run(deploy, ways[way], full=way == "full"))
                print(f"round {round_no + 1} {way}: {results[way][-1][0]:.1f} s wall, "
                      f"{results[way][-1][1]:.1f} s CPU", flush=True)
        same, files, different = same_files(deploy / "previews-full", deploy / "previews")
        base = {i: statistics.median(r[i] for r in results["full"]) for i in (0, 1)}
        print()
        print(f"{len(sitegen.LANGS)} translation branches, {args.articles} articles x 6 languages, "
              f"{args.rounds} interleaved rounds, medians; load average {os.getloadavg()[0]:.1f}")
        print()
        print("| scripts/build-previews | wall s | CPU s | wall vs full | CPU vs full |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for way in ways:
            wall = statistics.median(r[0] for r in results[way])
            cpu = statistics.median(r[1] for r in results[way])
            print(f"| {way} | {wall:.1f} | {cpu:.1f} | {wall / base[0]:.2f} | {cpu / base[1]:.2f} |")
        print()
        print(f"previews: {files} files, " + ("byte-identical" if same else f"DIFFERENT, e.g. {different}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
