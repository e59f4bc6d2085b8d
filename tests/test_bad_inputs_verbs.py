"""The bad-input matrix, part 2: each verb's own bad arguments and files (see tests/badinputs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from badinputs import CASES, make_template
from test_bad_inputs import assert_case

ROOT = Path(__file__).resolve().parents[1]
VERB_CASES = [case for case in CASES if ": config " not in case.id]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("template"), ROOT)


@pytest.mark.parametrize("case", VERB_CASES, ids=[case.id for case in VERB_CASES])
def test_a_bad_argument_or_file_is_one_clear_error_and_changes_nothing(case, template: Path,
                                                                     tmp_path: Path) -> None:
    assert_case(case, template, tmp_path)
