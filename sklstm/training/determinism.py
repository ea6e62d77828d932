"""Deterministic CUDA kernels while deterministic fits run.

Two things make CUDA training repeatable, and both are process-wide:

* PyTorch's switches (:func:`torch.use_deterministic_algorithms`,
  ``cudnn.deterministic``, ``cudnn.benchmark``). They are turned on when the
  first deterministic fit starts and restored when the last one ends, under a
  lock, so fits running in threads do not undo each other's settings. While
  a deterministic fit runs, every other fit in the process also gets the
  deterministic kernels (slower, never less correct).
* cuBLAS' workspace, set by the environment variable
  ``CUBLAS_WORKSPACE_CONFIG`` (``:4096:8`` or ``:16:8``). cuBLAS reads it when
  its handle is created, at the first CUDA matrix product of the process, so
  setting it during a fit is too late once any CUDA work has run. It must be
  set before the process starts, e.g. ``CUBLAS_WORKSPACE_CONFIG=:4096:8
  python train.py``. When it is unset a deterministic fit warns, and
  PyTorch's own warning about the cuBLAS operations stays visible.
"""

import contextlib
import os
import threading
import warnings

import torch

from .device import is_cuda

__all__ = ["CUBLAS_WORKSPACE_CONFIGS", "deterministic_algorithms"]

#: Values of ``CUBLAS_WORKSPACE_CONFIG`` that make cuBLAS deterministic.
CUBLAS_WORKSPACE_CONFIGS = (":4096:8", ":16:8")

_lock = threading.Lock()
_active = 0
_saved = None


def _switch_on():
    global _active, _saved
    with _lock:
        if _active == 0:
            _saved = (
                torch.are_deterministic_algorithms_enabled(),
                torch.is_deterministic_algorithms_warn_only_enabled(),
                torch.backends.cudnn.deterministic,
                torch.backends.cudnn.benchmark,
            )
            if not _saved[0]:
                torch.use_deterministic_algorithms(True, warn_only=True)
            torch.backends.cudnn.deterministic = True
            torch.backends.cudnn.benchmark = False
        _active += 1


def _switch_off():
    global _active, _saved
    with _lock:
        _active -= 1
        if _active == 0:
            torch.use_deterministic_algorithms(_saved[0], warn_only=_saved[1])
            torch.backends.cudnn.deterministic = _saved[2]
            torch.backends.cudnn.benchmark = _saved[3]
            _saved = None


def _check_cublas_workspace():
    if os.environ.get("CUBLAS_WORKSPACE_CONFIG") in CUBLAS_WORKSPACE_CONFIGS:
        return
    warnings.warn(
        "deterministic=True on CUDA, but the environment variable "
        "CUBLAS_WORKSPACE_CONFIG is not ':4096:8' or ':16:8', so cuBLAS matrix "
        "products (dense layers, non-tanh LSTM cells) are not deterministic. "
        "Set it before the process starts any CUDA work, e.g. "
        "`CUBLAS_WORKSPACE_CONFIG=:4096:8 python train.py`; setting it later "
        "has no effect.",
        UserWarning,
        stacklevel=4,
    )


@contextlib.contextmanager
def deterministic_algorithms(enabled, device):
    """Make CUDA training deterministic while the ``with`` block runs.

    Turns on :func:`torch.use_deterministic_algorithms` (``warn_only=True``,
    unless the user already enabled it: an operation without a deterministic
    kernel then warns instead of failing), ``cudnn.deterministic`` and
    switches off ``cudnn.benchmark``; restores them when the last concurrent
    deterministic block exits (see the module notes). Warns when
    ``CUBLAS_WORKSPACE_CONFIG`` is not set, which this function cannot fix.
    Does nothing when ``enabled`` is false or ``device`` is not a CUDA device
    (CPU kernels are deterministic already).

    Parameters
    ----------
    enabled : bool
        Whether to switch determinism on.
    device : str or torch.device
        The training device.

    Examples
    --------
    >>> from sklstm.training.determinism import deterministic_algorithms
    >>> with deterministic_algorithms(True, "cpu"):
    ...     pass
    """
    if not enabled or not is_cuda(device):
        yield
        return
    _check_cublas_workspace()
    _switch_on()
    try:
        yield
    finally:
        _switch_off()
