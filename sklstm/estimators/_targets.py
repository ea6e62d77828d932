"""Regression targets: their row shape, and float32 values the network can learn."""

import warnings

import numpy as np

from ._checks import check_float32_range

__all__ = [
    "LARGE_TARGETS",
    "check_same_target_shape",
    "float32_targets",
    "split_target_shape",
    "validation_gap",
]

#: Targets beyond this magnitude get a warning to scale them.
LARGE_TARGETS = 1e4


def split_target_shape(y):
    """Return ``y`` with 3-D rows flattened, and the shape of one row.

    Parameters
    ----------
    y : array-like of shape (n,), (n, dt_futu) or (n, dt_futu, n_targets), or None

    Returns
    -------
    y : ndarray of shape (n,) or (n, k), or None
    target_shape : tuple
        ``()``, ``(dt_futu,)`` or ``(dt_futu, n_targets)``.
    """
    if y is None:
        return None, ()
    y = np.asarray(y)
    if y.ndim > 3:
        raise ValueError(
            f"y must be (n,), (n, dt_futu) or (n, dt_futu, n_targets); got "
            f"shape {y.shape}."
        )
    target_shape = y.shape[1:]
    return (y.reshape(len(y), -1) if y.ndim == 3 else y), target_shape


def float32_targets(y):
    """Return validated targets as float32 ``(n, k)``; refuse or warn on their scale.

    Values beyond float32's range are refused; targets beyond
    :data:`LARGE_TARGETS` get a warning to scale them.
    """
    check_float32_range(np.asarray(y, dtype=np.float64), "y")
    targets = np.asarray(y, dtype=np.float32).reshape(len(y), -1)
    scale = float(np.abs(targets).max()) if targets.size else 0.0
    if scale > LARGE_TARGETS:
        warnings.warn(
            f"y has values up to {scale:.3g}: networks train best on targets of "
            "order 1, and at this scale the loss can grow without bound. Scale "
            "the targets (e.g. StandardScaler, through TransformedTargetRegressor "
            "for 1-D or 2-D y, or sklstm's TargetScaler for 3-D y).",
            UserWarning,
            stacklevel=7,
        )
    return targets


def check_same_target_shape(target_shape, fitted_shape):
    """Training continues only on targets of the shape it started with."""
    if tuple(target_shape) != tuple(fitted_shape):
        raise ValueError(
            f"y has rows of shape {tuple(target_shape)}, but the network was "
            f"fitted on rows of shape {tuple(fitted_shape)}; continue training "
            "(warm_start, partial_fit) with targets of the same shape."
        )


def validation_gap(target_shape):
    """Rows early stopping leaves out before its validation rows: ``dt_futu - 1``.

    The last training row's targets then end just before the first
    validation row's targets begin.
    """
    return max(int(target_shape[0]) - 1, 0) if len(target_shape) else 0
