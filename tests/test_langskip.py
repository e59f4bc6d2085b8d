"""A language none of whose inputs changed is not built again, unless its last build warned.

:mod:`helpglot.site.langskip` records each language's key with the files it built. When the
quick part of the key (config, code, file stats) changed, the language is built at once and its
full key is recorded while it builds (:func:`helpglot.site.parallel._unchanged`); a build that
warned records "no key" instead, whichever of the two is written first, so its warnings are
shown again next time.
"""

from __future__ import annotations

from pathlib import Path

from conftest import helpglot
from helpglot.site import langskip
from test_incremental import make_project, skipped


def test_a_language_whose_build_warned_is_built_again(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    make_project(root, prune_above=0)
    (root / "translations" / "lt" / "setup" / "topic-0.md").write_text("", encoding="utf-8")  # refused: empty
    first = helpglot("build", "--jobs", "2", "-v", cwd=root)
    assert "translations/lt/setup/topic-0.md is empty" in first.stderr, first.stderr[-3000:]
    again = helpglot("build", "--jobs", "2", "-v", cwd=root)
    assert skipped(again.stderr) == {"en", "es"}, again.stderr[-3000:]  # nothing changed...
    assert "translations/lt/setup/topic-0.md is empty" in again.stderr  # ...but Lithuanian warned: built
    (root / "translations" / "lt" / "setup" / "topic-0.md").unlink()
    helpglot("build", "--jobs", "2", "-v", cwd=root)
    quiet = helpglot("build", "--jobs", "2", "-v", cwd=root)
    assert skipped(quiet.stderr) == {"en", "es", "lt"}, quiet.stderr[-3000:]


def test_no_key_wins_over_a_key_recorded_later(tmp_path: Path) -> None:
    """The worker's "no key" (its build warned) and the parent's key, written in either order."""
    state = tmp_path / "build" / "lt.json"
    for worker_first in (True, False):
        new_state = state.with_name("lt.json.new")
        langskip.forget(new_state)
        if worker_first:
            langskip.record(new_state, None)
            langskip.record(new_state, "key", "quick", unless_recorded=True)
        else:
            langskip.record(new_state, "key", "quick", unless_recorded=True)
            langskip.record(new_state, None)
        new_state.with_name("lt.lang.new").replace(state.with_suffix(".lang"))
        assert langskip.recorded(state) == (None, None), worker_first
    langskip.forget(new_state)
    langskip.record(new_state, "key", "quick", unless_recorded=True)
    new_state.with_name("lt.lang.new").replace(state.with_suffix(".lang"))
    assert langskip.recorded(state) == ("key", "quick")
