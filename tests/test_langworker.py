"""`helpglot serve`'s long-lived language workers build byte for byte what a clean full build does.

The builds go through the warm build process `helpglot serve` uses (:mod:`helpglot.cli.buildserver`),
which keeps one worker per language alive between builds (:mod:`helpglot.site.langworker`) and
hands each build's languages to them: the same random sequences of edits as the property test of
tests/test_incremental.py, and after each step every file of the site is compared with
`helpglot build --full` into a fresh folder (which starts new processes and reads no memo).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from test_incremental import EDITS, apply, assert_same_site, full_build, make_project, reused


class WarmBuilds:
    """The warm build process, asked for `helpglot build` as `helpglot serve` asks it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc = subprocess.Popen([sys.executable, "-c", "from helpglot.cli.buildserver import main; main()"],
                                     cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def build(self, *args: str) -> str:
        self.proc.stdin.write(json.dumps(["build", "--jobs", "2", "-v", *args]) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        assert answer["code"] == 0, answer["output"][-3000:]
        return answer["output"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=120)


def workers(output: str) -> dict[str, str]:
    """language -> the long-lived worker (process id) that built it."""
    return dict(re.findall(r"\[(\w+)\] INFO - helpglot build: built by the long-lived worker (\d+)", output))


#: edits after which the warm process's kept state is patched, not computed again
PATCHED = {"body", "title", "description", "translation", "approve", "glossary"}


def handed(output: str) -> dict[str, int]:
    """language -> how many changes of the site's state its worker was handed (not the whole state)."""
    return {lang: int(n) for lang, n in re.findall(
        r"\[(\w+)\] INFO - helpglot build: built by the long-lived worker \d+ \(its build \d+, the site's state "
        r"handed over as (\d+) changes", output)}


# bounded like the other property test: a dozen builds per example on a busy 2-core machine
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None,
          phases=[Phase.explicit, Phase.generate])
@given(prune_above=st.sampled_from([0, 100]), edits=st.lists(EDITS, min_size=1, max_size=3))
@example(prune_above=100, edits=[("body", 3, "export"), ("title", 3, "receipt"), ("translation", 5, "report")])
@example(prune_above=0, edits=[("prune", 10, "reminder")])  # writes mkdocs.yml unchanged: no config change
# (found by a run under faketime: after a config change the workers that declined are gone, and the
# next build's are new processes, which the test took for workers replaced without a reason)
@example(prune_above=100, edits=[("prune", 6, "report"), ("body", 15, "report"), ("delete", 10, "reminder")])
def test_long_lived_workers_equal_full_builds(prune_above: int, edits: list[tuple]) -> None:
    with tempfile.TemporaryDirectory(prefix="helpglot-warm-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        make_project(root, prune_above)
        warm = WarmBuilds(root)
        try:
            first = workers(warm.build())
            assert set(first) == {"en", "es", "lt"}, first
            for step, edit in enumerate(edits, start=1):
                config_before = (root / "mkdocs.yml").read_bytes()
                apply(root, edit, step)
                output = warm.build()
                built = workers(output)
                # the same processes, kept alive (a config change replaces them, and says so; an
                # edit that writes the same mkdocs.yml, e.g. `prune` to the value it has, is none)
                if (root / "mkdocs.yml").read_bytes() == config_before:
                    assert all(first.get(lang, pid) == pid for lang, pid in built.items()), (first, built)
                    assert "changed since it started" not in output, output[-2000:]
                else:
                    assert "changed since it started" in output, output[-2000:]
                    for lang in set(first) - set(built):  # replaced: the next build starts its new worker
                        del first[lang]
                first.update(built)
                if all(kind in PATCHED for kind, _n, _word in edits[:step]):
                    # the workers were sent the warm process's state between builds: each build hands
                    # them only what it changed (helpglot.site.handover)
                    assert set(handed(output)) == set(built), output[-3000:]
                full_build(root, Path(tmp) / "full")
                assert_same_site(Path(tmp) / "full", root / "site", f"step {step}: {edit}")
        finally:
            warm.close()


def test_a_worker_renders_only_what_changed_and_declines_what_it_cannot_track(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    make_project(root, prune_above=0)
    warm = WarmBuilds(root)
    try:
        warm.build()
        apply(root, ("body", 3, "export"), 1)
        output = warm.build()
        assert reused(output) == {code: (10, 1) for code in ("en", "es", "lt")}, output[-3000:]
        assert set(workers(output)) == {"en", "es", "lt"}
        full_build(root, tmp_path / "full")
        assert_same_site(tmp_path / "full", root / "site", "a body edit")
        # a hook may read anything: no long-lived worker builds, and -v says why
        (root / "hooks.py").write_text("def on_page_markdown(markdown, **kwargs):\n    return markdown\n")
        with open(root / "mkdocs.yml", "a", encoding="utf-8") as out:
            out.write("hooks:\n  - hooks.py\n")
        output = warm.build()
        assert "not the long-lived ones: the plugin or hook" in output and not workers(output), output[-3000:]
    finally:
        warm.close()
