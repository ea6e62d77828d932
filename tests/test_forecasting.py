import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from sklstm import (
    LSTMRegressor,
    SlidingWindowTransformer,
    TargetScaler,
    forecast,
    future_targets,
    history_needed,
    sliding_windows,
)
from tests._forecast_helpers import StepAhead


def step_pipeline(dt_past=4, n_features=1, **params):
    pipe = make_pipeline(SlidingWindowTransformer(dt_past=dt_past), StepAhead(**params))
    return pipe.fit(np.zeros((10, n_features)), np.zeros((10, 3)))


def test_direct_forecast_is_the_last_rows_prediction():
    pipe = step_pipeline()
    ramp = np.arange(20.0)
    np.testing.assert_array_equal(forecast(pipe, ramp, 3), [20.0, 21.0, 22.0])
    np.testing.assert_array_equal(forecast(pipe, ramp, 2), [20.0, 21.0])
    assert history_needed(pipe) == 4


def test_recursive_forecast_feeds_predictions_back():
    # Each pass continues the ramp from the last (predicted) value.
    pipe = step_pipeline(slope=2.0)
    result = forecast(pipe, np.arange(10.0) * 2, horizon=8)
    np.testing.assert_array_equal(result, 18 + 2 * np.arange(1, 9))


def test_multivariate_targets_and_exogenous_inputs():
    # Columns: target a, target b, exogenous x (last channel).
    pipe = step_pipeline(n_features=3, n_targets=2, exog_weight=1.0)
    history = np.column_stack([np.arange(6.0), 10 + np.arange(6.0), np.zeros(6)])
    direct = forecast(pipe, history, 3)
    assert direct.shape == (3, 2)
    np.testing.assert_array_equal(direct[:, 0], [6.0, 7.0, 8.0])
    with pytest.raises(ValueError, match="target_columns"):
        forecast(pipe, history, 5)
    with pytest.raises(ValueError, match=r"next 3 steps as future_X"):
        forecast(pipe, history, 5, target_columns=[0, 1])
    future = np.full((5, 3), np.nan)
    future[:, 2] = 100.0  # only the exogenous column is read
    result = forecast(pipe, history, 5, target_columns=[0, 1], future_X=future)
    # Second pass: last predicted a is 8, plus steps, plus x = 100.
    np.testing.assert_array_equal(result[3:, 0], [109.0, 110.0])
    with pytest.raises(ValueError, match="at least 3 rows"):
        forecast(pipe, history, 5, target_columns=[0, 1], future_X=future[:2])


def test_datetime_history_gives_future_timestamps():
    index = pd.date_range("2024-01-01", periods=12, freq="h")
    history = pd.DataFrame({"pm": np.arange(12.0)}, index=index)
    pipe = step_pipeline()
    result = forecast(pipe, history, 5)
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns) == ["pm"]
    assert list(result.index) == list(
        pd.date_range("2024-01-01 12:00", periods=5, freq="h")
    )
    np.testing.assert_array_equal(result["pm"], 12.0 + np.arange(5))
    irregular = history.drop(index=index[3])
    with pytest.raises(ValueError, match="regular frequency"):
        forecast(pipe, irregular, 2)


def test_short_history_is_refused():
    with pytest.raises(ValueError, match="dt_past=4; pass at least the last 4"):
        forecast(step_pipeline(), np.arange(3.0), 2)
    with pytest.raises(ValueError, match="horizon"):
        forecast(step_pipeline(), np.arange(10.0), 0)


@pytest.fixture(scope="module")
def sine_rows():
    t = np.arange(240) * 0.3
    series = np.sin(t) + 0.05 * np.random.default_rng(0).normal(size=240)
    X_rows, Y = future_targets(series, dt_futu=4)
    return series, X_rows, Y


def tiny_lstm():
    return LSTMRegressor(n_neurons=8, max_epochs=3, batch_size=32, random_state=0)


def test_grid_search_pipeline_forecasts_without_padding(sine_rows):
    series, X_rows, Y = sine_rows
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer()),
            ("lstm", tiny_lstm()),
        ]
    )
    search = GridSearchCV(
        pipe, {"window__dt_past": [6, 12]}, cv=TimeSeriesSplit(2, gap=4)
    ).fit(X_rows, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = forecast(search, series, 4)
    dt_past = search.best_params_["window__dt_past"]
    expected = search.predict(series[:, None])[-1]
    np.testing.assert_allclose(result, expected, rtol=1e-5)
    assert history_needed(search) == dt_past
    assert forecast(search, series, 9).shape == (9,)


def test_bare_estimator_on_windows(sine_rows):
    series = sine_rows[0]
    X, Y = sliding_windows(series, dt_past=10, dt_futu=4)
    reg = tiny_lstm().fit(X, Y)
    np.testing.assert_allclose(
        forecast(reg, series, 4), reg.predict(series[-10:][None, :, None])[0]
    )
    assert forecast(reg, series, 6).shape == (6,)


def test_target_scaler_inverts_predictions_and_forecasts():
    rng = np.random.default_rng(1)
    frame = np.column_stack(
        [1000 + 100 * np.sin(np.arange(200) * 0.2), rng.normal(size=200)]
    )
    X_rows, Y = future_targets(frame, dt_futu=3)
    assert Y.shape == (197, 3, 2)
    with pytest.raises(ValueError):
        TransformedTargetRegressor(
            regressor=step_pipeline(), transformer=StandardScaler()
        ).fit(X_rows, Y)
    model = TransformedTargetRegressor(
        regressor=make_pipeline(SlidingWindowTransformer(dt_past=8), tiny_lstm()),
        transformer=TargetScaler(StandardScaler()),
    ).fit(X_rows, Y)
    assert model.predict(X_rows).shape == Y.shape
    # In the original units: the first target is around 1000, not around 0.
    assert abs(model.predict(X_rows)[:, :, 0].mean() - 1000) < 100
    assert forecast(model, frame, 5).shape == (5, 2)
