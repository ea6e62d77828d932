"""What the window baselines share: checking windows, targets and target channels.

The baselines take the windows the LSTM estimators take: ``X`` of shape
``(n, dt_past, n_channels)`` (2-D read as one channel), possibly left-padded
with all-NaN time steps as :class:`~sklstm.SlidingWindowTransformer` writes,
and ``y`` of shape ``(n,)``, ``(n, dt_futu)`` or ``(n, dt_futu, n_targets)``.
Internally every target is handled as ``(n, dt_futu, n_targets)``.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from .._scoring import MultiStepRegressorMixin
from ..estimators._checks import check_X_dtype
from ..estimators._inputs import inspect_windows

__all__ = ["WindowRegressorMixin", "resolve_target_channels", "target_as_3d"]


def target_as_3d(y):
    """Return ``(y3d, target_shape)``: ``y`` as ``(n, dt_futu, n_targets)``."""
    y = np.asarray(y)
    if y.ndim > 3:
        raise ValueError(
            f"y must be (n,), (n, dt_futu) or (n, dt_futu, n_targets); got shape "
            f"{y.shape}."
        )
    shape = y.shape[1:]
    return y.reshape(len(y), shape[0] if shape else 1, -1), tuple(shape)


def resolve_target_channels(target_channels, n_channels, n_targets):
    """Return the non-negative channel index of each target, checked.

    ``None`` means the last ``n_targets`` channels; an int is the channel of
    a single target; a list or tuple gives one channel per target.
    """
    if target_channels is None:
        if n_targets > n_channels:
            raise ValueError(
                f"y has {n_targets} targets but X has only {n_channels} channels. "
                "The forecast of each target is read from its own channel of X: "
                "window the target series together with the inputs and set "
                "target_channels to their positions."
            )
        return np.arange(n_channels - n_targets, n_channels)
    single = isinstance(target_channels, Integral)
    wanted = [target_channels] if single else list(target_channels)
    if len(wanted) != n_targets:
        raise ValueError(
            f"target_channels={target_channels!r} names {len(wanted)} channel(s) but "
            f"y has {n_targets} target(s) (its last axis); give one channel of X "
            "per target, or None for the last n_targets channels."
        )
    positions = []
    for channel in wanted:
        if isinstance(channel, bool) or not isinstance(channel, Integral):
            raise TypeError(
                f"target_channels={target_channels!r}: channels are integer "
                f"positions along the last axis of X, got {channel!r}."
            )
        if not -n_channels <= channel < n_channels:
            raise ValueError(
                f"target_channels={target_channels!r}: channel {channel} is out of "
                f"range for X with {n_channels} channel(s) per time step."
            )
        positions.append(int(channel) % n_channels)
    return np.asarray(positions)


class WindowRegressorMixin(MultiStepRegressorMixin, BaseEstimator):
    """Checks shared by the window baselines (use left of other bases).

    Subclasses call :meth:`_validate_fit` in ``fit`` and
    :meth:`_validate_predict` in ``predict``; both return the windows as a
    3-D float64 array with the padding still NaN, and its padding lengths.
    """

    def _windows(self, X):
        checked = inspect_windows(X)  # raises on misplaced NaN and infinity
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 2:
            X = X[:, :, np.newaxis]
        if checked.lengths is None:
            lengths = np.full(len(X), X.shape[1])
        else:
            lengths = checked.lengths
        return X, lengths

    def _validate_fit(self, X, y):
        """Check ``X`` and ``y`` in ``fit``; return ``(X3d, lengths, y3d)``."""
        check_X_dtype(X)
        if y is None:  # scikit-learn's error for a missing y
            validate_data(self, X, y)
        y3d, target_shape = target_as_3d(y)
        X, y2d = validate_data(
            self,
            X,
            y3d.reshape(len(y3d), -1),
            allow_nd=True,
            multi_output=True,
            y_numeric=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
        )
        if X.ndim == 2 and X.shape[1] == 0:
            raise ValueError(
                "X has 0 time steps per window; windows need at least one."
            )
        X, lengths = self._windows(X)
        self.n_channels_in_ = X.shape[2]
        self.target_shape_ = target_shape
        return X, lengths, np.asarray(y2d, dtype=np.float64).reshape(y3d.shape)

    def _validate_predict(self, X):
        """Check ``X`` against the fit; return ``(X3d, lengths)``."""
        check_is_fitted(self, "target_shape_")
        check_X_dtype(X)
        X = validate_data(
            self,
            X,
            reset=False,
            allow_nd=True,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
        )
        n_channels = 1 if X.ndim == 2 else X.shape[2]
        if n_channels != self.n_channels_in_:
            raise ValueError(
                f"X has {n_channels} channel(s) per time step but "
                f"{type(self).__name__} was fitted with {self.n_channels_in_}; pass "
                "windows of the same columns as in fit."
            )
        return self._windows(X)

    def _dt_futu(self):
        """Steps ahead per target row seen in fit (1 for a 1-D ``y``)."""
        return self.target_shape_[0] if self.target_shape_ else 1

    def _as_target_shape(self, y3d):
        """Reshape ``(n, dt_futu, n_targets)`` predictions like fit's ``y``."""
        return y3d.reshape((len(y3d), *self.target_shape_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # NaN is read only as the left padding of 3-D windows.
        tags.input_tags.allow_nan = False
        return tags
