"""Forecast the steps after the end of a history, with any fitted model.

:func:`forecast` is the answer to "how do I predict beyond my data?": give it
a fitted model (an :class:`~sklstm.LSTMRegressor`, a pipeline with
:class:`~sklstm.SlidingWindowTransformer`, a ``GridSearchCV`` or
``TransformedTargetRegressor`` around one, or a
:class:`~sklstm.ConformalForecaster`) and the history, and it returns the
next ``horizon`` steps: directly up to ``dt_futu``, recursively beyond.
"""

from numbers import Integral

import numpy as np
import pandas as pd

from ._forecast_frames import as_frame, package, target_positions

__all__ = ["forecast", "history_needed"]


def _inner(model):
    """Return the model that ``model`` delegates prediction to, or None."""
    for attribute in ("estimator_", "best_estimator_", "regressor_"):
        inner = getattr(model, attribute, None)
        if inner is not None and hasattr(inner, "predict"):
            return inner
    return None


def _window_step(model):
    """Return (takes_rows, dt_past) of a fitted model; dt_past may be None."""
    from .estimators.base import BaseLSTM
    from .transformers import SlidingWindowTransformer

    while True:
        if isinstance(model, BaseLSTM):
            return False, int(model.n_features_in_)
        steps = getattr(model, "steps", None)
        if steps is not None:
            for _, step in steps:
                if isinstance(step, SlidingWindowTransformer):
                    return True, int(step.dt_past)
            model = steps[-1][1]
            continue
        inner = _inner(model)
        if inner is None:
            return True, None
        model = inner


def history_needed(model):
    """Return the rows of history a fitted model reads for its last forecast.

    Parameters
    ----------
    model : fitted estimator
        As for :func:`forecast`.

    Returns
    -------
    n_rows : int or None
        ``dt_past`` of the model's windows (found in its
        :class:`~sklstm.SlidingWindowTransformer` or, for a bare
        :class:`~sklstm.LSTMRegressor`, its window length); None when it
        cannot be found, in which case all the history is used.
    """
    return _window_step(model)[1]


def _predict_last(model, frame, takes_rows, dt_past, interval):
    """Return the last row's forecast (and bounds) as (dt_futu, n_targets)."""
    rows = frame if dt_past is None else frame.iloc[-dt_past:]
    if not takes_rows:
        rows = rows.to_numpy(dtype=float)[np.newaxis]
    elif not hasattr(model, "feature_names_in_"):
        rows = rows.to_numpy(dtype=float)
    # else keep the DataFrame: the model was fitted on its column names
    if interval:
        outputs = model.predict_interval(rows)
    else:
        outputs = (model.predict(rows),)
    shaped = []
    for output in outputs:
        last = np.asarray(output, dtype=float)[-1]
        shaped.append(last.reshape(last.shape[0] if last.ndim else 1, -1))
    return shaped


def forecast(
    model,
    history,
    horizon,
    *,
    target_columns=None,
    future_X=None,
    return_interval=False,
):
    """Forecast the ``horizon`` steps after the end of ``history``.

    The model sees the last ``dt_past`` rows of ``history`` (its real past:
    nothing is padded). For ``horizon <= dt_futu`` the forecast is the
    model's prediction for the last row (direct). Beyond ``dt_futu`` the
    forecast is recursive: the ``dt_futu`` predicted steps are appended to
    the history as if observed and the model predicts again. That needs every
    input column of the future rows: the target columns are filled with the
    predictions; any other column (e.g. weather) must come from
    ``future_X``.

    Parameters
    ----------
    model : fitted estimator
        Predicts ``dt_futu`` steps per row: a pipeline ending in
        :class:`~sklstm.SlidingWindowTransformer` and
        :class:`~sklstm.LSTMRegressor` (also inside ``GridSearchCV``,
        ``TransformedTargetRegressor`` or
        :class:`~sklstm.ConformalForecaster`), or a bare
        :class:`~sklstm.LSTMRegressor` fitted on windows.
    history : array-like, Series or DataFrame of shape (n_steps,) or \
            (n_steps, n_columns)
        The rows the model takes, oldest first, up to the forecast origin; at
        least ``dt_past`` of them (:func:`history_needed`).
    horizon : int
        Number of steps to forecast.
    target_columns : int, str or list, default=None
        Columns of ``history`` that the model forecasts, in the order of its
        targets; needed for a recursive forecast unless ``history`` has only
        the target columns. Also names the columns of a pandas result.
    future_X : array-like or DataFrame of shape (n_future, n_columns), \
            default=None
        Rows for the steps after the history, with the columns of
        ``history`` (their target columns are ignored). Required for a
        recursive forecast when ``history`` has columns other than the
        targets; row ``i`` is step ``i + 1`` after the origin.
    return_interval : bool, default=False
        Also return the lower and upper bounds of the model's
        ``predict_interval`` (a :class:`~sklstm.ConformalForecaster`);
        only for ``horizon <= dt_futu``.

    Returns
    -------
    y_forecast : ndarray of shape (horizon,) or (horizon, n_targets), or DataFrame
        A pandas ``history`` with a regular ``DatetimeIndex`` gives a
        DataFrame indexed by the future timestamps, one column per target.
    y_lower, y_upper : same type and shape as ``y_forecast``
        Only when ``return_interval=True``.

    Raises
    ------
    ValueError
        If the history is shorter than ``dt_past``, or a recursive forecast
        lacks ``target_columns`` or ``future_X``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklstm import (LSTMRegressor, SlidingWindowTransformer, forecast,
    ...                     future_targets)
    >>> series = np.sin(np.arange(200) * 0.3)
    >>> X_rows, Y = future_targets(series, dt_futu=4)
    >>> pipe = make_pipeline(SlidingWindowTransformer(dt_past=10),
    ...                      LSTMRegressor(n_neurons=8, max_epochs=2, random_state=0))
    >>> pipe = pipe.fit(X_rows, Y)
    >>> forecast(pipe, series, horizon=4).shape
    (4,)
    >>> forecast(pipe, series, horizon=10).shape     # recursive beyond dt_futu
    (10,)
    """
    if isinstance(horizon, bool) or not isinstance(horizon, Integral) or horizon < 1:
        raise ValueError(f"horizon must be a positive integer, got {horizon!r}.")
    pandas_out = isinstance(history, pd.Series | pd.DataFrame)
    frame = as_frame(history)
    names = getattr(model, "feature_names_in_", None)
    if names is not None and isinstance(frame.columns, pd.RangeIndex):
        if len(names) == frame.shape[1]:  # an array for a model fitted on names
            frame.columns = list(names)
    takes_rows, dt_past = _window_step(model)
    if dt_past is not None and len(frame) < dt_past:
        raise ValueError(
            f"history has {len(frame)} rows but the model's windows need "
            f"dt_past={dt_past}; pass at least the last {dt_past} rows."
        )
    outputs = _predict_last(model, frame, takes_rows, dt_past, return_interval)
    dt_futu, n_targets = outputs[0].shape
    single = n_targets == 1
    positions = target_positions(target_columns, frame, n_targets)
    if horizon > dt_futu:
        if return_interval:
            raise ValueError(
                f"Intervals are calibrated for the model's dt_futu={dt_futu} steps; "
                f"horizon={horizon} would need a recursive forecast, which has no "
                "calibrated interval. Use horizon <= dt_futu or return_interval=False."
            )
        outputs = [
            _recursive(
                model,
                frame,
                outputs[0],
                horizon,
                positions,
                future_X,
                takes_rows,
                dt_past,
            )
        ]
    results = [
        package(values[:horizon], frame, positions, pandas_out, single)
        for values in outputs
    ]
    return tuple(results) if return_interval else results[0]


def _recursive(model, frame, first, horizon, positions, future_X, takes_rows, dt_past):
    dt_futu = len(first)
    n_new = dt_futu * (-(-horizon // dt_futu) - 1)
    if positions is None:
        raise ValueError(
            f"horizon={horizon} > dt_futu={dt_futu} needs a recursive forecast, "
            f"which feeds the predictions back as inputs; history has "
            f"{frame.shape[1]} columns, so say which are the model's targets with "
            "target_columns."
        )
    exogenous = [c for c in range(frame.shape[1]) if c not in positions]
    future = np.full((n_new, frame.shape[1]), np.nan)
    if exogenous:
        if future_X is None:
            raise ValueError(
                f"horizon={horizon} > dt_futu={dt_futu} needs a recursive forecast, "
                f"and the model also reads columns "
                f"{[frame.columns[c] for c in exogenous]} that are not forecast: "
                f"pass their values for the next {n_new} steps as future_X (or "
                f"forecast at most {dt_futu} steps)."
            )
        given = as_frame(future_X).to_numpy(dtype=float)
        if given.shape[1] != frame.shape[1] or len(given) < n_new:
            raise ValueError(
                f"future_X must have the {frame.shape[1]} columns of history and at "
                f"least {n_new} rows for horizon={horizon}; got shape {given.shape}."
            )
        if not np.isfinite(given[:n_new][:, exogenous]).all():
            raise ValueError("future_X has NaN or infinity in non-target columns.")
        future[:, exogenous] = given[:n_new, exogenous]
    values = [first]
    grown = frame
    for start in range(0, n_new, dt_futu):
        block = future[start : start + dt_futu]
        block[:, positions] = values[-1]
        appended = pd.DataFrame(block, columns=frame.columns)
        grown = pd.concat([grown.iloc[-(dt_past or len(grown)) :], appended])
        values.append(_predict_last(model, grown, takes_rows, dt_past, False)[0])
    return np.concatenate(values)
