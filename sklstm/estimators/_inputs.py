"""Check windows given to an estimator and find their left padding.

Accepted input is 3-D ``(n_windows, n_steps, n_channels)``; 2-D is read as
``(n_windows, n_steps, 1)``. A 3-D window may begin with time steps whose
channels are all NaN: that is left padding (what
:class:`~sklstm.SlidingWindowTransformer` writes for rows with a short
history), and the network skips it. Every other NaN (including any NaN in
2-D input, which no transformer of ours produces), and any infinity, is an
error raised before training. Missing values are not supported: impute them
before windowing.
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._checks import check_float32_range

__all__ = ["Windows", "inspect_windows"]


@dataclass
class Windows:
    """Checked windows, ready to become tensors.

    Attributes
    ----------
    dense : ndarray of shape (n, n_steps, n_channels) or None
        The windows, float32 with padding set to zero, when they are dense.
    series : ndarray of shape (n + n_steps - 1, n_channels) or None
        The series when the input was a sliding-window view of it; the
        windows are then gathered batch by batch.
    lengths : ndarray of shape (n,) or None
        Valid steps per window; None when nothing is padded.
    n_steps, n_channels : int
    """

    dense: np.ndarray | None
    series: np.ndarray | None
    lengths: np.ndarray | None
    n_steps: int
    n_channels: int

    def __len__(self):
        if self.dense is not None:
            return len(self.dense)
        return len(self.series) - self.n_steps + 1


def _series_of_view(X):
    """Return the series under a sliding-window view, or None for other arrays."""
    n, n_steps, _ = X.shape
    if n_steps < 2 or X.flags.c_contiguous or X.strides[0] != X.strides[1]:
        return None
    return as_strided(
        X, shape=(n + n_steps - 1, X.shape[2]), strides=X.strides[1:], writeable=False
    )


def _check_nan_rows(any_nan, all_nan, where):
    if np.any(any_nan != all_nan):
        raise ValueError(
            f"X has NaN in some but not all channels of a time step ({where}). "
            "Only left padding may be NaN, and it must cover every channel: fill "
            "or drop missing values (e.g. with SimpleImputer) before windowing."
        )


def _padding_error(window):
    return ValueError(
        f"X has NaN after the first valid time step of window {window}. NaN is "
        "read only as left padding (a leading run of all-NaN steps, as "
        "SlidingWindowTransformer writes); fill or drop missing values before "
        "windowing."
    )


def _all_padding_error(window):
    return ValueError(
        f"Window {window} of X is all NaN (padding only): every window needs at "
        "least one observed time step. Drop such rows, or use a smaller dt_past."
    )


def _dense_lengths(X):
    nan = np.isnan(X)
    all_nan = nan.all(axis=2)
    _check_nan_rows(nan.any(axis=2), all_nan, "dense windows")
    n_steps = X.shape[1]
    leading = np.where(all_nan.all(axis=1), n_steps, np.argmin(all_nan, axis=1))
    if np.any(leading == n_steps):
        raise _all_padding_error(int(np.argmax(leading == n_steps)))
    bad = all_nan.sum(axis=1) != leading
    if np.any(bad):
        raise _padding_error(int(np.argmax(bad)))
    return n_steps - leading


def _series_lengths(series, n_windows, n_steps):
    nan = np.isnan(series)
    all_nan = nan.all(axis=1)
    _check_nan_rows(nan.any(axis=1), all_nan, "the windowed series")
    if not all_nan.any():
        return None
    positions = np.arange(len(series))
    # Run of NaN rows starting at each row: distance to the next observed row.
    next_observed = np.where(all_nan, len(series), positions)
    next_observed = np.minimum.accumulate(next_observed[::-1])[::-1]
    leading = np.minimum(next_observed - positions, n_steps)[:n_windows]
    if np.any(leading == n_steps):
        raise _all_padding_error(int(np.argmax(leading == n_steps)))
    cumulative = np.concatenate([[0], np.cumsum(all_nan)])
    in_window = cumulative[n_steps : n_steps + n_windows] - cumulative[:n_windows]
    bad = in_window != leading
    if np.any(bad):
        raise _padding_error(int(np.argmax(bad)))
    return n_steps - leading


def _check_no_inf(values):
    if np.isinf(values).any():
        raise ValueError(
            "X contains infinity; replace or drop infinite values before fitting."
        )


def inspect_windows(X):
    """Check validated windows and describe them as :class:`Windows`.

    Parameters
    ----------
    X : ndarray of shape (n, n_steps) or (n, n_steps, n_channels)
        Output of ``validate_data`` (float32 or float64).

    Returns
    -------
    windows : Windows
    """
    if X.ndim == 2:
        if not np.isfinite(X.sum()) and not np.isfinite(X).all():
            raise ValueError(
                "X contains NaN or infinity. Missing values are not supported: "
                "impute them (e.g. with SimpleImputer) before windowing. Left "
                "padding is recognised only in 3-D windows (n_windows, n_steps, "
                "n_channels), as SlidingWindowTransformer returns."
            )
        X = X[:, :, np.newaxis]
    if X.ndim != 3:
        raise ValueError(
            f"X must be 3-D (n_windows, n_steps, n_channels), or 2-D (n_windows, "
            f"n_steps) for one channel; got {X.ndim} dimensions with shape "
            f"{X.shape}. Build windows with sliding_windows or "
            "SlidingWindowTransformer."
        )
    n, n_steps, n_channels = X.shape
    series = _series_of_view(X)
    if series is not None:
        _check_no_inf(series)
        check_float32_range(series, "X")
        lengths = _series_lengths(series, n, n_steps)
        values = np.nan_to_num(series.astype(np.float32), nan=0.0, copy=False)
        return Windows(None, values, lengths, n_steps, n_channels)
    if np.isfinite(X.sum()):
        lengths = None
    else:
        _check_no_inf(X)
        lengths = _dense_lengths(X)
        if np.all(lengths == n_steps):
            lengths = None
    check_float32_range(X, "X")
    values = X.astype(np.float32, copy=lengths is not None)
    if lengths is not None:
        np.nan_to_num(values, nan=0.0, copy=False)
    return Windows(values, None, lengths, n_steps, n_channels)
