"""A scikit-learn transformer that turns rows of a series into LSTM windows."""

import warnings
from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .series import column_position, series_runs
from .windows import check_window_length

__all__ = ["ShortHistoryWarning", "SlidingWindowTransformer"]


class ShortHistoryWarning(UserWarning):
    """Rows were predicted from padded (invented) history.

    Raised as a warning by :meth:`SlidingWindowTransformer.transform` (that is,
    at prediction time in a pipeline) when a series given to it is shorter
    than ``dt_past``: then even its last row's window is padded.
    """


class SlidingWindowTransformer(TransformerMixin, BaseEstimator):
    """Replace each row of a series by the window of ``dt_past`` rows ending there.

    The number of rows never changes (scikit-learn transformers must keep it),
    so ``dt_past`` is an ordinary hyperparameter that ``GridSearchCV`` can
    search while the targets stay fixed. Output row ``t`` holds input rows
    ``t - dt_past + 1, ..., t``, oldest first.

    Rows with a shorter history (the first ``dt_past - 1`` rows of the data
    given to :meth:`transform`, or of each series with ``series_column``) are
    padded on the left with NaN. The LSTM estimators read a leading run of
    all-NaN time steps as padding: those steps are skipped by the network
    (sequences are packed), never trained on as values. Any other NaN is an
    error.

    **Prediction needs history.** ``pipe.predict(rows)`` pads the first
    ``dt_past - 1`` of ``rows`` exactly like the start of the training data.
    To predict rows from their real past, pass the ``dt_past - 1`` rows before
    them too and keep the last predictions
    (``pipe.predict(X[first - dt_past + 1:])[dt_past - 1:]``), or use
    :func:`sklstm.forecast`. When a series given to :meth:`transform` has fewer
    than ``dt_past`` rows, *every* window is padded: ``short_history`` decides
    what happens then (``fit_transform``, used by ``Pipeline.fit``, never
    warns: padding the start of training data is intended).

    Parameters
    ----------
    dt_past : int, default=20
        Number of past time steps in each window.
    series_column : int or str, default=None
        Column of ``X`` identifying the series, when several series are
        stacked one after another (each contiguous and oldest first). Windows
        then never cross from one series into the next: each series' first
        rows are padded like the start of the data. The column is dropped
        from the windows. Its values only need to differ between neighbouring
        series, so it may pass through a scaler before this step. See
        :func:`sklstm.future_targets` and
        :class:`sklstm.series.SeriesTimeSeriesSplit`.
    short_history : {"warn", "raise", "ignore"}, default="warn"
        What :meth:`transform` does when a series has fewer than ``dt_past``
        rows, so that no window has its full history: warn with
        :class:`ShortHistoryWarning`, raise a ``ValueError``, or pad silently.

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
    output: pass whole, time-ordered series. With ``series_column`` the output
    is a dense array (one window per row), no longer a view.

    The output is always a 3-D NumPy array: pandas and polars have no 3-D
    container, so :meth:`set_output` is accepted (``Pipeline.set_output``
    then configures the other steps) but does not change this step's output.

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
        "series_column": [Integral, str, None],
        "short_history": [StrOptions({"warn", "raise", "ignore"})],
    }

    def __init__(self, dt_past=20, *, series_column=None, short_history="warn"):
        self.dt_past = dt_past
        self.series_column = series_column
        self.short_history = short_history

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
        fitted = dict(vars(self))
        try:
            X = self._validate(X, reset=True)
            self._starts(X)
            check_window_length(self.dt_past, "dt_past", n_samples=X.shape[0])
        except BaseException:
            # A failed fit leaves an earlier fit's attributes as they were.
            vars(self).clear()
            vars(self).update(fitted)
            raise
        return self

    def fit_transform(self, X, y=None):
        """Fit, then return the windows; never warns about short histories.

        ``Pipeline.fit`` calls this: padding the start of the training data
        is intended, so ``short_history`` does not apply here.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The series, one row per time step, oldest first.
        y : None
            Ignored.

        Returns
        -------
        windows : ndarray of shape (n_samples, dt_past, n_features)
            See :meth:`transform`.
        """
        return self.fit(X, y)._windows(X, check_history=False)

    def transform(self, X):
        """Return the window of ``dt_past`` rows ending at each row.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            The series, one row per time step, oldest first.

        Returns
        -------
        windows : ndarray of shape (n_samples, dt_past, n_features)
            The first ``dt_past - 1`` rows (of each series) are left-padded
            with NaN. A read-only view without ``series_column``; without
            the series column with it (``n_features - 1`` channels).

        Warns
        -----
        ShortHistoryWarning
            When a series has fewer than ``dt_past`` rows (see
            ``short_history``).
        """
        check_is_fitted(self)
        # set_params after fit (e.g. dt_past=0) must fail here, clearly.
        self._validate_params()
        return self._windows(X, check_history=True)

    def set_output(self, *, transform=None):
        """Accept an output container, for ``Pipeline.set_output``.

        The windows stay a 3-D ndarray whatever is asked (pandas and polars
        have no 3-D container); the other steps of a pipeline get the output
        asked for.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored for this step's output.

        Returns
        -------
        self : SlidingWindowTransformer
        """
        if transform not in {None, "default", "pandas", "polars"}:
            raise ValueError(
                f"transform={transform!r} is not one of 'default', 'pandas', "
                "'polars' or None."
            )
        return self

    def _validate(self, X, reset):
        try:
            return validate_data(self, X, dtype=[np.float64, np.float32], reset=reset)
        except ValueError as error:
            if "Expected 2D array, got 1D array" not in str(error):
                raise
            raise ValueError(
                f"{type(self).__name__} got a 1-D array: it needs one row per time "
                "step and one column per feature. Reshape your data: pass a single "
                "series as one column, series.reshape(-1, 1) (or the X_rows of "
                "sklstm.future_targets), and include the rows of history before "
                "the rows to predict."
            ) from None

    def _starts(self, X):
        if self.series_column is None:
            return np.array([0, len(X)]), X
        names = getattr(self, "feature_names_in_", None)
        position = column_position(self.series_column, X.shape[1], names)
        if X.shape[1] < 2:
            raise ValueError(
                "series_column leaves no feature: X needs a column besides the "
                "series ids."
            )
        starts = series_runs(X[:, position])
        return starts, np.delete(X, position, axis=1)

    def _windows(self, X, check_history):
        X = self._validate(X, reset=False)
        starts, values = self._starts(X)
        lengths = np.diff(starts)
        if (
            check_history
            and self.short_history != "ignore"
            and lengths.min() < self.dt_past
        ):
            self._short_history(int(lengths.min()), len(lengths))
        pad = self.dt_past - 1
        if len(lengths) == 1:
            padded = np.empty((len(X) + pad, values.shape[1]), dtype=X.dtype)
            padded[:pad] = np.nan
            padded[pad:] = values
            return sliding_window_view(padded, self.dt_past, axis=0).transpose(0, 2, 1)
        blocks = []
        for begin, end in zip(starts[:-1], starts[1:]):
            padded = np.full((end - begin + pad, values.shape[1]), np.nan, X.dtype)
            padded[pad:] = values[begin:end]
            blocks.append(sliding_window_view(padded, self.dt_past, axis=0))
        return np.concatenate(blocks).transpose(0, 2, 1)

    def _short_history(self, shortest, n_series):
        where = "X" if n_series == 1 else f"a series of X ({n_series} series)"
        message = (
            f"{where} has only {shortest} rows but dt_past={self.dt_past}: no "
            "window has its full history, so predictions come from padded "
            f"(invented) history. Pass the {self.dt_past - 1} rows before the "
            "first row to predict as well and keep the last predictions, e.g. "
            f"pipe.predict(X_all[-(n + {self.dt_past - 1}):])[-n:], or use "
            "sklstm.forecast(model, history, horizon). short_history='ignore' "
            "silences this."
        )
        if self.short_history == "raise":
            raise ValueError(message)
        warnings.warn(message, ShortHistoryWarning, stacklevel=4)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
