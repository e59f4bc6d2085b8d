"""Benchmark: incremental `helpglot build` and `helpglot serve` on a generated help center.

Figures, as ratios to a full `helpglot build` (`--full`) of the same project measured in the
same run, interleaved (every round runs full, paragraph edit and title edit, in rotated order),
medians:

* one-paragraph edit of an English article, then `helpglot build` (reuses the previous build);
* a title edit of an English article (front matter and heading), then `helpglot build`;
* whenever a round's full build directly follows an incremental one (no edit between), the
  incremental site is compared file by file with the full build's (from the second round on).

With ``--serve`` it also measures `helpglot serve`: a real Chromium (Playwright, /usr/bin/chromium)
shows an English article; the article is saved with a new paragraph and the time until the
browser shows it (live reload) is taken, with one language previewed and with all six.

* with ``--kinds``, also (or instead) a Spanish translator's edit (``translation``: the title of
  one translation) and a build with nothing changed (``nothing``);
* ``warm-paragraph`` and ``warm-title``: the same edits, built by the warm build process
  `helpglot serve` uses (its long-lived language workers, helpglot.site.langworker), started
  before the rounds and warmed by one edit; CPU seconds of its whole process tree per build,
  from /proc (the workers live on between builds, so wait4 cannot count them).

With ``--serve``, each session is run twice, interleaved: with the long-lived workers
(``workers``) and with a forked worker per build as before (``HELPGLOT_LANG_WORKERS=0``: ``forked``);
each session's first save warms it and is not counted.

Usage: bench/incremental.py [--articles 300] [--rounds 3] [--jobs N] [--kinds full,paragraph,title,translation,nothing]
       [--serve] [--serve-edits 3] [--keep DIR [--again]]   (--rounds 0: serve only)
(bench/build.py --incremental runs this.) Run it under `nice` on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build as full_bench  # noqa: E402
import sitegen  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM = os.environ.get("HELPGLOT_CHROMIUM", "/usr/bin/chromium")


def prepare(work: Path, articles: int) -> Path:
    root = work / "helpglot"
    counts = sitegen.generate(root, articles)
    (root / "mkdocs.yml").write_text(sitegen.mkdocs_config(prune=False, helpglot=True), encoding="utf-8")
    (root / ".gitignore").write_text("site/\n.helpglot/\n", encoding="utf-8")
    full_bench.git_commit(root)
    print(f"generated {articles} articles x 6 languages: translations {counts}", flush=True)
    return root


def edit_paragraph(root: Path, k: int, n: int) -> Path:
    path = next((root / "docs").glob(f"category-*/article-{k:04d}.md"))
    lines = path.read_text(encoding="utf-8").split("\n")
    heading = next(i for i, line in enumerate(lines) if line.startswith("# "))
    lines[heading + 2] = lines[heading + 2] + f" Edited paragraph number {n}."
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def edit_title(root: Path, k: int, n: int) -> None:
    path = next((root / "docs").glob(f"category-*/article-{k:04d}.md"))
    text = path.read_text(encoding="utf-8")
    # (the run's marker too: a kept project's titles from an earlier run are never set again unchanged)
    path.write_text(re.sub(r"How to \w+ invoice case", f"How to settle{_RUN}x{n} invoice case", text), encoding="utf-8")


def edit_translation(root: Path, k: int, n: int) -> None:
    """A Spanish translator's edit: the title of one translation."""
    files = sorted((root / "translations" / "es").rglob("article-*.md"))
    path = files[k % len(files)]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^title: (.*)$", lambda m: f"title: {m.group(1)} ({n})", text, count=1, flags=re.M),
                    encoding="utf-8")


def not_built(stderr: str) -> str:
    return ",".join(re.findall(r"(\w+): unchanged, not built", stderr))


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the whole process tree (wait4), and the messages."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err.seek(0)
        stderr = err.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{stderr[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, stderr


def rendered(stderr: str) -> int:
    return sum(int(n) for n in re.findall(r"pages reused, (\d+) rendered", stderr))


KINDS = ("full", "paragraph", "title", "translation", "nothing", "warm-paragraph", "warm-title")
LABELS = {"full": "full `helpglot build --full`", "paragraph": "one-paragraph edit", "title": "title edit",
          "translation": "a Spanish translation's title edit", "nothing": "no edit",
          "warm-paragraph": "one-paragraph edit, long-lived workers", "warm-title": "title edit, long-lived workers"}


def _proc_cpu(pid: int) -> tuple[float, int]:
    """(CPU seconds of the process and of its children it has waited for, its parent's pid)."""
    with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK"), int(fields[1])


def tree_cpu(root_pid: int) -> float:
    """CPU seconds of a process, its children waited for, and its live descendants."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cpu[int(entry)], parents[int(entry)] = _proc_cpu(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total = 0.0
    for pid in cpu:
        walk = pid
        while walk not in (root_pid, 0, 1) and walk in parents:
            walk = parents[walk]
        if walk == root_pid:
            total += cpu[pid]
    return total


class WarmServer:
    """The warm build process of `helpglot serve`, asked for `helpglot build` (every language)."""

    def __init__(self, root: Path, jobs: int) -> None:
        self.jobs = jobs
        self.proc = subprocess.Popen([str(BIN / "python"), "-c", "from helpglot.cli.buildserver import main; main()"],
                                     cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def build(self) -> tuple[float, float, str]:
        import json

        before = tree_cpu(self.proc.pid)
        start = time.perf_counter()
        self.proc.stdin.write(json.dumps(["build", "--jobs", str(self.jobs), "-v"]) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        wall = time.perf_counter() - start
        if answer["code"] != 0:
            raise SystemExit(f"warm build failed:\n{answer['output'][-3000:]}")
        return wall, tree_cpu(self.proc.pid) - before, answer["output"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=120)


def build_rounds(root: Path, rounds: int, jobs: int, started: bool = False,
                 kinds: tuple[str, ...] = ("full", "paragraph", "title")) -> dict[str, list[tuple[float, float, int]]]:
    """Every round: a full build, a paragraph edit and a title edit, in rotated order. Whenever a
    full build follows an incremental one with no edit between (from the second round on), the
    incremental site is compared file by file with the full build's."""
    site = root / "site"
    helpglot = [str(BIN / "helpglot"), "build", "--jobs", str(jobs), "-v"]
    if not started and rounds:
        timed(helpglot + ["--full"], root)  # the previous build every incremental one starts from
    results: dict[str, list[tuple[float, float, int]]] = {kind: [] for kind in kinds}
    kinds = list(results)
    previous = "full"
    warm = None
    for round_no in range(rounds):
        order = kinds[round_no % len(kinds):] + kinds[:round_no % len(kinds)]
        for kind in order:
            k = 5 + 7 * round_no + kinds.index(kind)
            if kind.startswith("warm-") and warm is None:
                # started at its first use; its first build (of another edit) warms the workers: not counted
                warm = WarmServer(root, jobs)
                edit_paragraph(root, 4, 900 + round_no)
                warm.build()
            if kind.endswith("paragraph"):
                edit_paragraph(root, k, round_no)
            elif kind.endswith("title"):
                edit_title(root, k, round_no)
            elif kind == "translation":
                edit_translation(root, k, round_no)
            snapshot = root.parent / "incremental-site"
            if kind == "full" and previous != "full":
                shutil.rmtree(snapshot, ignore_errors=True)
                subprocess.run(["cp", "-al", str(site), str(snapshot)], check=True)  # hard links: the same bytes
            if kind.startswith("warm-"):
                wall, cpu, err = warm.build()
            else:
                wall, cpu, err = timed(helpglot + (["--full"] if kind == "full" else []), root)
            results[kind].append((wall, cpu, rendered(err)))
            print(f"round {round_no + 1} {kind}: {wall:.1f} s wall, {cpu:.1f} s CPU, {rendered(err)} pages rendered"
                  + (f", not built: {not_built(err)}" if not_built(err) else ""), flush=True)
            if kind == "full" and previous != "full":
                same, count, different = full_bench.same_files(site, snapshot)
                print(f"the {previous}-edit incremental site vs the full build after it: {count} files, "
                      + ("byte-identical" if same else f"DIFFERENT, e.g. {different}"), flush=True)
                shutil.rmtree(snapshot, ignore_errors=True)
            previous = kind
    if warm is not None:
        warm.close()
    return results


_RUN = int(time.time()) % 1000  # a marker no earlier run (--again) left in the file


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_times(root: Path, langs: list[str], edits: int, jobs: int, workers: bool = True) -> list[float]:
    """Seconds from saving an English article to the browser showing the new paragraph (the
    session's first save warms it and is not counted)."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    cmd = [str(BIN / "helpglot"), "serve", "--dev-addr", f"127.0.0.1:{port}", "--jobs", str(jobs), "--no-follow"]
    for code in langs:
        cmd += ["--lang", code]
    log = open(root.parent / f"serve-{len(langs)}-{workers}.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                   "HELPGLOT_LANG_WORKERS": "1" if workers else "0"})
    times = []
    try:
        url = f"http://127.0.0.1:{port}/category-3/article-0013/"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page()
            deadline = time.time() + 3600  # the first build (of every page) on a busy machine
            while True:
                try:
                    page.goto(url, timeout=600_000)
                    break
                except Exception:  # noqa: BLE001 - the server is still doing its first build
                    if time.time() > deadline:
                        raise
                    time.sleep(1)
            for n in range(edits + 1):
                # never a paragraph an earlier session left in the file
                number = _RUN * 10_000_000 + 100_000 * len(langs) + 10_000 * workers + n
                marker = f"Edited paragraph number {number}."
                start = time.perf_counter()
                edit_paragraph(root, 13, number)
                page.wait_for_function(f"document.body && document.body.innerText.includes({marker!r})",
                                       timeout=600_000)
                took = time.perf_counter() - start
                if n:
                    times.append(took)
                print(f"serve ({', '.join(langs)}, {'workers' if workers else 'forked'}): edit {n + 1} visible after "
                      f"{took:.2f} s{'' if n else ' (warming, not counted)'}", flush=True)
                time.sleep(1)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--serve", action="store_true", help="also measure helpglot serve in Chromium")
    parser.add_argument("--serve-edits", type=int, default=3)
    parser.add_argument("--serve-langs", default="en,six", help="serve sessions: en (English only), six (all)")
    parser.add_argument("--kinds", default="full,paragraph,title",
                        help=f"the builds of each round, from {', '.join(KINDS)} (full is the baseline)")
    parser.add_argument("--keep", help="keep the generated project in this folder")
    parser.add_argument("--again", action="store_true",
                        help="with --keep: go on with the project (and its last build) a previous run kept there")
    args = parser.parse_args()
    kinds = tuple(dict.fromkeys(["full", *args.kinds.split(",")])) if args.rounds else ("full",)
    if any(kind not in KINDS for kind in kinds):
        parser.error(f"--kinds: choose from {', '.join(KINDS)}")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="helpglot-incremental-bench-"))
    load = os.getloadavg()[0]
    try:
        # the kept project; the rounds go on from its last build's site, or build one first
        again = args.again and (work / "helpglot" / "mkdocs.yml").exists()
        root = work / "helpglot" if again else prepare(work, args.articles)
        results = build_rounds(root, args.rounds, args.jobs, started=again and (root / "site").exists(), kinds=kinds)
        serve = {}
        if args.serve:
            six = list(sitegen.LANGS) + ["en"]
            sets = {"en": ("English only", ["en"]), "six": ("all six", six)}
            for label, langs in (sets[name] for name in args.serve_langs.split(",")):
                for workers in (False, True):  # interleaved: before and after, same project, same run
                    name = f"{label}, {'long-lived workers' if workers else 'forked per build (before)'}"
                    serve[name] = serve_times(root, langs, args.serve_edits, args.jobs, workers)
        report(args, results, serve, load)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(args: argparse.Namespace, results: dict, serve: dict[str, list[float]], load: float) -> None:
    print()
    print(f"{args.articles} articles x 6 languages, {args.rounds} interleaved rounds, medians; --jobs {args.jobs}; "
          f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print()
    if results["full"]:
        builds_table(results)
    if serve:
        print()
        print("| `helpglot serve` | save to visible in the browser, median s | each |")
        print("| --- | ---: | --- |")
        for label, times in serve.items():
            print(f"| {label} | {statistics.median(times):.2f} | {', '.join(f'{t:.2f}' for t in times)} |")


def builds_table(results: dict) -> None:
    full = statistics.median(r[0] for r in results["full"])
    full_cpu = statistics.median(r[1] for r in results["full"])
    print("| build | wall s | CPU s | pages rendered | wall vs full `helpglot build` | CPU vs full |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in results:
        label = LABELS[kind]
        wall = statistics.median(r[0] for r in results[kind])
        cpu = statistics.median(r[1] for r in results[kind])
        pages = statistics.median(r[2] for r in results[kind])
        print(f"| {label} | {wall:.1f} | {cpu:.1f} | {pages:.0f} | {wall / full:.2f} | {cpu / full_cpu:.2f} |")


if __name__ == "__main__":
    main()
