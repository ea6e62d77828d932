"""Linear autoregression over the window: the forecasting papers' yardstick."""

from numbers import Real

import numpy as np
from sklearn.base import _fit_context
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import Interval

from ._base import WindowRegressorMixin

__all__ = ["LinearAutoRegressor"]


def fill_padding(X, lengths):
    """Fill each window's left padding with its first observed time step.

    Parameters
    ----------
    X : ndarray of shape (n, n_steps, n_channels)
    lengths : ndarray of shape (n,)
        Observed steps per window (the rest, at the start, is padding).

    Returns
    -------
    filled : ndarray of shape (n, n_steps, n_channels)
    """
    n_steps = X.shape[1]
    first = (n_steps - lengths)[:, np.newaxis]
    source = np.maximum(np.arange(n_steps)[np.newaxis, :], first)
    return np.take_along_axis(X, source[:, :, np.newaxis], axis=1)


class LinearAutoRegressor(WindowRegressorMixin):
    """Ridge regression from the flattened window to every target.

    The linear (vector) autoregression that forecasting papers use as a
    yardstick: every future value is a linear function of all
    ``dt_past * n_channels`` values in the window, fitted by ridge
    regression. The window is standardised first (with the training
    windows' mean and spread per lag and channel), so ``alpha`` means the
    same whatever the units of the series. It takes the same windows and
    targets as :class:`~sklstm.LSTMRegressor`.

    Parameters
    ----------
    alpha : float, default=1.0
        Ridge penalty on the standardised coefficients. Small next to the
        number of training windows, it barely shrinks; ``GridSearchCV`` can
        search it like any other hyperparameter.

    Attributes
    ----------
    model_ : sklearn.pipeline.Pipeline
        The fitted ``StandardScaler -> Ridge`` on the flattened windows.
    n_features_in_ : int
        Time steps per window seen in :meth:`fit` (scikit-learn counts the
        second axis as features).
    n_channels_in_ : int
        Channels per time step seen in :meth:`fit`.
    target_shape_ : tuple
        Shape of one target row in :meth:`fit`.

    See Also
    --------
    PersistenceRegressor : The last observed value.

    Notes
    -----
    Left padding (the leading all-NaN steps that
    :class:`~sklstm.SlidingWindowTransformer` writes for the first rows of a
    series) is not data. :meth:`fit` trains only on windows without padding,
    when there is at least one, so the coefficients are estimated from real
    values only. :meth:`predict` must answer every row, so it fills a
    window's padding with the window's first observed time step (the series
    is extended backwards with its first value).

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import sliding_windows
    >>> from sklstm.baselines import LinearAutoRegressor
    >>> X, Y = sliding_windows(np.arange(20.0), dt_past=3, dt_futu=2)
    >>> reg = LinearAutoRegressor(alpha=1e-6).fit(X, Y)
    >>> reg.predict([[17.0, 18.0, 19.0]]).round(3)  # beyond the training data
    array([[20., 21.]])
    """

    _parameter_constraints: dict = {
        "alpha": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, *, alpha=1.0):
        self.alpha = alpha

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Fit the ridge regression on the windows without padding.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows.
        y : array-like of shape (n_windows,), (n_windows, dt_futu) or \
                (n_windows, dt_futu, n_targets)
            Targets.

        Returns
        -------
        self : LinearAutoRegressor
            The fitted estimator.
        """
        X, lengths, y = self._validate_fit(X, y)
        full = lengths == X.shape[1]
        if not full.any():
            raise ValueError(
                f"Every window of X is left-padded (dt_past={X.shape[1]} is longer "
                "than the history of every row); LinearAutoRegressor fits on full "
                "windows only: use a smaller dt_past or a longer series."
            )
        flat = X[full].reshape(int(full.sum()), -1)
        self.model_ = make_pipeline(StandardScaler(), Ridge(alpha=self.alpha))
        self.model_.fit(flat, y[full].reshape(len(flat), -1))
        return self

    def predict(self, X):
        """Predict the targets of the windows, padding filled as documented.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_channels) or \
                (n_windows, dt_past)
            Input windows.

        Returns
        -------
        y_pred : ndarray of float64, shaped like the ``y`` given to fit
        """
        X, lengths = self._validate_predict(X)
        if np.any(lengths < X.shape[1]):
            X = fill_padding(X, lengths)
        pred = self.model_.predict(X.reshape(len(X), -1))
        return self._as_target_shape(np.asarray(pred, dtype=np.float64))
