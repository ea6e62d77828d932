"""Conformal arithmetic for :class:`~sklstm.ConformalForecaster` (NumPy only)."""

import numpy as np

__all__ = ["adapted_levels", "as_3d", "conformal_quantile"]


def conformal_quantile(scores, levels):
    """Per-column ``ceil((n + 1) c) / n`` empirical quantile of ``scores``.

    ``levels`` holds the confidence level ``c`` of each column (step, target).
    """
    n = len(scores)
    quantiles = np.full(scores.shape[1:], np.inf)
    for index, level in np.ndenumerate(levels):
        level = np.ceil((n + 1) * level) / n
        if level <= 1:
            column = scores[(slice(None), *index)]
            quantiles[index] = np.quantile(column, max(level, 0.0), method="higher")
    return quantiles


def as_3d(values):
    """Return targets or predictions as ``(n, dt_futu, n_targets)``."""
    values = np.asarray(values, dtype=float)
    return values.reshape(len(values), values.shape[1] if values.ndim > 1 else 1, -1)


def adapted_levels(levels, scores, quantiles, confidence_level, rate):
    """Adaptive conformal inference: move each level by ``rate`` per miss/hit.

    Each new row moves a step's level by ``rate * (miss - (1 -
    confidence_level))``, ``miss`` being 1 when its error exceeded the
    current quantile (Gibbs and Candès, 2021).
    """
    misses = (scores > quantiles).sum(axis=0)
    expected = len(scores) * (1 - confidence_level)
    return levels + rate * (misses - expected)
