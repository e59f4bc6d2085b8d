"""A long-lived worker patches the search postings of the pages that changed
(:mod:`helpglot.site.searchpostings`); every byte of the index must be what a build from nothing
writes, after any sequence of edits. The pages share a common word in more sections than a list
keeps, so the edits move postings in and out of its best :data:`MAX_POSTINGS`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpglot.site import searchindex, searchpostings

PAGES = 48
HEAVY = 36  # pages before this say the common word often: the others are out of its best
WORDS = ["invoiced", "payment", "reminder", "customer", "workspace", "receipts", "invoices", "paying"]


def docs(state: list[list[str]]) -> list[dict]:
    """Each page: its title and three sections, every text made of the page's words."""
    out = []
    for n, words in enumerate(state):
        out.append({"location": f"p{n}/", "title": f"Page {n} {words[0]}", "text": " ".join(words)})
        for s in range(1, 4):
            out.append({"location": f"p{n}/#s{s}", "title": f"Step {s} {words[s % len(words)]}",
                        "text": " ".join(words[s:] + ["invoice"] * (s + n % 5 + 20 * (n < HEAVY)))})
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(folder: Path, state: list[list[str]], live: dict | None) -> dict:
    (folder / "search").mkdir(parents=True, exist_ok=True)
    return searchindex.build(folder, "en", "search/", data={"config": {}, "docs": docs(state)}, live=live)


edit = st.tuples(st.one_of(st.integers(0, PAGES - 1), st.integers(HEAVY, PAGES - 1)),
                 st.sampled_from(["title", "body", "heavy", "drop", "new"]),
                 st.integers(0, 7))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.lists(edit, min_size=1, max_size=3), min_size=1, max_size=6))
def test_patched_postings_are_a_full_builds(tmp_path_factory, edits):
    tmp = tmp_path_factory.mktemp("postings")
    state = [[WORDS[(n + k) % len(WORDS)] for k in range(5)] for n in range(PAGES)]
    live: dict = {}
    build(tmp / "live", state, live)
    for step, changes in enumerate(edits):
        for page, kind, k in changes:
            words = state[page]
            if kind == "title":
                words[0] = WORDS[k]
            elif kind == "body":
                words[1 + k % 4] = WORDS[k]
            elif kind == "heavy":  # the common word many times: into the best of its list
                words.extend(["invoice"] * (10 + k))
            elif kind == "drop":  # out of it
                state[page] = [w for w in words if w != "invoice"] or ["payment"]
            else:
                words.append(f"newword{step}x{k}")
        patched = build(tmp / "live", state, live)
        full = build(tmp / f"full{step}", state, None)
        assert files(tmp / "live") == files(tmp / f"full{step}")
        assert patched["pages_added"] <= len({page for page, _, _ in changes}) < PAGES  # (patched, not rebuilt)
        assert full["pages_added"] == PAGES


def test_a_common_words_list_is_cut_and_patched(tmp_path: Path):
    """The common word is in more sections than a list keeps; a page out of its best gets heavy
    postings, which enter the list while it is patched, not sorted again."""
    state = [[WORDS[(n + k) % len(WORDS)] for k in range(5)] for n in range(PAGES)]
    live: dict = {}

    def invoice(folder: Path) -> list:
        return next(v for p in (folder / "search" / "t").glob("*.json")
                    for k, v in json.loads(p.read_text(encoding="utf-8")).items() if k == "invoice")

    build(tmp_path / "a", state, live)
    before = invoice(tmp_path / "a")
    assert len(before) == 1 + 2 * searchpostings.MAX_POSTINGS < 1 + 2 * 3 * PAGES
    assert all(code // 256 < HEAVY for code in before[1::2])
    state[40] = state[40] + ["invoice"] * 60
    assert build(tmp_path / "a", state, live)["pages_added"] == 1
    assert invoice(tmp_path / "a")[1] // 256 == 40  # a section of page 40 is now the word's heaviest
    build(tmp_path / "b", state, None)
    assert files(tmp_path / "a") == files(tmp_path / "b")


def test_a_patch_that_fails_midway_leaves_no_last_build(tmp_path: Path, monkeypatch):
    """The last build is out of the worker's keeping while it is patched: after a build that failed
    midway, the next adds everything (a half-patched list would be a wrong index from then on)."""
    state = [[WORDS[(n + k) % len(WORDS)] for k in range(5)] for n in range(PAGES)]
    live: dict = {}
    build(tmp_path / "a", state, live)
    state[40] = state[40] + ["invoice"] * 60

    def broken(*_args: object) -> list:
        raise RuntimeError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(searchpostings, "patched_entry", broken)
        with pytest.raises(RuntimeError):
            build(tmp_path / "a", state, live)
    assert build(tmp_path / "a", state, live)["pages_added"] == PAGES
    build(tmp_path / "b", state, None)
    assert files(tmp_path / "a") == files(tmp_path / "b")
