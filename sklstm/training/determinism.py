"""Deterministic CUDA kernels for the length of one training run."""

import contextlib
import os

import torch

__all__ = ["deterministic_algorithms"]

#: cuBLAS needs a fixed workspace to be deterministic (CUDA >= 10.2).
CUBLAS_WORKSPACE = ":4096:8"


@contextlib.contextmanager
def deterministic_algorithms(enabled, device):
    """Make CUDA training deterministic inside the ``with`` block only.

    Turns on :func:`torch.use_deterministic_algorithms` (``warn_only=True``:
    an operation without a deterministic kernel warns instead of failing),
    ``cudnn.deterministic`` and switches off ``cudnn.benchmark``; sets
    ``CUBLAS_WORKSPACE_CONFIG`` when it is unset. Everything is restored on
    exit, except the environment variable, which cuBLAS reads only once per
    process. Does nothing when ``enabled`` is false or ``device`` is the CPU
    (CPU kernels are deterministic already).

    Parameters
    ----------
    enabled : bool
        Whether to switch determinism on.
    device : str
        The training device.

    Examples
    --------
    >>> from sklstm.training.determinism import deterministic_algorithms
    >>> with deterministic_algorithms(True, "cpu"):
    ...     pass
    """
    if not enabled or not str(device).startswith("cuda"):
        yield
        return
    saved = (
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
    )
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE)
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(saved[0], warn_only=saved[1])
        torch.backends.cudnn.deterministic = saved[2]
        torch.backends.cudnn.benchmark = saved[3]
