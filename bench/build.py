"""Benchmark: `mkdocs build` of the sample help center with helpglot, against a
plain mkdocs-static-i18n build of the same pages laid out in i18n's own suffix
structure (docs/x.es.md), same theme settings, measured in the same run; and
the size of the search index a Spanish page loads before and after the split.

Usage: bench/build.py [RUNS]   (prints a Markdown table)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def plain_project(dest: Path) -> None:
    """The sample as a plain static-i18n site: suffix files, no helpglot plugin."""
    shutil.copytree(ROOT / "docs", dest / "docs")
    for lang_dir in (ROOT / "translations").iterdir():
        for file in lang_dir.rglob("*.md"):
            rel = file.relative_to(lang_dir)
            target = dest / "docs" / rel.with_suffix(f".{lang_dir.name}.md")
            target.write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    for file in (dest / "docs").rglob("*.md"):  # the home template is helpglot's
        text = file.read_text(encoding="utf-8")
        file.write_text(re.sub(r"^template: helpglot-home.html\n", "", text, flags=re.M), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"\n  - helpglot:\n(?:      .*\n)*", "\n", config)
    config = config.replace("      reconfigure_search: false\n", "")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")


def helpglot_project(dest: Path) -> None:
    for name in ("docs", "translations"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")


def build(project: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run([MKDOCS, "build", "-q", "--site-dir", str(project / "site")],
                          cwd=project, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    work = Path(tempfile.mkdtemp(prefix="helpglot-build-bench-"))
    try:
        plain, ours = work / "plain", work / "helpglot"
        plain_project(plain)
        helpglot_project(ours)
        times: dict[str, list[float]] = {"plain": [], "helpglot": []}
        build(plain), build(ours)  # warm caches and imports once
        for _ in range(runs):  # interleave so machine noise hits both alike
            times["plain"].append(build(plain))
            times["helpglot"].append(build(ours))
        p, h = statistics.median(times["plain"]), statistics.median(times["helpglot"])
        pages = sum(1 for _ in (ours / "site").rglob("index.html"))
        merged = (plain / "site" / "search" / "search_index.json").stat().st_size
        split = (ours / "site" / "es" / "search" / "search_index.json").stat().st_size
        merged_docs = len(json.loads((plain / "site" / "search" / "search_index.json").read_text())["docs"])
        split_docs = len(json.loads((ours / "site" / "es" / "search" / "search_index.json").read_text())["docs"])
        print(f"sample help center: {pages} pages in 6 languages, {runs} builds each, median")
        print()
        print("| build | median s | min s | ratio to plain |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| plain static-i18n (suffix layout) | {p:.2f} | {min(times['plain']):.2f} | 1.00 |")
        print(f"| helpglot (translations/ + plugin) | {h:.2f} | {min(times['helpglot']):.2f} | {h / p:.2f} |")
        print()
        print("| search index a Spanish page loads | bytes | entries | ratio |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| before: static-i18n merged /search/search_index.json | {merged:,} | {merged_docs} | 1.00 |")
        print(f"| after: helpglot /es/search/search_index.json | {split:,} | {split_docs} | {split / merged:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
