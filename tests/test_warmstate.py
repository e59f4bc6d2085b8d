"""`helpglot serve`'s warm process keeps the site's state and patches it for what a save changed
(:mod:`helpglot.site.warmstate`); the patched state is the one computed from nothing.

The property test plays random edits (English bodies and titles, translations, approvals, new,
moved and deleted articles, commits or none, a file touched, the glossary and config) on the small
help center of tests/test_incremental.py, with every file's time set two minutes back, so what
did not change is not "racily clean" and really is taken from the kept state. After each edit the
patched state is compared with a state computed with no cache at all.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from helpglot.config import load_settings
from helpglot.site import crosslang, pagekeys, warmstate
from test_incremental import WORDS, apply, commit, make_project, replace_line

EXTRA = st.tuples(st.sampled_from(["dirty", "touch", "dirty-translation", "provenance"]),
                  st.integers(min_value=0, max_value=20), st.sampled_from(WORDS))
EDITS = st.tuples(st.sampled_from(["body", "title", "translation", "new", "move", "delete", "approve", "glossary",
                                   "config"]), st.integers(min_value=0, max_value=20), st.sampled_from(WORDS))


def backdate(root: Path) -> None:
    """Every file two minutes old: out of the racy window, as files are that a writer did not just save."""
    past = time.time() - 120
    for folder in ("docs", "translations"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                os.utime(path, (past, past))


def extra(root: Path, edit: tuple, step: int) -> None:
    """Edits that `apply` does not make: uncommitted ones and a save that changes nothing."""
    kind, n, word = edit
    pool = sorted(p for p in (root / "docs").rglob("*.md") if p.name != "index.md")
    target = pool[n % len(pool)]
    translation = root / "translations" / "es" / target.relative_to(root / "docs")
    if kind == "dirty":
        replace_line(target, r"^Open the .*$", f"Open the {word} page, not committed ({step}).")
    elif kind == "touch":
        os.utime(target, None)
    elif kind == "dirty-translation" and translation.exists():
        replace_line(translation, r"^title: .*$", f"title: Tema {word} sin commit {step}")
    elif kind == "provenance" and translation.exists():
        replace_line(translation, r"^  reviewed: .*$", "  reviewed: '2026-09-01'")
        commit(root, step + 1)


def cold(site_settings) -> crosslang.SiteState:  # noqa: ANN001 - Settings
    """The state computed with no status cache and no file facts (another, empty cache folder)."""
    crosslang.use_facts(None)
    fresh = dataclasses.replace(site_settings, cache_dir=site_settings.root / ".cold-cache")
    state = crosslang.compute(fresh, save=False)
    crosslang.use_facts(None)
    return state


def assert_same(patched: crosslang.SiteState, expected: crosslang.SiteState, what: str) -> None:
    assert list(patched.records.items()) == list(expected.records.items()), what
    assert patched.translations == expected.translations, what
    assert patched.source_dates == expected.source_dates, what


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None,
          phases=[Phase.explicit, Phase.generate])
@given(edits=st.lists(st.one_of(EDITS, EXTRA), min_size=1, max_size=4))
@example(edits=[("dirty", 3, "export"), ("translation", 3, "report"), ("approve", 5, "invoice"), ("touch", 1, "x")])
@example(edits=[("dirty-translation", 2, "payment"), ("provenance", 2, "payment"), ("body", 2, "receipt")])
def test_a_patched_state_is_the_state_computed_from_nothing(edits: list[tuple]) -> None:
    with tempfile.TemporaryDirectory(prefix="helpglot-warmstate-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        make_project(root, 0)
        backdate(root)
        config = str(root / "mkdocs.yml")
        warmstate.remember(load_settings(config))
        for step, edit in enumerate(edits, start=1):
            (apply if edit[0] in EDITS_KINDS else extra)(root, edit, step)
            now = load_settings(config)
            kept = warmstate.kept(now)  # (not after a deletion: a translation left without its source)
            patched = warmstate.patched(now)
            if patched is not None:
                assert_same(patched, cold(now), f"step {step}: {edit}")
            else:  # only what it cannot patch: a file added, removed or renamed, other settings
                assert edit[0] in ("new", "move", "delete", "config") or not kept, edit
            backdate(root)
            warmstate.remember(now)


EDITS_KINDS = {"body", "title", "translation", "new", "move", "delete", "approve", "glossary", "config"}


def test_what_cannot_be_patched_is_computed_in_full(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    make_project(root, 0)
    backdate(root)
    config = str(root / "mkdocs.yml")
    site = load_settings(config)
    assert warmstate.patched(site) is None  # nothing kept yet
    warmstate.remember(site)
    assert warmstate.kept(site)
    assert warmstate.patched(site) is not None  # nothing changed: the kept state
    (root / "docs" / "setup" / "draft.md").write_text("---\ntitle: Draft\n---\n\nNew.\n", encoding="utf-8")
    assert warmstate.patched(load_settings(config)) is None  # a new file
    (root / "docs" / "setup" / "draft.md").unlink()
    assert warmstate.patched(load_settings(config)) is not None
    (root / "docs" / "setup" / "notes.txt").write_text("x", encoding="utf-8")
    warmstate.remember(site)
    (root / "docs" / "setup" / "notes.txt").write_text("y", encoding="utf-8")
    assert warmstate.patched(load_settings(config)) is None  # a file the state does not know changed
    os.symlink(root / "docs" / "setup", root / "docs" / "linked")
    warmstate.remember(site)
    assert not warmstate.kept(site)  # a linked folder: the trees are more than their files
    assert warmstate.patched(site) is None


def test_a_file_saved_just_before_the_snapshot_counts_as_changed(tmp_path: Path) -> None:
    """A second save within the file system's time stamp can keep size, time and inode: a file
    modified in the two seconds before the state was kept is looked at again."""
    root = tmp_path / "project"
    root.mkdir()
    make_project(root, 0)
    backdate(root)
    config = str(root / "mkdocs.yml")
    target = root / "translations" / "es" / "setup" / "topic-0.md"  # (a translation: not in git's dates)
    text = target.read_text(encoding="utf-8")
    target.write_text(text, encoding="utf-8")  # saved just now, unchanged
    before = target.stat()
    warmstate.remember(load_settings(config))
    kept = warmstate._WARM[crosslang._key(load_settings(config))]
    assert kept.state.records[("setup/topic-0.md", "es")].state == "up-to-date"
    assert kept.stats[str(target)] == (before.st_size, before.st_mtime_ns, before.st_ino)
    first = re.search(r"^  - ([0-9a-f]{12}) ", text, re.M)
    other = first[1][:-1] + ("0" if first[1][-1] != "0" else "1")
    target.write_text(text.replace(first[1], other, 1), encoding="utf-8")  # block 1 no longer matches its source
    after = target.stat()
    assert (after.st_size, after.st_ino) == (before.st_size, before.st_ino)
    os.utime(target, ns=(after.st_atime_ns, before.st_mtime_ns))  # ...within the same time stamp
    now = load_settings(config)
    patched = warmstate.patched(now)
    assert patched is not None
    # the page's hash (its incremental build key) is the file's, not the one kept with the state
    assert pagekeys._file_hash(target) == hashlib.sha256(target.read_bytes()).hexdigest()
    assert_same(patched, cold(now), "a racy save")
    assert patched.records[("setup/topic-0.md", "es")].state != "up-to-date"
