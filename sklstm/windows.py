"""Turn time series into LSTM inputs: past windows and future targets.

Two layouts are offered, and they agree with each other exactly:

* :func:`sliding_windows` is the course's ``prepare_data``: it drops the rows
  that lack a full past or a full future, so
  ``X.shape == (n - dt_past - dt_futu + 1, dt_past, n_features)``.
* :func:`future_targets` keeps one row per time step (what scikit-learn
  pipelines need) and only builds the targets; the windows are then made by
  :class:`~sklstm.SlidingWindowTransformer` inside the pipeline.

Row ``t`` of either layout is the window that *ends* at time step ``t`` and
predicts the ``dt_futu`` steps ``t + 1, ..., t + dt_futu``.
"""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .series import column_position, series_runs

__all__ = ["sliding_windows", "future_targets", "check_window_length"]


def check_window_length(value, name, *, n_samples=None):
    """Check that a window length is a positive integer no longer than the data.

    Parameters
    ----------
    value : int
        The window length to check.
    name : str
        The parameter's name, used in the error message.
    n_samples : int, default=None
        Number of time steps available; when given, ``value`` must not exceed it.

    Returns
    -------
    value : int
        The checked value as a Python ``int``.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If ``value`` is below 1 or longer than the data.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be a positive integer number of time steps, "
            f"got {value!r} of type {type(value).__name__}."
        )
    if value < 1:
        raise ValueError(f"{name} must be at least 1 time step, got {name}={value}.")
    if n_samples is not None and value > n_samples:
        raise ValueError(
            f"{name}={value} is longer than the data (n_samples = {n_samples}); "
            f"use a smaller {name} or a longer series."
        )
    return int(value)


def _as_2d_series(data, name):
    """Return ``data`` as a 2-D numeric array ``(n_steps, n_columns)``.

    Also returns whether the input was 1-D and its column names (if any).
    """
    columns = getattr(data, "columns", None)
    if columns is not None:
        columns = list(columns)
    array = np.asarray(data)
    if name == "X" and array.dtype.kind == "b":
        raise TypeError(
            "X is boolean; LSTM inputs are real numbers. If the booleans are "
            "intended as 0/1 values, convert them with X.astype(float)."
        )
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must hold numbers, got dtype {array.dtype}; convert "
            f"categorical or text columns to numbers first."
        )
    if array.ndim == 1:
        return array[:, np.newaxis], True, columns
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a series of shape (n_steps,) or (n_steps, n_columns), "
            f"got an array of shape {array.shape}."
        )
    return array, False, columns


def _select_targets(X, y, target_columns, X_columns, exclude=None):
    """Return the 2-D target series and whether it has a single column.

    ``exclude`` is a column position (the series ids) never used as a target.
    """
    if y is not None:
        if target_columns is not None:
            raise ValueError(
                "Pass either y or target_columns, not both: target_columns picks "
                "the targets from the columns of X when y is None."
            )
        y2d, y_is_1d, _ = _as_2d_series(y, "y")
        if len(y2d) != len(X):
            raise ValueError(
                f"y has {len(y2d)} time steps but X has {len(X)}; they must be "
                "the same series, step for step."
            )
        return y2d, y_is_1d or y2d.shape[1] == 1
    if target_columns is None:
        if exclude is not None:
            kept = [c for c in range(X.shape[1]) if c != exclude]
            return X[:, kept], len(kept) == 1
        return X, X.shape[1] == 1
    single = np.isscalar(target_columns)
    wanted = [target_columns] if single else list(target_columns)
    positions = [
        column_position(column, X.shape[1], X_columns, name="target_columns")
        for column in wanted
    ]
    return X[:, positions], len(positions) == 1


def sliding_windows(X, y=None, *, dt_past, dt_futu, target_columns=None):
    """Cut a series into past windows and future targets, as in the course.

    Equivalent to the course's ``prepare_data``: for every
    ``i in range(dt_past, n - dt_futu + 1)`` the window is ``X[i - dt_past:i]``
    and the target is ``y[i:i + dt_futu]``. No Python loop runs over the
    windows: ``X_windows`` is a read-only, zero-copy view of ``X`` when ``X``
    is a NumPy array.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_steps,) or (n_steps, n_features)
        The input series, oldest step first.
    y : array-like or DataFrame of shape (n_steps,) or (n_steps, n_targets), \
            default=None
        A separate target series aligned step for step with ``X``. When None,
        the targets are taken from ``X`` itself (all its columns, or those in
        ``target_columns``).
    dt_past : int
        Number of past time steps in each input window.
    dt_futu : int
        Number of future time steps to predict.
    target_columns : int, str or list, default=None
        Columns of ``X`` (positions, or names for a DataFrame) to use as
        targets when ``y`` is None.

    Returns
    -------
    X_windows : ndarray of shape (n_steps - dt_past - dt_futu + 1, dt_past, n_features)
        Past windows. A 1-D ``X`` gives ``n_features == 1``.
    Y : ndarray of shape (n_windows, dt_futu) or (n_windows, dt_futu, n_targets)
        Future targets; the last axis is dropped when there is a single target.

    Raises
    ------
    ValueError
        If ``dt_past`` or ``dt_futu`` is below 1, or the series is shorter
        than ``dt_past + dt_futu``.

    See Also
    --------
    future_targets : The same targets, one row per time step, for pipelines.
    SlidingWindowTransformer : Windows inside a scikit-learn pipeline.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import sliding_windows
    >>> series = np.arange(10.0)
    >>> X, Y = sliding_windows(series, dt_past=3, dt_futu=2)
    >>> X.shape, Y.shape
    ((6, 3, 1), (6, 2))
    >>> X[0, :, 0], Y[0]
    (array([0., 1., 2.]), array([3., 4.]))
    """
    X2d, _, X_columns = _as_2d_series(X, "X")
    dt_past = check_window_length(dt_past, "dt_past")
    dt_futu = check_window_length(dt_futu, "dt_futu")
    n_steps = len(X2d)
    if dt_past + dt_futu > n_steps:
        raise ValueError(
            f"dt_past + dt_futu = {dt_past + dt_futu} is longer than the series "
            f"(n_samples = {n_steps}); use smaller windows or a longer series."
        )
    y2d, single_target = _select_targets(X2d, y, target_columns, X_columns)
    n_windows = n_steps - dt_past - dt_futu + 1
    # sliding_window_view puts the window axis last: (n, n_features, dt_past).
    X_windows = sliding_window_view(X2d, dt_past, axis=0)[:n_windows]
    Y = sliding_window_view(y2d[dt_past:], dt_futu, axis=0)[:n_windows]
    X_windows = X_windows.transpose(0, 2, 1)
    Y = Y.transpose(0, 2, 1)
    if single_target:
        Y = Y[:, :, 0]
    return X_windows, Y


def future_targets(X, y=None, *, dt_futu, target_columns=None, series_column=None):
    """Align each time step with the ``dt_futu`` values that follow it.

    Returns one row per time step that has a full future, so that a
    scikit-learn pipeline with :class:`~sklstm.SlidingWindowTransformer` can
    search ``dt_past`` without changing the number of rows of ``Y``:
    ``Y[t] = y[t + 1 : t + 1 + dt_futu]``.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_steps,) or (n_steps, n_features)
        The input series, oldest step first.
    y : array-like or DataFrame of shape (n_steps,) or (n_steps, n_targets), \
            default=None
        A separate target series; when None the targets come from ``X``.
    dt_futu : int
        Number of future time steps to predict.
    target_columns : int, str or list, default=None
        Columns of ``X`` to use as targets when ``y`` is None.
    series_column : int or str, default=None
        Column of ``X`` holding a series id, when several series are stacked
        one after another (each contiguous and oldest first). No target then
        reaches into the next series: the last ``dt_futu`` rows of *each*
        series are dropped. The column stays in ``X_rows`` (for
        :class:`~sklstm.SlidingWindowTransformer`'s ``series_column``) and is
        never a target.

    Returns
    -------
    X_rows : ndarray or DataFrame of shape (n_steps - dt_futu, n_features)
        The first ``n_steps - dt_futu`` rows of ``X`` (a DataFrame stays a
        DataFrame, so column names reach the pipeline; a 1-D ``X`` becomes a
        single column). With ``series_column``, the rows of each series but
        its last ``dt_futu``.
    Y : ndarray of shape (n_steps - dt_futu, dt_futu) or \
            (n_steps - dt_futu, dt_futu, n_targets)
        Future targets; the last axis is dropped for a single target.

    See Also
    --------
    sliding_windows : The course's layout, windows and targets together.

    Notes
    -----
    ``sliding_windows(X, dt_past=p, dt_futu=f)`` equals the rows ``p - 1``
    onwards of ``SlidingWindowTransformer(dt_past=p).fit_transform(X_rows)``
    and ``Y`` built here: row ``t`` is the window ending at step ``t``. When
    cross-validating, use ``TimeSeriesSplit(gap=dt_futu)`` so that no
    training target overlaps the test period.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import future_targets
    >>> X_rows, Y = future_targets(np.arange(6.0), dt_futu=2)
    >>> X_rows.ravel(), Y
    (array([0., 1., 2., 3.]), array([[1., 2.],
           [2., 3.],
           [3., 4.],
           [4., 5.]]))
    """
    X2d, _, X_columns = _as_2d_series(X, "X")
    dt_futu = check_window_length(dt_futu, "dt_futu")
    id_position = None
    starts = np.array([0, len(X2d)])
    if series_column is not None:
        id_position = column_position(series_column, X2d.shape[1], X_columns)
        starts = series_runs(X2d[:, id_position])
    y2d, single_target = _select_targets(
        X2d, y, target_columns, X_columns, exclude=id_position
    )
    rows, blocks = [], []
    for begin, end in zip(starts[:-1], starts[1:]):
        n_steps = end - begin
        if dt_futu >= n_steps:
            where = "" if series_column is None else f" (rows {begin}:{end})"
            raise ValueError(
                f"dt_futu={dt_futu} leaves no rows with a full future in a series "
                f"of n_samples = {n_steps}{where}; use a smaller dt_futu or a "
                "longer series."
            )
        n_rows = n_steps - dt_futu
        target = y2d[begin + 1 : end]
        blocks.append(
            sliding_window_view(target, dt_futu, axis=0)[:n_rows].transpose(0, 2, 1)
        )
        rows.append(np.arange(begin, begin + n_rows))
    Y = blocks[0] if len(blocks) == 1 else np.concatenate(blocks)
    rows = slice(0, len(rows[0])) if len(rows) == 1 else np.concatenate(rows)
    if single_target:
        Y = Y[:, :, 0]
    if hasattr(X, "iloc") and np.ndim(X) == 2:
        X_rows = X.iloc[rows]
    else:
        X_rows = X2d[rows]
    return X_rows, np.ascontiguousarray(Y)
