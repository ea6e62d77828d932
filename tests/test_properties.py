"""Property-based tests: window functions and the transformer against plain loops."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sklstm import SlidingWindowTransformer, future_targets, sliding_windows

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def series_and_windows(draw):
    """A random series (n_steps, n_features) with dt_past + dt_futu <= n_steps."""
    n_steps = draw(st.integers(2, 40))
    dt_past = draw(st.integers(1, n_steps - 1))
    dt_futu = draw(st.integers(1, n_steps - dt_past))
    n_features = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    data = np.random.default_rng(seed).normal(size=(n_steps, n_features))
    return data, dt_past, dt_futu


def course_loop(data, target, dt_past, dt_futu):
    """The course's prepare_data, one window at a time."""
    X, Y = [], []
    for i in range(dt_past, len(data) - dt_futu + 1):
        X.append(data[i - dt_past : i])
        Y.append(target[i : i + dt_futu])
    return np.array(X), np.array(Y)


@SETTINGS
@given(series_and_windows())
def test_sliding_windows_match_the_loop(case):
    data, dt_past, dt_futu = case
    X, Y = sliding_windows(data, dt_past=dt_past, dt_futu=dt_futu)
    X_ref, Y_ref = course_loop(data, data, dt_past, dt_futu)
    n_windows = len(data) - dt_past - dt_futu + 1
    assert X.shape == (n_windows, dt_past, data.shape[1])
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref[:, :, 0] if data.shape[1] == 1 else Y_ref)


@SETTINGS
@given(series_and_windows())
def test_a_1d_series_gives_one_feature(case):
    data, dt_past, dt_futu = case
    X, Y = sliding_windows(data[:, 0], dt_past=dt_past, dt_futu=dt_futu)
    X_ref, Y_ref = course_loop(data[:, :1], data[:, 0], dt_past, dt_futu)
    np.testing.assert_array_equal(X, X_ref)
    np.testing.assert_array_equal(Y, Y_ref)


@SETTINGS
@given(series_and_windows())
def test_future_targets_match_the_loop(case):
    data, _, dt_futu = case
    X_rows, Y = future_targets(data, dt_futu=dt_futu)
    n_rows = len(data) - dt_futu
    np.testing.assert_array_equal(X_rows, data[:n_rows])
    for t in range(n_rows):
        expected = data[t + 1 : t + 1 + dt_futu]
        np.testing.assert_array_equal(
            Y[t], expected[:, 0] if data.shape[1] == 1 else expected
        )


@SETTINGS
@given(series_and_windows())
def test_transformer_matches_the_loop(case):
    data, dt_past, _ = case
    windows = SlidingWindowTransformer(dt_past=dt_past).fit_transform(data)
    assert windows.shape == (len(data), dt_past, data.shape[1])
    for t in range(len(data)):
        expected = np.full((dt_past, data.shape[1]), np.nan)
        history = data[max(0, t - dt_past + 1) : t + 1]
        expected[dt_past - len(history) :] = history
        np.testing.assert_array_equal(windows[t], expected)


@SETTINGS
@given(series_and_windows())
def test_the_two_layouts_agree(case):
    data, dt_past, dt_futu = case
    X, Y = sliding_windows(data, dt_past=dt_past, dt_futu=dt_futu)
    X_rows, Y_rows = future_targets(data, dt_futu=dt_futu)
    windows = SlidingWindowTransformer(dt_past=dt_past).fit_transform(X_rows)
    np.testing.assert_array_equal(windows[dt_past - 1 :], X)
    np.testing.assert_array_equal(Y_rows[dt_past - 1 :], Y)
