"""The bad-input matrix, part 1: every verb with a missing, broken or invalid mkdocs.yml, and the
matrix's own coverage (every command of the CLI is in it). Part 2: tests/test_bad_inputs_verbs.py.
The cases and the judge are in tests/badinputs.py; `bench/bad_inputs.py` prints the outcome table."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from badinputs import CASES, VERBS, make_template, run_case
from helpglot.cli import main

ROOT = Path(__file__).resolve().parents[1]
CONFIG_CASES = [case for case in CASES if ": config " in case.id]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("template"), ROOT)


def assert_case(case, template: Path, work: Path) -> None:
    result = run_case(case, template, work)
    assert result.outcome == case.expect, (
        f"{case.id}: {result.outcome} (exit {result.exit}); wanted {case.expect} naming {case.mention}\n"
        f"changed: {', '.join(result.changed) or 'nothing'}\n{result.output[-3000:]}")


@pytest.mark.parametrize("case", CONFIG_CASES, ids=[case.id for case in CONFIG_CASES])
def test_a_bad_config_is_one_clear_error_and_changes_nothing(case, template: Path, tmp_path: Path) -> None:
    assert_case(case, template, tmp_path)


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def test_the_matrix_covers_every_command() -> None:
    """A new verb must join the matrix: its config cases and at least two bad arguments of its own."""
    commands = set(_commands(main))
    tried = {case.id.split(":")[0] for case in CASES}
    assert commands - tried == set(), "commands without bad-input cases"
    own = {verb: sum(1 for case in CASES if case.id.startswith(verb + ":") and ": config " not in case.id)
           for verb in commands}
    assert {verb for verb, n in own.items() if n < 1} == set()
    assert commands - {"merge", "merge-driver"} <= set(VERBS), "verbs that read mkdocs.yml get the config cases"
    assert len(CASES) >= 188
