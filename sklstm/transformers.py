"""A scikit-learn transformer that turns rows of a series into LSTM windows."""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from .windows import check_window_length

__all__ = ["SlidingWindowTransformer"]


class SlidingWindowTransformer(TransformerMixin, BaseEstimator):
    """Replace each row of a series by the window of ``dt_past`` rows ending there.

    The number of rows never changes (scikit-learn transformers must keep it),
    so ``dt_past`` is an ordinary hyperparameter that ``GridSearchCV`` can
    search while the targets stay fixed. Output row ``t`` holds input rows
    ``t - dt_past + 1, ..., t``, oldest first.

    Rows with a shorter history (the first ``dt_past - 1`` rows of the data
    given to :meth:`transform`) are padded on the left with NaN. The LSTM
    estimators read a leading run of all-NaN time steps as padding: those
    steps are skipped by the network (sequences are packed), never trained on
    as values. Any other NaN is an error.

    Parameters
    ----------
    dt_past : int, default=20
        Number of past time steps in each window.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns seen during :meth:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen during :meth:`fit`, when ``X`` was a DataFrame.

    See Also
    --------
    sklstm.sliding_windows : The course's layout, without padded rows.
    sklstm.future_targets : Targets aligned with the rows of this transformer.

    Notes
    -----
    The output is a read-only view of one padded copy of the input, so its
    memory does not grow with ``dt_past``: a window view of a 1,000,000-row
    series costs the same memory for ``dt_past=10`` as for ``dt_past=1000``.
    The LSTM estimators recognise such a view and gather windows batch by
    batch instead of materialising them.

    Because each row depends on the rows before it, the output for a subset
    or a reordering of the rows is not the subset or reordering of the
    output: pass whole, time-ordered series.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SlidingWindowTransformer
    >>> X = np.arange(5.0).reshape(-1, 1)
    >>> windows = SlidingWindowTransformer(dt_past=3).fit_transform(X)
    >>> windows.shape
    (5, 3, 1)
    >>> windows[:, :, 0]
    array([[nan, nan,  0.],
           [nan,  0.,  1.],
           [ 0.,  1.,  2.],
           [ 1.,  2.,  3.],
           [ 2.,  3.,  4.]])
    """

    _parameter_constraints: dict = {
        "dt_past": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, dt_past=20):
        self.dt_past = dt_past

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` and remember its number of columns.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The series, one row per time step, oldest first.
        y : None
            Ignored.

        Returns
        -------
        self : SlidingWindowTransformer
            The fitted transformer.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=True)
        check_window_length(self.dt_past, "dt_past", n_samples=X.shape[0])
        return self

    def transform(self, X):
        """Return the window of ``dt_past`` rows ending at each row.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The series, one row per time step, oldest first.

        Returns
        -------
        windows : ndarray of shape (n_samples, dt_past, n_features)
            Read-only view; the first ``dt_past - 1`` rows are left-padded
            with NaN.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        padded = np.empty((X.shape[0] + self.dt_past - 1, X.shape[1]), dtype=X.dtype)
        padded[: self.dt_past - 1] = np.nan
        padded[self.dt_past - 1 :] = X
        return sliding_window_view(padded, self.dt_past, axis=0).transpose(0, 2, 1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
