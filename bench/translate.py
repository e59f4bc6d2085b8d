"""Benchmark: incremental machine translation.

A 30-block article is translated into 5 languages through the real deepl client
against the fake DeepL server (tests/fake_deepl.py); then one paragraph is
edited and the sync runs again. Prints the characters sent on the second run
against the edited paragraph's own length (target <= 1.05) and against
re-translating the whole article, and the requests per language against
ceil(blocks / 50). Usage: bench/translate.py
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from fake_deepl import FakeDeepL  # noqa: E402
from helpglot.markdown.inline import protect  # noqa: E402
from helpglot.markdown.segment import parse_file  # noqa: E402

LANGS = ("es", "ro", "tr", "ru", "lt")
CONFIG = """site_name: Bench
plugins:
  - search
  - i18n:
      docs_structure: suffix
      languages:
        - {{locale: en, default: true, name: English}}
        - {{locale: es, name: Español}}
        - {{locale: ro, name: Română}}
        - {{locale: tr, name: Türkçe}}
        - {{locale: ru, name: Русский}}
        - {{locale: lt, name: Lietuvių}}
  - helpglot:
      engines:
        deepl: {{server_url: '{url}'}}
      defaults: {{engine: deepl}}
      languages:
        ro: {{formality: prefer_more}}
        lt: {{formality: prefer_more}}
"""


def article() -> str:
    parts = ["---\ntitle: Reconcile your bank feed\ndescription: Match every bank transaction to an invoice.\n---"]
    for k in range(7):
        parts.append(f"## Step {k + 1}: review the **unmatched** transactions")
        parts.append(f"Open **Banking > Unmatched** and pick transaction {k + 1}. Tallybird suggests the "
                     "invoice whose amount and customer match; press `Enter` to accept the suggestion.")
        parts.append("1. Check the amount.\n1. Check the [customer](../customers.md#details).")
    parts.append('!!! tip "Save time"\n    Create a rule so that recurring payments match on their own.')
    return "\n\n".join(parts) + "\n"


def helpglot(root: Path, *args: str) -> list[dict]:
    env = {**os.environ, "DEEPL_AUTH_KEY": "bench-key:fx", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([str(Path(sys.executable).parent / "helpglot"), *args], cwd=root, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout)


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="helpglot-translate-bench-"))
    try:
        with FakeDeepL() as fake:
            (work / "mkdocs.yml").write_text(CONFIG.format(url=fake.url), encoding="utf-8")
            (work / "docs").mkdir()
            source = work / "docs" / "reconcile.md"
            source.write_text(article(), encoding="utf-8")
            doc = parse_file(str(source))
            blocks = len(doc.blocks)
            whole = sum(protect(b.text).billable() for b in doc.blocks)
            first = helpglot(work, "translate", "--json")
            first_requests = len(fake.calls("translate"))
            paragraph = next(b for b in doc.blocks if b.kind == "paragraph")
            edited = paragraph.text.replace("pick transaction 1", "select transaction 1")
            source.write_text(source.read_text(encoding="utf-8").replace(paragraph.text, edited), encoding="utf-8")
            second = helpglot(work, "translate", "--json")
            second_requests = len(fake.calls("translate")) - first_requests
            own = protect(edited).billable()
            print(f"article: {blocks} blocks, {whole:,} billable characters; languages: {', '.join(LANGS)}")
            print()
            print("| run | chars sent (all languages) | per language | ratio to edited paragraph | "
                  "ratio to whole article | requests per language | ceil(blocks/50) |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for label, result, requests, n in (("first: whole article", first, first_requests, blocks),
                                               ("second: one paragraph edited", second, second_requests, 1)):
                chars = sum(r["chars_sent"] for r in result)
                per = chars / len(LANGS)
                print(f"| {label} | {chars:,} | {per:,.0f} | {per / own:.2f} | {per / whole:.3f} | "
                      f"{requests / len(LANGS):.1f} | {math.ceil(n / 50)} |")
            print()
            print(f"edited paragraph: {own} billable characters")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
