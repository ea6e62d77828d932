"""Small, exact models for the forecasting tests (no training needed)."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import SlidingWindowTransformer


class StepAhead(RegressorMixin, BaseEstimator):
    """Predict ``last value of channel k + slope * (1..dt_futu)`` per target k.

    ``exog_weight`` adds that times the last value of channel ``-1`` (an
    input that is not a target), so tests can see whether it was used.
    """

    def __init__(self, dt_futu=3, n_targets=1, slope=1.0, exog_weight=0.0):
        self.dt_futu = dt_futu
        self.n_targets = n_targets
        self.slope = slope
        self.exog_weight = exog_weight

    def fit(self, X, y):
        self.fitted_ = True
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        steps = self.slope * np.arange(1, self.dt_futu + 1)
        last = X[:, -1, : self.n_targets]
        out = last[:, np.newaxis, :] + steps[np.newaxis, :, np.newaxis]
        out = out + self.exog_weight * X[:, -1, -1][:, np.newaxis, np.newaxis]
        return out[:, :, 0] if self.n_targets == 1 else out


def flatten_windows(windows):
    """Windows (n, dt_past, F) to (n, dt_past * F), padding as zeros."""
    return np.nan_to_num(np.asarray(windows)).reshape(len(windows), -1)


def ridge_forecaster(dt_past):
    """A fast linear forecaster with the pipeline shape of the LSTM's."""
    return make_pipeline(
        SlidingWindowTransformer(dt_past=dt_past),
        FunctionTransformer(flatten_windows),
        Ridge(alpha=1e-3),
    )


def ar_series(n, seed, phi=0.8):
    """A stationary AR(1) series with unit-variance noise."""
    rng = np.random.default_rng(seed)
    noise = rng.normal(size=n)
    series = np.empty(n)
    series[0] = noise[0]
    for t in range(1, n):
        series[t] = phi * series[t - 1] + noise[t]
    return series
