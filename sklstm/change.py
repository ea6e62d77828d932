"""Forecast the change from the last observed value instead of the level."""

import numpy as np
from sklearn.base import MetaEstimatorMixin, _fit_context, clone
from sklearn.utils._param_validation import HasMethods

from .baselines._base import WindowRegressorMixin, resolve_target_channels
from .baselines._naive import _TARGET_CHANNELS

__all__ = ["ChangeFromLastRegressor"]


def _input_ndim(X):
    """Number of dimensions of ``X`` as given (array, DataFrame or nested list)."""
    ndim = getattr(X, "ndim", None)
    return ndim if isinstance(ndim, int) else np.asarray(X).ndim


class ChangeFromLastRegressor(MetaEstimatorMixin, WindowRegressorMixin):
    """Train a forecaster on changes from each window's last observed value.

    A series with a trend leaves the range it was trained on: the test
    period holds levels the network never saw, and an LSTM (whose units
    saturate) does not extrapolate them. This meta-estimator removes the
    level. For every window it subtracts the last observed value of each
    target channel from that channel's time steps *and* from the targets,
    divides both by the spread of the training changes, and fits
    ``regressor`` on the result. :meth:`predict` adds the last value back,
    so predictions come out in the units of ``y``. Persistence is the
    forecast "change = 0", so the wrapped model starts from it and learns
    only what it can add.

    Parameters
    ----------
    regressor : estimator or None, default=None
        The forecaster trained on the changes; it receives windows of the
        shape given to :meth:`fit` (NaN left padding kept). None:
        ``LSTMRegressor()``.
    target_channels : int, list of int or None, default=None
        Position of each target along the last axis of ``X``; None: the last
        ``n_targets`` channels. These channels must hold the target series
        in the units of ``y`` (in a pipeline, do not scale them before this
        step; other channels may be scaled).
    scale : bool, default=True
        Divide the changes (in the windows and the targets) by the standard
        deviation of the training targets' changes, per target, so the
        regressor sees numbers of order one whatever the units.

    Attributes
    ----------
    regressor_ : estimator
        The fitted clone of ``regressor``.
    target_channels_ : ndarray of shape (n_targets,)
        The channels of ``X`` holding each target.
    scale_ : ndarray of shape (n_targets,)
        The divisor of each target's changes (ones when ``scale=False``).
    n_features_in_ : int
        Time steps per window seen in :meth:`fit`.
    n_channels_in_ : int
        Channels per time step seen in :meth:`fit`.
    target_shape_ : tuple
        Shape of one target row in :meth:`fit`.

    See Also
    --------
    sklstm.baselines.PersistenceRegressor : The forecast "no change".
    sklearn.compose.TransformedTargetRegressor : Transforms only ``y``.

    Examples
    --------
    A trend that carries the test period above the training range:

    >>> import numpy as np
    >>> from sklstm import ChangeFromLastRegressor, sliding_windows
    >>> from sklstm.baselines import LinearAutoRegressor
    >>> X, Y = sliding_windows(np.arange(40.0) ** 1.5, dt_past=4, dt_futu=2)
    >>> model = ChangeFromLastRegressor(LinearAutoRegressor()).fit(X[:20], Y[:20])
    >>> bool(np.abs(model.predict(X[20:]) - Y[20:]).mean() < 1)
    True
    """

    _parameter_constraints: dict = {
        "regressor": [HasMethods(["fit", "predict"]), None],
        "target_channels": _TARGET_CHANNELS,
        "scale": ["boolean"],
    }

    def __init__(self, regressor=None, *, target_channels=None, scale=True):
        self.regressor = regressor
        self.target_channels = target_channels
        self.scale = scale

    def _relative(self, X, ndim):
        """Return the windows relative to their last values, and those values."""
        channels = self.target_channels_
        last = X[:, -1, channels]  # never padding: padding is leading
        X = X.copy()
        X[:, :, channels] = (X[:, :, channels] - last[:, np.newaxis]) / self.scale_
        return (X[:, :, 0] if ndim == 2 else X), last

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit ``regressor`` on the changes from each window's last value.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows, including the target channels.
        y : array-like of shape (n_windows,), (n_windows, dt_futu) or \
                (n_windows, dt_futu, n_targets)
            Targets, in the units of the target channels of ``X``.

        Returns
        -------
        self : ChangeFromLastRegressor
            The fitted estimator.
        """
        ndim = _input_ndim(X)
        X, _, y = self._validate_fit(X, y)
        self.target_channels_ = resolve_target_channels(
            self.target_channels, X.shape[2], y.shape[2]
        )
        change = y - X[:, -1, self.target_channels_][:, np.newaxis]
        self.scale_ = np.ones(y.shape[2])
        if self.scale:
            spread = change.std(axis=(0, 1))
            self.scale_ = np.where(np.isfinite(spread) & (spread > 0), spread, 1.0)
        X_rel, _ = self._relative(X, ndim)
        if self.regressor is None:
            from .estimators import LSTMRegressor

            self.regressor_ = LSTMRegressor()
        else:
            self.regressor_ = clone(self.regressor)
        self.regressor_.fit(X_rel, self._as_target_shape(change / self.scale_))
        return self

    def predict(self, X):
        """Forecast the changes and add each window's last value back.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows.

        Returns
        -------
        y_pred : ndarray of float64, shaped like the ``y`` given to fit
        """
        ndim = _input_ndim(X)
        X, _ = self._validate_predict(X)
        X_rel, last = self._relative(X, ndim)
        change = np.asarray(self.regressor_.predict(X_rel), dtype=np.float64)
        change = change.reshape(len(X), -1, len(self.target_channels_))
        return self._as_target_shape(change * self.scale_ + last[:, np.newaxis])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # scikit-learn's toy problems have no target channel in X, so the
        # change from "the last column" means nothing there.
        tags.regressor_tags.poor_score = True
        return tags
