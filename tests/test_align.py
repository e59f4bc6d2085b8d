"""The one aligner (helpglot.tracking.align) on real content: FastAPI's English index page and its community
Russian translation (tests/fixtures/align, MIT, see LICENSE-fastapi). Each difference is one finding
at its own place; nothing cascades."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import copy_sample, helpglot
from helpglot.markdown.segment import Document, parse
from helpglot.qa.checks import heading_before
from helpglot.tracking.align import align, first_divergence

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "align"
EN = (FIXTURES / "index.en.md").read_text(encoding="utf-8")
RU = (FIXTURES / "index.ru.md").read_text(encoding="utf-8")


def lists(doc: Document) -> list[list[int]]:
    """Top-level lists as block index runs (items and what is nested in them)."""
    out: list[list[int]] = []
    for block in doc.blocks:
        nested = block.context[:1] == ("list",)
        follows = bool(out) and out[-1][-1] == block.index - 1
        between = doc.text[doc.blocks[block.index - 1].end : block.start] if follows else ""
        if block.kind == "list_item" and not block.context:
            # the same list: only a line break and a marker since the previous item
            if follows and re.fullmatch(r"\s*(?:[-*+]|\d+\.)\s*", between):
                out[-1].append(block.index)
            else:
                out.append([block.index])
        elif nested and follows:
            out[-1].append(block.index)
    return out


def drop(doc: Document, runs: list[list[int]]) -> str:
    """The document without the lines of the given block runs (and one blank line after each)."""
    lines = doc.text.split("\n")
    gone: set[int] = set()
    for run in runs:
        first, last = doc.blocks[run[0]], doc.blocks[run[-1]]
        end = doc.line_of(last.end)
        gone.update(range(first.line, end + 1))
        if end < len(lines) and not lines[end].strip():
            gone.add(end + 1)
    return "\n".join(line for n, line in enumerate(lines, start=1) if n not in gone)


def test_the_real_translation_aligns_block_for_block():
    result = align(parse(EN, "en.md"), parse(RU, "ru.md"), "ru")
    assert not result.missing and not result.extra
    assert len(result.pairs) == len(parse(EN).blocks)


@pytest.mark.parametrize("every", [1, 2, 5])
def test_each_dropped_list_is_one_finding_under_its_own_heading(tmp_path: Path, every: int):
    source, translation = parse(EN, "en.md"), parse(RU, "ru.md")
    runs = lists(translation)
    assert len(runs) == 15
    dropped = runs[::every]
    root = copy_sample(tmp_path)
    (root / "docs" / "fastapi.md").write_text(EN, encoding="utf-8")
    (root / "translations" / "ru" / "fastapi.md").write_text(drop(translation, dropped), encoding="utf-8")
    proc = helpglot("check", "--format", "json", "translations/ru/fastapi.md", cwd=root, check=False)
    found = [f for f in json.loads(proc.stdout) if f["check"] == "structure"]
    assert len(found) == len(dropped), [f["message"] for f in found]
    damaged = parse((root / "translations" / "ru" / "fastapi.md").read_text(encoding="utf-8"))
    for run, finding in zip(dropped, sorted(found, key=lambda f: f["line"]), strict=True):
        head = heading_before(source, run[0])
        items = sum(1 for i in run if source.blocks[i].kind == "list_item" and not source.blocks[i].context)
        assert f"missing under heading '{head.text[:39]}" in finding["message"], finding["message"]
        assert re.search(rf"\blist( of {items} items)?\b", finding["message"]) or items == 1
        assert "en.md" not in finding["message"] and f"docs/fastapi.md:{source.blocks[run[0]].line}" \
            in finding["message"]
        # the line is inside that heading's section of the translation
        t_text = translation.blocks[head.index].text
        t_head = next(b for b in damaged.blocks if b.kind == "heading" and b.text == t_text)
        nxt = next((b.line for b in damaged.blocks if b.kind == "heading" and b.line > t_head.line), 10**9)
        assert t_head.line < finding["line"] <= nxt, (finding, t_head.line, nxt)


def test_first_divergence_names_the_real_place():
    source, translation = parse(EN, "en.md"), parse(RU, "ru.md")
    runs = lists(translation)
    middle = runs[11]
    damaged = parse(drop(translation, [middle]), "ru.md")
    message = first_divergence(source, damaged, "ru")
    line = source.blocks[middle[0]].line
    assert message is not None and f"en.md:{line}" in message and "has no translation" in message
    assert message.startswith("ru.md:")


def test_a_merged_paragraph_is_one_difference_not_a_cascade():
    source, translation = parse(EN, "en.md"), parse(RU, "ru.md")
    blocks = translation.blocks
    # two paragraphs in a row, somewhere in the middle: the translator joins them
    a = next(b for b in blocks[len(blocks) // 3 :] if b.kind == "paragraph" and not b.context
             and blocks[b.index + 1].kind == "paragraph" and not blocks[b.index + 1].context)
    b = blocks[a.index + 1]
    merged = parse(RU[: a.end] + " " + RU[b.start :], "ru.md")
    result = align(source, merged, "ru")
    assert result.missing in ((a.index,), (b.index,)) and result.extra == ()
    assert len(result.pairs) == len(blocks) - 1
    # every other pair is the translation of its own source block
    shifted = [(t, s) for t, s in result.pairs if (t < a.index and t != s) or (t > a.index and t != s - 1)]
    assert shifted == []
