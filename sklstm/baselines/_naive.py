"""Naive forecasts that learn nothing: persistence and seasonal-naive."""

from numbers import Integral

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval

from ._base import WindowRegressorMixin, resolve_target_channels

__all__ = ["PersistenceRegressor", "SeasonalNaiveRegressor"]

_TARGET_CHANNELS = [Interval(Integral, None, None, closed="neither"), list, tuple, None]


class PersistenceRegressor(WindowRegressorMixin):
    """Forecast every horizon step as the last observed value of the target.

    The yardstick every forecaster should beat: for each window, the value
    of the target channel at the window's last time step, repeated for all
    ``dt_futu`` steps. It takes the same windows and targets as
    :class:`~sklstm.LSTMRegressor`, so it fits in the same
    :class:`~sklearn.pipeline.Pipeline`, ``cross_val_score`` or
    ``GridSearchCV``. ``fit`` learns nothing from the values of ``y``; it
    only records its shape.

    Parameters
    ----------
    target_channels : int, list of int or None, default=None
        Position of each target along the last axis of ``X`` (its channels).
        None: the last ``n_targets`` channels, where ``n_targets`` is the
        size of the last axis of a 3-D ``y`` (else 1). The channels must hold
        the target series in the units of ``y``.

    Attributes
    ----------
    target_channels_ : ndarray of shape (n_targets,)
        The channels of ``X`` read for each target.
    n_features_in_ : int
        Time steps per window seen in :meth:`fit` (scikit-learn counts the
        second axis as features).
    n_channels_in_ : int
        Channels per time step seen in :meth:`fit`.
    target_shape_ : tuple
        Shape of one target row in :meth:`fit`.

    See Also
    --------
    SeasonalNaiveRegressor : The value one season back.
    LinearAutoRegressor : Ridge regression over the flattened window.
    sklstm.metrics.mae_skill_score : Skill of a forecast against a baseline.

    Notes
    -----
    Left padding (leading all-NaN steps) never reaches the last time step of
    a window, so it plays no part here.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import sliding_windows
    >>> from sklstm.baselines import PersistenceRegressor
    >>> X, Y = sliding_windows(np.arange(8.0), dt_past=3, dt_futu=2)
    >>> PersistenceRegressor().fit(X, Y).predict(X[:2])
    array([[2., 2.],
           [3., 3.]])
    """

    _parameter_constraints: dict = {"target_channels": _TARGET_CHANNELS}

    def __init__(self, *, target_channels=None):
        self.target_channels = target_channels

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the windows and record the target shape and channels.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows.
        y : array-like of shape (n_windows,), (n_windows, dt_futu) or \
                (n_windows, dt_futu, n_targets)
            Targets; only their shape is used.

        Returns
        -------
        self : PersistenceRegressor
            The fitted estimator.
        """
        X, _, y = self._validate_fit(X, y)
        self.target_channels_ = resolve_target_channels(
            self.target_channels, X.shape[2], y.shape[2]
        )
        return self

    def predict(self, X):
        """Repeat the last observed value of each target channel.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows.

        Returns
        -------
        y_pred : ndarray of float64, shaped like the ``y`` given to fit
        """
        X, _ = self._validate_predict(X)
        dt_futu = self._dt_futu()
        last = X[:, -1, self.target_channels_]
        return self._as_target_shape(np.repeat(last[:, np.newaxis], dt_futu, axis=1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # It does not learn: on data whose last column is not the target's
        # past (scikit-learn's toy problems), it scores poorly by design.
        tags.regressor_tags.poor_score = True
        return tags


class SeasonalNaiveRegressor(WindowRegressorMixin):
    """Forecast each horizon step as the target's value one season earlier.

    Step ``h`` ahead of the window's last time step ``T`` is forecast by the
    value at ``T + h - k * season`` with ``k = ceil(h / season)``: the value
    one season back, and the last observed season repeated for horizons
    longer than a season. With hourly data and ``season=24``, every hour of
    tomorrow is forecast by the same hour of the last observed day.

    Parameters
    ----------
    season : int or None, default=None
        Season length in time steps; at most the window length ``dt_past``.
        None: the window length (the forecast repeats the window).
    target_channels : int, list of int or None, default=None
        As in :class:`PersistenceRegressor`.

    Attributes
    ----------
    season_ : int
        The season used.
    target_channels_ : ndarray of shape (n_targets,)
        The channels of ``X`` read for each target.
    n_features_in_ : int
        Time steps per window seen in :meth:`fit`.
    n_channels_in_ : int
        Channels per time step seen in :meth:`fit`.
    target_shape_ : tuple
        Shape of one target row in :meth:`fit`.

    See Also
    --------
    PersistenceRegressor : The last observed value.

    Notes
    -----
    Where the value one season back falls in a window's left padding (rows
    near the start of a series, as :class:`~sklstm.SlidingWindowTransformer`
    writes them), the forecast falls back to the last observed value
    (persistence) for that step.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import sliding_windows
    >>> from sklstm.baselines import SeasonalNaiveRegressor
    >>> series = np.tile([1.0, 2.0, 3.0], 4)
    >>> X, Y = sliding_windows(series, dt_past=3, dt_futu=4)
    >>> SeasonalNaiveRegressor(season=3).fit(X, Y).predict(X[:1])
    array([[1., 2., 3., 1.]])
    """

    _parameter_constraints: dict = {
        "season": [Interval(Integral, 1, None, closed="left"), None],
        "target_channels": _TARGET_CHANNELS,
    }

    def __init__(self, *, season=None, target_channels=None):
        self.season = season
        self.target_channels = target_channels

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Check the windows and the season; record the target shape.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows, at least one season long.
        y : array-like of shape (n_windows,), (n_windows, dt_futu) or \
                (n_windows, dt_futu, n_targets)
            Targets; only their shape is used.

        Returns
        -------
        self : SeasonalNaiveRegressor
            The fitted estimator.
        """
        X, _, y = self._validate_fit(X, y)
        dt_past = X.shape[1]
        season = dt_past if self.season is None else self.season
        if season > dt_past:
            raise ValueError(
                f"season={season} is longer than the windows (dt_past={dt_past}): "
                "the value one season back must be inside the window; build "
                f"windows of at least {season} steps or use a shorter season."
            )
        self.season_ = season
        self.target_channels_ = resolve_target_channels(
            self.target_channels, X.shape[2], y.shape[2]
        )
        return self

    def predict(self, X):
        """Repeat the last observed season of each target channel.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows.

        Returns
        -------
        y_pred : ndarray of float64, shaped like the ``y`` given to fit
        """
        X, _ = self._validate_predict(X)
        dt_futu = self._dt_futu()
        steps = np.arange(1, dt_futu + 1)
        back = self.season_ * np.ceil(steps / self.season_).astype(int)
        source = X.shape[1] - 1 + steps - back  # positions inside the window
        values = X[:, source][:, :, self.target_channels_]
        last = X[:, -1:, self.target_channels_]
        return self._as_target_shape(np.where(np.isnan(values), last, values))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags
