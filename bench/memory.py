"""Benchmark: characters sent to the engine with and without the translation memory.

For each language, every translated article is drafted anew (leave one out): without memory every
block's billable characters go to the engine (identical blocks within the article sent once, as the
runner does); with memory, a block is reused when :meth:`helpglot.drafting.memory.Memory.match` finds
it among the reviewed blocks of the *other* articles (in context, "ice", or exact, "tm"). The memory is
the same code drafting uses; only the article's own blocks are left out of it. Prints a table per
corpus: the sample help center (as committed) and FastAPI's docs (laid out and adopted as
bench/adopt.py does, so its translations count as reviewed).

Usage: bench/memory.py [--langs es,ru,tr,ja,de] [--corpus DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from check_precision import CORPUS, layout  # noqa: E402

from helpglot import layout as layout_mod  # noqa: E402
from helpglot.config import load_settings  # noqa: E402
from helpglot.drafting import memory as memory_mod  # noqa: E402
from helpglot.markdown.inline import protect  # noqa: E402
from helpglot.markdown.segment import parse_file  # noqa: E402
from helpglot.review import bookkeeping as tracking  # noqa: E402


def measure(settings, lang: str) -> dict:  # noqa: ANN001
    full = memory_mod.load(settings, lang, tmx=False)
    out = {"articles": 0, "blocks": 0, "without": 0, "with": 0, "ice": 0, "tm": 0}
    for tf in layout_mod.translation_files(settings, (lang,)):
        if not tf.has_source:
            continue
        shown = settings.rel(tf.path)
        others = memory_mod.Memory()
        for entry in full.entries:
            if entry.origin != shown:
                others.add(entry)
        source = parse_file(str(tf.source), settings.rel(tf.source))
        out["articles"] += 1
        sent_plain: set[str] = set()
        sent_memory: set[str] = set()
        for i, block in enumerate(source.blocks):
            if not block.text.strip():
                continue
            out["blocks"] += 1
            text = protect(block.text)
            chars = text.billable()
            if text.text not in sent_plain:
                sent_plain.add(text.text)
                out["without"] += chars
            hit = others.match(source, i)
            if hit is not None:
                out[hit[1]] += 1
            elif text.text not in sent_memory:
                sent_memory.add(text.text)
                out["with"] += chars
    return out


def table(name: str, rows: dict[str, dict]) -> None:
    print(f"\n{name}\n")
    print("| language | articles | blocks | chars sent, no memory | chars sent, memory | saved | ICE reuses | "
          "exact reuses |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    total = {"articles": 0, "blocks": 0, "without": 0, "with": 0, "ice": 0, "tm": 0}
    for lang, r in rows.items():
        for key in total:
            total[key] += r[key]
        print(_row(lang, r))
    print(_row("all", total))


def _row(label: str, r: dict) -> str:
    saved = 1 - r["with"] / r["without"] if r["without"] else 0.0
    return (f"| {label} | {r['articles']} | {r['blocks']} | {r['without']:,} | {r['with']:,} | {saved:.1%} | "
            f"{r['ice']} | {r['tm']} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="es,ru,tr,ja,de")
    parser.add_argument("--corpus", default=str(CORPUS))
    args = parser.parse_args()
    sample = load_settings(str(ROOT / "mkdocs.yml"))
    table("sample help center (leave-one-article-out memory of reviewed blocks)",
          {lang: measure(sample, lang) for lang in sample.targets})
    langs = args.langs.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        root = layout(Path(args.corpus), langs, Path(tmp))
        for path in root.rglob("*"):
            path.chmod(path.stat().st_mode | 0o200)
        settings = load_settings(str(root / "mkdocs.yml"))
        tracking.apply(tracking.plan_adopt(settings, [str(root / "translations")], "bench", dt.date(2026, 1, 1),
                                           refused=[]))
        table(f"FastAPI docs ({', '.join(langs)}; adopted translations as the memory, leave one article out)",
              {lang: measure(settings, lang) for lang in langs})


if __name__ == "__main__":
    main()
