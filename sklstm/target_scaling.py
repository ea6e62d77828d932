"""Scale forecasting targets of any shape, one scale per target variable."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context, clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted, validate_data

__all__ = ["TargetScaler"]


class TargetScaler(TransformerMixin, BaseEstimator):
    """Scale targets ``(n, dt_futu)`` or ``(n, dt_futu, n_targets)`` per variable.

    scikit-learn's scalers take 2-D data, one scale per column. Forecasting
    targets have a horizon axis, and every horizon step of one variable is
    the same quantity, so it should share one scale. This transformer puts
    the horizon steps under each other, fits ``scaler`` with one column per
    target variable, and restores the shape; :meth:`inverse_transform` undoes
    it. Use it as the ``transformer`` of
    :class:`~sklearn.compose.TransformedTargetRegressor`, which accepts 3-D
    targets but whose default scalers do not::

        TransformedTargetRegressor(regressor=pipe, transformer=TargetScaler())

    Predictions (and :func:`sklstm.forecast`) then come back in the original
    units.

    Parameters
    ----------
    scaler : transformer, default=None
        A scikit-learn transformer with ``inverse_transform`` (e.g.
        :class:`~sklearn.preprocessing.MinMaxScaler`), cloned at fit;
        None means :class:`~sklearn.preprocessing.StandardScaler`.

    Attributes
    ----------
    scaler_ : transformer
        The fitted scaler, with one column per target variable.
    n_targets_ : int
        Target variables: the last axis of 3-D targets, else 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import TargetScaler
    >>> Y = np.stack([np.arange(8.0).reshape(4, 2), 100 * np.ones((4, 2))], axis=2)
    >>> scaler = TargetScaler().fit(Y)
    >>> scaler.transform(Y).shape
    (4, 2, 2)
    >>> np.allclose(scaler.inverse_transform(scaler.transform(Y)), Y)
    True
    """

    _parameter_constraints: dict = {
        "scaler": [HasMethods(["fit", "transform", "inverse_transform"]), None],
    }

    def __init__(self, scaler=None):
        self.scaler = scaler

    def _columns(self, Y, reset):
        """Return ``Y`` as (n * dt_futu, n_targets) and the shape to restore."""
        Y = validate_data(self, Y, allow_nd=True, dtype="numeric", reset=reset)
        if Y.ndim == 2:
            return Y.reshape(-1, 1), Y.shape
        if Y.ndim == 3:
            return Y.reshape(-1, Y.shape[2]), Y.shape
        raise ValueError(
            f"Targets must be (n, dt_futu) or (n, dt_futu, n_targets); got "
            f"shape {Y.shape}."
        )

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, Y, y=None):
        """Fit the scaler on every horizon step of every row, per variable.

        Parameters
        ----------
        Y : array-like of shape (n, dt_futu) or (n, dt_futu, n_targets)
            Targets.
        y : None
            Ignored.

        Returns
        -------
        self : TargetScaler
        """
        columns, _ = self._columns(Y, reset=True)
        self.n_targets_ = columns.shape[1]
        self.scaler_ = clone(
            self.scaler if self.scaler is not None else StandardScaler()
        )
        self.scaler_.fit(columns)
        return self

    def _apply(self, Y, method):
        check_is_fitted(self)
        columns, shape = self._columns(Y, reset=False)
        if columns.shape[1] != self.n_targets_:
            raise ValueError(
                f"Targets have {columns.shape[1]} variables, the scaler was fitted "
                f"on {self.n_targets_}."
            )
        return np.asarray(getattr(self.scaler_, method)(columns)).reshape(shape)

    def transform(self, Y):
        """Scale ``Y``; the shape is kept.

        Parameters
        ----------
        Y : array-like of shape (n, dt_futu) or (n, dt_futu, n_targets)

        Returns
        -------
        Y_scaled : ndarray of the same shape

        Notes
        -----
        1-D targets are refused (``TransformedTargetRegressor`` passes them
        as one column).
        """
        return self._apply(Y, "transform")

    def inverse_transform(self, Y):
        """Undo :meth:`transform` (e.g. on predictions); the shape is kept.

        Parameters
        ----------
        Y : array-like of shape (n, dt_futu) or (n, dt_futu, n_targets)

        Returns
        -------
        Y_original : ndarray of the same shape
        """
        return self._apply(Y, "inverse_transform")
