"""The hand-made returns in tests/acceptance/shapes/ (made by scripts/make_shape_cases.py, each
figure worked out in its case's README.md) through the real pipeline, in one run: no case may
publish a wrong figure, and each must be read as its expected.yaml says (exact figures, or a
quarantine for the stated reason)."""

from pathlib import Path

import pytest

from tests.acceptance import runner

SHAPES = Path(__file__).parent / "shapes"
CASES = runner.load_cases(SHAPES)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return {r.case.name: r for r in runner.run_cases(CASES, tmp_path_factory.mktemp("shapes"))}


def test_no_case_publishes_a_wrong_figure_or_fails_the_run(results):
    bad = [r for r in results.values() if r.verdict in ("wrong", "failed")]
    assert not bad, "\n".join(r.line() for r in bad)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shape_is_read_as_expected(results, case):
    result = results[case.name]
    assert result.as_expected, f"{result.line()}\n    ({case.description})"  # exact, or narrowed holding the truth
