"""sliding_windows and future_targets: exact values, views, targets, errors.

The general agreement with the course's loop, for random sizes, and of the
two layouts with each other is property-tested in test_properties.py.
"""

import numpy as np
import pandas as pd
import pytest

from sklstm import future_targets, sliding_windows


def prepare_data(data, target, n_past, n_future):
    """The course's plain loop, the reference for the exact values."""
    X, Y = [], []
    for i in range(n_past, len(data) - n_future + 1):
        X.append(data[i - n_past : i])
        Y.append(target[i : i + n_future])
    return np.array(X), np.array(Y)


def test_course_shapes_for_a_1d_series():
    series = np.arange(240.0)
    X, Y = sliding_windows(series, dt_past=20, dt_futu=8)
    assert X.shape == (213, 20, 1)
    assert Y.shape == (213, 8)
    np.testing.assert_array_equal(X[0, :, 0], np.arange(20.0))
    np.testing.assert_array_equal(Y[0], np.arange(20.0, 28.0))


def test_windows_are_a_zero_copy_view():
    series = np.arange(100.0).reshape(-1, 2)
    X, _ = sliding_windows(series, dt_past=10, dt_futu=2)
    assert np.shares_memory(X, series)
    assert not X.flags.writeable


def test_separate_target_series_and_target_columns():
    data = np.arange(60.0).reshape(30, 2)
    target = np.arange(30.0) * -1
    X, Y = sliding_windows(data, target, dt_past=4, dt_futu=3)
    _, Y_ref = prepare_data(data, target, 4, 3)
    np.testing.assert_array_equal(Y, Y_ref)

    frame = pd.DataFrame(data, columns=["a", "b"])
    _, Y_named = sliding_windows(frame, dt_past=4, dt_futu=3, target_columns="b")
    np.testing.assert_array_equal(
        Y_named, prepare_data(data[:, 1], data[:, 1], 4, 3)[1]
    )
    _, Y_both = sliding_windows(frame, dt_past=4, dt_futu=3, target_columns=["b", "a"])
    assert Y_both.shape == (24, 3, 2)
    np.testing.assert_array_equal(Y_both[:, :, 0], Y_named)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"dt_past": 0, "dt_futu": 1}, "dt_past must be at least 1"),
        ({"dt_past": 3, "dt_futu": -2}, "dt_futu must be at least 1"),
        ({"dt_past": 8, "dt_futu": 3}, "longer than the series"),
        ({"dt_past": 2.5, "dt_futu": 1}, "dt_past must be a positive integer"),
    ],
)
def test_bad_window_lengths_name_the_parameter(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        sliding_windows(np.arange(10.0), **kwargs)


def test_bad_targets_are_rejected():
    with pytest.raises(ValueError, match="y has 5 time steps but X has 10"):
        sliding_windows(np.arange(10.0), np.arange(5.0), dt_past=2, dt_futu=1)
    with pytest.raises(ValueError, match="not a column of X"):
        sliding_windows(np.ones((10, 2)), dt_past=2, dt_futu=1, target_columns="z")
    with pytest.raises(TypeError, match="must hold numbers"):
        sliding_windows(np.array(["a"] * 10), dt_past=2, dt_futu=1)


def test_input_is_not_modified():
    data = np.arange(20.0)
    before = data.copy()
    sliding_windows(data, dt_past=3, dt_futu=2)
    future_targets(data, dt_futu=2)
    np.testing.assert_array_equal(data, before)


def test_future_targets_keep_dataframes():
    frame = pd.DataFrame({"a": np.arange(12.0), "b": np.arange(12.0) * 2})
    X_rows, Y = future_targets(frame, dt_futu=2, target_columns="b")
    assert isinstance(X_rows, pd.DataFrame) and list(X_rows.columns) == ["a", "b"]
    assert Y.shape == (10, 2)
    np.testing.assert_array_equal(Y[0], [2.0, 4.0])


def test_future_targets_several_targets_from_a_separate_frame():
    X = pd.DataFrame({"a": np.arange(15.0), "b": -np.arange(15.0)})
    y = pd.DataFrame({"u": np.arange(15.0) * 10, "v": np.arange(15.0) * 100})
    X_rows, Y = future_targets(X, y, dt_futu=4)
    assert isinstance(X_rows, pd.DataFrame) and len(X_rows) == 11
    assert Y.shape == (11, 4, 2) and Y.flags.c_contiguous
    for t in range(11):
        np.testing.assert_array_equal(Y[t], y.to_numpy()[t + 1 : t + 5])
        np.testing.assert_array_equal(X_rows.iloc[t], X.iloc[t])


def test_future_targets_target_columns_by_position_keep_the_target_axis():
    data = np.arange(40.0).reshape(20, 2)
    _, Y = future_targets(data, dt_futu=2, target_columns=[1])
    # A list names target columns; one column still drops the last axis.
    assert Y.shape == (18, 2)
    np.testing.assert_array_equal(Y[5], data[6:8, 1])
    _, Y_all = future_targets(data, dt_futu=2)
    assert Y_all.shape == (18, 2, 2)
    np.testing.assert_array_equal(Y_all[5], data[6:8])
