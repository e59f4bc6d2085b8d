"""Benchmark: how often `helpglot check` is right on real documentation nobody here wrote.

Adopts the FastAPI corpus (../shared/corpora/fastapi, see its README) as a help center in a
temporary folder (English into docs/, each language into translations/<lang>/, a glossary made
from the terms its translation guides keep in English), runs every check over it, and scores
the findings against the committed labels (bench/labels/fastapi.yml: finding id ->
true | benign | false, read and judged by a person). A finding's id is stable across runs:
``lang/path:check:sha1(message)[:8]``, so a label survives line shifts but not a changed
message. Prints findings per check and language, then precision per check on the labelled
sample (true or benign = worth a look).

Usage: bench/check_precision.py [--langs es,ru,tr,ja,de] [--dump FILE] [--corpus DIR]
``--dump FILE`` writes every finding (id, severity, path, line, message) as YAML for labelling.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from helpglot.config import load_settings  # noqa: E402
from helpglot.qa import runner as qa  # noqa: E402

# ../shared/corpora next to the clone (CI), or two levels up (a git worktree under wt/)
CORPUS = next((p / "shared" / "corpora" / "fastapi" for p in (ROOT.parent, ROOT.parent.parent)
               if (p / "shared" / "corpora" / "fastapi").is_dir()), ROOT.parent / "shared" / "corpora" / "fastapi")
LABELS = ROOT / "bench" / "labels" / "fastapi.yml"
NAMES = {"es": "Español", "ru": "Русский", "tr": "Türkçe", "ja": "日本語", "de": "Deutsch"}
# terms FastAPI's translation guides (docs/<lang>/llm-prompt.md) keep in English everywhere
# (product names only: "JSON Schema" is kept by the es guide alone, "Swagger UI" is "Swagger-Oberfläche" in de)
DNT = ["FastAPI", "Pydantic", "Starlette", "Uvicorn", "OpenAPI", "ReDoc", "Python", "Docker", "Kubernetes", "GitHub"]

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
    """The corpus as a helpglot help center (English docs/, translations/<lang>/)."""
    shutil.copytree(corpus / "docs" / "en" / "docs", dest / "docs")
    for lang in langs:
        shutil.copytree(corpus / "docs" / lang / "docs", dest / "translations" / lang)
    rows = "\n".join(f"        - {{locale: {lang}, name: {NAMES.get(lang, lang)}}}" for lang in langs)
    (dest / "mkdocs.yml").write_text(MKDOCS.format(langs=rows), encoding="utf-8")
    (dest / "glossary").mkdir()
    terms = [{"en": term, "dnt": True} for term in DNT] + guide_terms(corpus, langs)
    (dest / "glossary" / "terms.yml").write_text(yaml.safe_dump({"terms": terms}, allow_unicode=True),
                                                 encoding="utf-8")
    return dest


# "* framework: framework (do not translate to "marco")"; entries whose English names a sense
# ("code (verb)", "body (meaning ...)") are left out: a term base needs one sense per entry
_GUIDE = re.compile(r"^\* ([^:(]+?)\s*:\s*([^(`\n]+?)\s*(?:\((.*)\))?\s*$")
# the guide written as a term list with deprecated renderings; ru's lists preferred forms its own
# translators do not follow ("request: HTTP-запрос"), de's is a style guide ("the X: der X")
GUIDES = ("es",)
ADMONITIONS = {"tip", "check", "note", "info", "warning", "danger"}


def guide_terms(corpus: Path, langs: list[str]) -> list[dict]:
    """Terms from each language's translation guide (docs/<lang>/llm-prompt.md): "* framework:
    framework (do not translate to "marco")" gives a preferred and deprecated renderings."""
    by_en: dict[str, dict] = {}
    for lang in (x for x in langs if x in GUIDES):
        guide = corpus / "docs" / lang / "llm-prompt.md"
        if not guide.is_file():
            continue
        for line in guide.read_text(encoding="utf-8").splitlines():
            m = _GUIDE.match(line.strip())
            if not m or "/" in m.group(1) or m.group(1).strip().startswith("the "):
                continue
            en, target, note = m.group(1).strip(), m.group(2).strip(), m.group(3) or ""
            if en.lower() in ADMONITIONS:
                continue  # "tip: Consejo", "check: Revisa": the titles of /// blocks, not terms in running text
            if not en or not target or en.lower() == target.lower() or len(en.split()) > 3:
                continue
            deprecated = re.findall(r'"([^"]+)"', note) if re.search(r"do not translate to|avoid", note) else []
            entry = by_en.setdefault(en.lower(), {"en": en, "translations": {}})
            if lang in entry["translations"]:
                continue
            entry["translations"][lang] = {"preferred": target, "deprecated": deprecated} if deprecated else target
    return list(by_en.values())


def finding_id(f) -> str:  # noqa: ANN001
    digest = hashlib.sha1(f.message.encode("utf-8")).hexdigest()[:8]
    return f"{f.path.removeprefix('translations/')}:{f.check}:{digest}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="es,ru,tr,ja,de")
    parser.add_argument("--dump")
    parser.add_argument("--corpus", default=str(CORPUS))
    args = parser.parse_args()
    langs = args.langs.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        root = layout(Path(args.corpus), langs, Path(tmp))
        settings = load_settings(str(root / "mkdocs.yml"))
        start = time.perf_counter()
        findings = [f for f in qa.run(settings, tuple(langs)) if not f.suppressed]
        elapsed = time.perf_counter() - start
    files = sum(1 for lang in langs for _ in (Path(args.corpus) / "docs" / lang / "docs").rglob("*.md"))
    print(f"{files} translations in {', '.join(langs)}: {len(findings)} findings in {elapsed:.1f} s")
    per = collections.Counter((f.check, f.severity) for f in findings)
    by_lang = collections.Counter((f.check, f.severity, f.path.split("/")[1]) for f in findings)
    print(f"\n| check | severity | findings | {' | '.join(langs)} |")
    print(f"| --- | --- | --- | {' | '.join('---' for _ in langs)} |")
    for (check, severity), n in sorted(per.items()):
        print(f"| {check} | {severity} | {n} | {' | '.join(str(by_lang[(check, severity, lang)]) for lang in langs)} |")
    if args.dump:
        rows = [{"id": finding_id(f), "severity": f.severity, "at": f"{f.path}:{f.line}", "message": f.message}
                for f in findings]
        Path(args.dump).write_text(yaml.safe_dump(rows, allow_unicode=True, width=200, sort_keys=False),
                                   encoding="utf-8")
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    # YAML reads true/false as booleans: they are the verdicts "true" and "false"
    labels = {k: {True: "true", False: "false"}.get(v, v) for k, v in (labels or {}).items()}
    if not labels:
        return
    seen = {finding_id(f): f for f in findings}
    score: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for fid, verdict in labels.items():
        f = seen.get(fid)
        if f is None:
            score["(gone)"][verdict] += 1  # the finding no longer appears: labelled, not scored
            continue
        names = (f.check, f"{f.check} ({f.severity}s)", "all")
        for name in names + (("all but safety",) if f.check != "safety" else ()):
            score[name][verdict] += 1
    unlabelled = sorted({fid for fid in seen if fid not in labels})
    print(f"\n{len(unlabelled)} finding id(s) without a label (label them in {LABELS.relative_to(ROOT)})"
          + "".join(f"\n  {fid}: {seen[fid].path}:{seen[fid].line} {seen[fid].message}" for fid in unlabelled))
    print("\n| check | labelled | true | benign | false | precision (true or benign) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in sorted(score, key=lambda n: (n in ("all", "all but safety", "(gone)"), n)):
        c = score[name]
        n = sum(c.values())
        good = c["true"] + c["benign"]
        shown = f"{good / n:.0%}" if name != "(gone)" else "-"
        print(f"| {name} | {n} | {c['true']} | {c['benign']} | {c['false']} | {shown} |")


if __name__ == "__main__":
    main()
