"""The navigation memo (helpglot.site.navmemo) changes how fast pages are made, never what
they hold: the sample built with the memo and with every lookup refused is the same
site, byte for byte, with Material's ``navigation.prune`` on (pruned sections are
memoised) and with its defaults (only leaf items are)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT
from helpglot.site import navmemo
from test_parallel_build import assert_same_site


def build_sample(site: Path, prune: bool) -> int:
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    features = config.theme["features"]
    if prune and "navigation.prune" not in features:
        features.append("navigation.prune")
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return len(list(site.rglob("index.html")))


@pytest.mark.parametrize("prune", [True, False], ids=["prune", "material-defaults"])
def test_memoised_navigation_is_the_same_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prune: bool):
    hits: list[int] = []
    real_call = navmemo.NavMemo.__call__

    def counted(self, *args):  # noqa: ANN001, ANN202
        slot = real_call(self, *args)
        hits.append(1 if slot is not None and slot.html is not None else 0)
        return slot

    monkeypatch.setattr(navmemo.NavMemo, "__call__", counted)
    pages = build_sample(tmp_path / "memo", prune)
    assert pages >= 6 * 14
    assert sum(hits) > pages  # the memo was used: several items per page came from it

    monkeypatch.setattr(navmemo.NavMemo, "__call__", lambda self, *args: None)
    build_sample(tmp_path / "plain", prune)
    assert_same_site(tmp_path / "plain", tmp_path / "memo")
