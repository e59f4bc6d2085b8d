"""Search ranks in seconds, without a browser: the worker (helpglot-search.js) run in Node over a
site that ``bench/search.py --keep DIR`` built, for every query of a set (``--set`` as there).

Why: the browser bench types every query letter by letter in Chromium and takes a quarter of an
hour on a busy machine; the ranks and "Missing" lines depend only on the worker and the index, so
a change can be judged on the per-query table at once, and the browser bench run at the end. It
gives the same ranks as the browser bench (checked on the customers set, 2026-12-07); bytes here
are the last query's alone (not typed letter by letter), so only the browser bench reports bytes.

Usage: bench/search_node.py DIR [--set NAME|FILE.yml] [--worker FILE.js]   (DIR: the --keep folder)
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import search as bench  # noqa: E402  (bench/search.py: query sets, false_missing)


def main() -> None:
    args = sys.argv[1:]
    if not args:
        raise SystemExit(__doc__)
    site = Path(args[0]) / "chunked"
    worker = Path(bench.option(args, "--worker") or bench.WORKER)
    queries = yaml.safe_load(bench.query_file(bench.option(args, "--set") or "customers").read_text(encoding="utf-8"))
    queries = {lang: rows for lang, rows in queries.items() if lang in bench.LANGS}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(queries, handle, ensure_ascii=False)
    proc = subprocess.run(["node", str(HERE / "search_node.js"), str(site), str(worker), handle.name],
                          capture_output=True, text=True, check=True)
    Path(handle.name).unlink()
    out = json.loads(proc.stdout)
    for row in out:
        row["false_missing"] = [w for loc, words in row["missing"] if words for w in bench.false_missing(
            site, row["lang"], "/" + ("" if row["lang"] == "en" else row["lang"] + "/") + loc.lstrip("/"), words)]
    print("| language | answerable in top 3 | English-only answers in top 3 | no-answer queries with results "
          "| false missing |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for lang in [*queries, "all"]:
        rows = [r for r in out if lang in ("all", r["lang"])]
        answerable = [r for r in rows if r["expect"]]
        english = [r for r in answerable if r["kind"] == "english-only"]
        none = [r for r in rows if not r["expect"]]

        def top3(found: list[dict]) -> str:
            return f"{sum(1 for r in found if r['rank'] and r['rank'] <= 3)}/{len(found)}"

        print(f"| {lang} | {top3(answerable)} | {top3(english)} | {sum(1 for r in none if r['shown'])}/{len(none)} "
              f"| {sum(len(r['false_missing']) for r in rows)} |")
    print("\nMisses (rank, or results shown for a no-answer query):")
    for r in out:
        if (r["expect"] and not (r["rank"] and r["rank"] <= 3)) or (not r["expect"] and r["shown"]):
            print(f"  {r['lang']} {r['kind']:13} {r['q']!r}: rank {r['rank']}, {r['shown']} shown, top {r['top']}"
                  + (f", corrected to {r['corrected']!r}" if r["corrected"] else ""))


if __name__ == "__main__":
    main()
