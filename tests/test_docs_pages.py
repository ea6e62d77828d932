"""The numbers printed on documentation pages are the ones their code produces.

The README's example and the docs front page's are fast; the quickstart
trains its models for real and is slow.
"""

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "page, min_examples",
    [
        ("README.md", 8),
        ("docs/index.rst", 8),
        pytest.param("docs/quickstart.rst", 1, marks=pytest.mark.slow),
    ],
)
def test_page_output_is_what_its_code_prints(page, min_examples):
    result = doctest.testfile(
        str(ROOT / page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted >= min_examples, f"{page}: the examples are gone"
    assert result.failed == 0, f"{page}: {result.failed} example(s) print other output"
