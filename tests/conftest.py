"""Shared test set-up. Test modules import nothing from here: pytest applies it.

- ``@pytest.mark.gpu`` marks a test that needs a CUDA device; without one it
  is skipped here, so no test module needs its own ``skipif``.
- Hypothesis runs deterministically (profile ``deterministic``);
  ``--hypothesis-profile=explore`` draws new examples.
- ``@pytest.mark.slow`` marks a long test; ``make test`` runs them in a
  second, separate pass (see CONTRIBUTING.md).
"""

import numpy as np
import pytest
import torch
from hypothesis import settings

# Property tests draw the same examples on every run (CI must not fail by
# chance); `pytest --hypothesis-profile=explore` searches new ones, and a
# failure it finds belongs in a fixed test case.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("deterministic")

# Two cores on CI: one torch thread per test process keeps timings stable.
torch.set_num_threads(1)


def pytest_collection_modifyitems(config, items):
    """Skip every ``gpu``-marked test when PyTorch finds no CUDA device."""
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def seed_everything():
    """Every test starts from the same global random state."""
    np.random.seed(0)  # noqa: NPY002 (code under test may use the legacy global)
    torch.manual_seed(0)
