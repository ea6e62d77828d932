"""Tables in and out of :func:`sklstm.forecast`: history, targets, future index."""

from numbers import Integral

import numpy as np
import pandas as pd

__all__ = ["as_frame", "package", "target_positions"]


def as_frame(history):
    """Return ``history`` as a float DataFrame (arrays get positional columns)."""
    if isinstance(history, pd.Series):
        return history.to_frame().astype(float)
    if isinstance(history, pd.DataFrame):
        return history.astype(float)
    array = np.asarray(history, dtype=float)
    if array.ndim == 1:
        array = array[:, np.newaxis]
    if array.ndim != 2:
        raise ValueError(
            f"history must be a series (n_steps,) or rows (n_steps, n_columns); got "
            f"shape {array.shape}."
        )
    return pd.DataFrame(array)


def target_positions(target_columns, frame, n_targets):
    """Return the positions of the target columns, or None when unknown."""
    if target_columns is None:
        if frame.shape[1] == n_targets:
            return list(range(n_targets))
        return None
    wanted = [target_columns] if np.isscalar(target_columns) else list(target_columns)
    names = list(frame.columns)
    positions = []
    for column in wanted:
        if column in names:
            positions.append(names.index(column))
        elif isinstance(column, Integral) and -len(names) <= column < len(names):
            positions.append(int(column) % len(names))
        else:
            raise ValueError(
                f"target_columns={target_columns!r}: {column!r} is not a column of "
                "history; give positions, or names for a DataFrame."
            )
    if len(positions) != n_targets:
        raise ValueError(
            f"target_columns names {len(positions)} columns but the model forecasts "
            f"{n_targets} targets; list the history's target columns in the order of "
            "the model's targets."
        )
    return positions


def _future_index(frame, horizon):
    index = frame.index
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise ValueError(
                "history has a DatetimeIndex without a regular frequency, so the "
                "future timestamps are unknown; resample it (history.asfreq('h')) "
                "or pass a NumPy array."
            )
        return pd.date_range(index[-1], periods=horizon + 1, freq=freq)[1:]
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(index.stop, index.stop + horizon * index.step, index.step)
    return pd.RangeIndex(len(index), len(index) + horizon)


def package(values, frame, positions, pandas_out, single):
    """Return forecast ``values`` as an array, or a DataFrame on the future index."""
    if single:
        values = values[:, 0]
    if not pandas_out:
        return values
    index = _future_index(frame, len(values))
    if positions is not None:
        names = [frame.columns[p] for p in positions]
    elif values.ndim == 1 or values.shape[1] == 1:
        names = ["forecast"]
    else:
        names = [f"forecast_{k}" for k in range(values.shape[1])]
    return pd.DataFrame(values.reshape(len(values), -1), index=index, columns=names)
