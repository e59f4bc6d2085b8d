"""Benchmark: does `helpglot check` find the defects translators and engines really make?

Adopts the FastAPI corpus like bench/check_precision.py (same settings, same term base imported
from the five translation guides), then injects one defect at a time into a real translation,
runs the checks on that file, and counts the defect found when a finding appears that the
untouched file does not have (compared by check and message, so an old finding elsewhere in the
file does not count). Kinds, each tried on the first suitable block of several files in each
language (files in sorted order, so a run is reproducible):

dropped list item, changed number, removed link, swapped link targets (two links of one
paragraph), replaced term (the guide's preferred rendering replaced by a common synonym),
deprecated cognate (the preferred rendering replaced by a deprecated one), unclosed ``///``,
untranslated paragraph, short English leftover (a translated heading or list item of fewer than
6 words put back in English), half-cut paragraph, dropped code span, swapped URL (a link's
target replaced by another page's), changed ``{* ... *}`` include path.

Usage: bench/check_recall.py [--per-kind 3] [--langs es,ru,tr,ja,de] [--list]
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from check_precision import CORPUS, layout  # noqa: E402

from helpglot.config import load_settings  # noqa: E402
from helpglot.markdown.segment import parse  # noqa: E402
from helpglot.qa import runner as qa  # noqa: E402
from helpglot.terms import glossary as glossary_mod  # noqa: E402

# what a translator or an engine writes instead of the rendering a guide prefers
SYNONYMS = {"es": {"request": "petición", "response": "respuesta", "path": "camino"},
            "ru": {"запрос": "обращение", "ответ": "отклик", "путь": "маршрут"},
            "tr": {"request": "istek", "response": "yanıt", "path": "yol"},
            "ja": {"リクエスト": "要求", "レスポンス": "応答"},
            "de": {"Request": "Anfrage", "Response": "Antwort", "Header": "Kopfzeile"}}
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"`[^`\n]+`")
_NUMBER = re.compile(r"(?<![\w.])(\d{1,4})(?![\w.])")
_INCLUDE = re.compile(r"\{\*\s*(\S+?)(\d{3})(\.py)")


def lines_of(text: str, block) -> tuple[int, int]:  # noqa: ANN001
    return text.count("\n", 0, block.start), text.count("\n", 0, block.end)


Mutation = Callable[[str, str, object, object], str | None]


def _blocks(src_text: str, tr_text: str):  # noqa: ANN202
    from helpglot.tracking.align import align

    source, translation = parse(src_text, "s.md"), parse(tr_text, "t.md")
    pairs = align(source, translation, "").pairs
    return [(translation.blocks[t], source.blocks[s]) for t, s in pairs], translation


def replace_block(tr_text: str, block, new: str) -> str:  # noqa: ANN001
    return tr_text[: block.start] + new + tr_text[block.end :]


def dropped_list_item(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    pairs, doc = _blocks(src, tr)
    items = [b for b in doc.blocks if b.kind == "list_item" and not b.context[1:]]
    for k in range(1, len(items) - 1):
        b = items[k]
        if items[k - 1].detail == b.detail == items[k + 1].detail:
            lines = tr.split("\n")
            first, last = lines_of(tr, b)
            return "\n".join(lines[:first] + lines[last + 1 :])
    return None


def changed_number(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, sb in _blocks(src, tr)[0]:
        for m in _NUMBER.finditer(tb.text):
            if m.group(1) in _NUMBER.findall(sb.text) and int(m.group(1)) > 10:
                new = tb.text[: m.start()] + str(int(m.group(1)) + 1) + tb.text[m.end() :]
                return replace_block(tr, tb, new)
    return None


def removed_link(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, _ in _blocks(src, tr)[0]:
        m = _LINK.search(tb.text)
        if m and tb.kind == "paragraph":
            return replace_block(tr, tb, tb.text[: m.start()] + m.group(1) + tb.text[m.end() :])
    return None


def swapped_link_targets(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, _ in _blocks(src, tr)[0]:
        links = list(_LINK.finditer(tb.text))
        if len(links) >= 2 and links[0].group(2) != links[1].group(2):
            a, b = links[0], links[1]
            new = (tb.text[: a.start(2)] + b.group(2) + tb.text[a.end(2) : b.start(2)] + a.group(2)
                   + tb.text[b.end(2) :])
            return replace_block(tr, tb, new)
    return None


def replaced_term(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, sb in _blocks(src, tr)[0]:
        for word, other in SYNONYMS[lang].items():
            pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)" if lang != "ja" else re.escape(word))
            hits = pattern.findall(tb.text)
            english = next(t.source for t in terms if t.preferred.get(lang, "").endswith(word)) \
                if any(t.preferred.get(lang, "").endswith(word) for t in terms) else None
            if len(hits) == 1 and english and len(re.findall(rf"\b{english}s?\b", sb.text, re.I)) == 1 \
                    and "`" not in tb.text and "<" not in tb.text:
                return replace_block(tr, tb, pattern.sub(other, tb.text))
    return None


def deprecated_cognate(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    candidates = [(t, t.preferred[lang], t.deprecated[lang][0]) for t in terms
                  if t.deprecated.get(lang) and lang in t.preferred]
    for tb, sb in _blocks(src, tr)[0]:
        for term, good, bad in candidates:
            if len(re.findall(rf"(?<!\w){re.escape(good)}(?!\w)", tb.text)) == 1 \
                    and len(re.findall(rf"\b{re.escape(term.source)}\b", sb.text, re.I)) == 1:
                return replace_block(tr, tb, re.sub(rf"(?<!\w){re.escape(good)}(?!\w)", bad, tb.text))
    return None


def unclosed_block(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    lines = tr.split("\n")
    for k, line in enumerate(lines):
        if line.strip() == "///":
            return "\n".join(lines[:k] + lines[k + 1 :])
    return None


def untranslated_paragraph(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, sb in _blocks(src, tr)[0]:
        if tb.kind == "paragraph" and len(sb.text.split()) >= 8 and tb.text != sb.text and not tb.context:
            return replace_block(tr, tb, sb.text)
    return None


def short_english_leftover(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, sb in _blocks(src, tr)[0]:
        words = re.findall(r"[A-Za-z]+", sb.text)
        if tb.kind in ("heading", "list_item") and 2 <= len(sb.text.split()) < 6 and len(words) >= 2 \
                and "`" not in sb.text and tb.text.casefold() != sb.text.casefold() and "[" not in sb.text:
            return replace_block(tr, tb, sb.text)
    return None


def half_cut_paragraph(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, sb in _blocks(src, tr)[0]:
        if tb.kind == "paragraph" and len(sb.text.split()) >= 30 and "\n" not in tb.text:
            cut = tb.text[: len(tb.text) // 2]
            cut = cut[: cut.rfind(" ")] if " " in cut else cut
            return replace_block(tr, tb, cut)
    return None


def dropped_code_span(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, _sb in _blocks(src, tr)[0]:
        codes = _CODE.findall(tb.text)
        if codes and tb.kind == "paragraph" and tb.text.count(codes[0]) == 1:
            return replace_block(tr, tb, tb.text.replace(codes[0], "", 1))
    return None


def swapped_url(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    for tb, _ in _blocks(src, tr)[0]:
        m = _LINK.search(tb.text)
        if m and m.group(2).startswith("http"):
            other = "https://example.org/other-page/" if "example.org" not in m.group(2) else "https://example.com/"
            return replace_block(tr, tb, tb.text[: m.start(2)] + other + tb.text[m.end(2) :])
    return None


def changed_include(src: str, tr: str, lang: str, terms) -> str | None:  # noqa: ANN001
    m = _INCLUDE.search(tr)
    if not m:
        return None
    number = int(m.group(2))
    return tr[: m.start(2)] + f"{number + 1:03d}" + tr[m.end(2) :]


KINDS: dict[str, Mutation] = {
    "dropped list item": dropped_list_item, "changed number": changed_number, "removed link": removed_link,
    "swapped link targets": swapped_link_targets, "replaced term": replaced_term,
    "deprecated cognate": deprecated_cognate, "unclosed ///": unclosed_block,
    "untranslated paragraph": untranslated_paragraph, "short English leftover": short_english_leftover,
    "half-cut paragraph": half_cut_paragraph, "dropped code span": dropped_code_span, "swapped URL": swapped_url,
    "changed include path": changed_include,
}


def signature(findings) -> collections.Counter:  # noqa: ANN001
    return collections.Counter((f.check, f.severity, re.sub(r":\d+\b", ":N", f.message))
                               for f in findings if not f.suppressed)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--langs", default="es,ru,tr,ja,de")
    parser.add_argument("--per-kind", type=int, default=1, help="files per kind and language")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--glossary-missing", choices=("english", "consistent", "any", "off"),
                        help="override checks.glossary_missing (default: the project's setting, 'english')")
    args = parser.parse_args()
    langs = args.langs.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        root = layout(CORPUS, langs, Path(tmp))
        settings = load_settings(str(root / "mkdocs.yml"))
        if args.glossary_missing:
            settings = replace(settings, checks=replace(settings.checks, glossary_missing=args.glossary_missing))
        terms = glossary_mod.rules(glossary_mod.load(settings))
        found: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        missed: list[str] = []
        for kind, mutate in KINDS.items():
            for lang in langs:
                done = 0
                for path in sorted((root / "translations" / lang).rglob("*.md")):
                    rel = path.relative_to(root / "translations" / lang)
                    source = root / "docs" / rel
                    if not source.is_file() or rel.name.startswith("_"):
                        continue
                    original = path.read_text(encoding="utf-8")
                    mutated = mutate(source.read_text(encoding="utf-8"), original, lang, terms)
                    if mutated is None or mutated == original:
                        continue
                    before = signature(qa.run(settings, (lang,), (str(path),)))
                    path.write_text(mutated, encoding="utf-8")
                    try:
                        after = signature(qa.run(settings, (lang,), (str(path),)))
                    finally:
                        path.write_text(original, encoding="utf-8")
                    new = after - before
                    found[kind]["injected"] += 1
                    if new:
                        found[kind]["found"] += 1
                        found[kind]["as error"] += any(k[1] == "error" for k in new)
                    else:
                        missed.append(f"{kind}: {lang}/{rel}")
                    if args.list:
                        print(f"{kind} {lang}/{rel}: {sorted(new) or 'MISSED'}")
                    done += 1
                    if done >= args.per_kind:
                        break
    print("\n| defect | injected | found | recall | found as an error |")
    print("| --- | --- | --- | --- | --- |")
    total = collections.Counter()
    for kind in KINDS:
        c = found[kind]
        total.update(c)
        print(f"| {kind} | {c['injected']} | {c['found']} | {c['found'] / c['injected']:.0%} | {c['as error']} |"
              if c["injected"] else f"| {kind} | 0 | - | - | - |")
    print(f"| all | {total['injected']} | {total['found']} | {total['found'] / max(1, total['injected']):.0%} | "
          f"{total['as error']} |")
    if missed:
        print("\nmissed:\n  " + "\n  ".join(missed))


if __name__ == "__main__":
    main()
