"""Benchmark: `helpglot status --json` on a generated help center of 10,000
articles in 5 translation languages (60,000 Markdown files).

Prints a table: wall time of the real CLI, files per second, and the ratio
against a bare baseline measured in the same run (reading every file once, no
parsing). Three cases: cold (no status cache, as on a fresh clone in CI), cold
with every translation's provenance fingerprint removed (as if each had been
edited by hand since helpglot wrote it: every file is segmented), and warm
(status cache filled). Usage: bench/status.py [ARTICLES]
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from helpglot.markdown.segment import parse  # noqa: E402
from helpglot.tracking.provenance import BlockRecord, Provenance, write  # noqa: E402

LANGS = ("es", "ro", "tr", "ru", "lt")
MKDOCS = """site_name: Bench
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - {locale: en, default: true, name: English}
        - {locale: es, name: Español}
        - {locale: ro, name: Română}
        - {locale: tr, name: Türkçe}
        - {locale: ru, name: Русский}
        - {locale: lt, name: Lietuvių}
  - helpglot
"""
WORDS = ("invoice payment workspace customer receipt bank feed plan owner admin accountant member "
         "settings billing export report tax currency draft send review team stripe slack api").split()


def sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def article(rng: random.Random, k: int) -> str:
    parts = [f"---\ntitle: Article {k}\ndescription: {sentence(rng, 8)}\n---\n"]
    for section in range(4):
        parts.append(f"## Section {section} of {k}\n")
        parts.append(sentence(rng, 20) + " " + sentence(rng))
        parts.append("\n".join(f"1. {sentence(rng, 6)}" for _ in range(3)))
        if section == 1:
            parts.append('!!! note "Good to know"\n    ' + sentence(rng))
            parts.append("```bash\ntally invoices list --status paid\n```")
        if section == 2:
            parts.append("| Plan | Price |\n| --- | --- |\n| Solo | $9 |\n| Team | $29 |")
    return "\n\n".join(parts) + "\n"


def generate(root: Path, count: int) -> None:
    rng = random.Random(7)
    (root / "mkdocs.yml").write_text(MKDOCS)
    for k in range(count):
        rel = f"cat{k % 20}/article-{k}.md"
        text = article(rng, k)
        src = root / "docs" / rel
        src.parent.mkdir(parents=True, exist_ok=True)
        src.write_text(text)
        doc = parse(text, rel)
        prov = Provenance(source=rel, blocks=tuple(BlockRecord(h, "reviewed") for h in doc.hashes))
        translated = write(doc, prov)
        for lang in LANGS:
            if (k + len(lang)) % 11 == 0:
                continue  # some missing
            out = root / "translations" / lang / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(translated)
        if k % 13 == 0:  # a later source edit: stale everywhere
            src.write_text(text.replace("## Section 1", "## Section one", 1))


def strip_fingerprints(root: Path) -> None:
    """Drop the provenance fingerprints, so that every translation is segmented: the worst case."""
    for path in (root / "translations").rglob("*.md"):
        text = path.read_text()
        path.write_text(re.sub(r"^  fingerprint: .*\n", "", text, count=1, flags=re.M))


def timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(proc.stderr)
    return elapsed, proc.stdout


def baseline(root: Path) -> float:
    start = time.perf_counter()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), "rb") as handle:
                    handle.read()
    return time.perf_counter() - start


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    helpglot = str(Path(sys.executable).parent / "helpglot")
    root = Path(tempfile.mkdtemp(prefix="helpglot-bench-"))
    try:
        t0 = time.perf_counter()
        generate(root, count)
        files = sum(1 for _ in root.rglob("*.md"))
        print(f"generated {count} articles, {files} Markdown files in {time.perf_counter() - t0:.1f}s")
        base = baseline(root)
        cold = [timed([helpglot, "status", "--json", "--no-cache"], root) for _ in range(3)]
        runs = [timed([helpglot, "status", "--json"], root) for _ in range(4)]
        first, warm = runs[:1], runs[1:]  # the first one also writes the status cache
        import json

        strip_fingerprints(root)  # as if a person had edited every translation since helpglot wrote it
        edited = [timed([helpglot, "status", "--json", "--no-cache"], root) for _ in range(3)]
        records = json.loads(cold[0][1])
        assert json.loads(warm[-1][1]) == records, "the cache must not change any result"
        assert json.loads(edited[0][1]) == records, "fingerprints must not change any result"
        states: dict[str, int] = {}
        for record in records:
            states[record["state"]] = states.get(record["state"], 0) + 1
        print()
        print("| measurement (median of 3 runs) | seconds | files/s | ratio to baseline |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| baseline: read every file once | {base:.2f} | {files / base:,.0f} | 1.0 |")
        for label, runs in (("cold: `status --json --no-cache`", cold),
                            ("first `status --json` (no cache yet: writes it; 1 run)", first),
                            ("cold, no translation fingerprint matches (all hand-edited)", edited),
                            ("warm: `status --json`, cache filled", warm)):
            value = sorted(t for t, _ in runs)[len(runs) // 2]
            print(f"| {label} | {value:.2f} | {files / value:,.0f} | {value / base:.1f} |")
        print()
        print(f"records: {len(records)}; states: {states}; cores: {os.cpu_count()}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
