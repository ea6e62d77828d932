"""Several series in one table: find each series' rows and split folds by time.

Series are stacked one after another: all rows of a series are contiguous and
oldest first, and a column (or an array of ids) says which series a row
belongs to. :func:`series_runs` finds the series, :func:`future_targets
<sklstm.future_targets>` and :class:`~sklstm.SlidingWindowTransformer` use it
so that no target and no window crosses from one series into the next, and
:class:`SeriesTimeSeriesSplit` cross-validates every series in time order.
"""

from numbers import Integral

import numpy as np
from sklearn.model_selection import TimeSeriesSplit
from sklearn.model_selection._split import BaseCrossValidator

__all__ = ["SeriesTimeSeriesSplit", "column_position", "series_runs"]


def column_position(column, n_columns, names=None, *, name="series_column"):
    """Return the position of ``column`` (a position, or a name in ``names``).

    Parameters
    ----------
    column : int or str
        A column position (negative counts from the end) or a column name.
    n_columns : int
        Number of columns.
    names : sequence of str, default=None
        Column names, when the data had them.
    name : str, default="series_column"
        The parameter's name, for the error message.

    Returns
    -------
    position : int
    """
    if isinstance(column, Integral) and not isinstance(column, bool):
        if not -n_columns <= column < n_columns:
            raise ValueError(
                f"{name}={column!r} is out of range for X with {n_columns} columns."
            )
        return int(column) % n_columns
    if names is not None and column in list(names):
        return list(names).index(column)
    raise ValueError(
        f"{name}={column!r} is not a column of X; give a column position, or a "
        "name when X is a DataFrame."
    )


def series_runs(ids):
    """Return the start of each series in ``ids``, and check they are contiguous.

    Parameters
    ----------
    ids : array-like of shape (n_rows,)
        The series of each row. Rows of one series must be contiguous.

    Returns
    -------
    starts : ndarray of int, shape (n_series + 1,)
        Series ``k`` is rows ``starts[k]:starts[k + 1]``; the last entry is
        ``n_rows``.

    Raises
    ------
    ValueError
        If a series' rows are not contiguous (an id comes back after another).

    Examples
    --------
    >>> from sklstm.series import series_runs
    >>> series_runs(["a", "a", "b", "b", "b"])
    array([0, 2, 5])
    """
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"series ids must be 1-D, got shape {ids.shape}.")
    if len(ids) == 0:
        return np.array([0])
    changes = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts = np.concatenate([[0], changes, [len(ids)]])
    first_ids = ids[starts[:-1]]
    _, counts = np.unique(first_ids, return_counts=True)
    if np.any(counts > 1):
        repeated = np.unique(first_ids)[counts > 1][0]
        raise ValueError(
            f"The rows of series {repeated!r} are not contiguous: stack the series "
            "one after another, each in time order (e.g. sort by series id, then "
            "time, with a stable sort)."
        )
    return starts


class SeriesTimeSeriesSplit(BaseCrossValidator):
    """Time-series cross-validation of several stacked series at once.

    Each series is split by :class:`~sklearn.model_selection.TimeSeriesSplit`
    on its own; fold ``k`` trains on the early rows of every series and tests
    on their later rows. No test row comes before a training row of its
    series, and ``gap=dt_futu`` keeps every training target out of the test
    period, as for a single series.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds; every series needs more than ``n_splits`` rows.
    gap : int, default=0
        Rows dropped between the training and the test rows of each series.
    test_size : int, default=None
        Test rows per series and fold (default: as ``TimeSeriesSplit``).
    series_column : int or str, default=None
        Column of ``X`` holding the series ids, used when ``split`` gets no
        ``groups``.

    See Also
    --------
    sklstm.SlidingWindowTransformer : Its ``series_column`` keeps windows
        inside one series.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.series import SeriesTimeSeriesSplit
    >>> ids = np.repeat([0, 1], 6)
    >>> cv = SeriesTimeSeriesSplit(n_splits=2, test_size=2)
    >>> for train, test in cv.split(np.zeros((12, 1)), groups=ids):
    ...     print(train, test)
    [0 1 6 7] [2 3 8 9]
    [0 1 2 3 6 7 8 9] [ 4  5 10 11]
    """

    def __init__(self, n_splits=5, *, gap=0, test_size=None, series_column=None):
        self.n_splits = n_splits
        self.gap = gap
        self.test_size = test_size
        self.series_column = series_column

    def _ids(self, X, groups):
        if groups is not None:
            return np.asarray(groups)
        if self.series_column is None:
            raise ValueError(
                "SeriesTimeSeriesSplit needs the series of each row: pass groups= "
                "to split (GridSearchCV.fit(X, y, groups=ids)) or set series_column."
            )
        names = getattr(X, "columns", None)
        position = column_position(self.series_column, np.shape(X)[1], names)
        return np.asarray(X)[:, position]

    def split(self, X, y=None, groups=None):
        """Yield train and test row indices, per fold, for all series together.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            The stacked series.
        y : object
            Ignored.
        groups : array-like of shape (n_rows,), default=None
            Series id of each row; when None, read from ``series_column``.

        Yields
        ------
        train, test : ndarray of int
        """
        starts = series_runs(self._ids(X, groups))
        splitter = TimeSeriesSplit(
            n_splits=self.n_splits, gap=self.gap, test_size=self.test_size
        )
        per_series = []
        for begin, end in zip(starts[:-1], starts[1:]):
            try:
                folds = list(splitter.split(np.empty((end - begin, 1))))
            except ValueError as error:
                raise ValueError(
                    f"The series in rows {begin}:{end} is too short for "
                    f"n_splits={self.n_splits}, gap={self.gap}: {error}"
                ) from None
            per_series.append([(train + begin, test + begin) for train, test in folds])
        for fold in zip(*per_series):
            yield (
                np.concatenate([train for train, _ in fold]),
                np.concatenate([test for _, test in fold]),
            )

    def get_n_splits(self, X=None, y=None, groups=None):
        """Return the number of folds, ``n_splits``.

        Parameters
        ----------
        X, y, groups : object, default=None
            Ignored; present for scikit-learn's splitter API.

        Returns
        -------
        n_splits : int
        """
        return self.n_splits
