"""Benchmark: how often an error of `helpglot check` is worth a translator's fix, on real
documentation nobody here wrote.

Adopts the FastAPI corpus (../shared/corpora/fastapi, see its README) as a help center in a
temporary folder (English into docs/, each language into translations/<lang>/) with a term base
imported from all five languages' translation guides (``docs/<lang>/llm-prompt.md``, through
``helpglot glossary import GUIDE.md --lang L``: every rule, "keep in English" ones included, no
subset), runs every check, and scores the findings against blind labels (bench/labels/
round*-labels.yml, see bench/labels/README.md): key -> fix | benign | false, given by someone who
saw only the finding's message, severity, language and the two texts. Strict precision = fix /
labelled, with a Wilson 95% interval, per check, severity and language; benign counted apart.

Usage: bench/check_precision.py [--langs es,ru,tr,ja,de] [--corpus DIR] [--list]
       bench/check_precision.py --export-blind FILE [--unlabelled] [--sample 400] [--seed 20]
``--export-blind`` writes the findings as JSON lines for the labeller (see bench/blind.py).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import blind  # noqa: E402

from helpglot.config import load_settings  # noqa: E402
from helpglot.markdown.segment import parse_file  # noqa: E402
from helpglot.qa import madefrom  # noqa: E402
from helpglot.qa import runner as qa  # noqa: E402
from helpglot.terms import glossary as glossary_mod  # noqa: E402
from helpglot.terms import guides, importing  # noqa: E402
from helpglot.tracking.align import align as align_blocks  # noqa: E402

# ../shared/corpora next to the clone (CI), or two levels up (a git worktree under wt/)
CORPUS = next((p / "shared" / "corpora" / "fastapi" for p in (ROOT.parent, ROOT.parent.parent)
               if (p / "shared" / "corpora" / "fastapi").is_dir()), ROOT.parent / "shared" / "corpora" / "fastapi")
LABELS = sorted((ROOT / "bench" / "labels").glob("round*-labels.yml"))
NAMES = {"es": "Español", "ru": "Русский", "tr": "Türkçe", "ja": "日本語", "de": "Deutsch"}

MKDOCS = """site_name: FastAPI corpus
theme: {{name: material}}
plugins:
  - search
  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - {{locale: en, default: true, name: English}}
{langs}
  - helpglot:
      checks:                       # FastAPI's own conventions (see its docs/<lang>/llm-prompt.md)
        localized_links: ["https://fastapi.tiangolo.com/{{lang}}/"]
        code_comments: translated
        translated_fences: [mermaid]
        exclude: {{"_llm-test.md": all}}   # a test page for FastAPI's translation robot, not documentation
"""


def layout(corpus: Path, langs: list[str], dest: Path) -> Path:
    """The corpus as a helpglot help center (English docs/, translations/<lang>/), its term base
    imported from every language's translation guide with ``glossary import GUIDE.md --lang L``."""
    shutil.copytree(corpus / "docs" / "en" / "docs", dest / "docs")
    for lang in langs:
        shutil.copytree(corpus / "docs" / lang / "docs", dest / "translations" / lang)
    rows = "\n".join(f"        - {{locale: {lang}, name: {NAMES.get(lang, lang)}}}" for lang in langs)
    (dest / "mkdocs.yml").write_text(MKDOCS.format(langs=rows), encoding="utf-8")
    (dest / "glossary").mkdir()
    (dest / "glossary" / "terms.yml").write_text("terms:\n", encoding="utf-8")
    for lang in langs:
        guide = corpus / "docs" / lang / "llm-prompt.md"
        if guide.is_file():
            settings = load_settings(str(dest / "mkdocs.yml"))
            imported = guides.read(guide.read_bytes(), str(guide), lang, settings)
            path, text, _ = importing.merge(settings, imported, str(guide))
            Path(path).write_text(text, encoding="utf-8")
    return dest


def contexts(settings, findings) -> dict[str, blind.Context]:  # noqa: ANN001
    """Each finding's file as the checks saw it: its source (as of the version it was made from),
    the translation, and their aligned blocks."""
    out: dict[str, blind.Context] = {}
    for path in sorted({f.path for f in findings}):
        lang, rel = path.split("/", 2)[1:]
        tpath, spath = settings.root / path, settings.docs_dir / rel
        if not spath.is_file():
            continue
        source, translation = parse_file(str(spath), rel), parse_file(str(tpath), path)
        source, _ = madefrom.source_for(spath, source, translation)
        out[path] = blind.Context(source, translation, align_blocks(source, translation, lang).pairs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="es,ru,tr,ja,de")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--export-blind", metavar="PATH", help="write the findings a blind labeller judges "
                        "(JSON lines: key, language, severity, message, source, translation)")
    parser.add_argument("--unlabelled", action="store_true", help="with --export-blind: only findings whose "
                        "key has no label yet")
    parser.add_argument("--sample", type=int, default=400, help="with --export-blind: at most this many, "
                        "a stratified random sample (by check id and language)")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--labels", nargs="*", default=[str(p) for p in LABELS])
    parser.add_argument("--list", action="store_true", help="print each labelled finding with its verdict")
    parser.add_argument("--score-export", metavar="FILE", help="only score an earlier export (e.g. "
                        "bench/labels/round1.jsonl, the code before this work) with the labels, and stop")
    parser.add_argument("--glossary-missing", choices=("english", "consistent", "any", "off"),
                        help="override checks.glossary_missing (default: the project's setting, 'english')")
    args = parser.parse_args()
    langs = args.langs.split(",")
    if args.score_export:
        blind.score_export(Path(args.score_export), blind.read_labels([Path(p) for p in args.labels]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        root = layout(Path(args.corpus), langs, Path(tmp))
        settings = load_settings(str(root / "mkdocs.yml"))
        if args.glossary_missing:
            settings = replace(settings, checks=replace(settings.checks, glossary_missing=args.glossary_missing))
        start = time.perf_counter()
        findings = [f for f in qa.run(settings, tuple(langs)) if not f.suppressed]
        elapsed = time.perf_counter() - start
        ctx = contexts(settings, findings)
        cjk = cjk_with_preferred(findings, ctx, glossary_mod.load(settings))
        n_terms = len(yaml.safe_load((root / "glossary" / "terms.yml").read_text(encoding="utf-8"))["terms"])
    files = sum(1 for lang in langs for _ in (Path(args.corpus) / "docs" / lang / "docs").rglob("*.md"))
    errors = sum(1 for f in findings if f.severity == "error")
    print(f"{files} translations in {', '.join(langs)}, {n_terms} terms imported from their guides: "
          f"{len(findings)} findings ({errors} errors, {errors / files:.3f} per file) in {elapsed:.1f} s")
    per = collections.Counter((f.check, f.severity) for f in findings)
    by_lang = collections.Counter((f.check, f.severity, f.path.split("/")[1]) for f in findings)
    print(f"\n| check | severity | findings | {' | '.join(langs)} |")
    print(f"| --- | --- | --- | {' | '.join('---' for _ in langs)} |")
    for (check, severity), n in sorted(per.items()):
        print(f"| {check} | {severity} | {n} | {' | '.join(str(by_lang[(check, severity, lang)]) for lang in langs)} |")
    print(f"\nja/zh glossary warnings whose block contains the term's preferred rendering: {len(cjk)}"
          + "".join(f"\n  {x}" for x in cjk))
    labels = blind.read_labels([Path(p) for p in args.labels])
    if args.export_blind:
        rows = blind.rows(findings, ctx)
        if args.unlabelled:
            rows = [r for r in rows if r["key"] not in labels]
        picked, info = blind.sample(rows, args.sample, args.seed)
        info["code"] = git_head()
        blind.write_jsonl(Path(args.export_blind), picked, info)
        print(f"\nwrote {len(picked)} of {len(rows)} findings to {args.export_blind}")
    if labels:
        report(findings, ctx, labels, langs, args.list)


def cjk_with_preferred(findings, ctx, terms) -> list[str]:  # noqa: ANN001
    """Glossary warnings in Japanese or Chinese whose translated block has the preferred rendering
    of the term the warning names (the issue's target: none)."""
    out = []
    for f in findings:
        lang = f.path.split("/")[1]
        if f.check != "glossary" or f.severity != "warning" or lang not in ("ja", "zh"):
            continue
        name = blind.subject(f.message)
        _, translation = ctx[f.path].texts(f.line, f.block)
        for t in terms:
            if lang in t.preferred and name.casefold() in (t.source.casefold(), t.preferred[lang].casefold()) \
                    and t.preferred[lang].casefold() in translation.casefold():
                out.append(f"{f.path}:{f.line} {f.message[:100]}")
                break
    return out


def git_head() -> str:
    import subprocess

    done = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip()


def report(findings, ctx, labels: dict, langs: list[str], listing: bool) -> None:  # noqa: ANN001
    """Strict precision (fix / labelled, Wilson 95%) per check, severity and language."""
    score: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    totals: collections.Counter = collections.Counter()
    seen: set[str] = set()
    for f in findings:
        k = blind.finding_key(f, ctx)
        lang = f.path.split("/")[1]
        rule = blind.rule(f.check, f.message)
        names = [f"{f.check} ({f.severity})", f"{f.check} ({f.severity}) {lang}", f"all {f.severity}s",
                 f"all {f.severity}s {lang}", "all"] + ([f"{rule} ({f.severity})"] if rule != f.check else [])
        for name in names:
            totals[name] += 1
        if k in seen:
            continue  # one verdict per key (a key stands for one finding in one block)
        seen.add(k)
        verdict = labels.get(k)
        if verdict is None:
            continue
        if listing:
            print(f"{verdict[0]:6} {f.severity:7} {f.path}:{f.line} [{f.check}] {f.message[:150]} -- {verdict[1]}")
        for name in names:
            score[name][verdict[0]] += 1
    gone = len(set(labels) - seen)
    print(f"\n{len(labels)} labels; {gone} of them for findings the current code no longer gives")
    print("\n| findings | count | labelled | fix | benign | false | strict precision (95% CI) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    order = sorted(totals, key=lambda n: (n == "all", n.startswith("all "), n.split(" (")[0], n))
    for name in order:
        print(blind.strict_line(name, score[name], totals[name]))


if __name__ == "__main__":
    main()
