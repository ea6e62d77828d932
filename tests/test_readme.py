"""The README's example and the docs front page's run as written."""

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("page", ["README.md", "docs/index.rst"])
def test_example_runs_and_prints_what_the_page_shows(page):
    result = doctest.testfile(
        str(ROOT / page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted >= 8, f"{page}: the example is gone"
    assert result.failed == 0, f"{page}: {result.failed} line(s) print other output"
