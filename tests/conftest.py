import numpy as np
import pytest
import torch

# Two cores on CI: one torch thread per test process keeps timings stable.
torch.set_num_threads(1)

requires_cuda = pytest.mark.skipif(
    not torch.cuda.is_available(), reason="needs a CUDA device"
)


@pytest.fixture(autouse=True)
def seed_everything():
    """Every test starts from the same global random state."""
    np.random.seed(0)  # noqa: NPY002 (code under test may use the legacy global)
    torch.manual_seed(0)
