"""Run the bad-input matrix (tests/badinputs.py) and print its outcomes by verb and in total.

    .venv/bin/python bench/bad_inputs.py [-j 2] [--show OUTCOME]

Every case should be "refused" (or "reported" where it says so); anything else is a bug.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from badinputs import CASES, OUTCOMES, make_template, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--show", action="append", default=[], help="print the output of cases with this outcome")
    parser.add_argument("-k", default="", help="only cases whose id contains this")
    args = parser.parse_args()
    cases = [case for case in CASES if args.k in case.id]
    with tempfile.TemporaryDirectory() as tmp:
        template = make_template(Path(tmp) / "template", ROOT)

        def one(item):
            n, case = item
            work = Path(tmp) / f"case{n}"
            work.mkdir()
            return case, run_case(case, template, work)

        with ThreadPoolExecutor(args.jobs) as pool:
            results = list(pool.map(one, enumerate(cases)))
    by_verb: dict[str, Counter] = defaultdict(Counter)
    for case, result in results:
        by_verb[case.id.split(":")[0]][result.outcome] += 1
        if result.outcome in args.show or (args.show == ["bad"] and result.outcome not in ("refused", "reported")):
            print(f"--- {case.id} [{result.outcome}, exit {result.exit}] {' '.join(case.argv)}")
            print("    changed:", ", ".join(result.changed) or "nothing")
            print("   ", result.output.strip()[-600:].replace("\n", "\n    "))
    shown = [o for o in OUTCOMES if any(c[o] for c in by_verb.values())]
    print(f"\n| verb | {' | '.join(shown)} |\n|---|{'---|' * len(shown)}")
    total: Counter = Counter()
    for verb, counts in sorted(by_verb.items()):
        total.update(counts)
        print(f"| {verb} | {' | '.join(str(counts[o]) for o in shown)} |")
    print(f"| **all {len(results)}** | {' | '.join(str(total[o]) for o in shown)} |")
    return 0 if set(total) <= {"refused", "reported"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
