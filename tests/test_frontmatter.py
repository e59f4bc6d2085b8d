"""The front-matter fast path gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from conftest import ROOT
from helpglot.markdown import frontmatter
from helpglot.markdown.segment import parse_file

SAMPLES = sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "translations").rglob("*.md"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_sample_front_matter_is_simple_and_equal_to_yaml(path):
    doc = parse_file(str(path))
    start, end = doc.front_matter
    text = doc.text[start:end]
    assert frontmatter.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "title: Hello\ndescription: 'It''s here'\n",
        'title: "Quoted: yes"\nhide:\n  - navigation\n  - toc\n',
        "helpglot:\n  source: a.md\n  synced: 2026-11-22\n  blocks:\n  - 0123456789ab reviewed\n",
        "title: Ünïcödé İstanbul ąčę ёж\n",
    ],
)
def test_simple_cases_match_yaml(text):
    assert frontmatter.load(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "title: yes\n",  # a boolean in YAML 1.1
        "weight: 10\n",
        "title: Hello # comment\n",
        "title: &a Hello\nother: *a\n",
        "tags: [a, b]\n",
        'title: "escaped \\" quote"\n',
        "description: >\n  folded\n  text\n",
        "title: a: b\n",
        "title:\n",
        "# comment\ntitle: x\n",
    ],
)
def test_anything_else_is_left_to_yaml(text):
    assert frontmatter.load(text) is None


def test_dates_are_dates_like_yaml():
    assert frontmatter.load("synced: 2026-11-22\n") == {"synced": dt.date(2026, 11, 22)}


def test_provenance_entries_read_at_once_match_yaml():
    import yaml

    from helpglot.markdown import frontmatter as fm_module

    entries = "".join(f"  - {i:012x} {'machine deepl' if i % 2 else 'reviewed'}\n" for i in range(40))
    cases = [
        f"title: T\nhelpglot:\n  source: a.md\n  blocks:\n{entries}",
        f"title: T\nhelpglot:\n  source: a.md\n  blocks:\n{entries}  - plain extra\n",
        f"title: T\nhelpglot:\n  source: a.md\n  blocks:\n{entries}- other indent\n",
        f"helpglot:\n  blocks:\n{entries}  source: a.md\nafter: x\n",
        f"helpglot:\n  blocks:\n{entries[:-1]}",
    ]
    for text in cases:
        loaded = fm_module.load(text)
        if loaded is not None:
            assert loaded == yaml.safe_load(text), text
    data = fm_module.load(cases[0])
    assert data["helpglot"]["blocks"].parsed[1] == ("000000000001 machine deepl", "000000000001", "machine", "deepl")
    assert not hasattr(fm_module.load(cases[1])["helpglot"]["blocks"], "parsed")
