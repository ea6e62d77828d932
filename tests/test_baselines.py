"""Persistence, seasonal-naive and the ridge autoregression on LSTM windows."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline

from sklstm import (
    LinearAutoRegressor,
    PersistenceRegressor,
    SeasonalNaiveRegressor,
    SlidingWindowTransformer,
    future_targets,
    sliding_windows,
)


def _two_channel_windows():
    # Channel 0: an input; channel 1: the target series 100, 101, ...
    steps = np.arange(30.0)
    series = np.column_stack([-steps, 100 + steps])
    return sliding_windows(series, series[:, 1], dt_past=5, dt_futu=3)


def test_persistence_repeats_last_value_of_target_channel():
    X, Y = _two_channel_windows()
    pred = PersistenceRegressor().fit(X, Y).predict(X)
    assert pred.shape == Y.shape
    np.testing.assert_array_equal(pred, np.repeat(X[:, -1, 1:], 3, axis=1))
    # An explicit channel reads that channel instead.
    pred0 = PersistenceRegressor(target_channels=0).fit(X, Y).predict(X)
    np.testing.assert_array_equal(pred0[:, 0], X[:, -1, 0])


@pytest.mark.parametrize("y_ndim", [1, 2, 3])
def test_prediction_has_shape_of_y(y_ndim):
    X, Y = _two_channel_windows()
    y = {1: Y[:, 0], 2: Y, 3: np.stack([Y, Y + 1], axis=2)}[y_ndim]
    for model in (
        PersistenceRegressor(),
        SeasonalNaiveRegressor(season=2),
        LinearAutoRegressor(),
    ):
        pred = model.fit(X, y).predict(X)
        assert pred.shape == y.shape
        assert pred.dtype == np.float64


def test_several_targets_default_to_last_channels():
    X, Y = _two_channel_windows()
    Y3 = np.stack([Y - 50, Y], axis=2)  # two targets: channels 0 and 1
    pred = PersistenceRegressor().fit(X, Y3).predict(X)
    np.testing.assert_array_equal(pred[:, 0, 0], X[:, -1, 0])
    np.testing.assert_array_equal(pred[:, 0, 1], X[:, -1, 1])


@pytest.mark.parametrize(
    "target_channels, match",
    [(2, "out of range"), ([0, 1], "names 2 channel"), ([0.5], "integer positions")],
)
def test_bad_target_channels_are_named(target_channels, match):
    X, Y = _two_channel_windows()
    with pytest.raises((ValueError, TypeError), match=match):
        PersistenceRegressor(target_channels=target_channels).fit(X, Y)


def test_more_targets_than_channels_is_explained():
    X, Y = _two_channel_windows()
    Y3 = np.stack([Y, Y, Y], axis=2)
    with pytest.raises(ValueError, match="3 targets but X has only 2 channels"):
        PersistenceRegressor().fit(X, Y3)


def test_seasonal_naive_repeats_the_last_season():
    series = np.arange(40.0)
    X, Y = sliding_windows(series, dt_past=6, dt_futu=7)
    pred = SeasonalNaiveRegressor(season=3).fit(X, Y).predict(X)
    last = X[:, -1, 0][:, None]
    # Steps 1..7 ahead read the window's values at T-2, T-1, T, T-2, ...
    expected = last + np.array([-2, -1, 0, -2, -1, 0, -2])
    np.testing.assert_array_equal(pred, expected)
    # season=None is the window length.
    model = SeasonalNaiveRegressor().fit(X, Y)
    assert model.season_ == 6


def test_seasonal_naive_longer_than_window_is_an_error():
    X, Y = sliding_windows(np.arange(20.0), dt_past=4, dt_futu=2)
    with pytest.raises(ValueError, match="season=5 is longer than the windows"):
        SeasonalNaiveRegressor(season=5).fit(X, Y)


def test_padding_from_the_window_transformer():
    y = np.arange(12.0) ** 2
    X_rows, Y = future_targets(y, dt_futu=2)
    windows = SlidingWindowTransformer(dt_past=4).fit_transform(X_rows)
    assert np.isnan(windows[0, 0, 0])
    # Persistence never sees padding.
    pred = PersistenceRegressor().fit(windows, Y).predict(windows)
    np.testing.assert_array_equal(pred[:, 0], X_rows[:, 0])
    # Seasonal-naive falls back to the last value where a season back is padding.
    pred = SeasonalNaiveRegressor(season=4).fit(windows, Y).predict(windows)
    assert pred[0, 0] == X_rows[0, 0]  # row 0 has one observed step
    assert pred[5, 0] == X_rows[2, 0]  # row 5: one season back from step 6
    assert np.isfinite(pred).all()


def test_linear_ar_fits_full_windows_and_fills_padding_at_predict():
    y = np.arange(30.0)
    X_rows, Y = future_targets(y, dt_futu=2)
    windows = SlidingWindowTransformer(dt_past=3).fit_transform(X_rows)
    model = LinearAutoRegressor(alpha=1e-8).fit(windows, Y)
    # Fitted on full windows only: a line is learnt exactly.
    np.testing.assert_allclose(model.predict(windows[2:]), Y[2:], atol=1e-4)
    # Padded windows are answered, from the window filled with its first value.
    filled = np.array([[[0.0], [0.0], [0.0]]])
    np.testing.assert_allclose(model.predict(windows[:1]), model.predict(filled))
    # The padded input itself is not modified.
    assert np.isnan(windows[0, 0, 0])


def test_linear_ar_with_only_padded_windows_is_an_error():
    X = np.array([[[np.nan], [1.0]], [[np.nan], [2.0]]])
    with pytest.raises(ValueError, match="fits on full windows only"):
        LinearAutoRegressor().fit(X, [1.0, 2.0])


def test_nan_inside_a_window_is_refused():
    X, Y = sliding_windows(np.arange(20.0), dt_past=4, dt_futu=2)
    X = X.copy()
    X[3, 2, 0] = np.nan
    for model in (PersistenceRegressor(), LinearAutoRegressor()):
        with pytest.raises(ValueError, match="after the first valid time step"):
            model.fit(X, Y)


def test_wrong_channel_count_at_predict():
    X, Y = _two_channel_windows()
    model = PersistenceRegressor().fit(X, Y)
    with pytest.raises(ValueError, match="1 channel"):
        model.predict(X[:, :, :1])


def test_inputs_are_not_modified():
    X, Y = _two_channel_windows()
    X, Y = X.copy(), Y.copy()
    X_before, Y_before = X.copy(), Y.copy()
    for model in (
        PersistenceRegressor(),
        SeasonalNaiveRegressor(),
        LinearAutoRegressor(),
    ):
        model.fit(X, Y).predict(X)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(Y, Y_before)


def test_baselines_in_pipeline_cv_and_search():
    rng = np.random.default_rng(0)
    y = np.sin(np.arange(300) * 0.4) + 0.1 * rng.normal(size=300)
    X_rows, Y = future_targets(y, dt_futu=3)
    cv = TimeSeriesSplit(n_splits=3, gap=3)
    pipe = Pipeline(
        [("window", SlidingWindowTransformer(dt_past=1)), ("m", PersistenceRegressor())]
    )
    persistence = cross_val_score(
        pipe, X_rows, Y, cv=cv, scoring="neg_mean_absolute_error"
    )
    ar = Pipeline(
        [("window", SlidingWindowTransformer()), ("m", LinearAutoRegressor())]
    )
    search = GridSearchCV(
        ar,
        {"window__dt_past": [2, 8], "m__alpha": [0.1, 10.0]},
        cv=cv,
        scoring="neg_mean_absolute_error",
    ).fit(X_rows, Y)
    # A noisy sine: a linear autoregression beats repeating the last value.
    assert search.best_score_ > persistence.mean()
    assert search.predict(X_rows).shape == Y.shape
