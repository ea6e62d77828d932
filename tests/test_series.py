import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    LSTMRegressor,
    SeriesTimeSeriesSplit,
    SlidingWindowTransformer,
    forecast,
    future_targets,
)
from sklstm.series import series_runs


def two_stations(n_hours):
    """Two stations' hourly series stacked in one table, id column first."""
    t = np.arange(n_hours) * 0.3
    return pd.concat(
        [
            pd.DataFrame({"station": 0.0, "pm": np.sin(t)}),
            pd.DataFrame({"station": 1.0, "pm": 5 + np.cos(t)}),
        ],
        ignore_index=True,
    )


@settings(max_examples=50, deadline=None)
@given(
    lengths=st.lists(st.integers(12, 30), min_size=1, max_size=4),
    n_splits=st.integers(2, 3),
    gap=st.integers(0, 2),
)
def test_folds_keep_each_series_in_time_order(lengths, n_splits, gap):
    ids = np.concatenate([np.full(n, k) for k, n in enumerate(lengths)])
    cv = SeriesTimeSeriesSplit(n_splits=n_splits, gap=gap)
    folds = list(cv.split(np.zeros((len(ids), 1)), groups=ids))
    assert len(folds) == cv.get_n_splits() == n_splits
    for train, test in folds:
        assert len(np.intersect1d(train, test)) == 0
        for k in range(len(lengths)):
            own_train, own_test = train[ids[train] == k], test[ids[test] == k]
            # Every series is in every fold, trained before it is tested,
            # with gap rows dropped in between.
            assert len(own_train) and len(own_test)
            assert own_train.max() + gap < own_test.min()
            assert np.all(np.diff(own_test) == 1)


def test_series_runs_and_errors():
    np.testing.assert_array_equal(series_runs([5, 5, 2, 2, 2, 9]), [0, 2, 5, 6])
    with pytest.raises(ValueError, match="not contiguous"):
        series_runs([1, 1, 2, 1])
    with pytest.raises(ValueError, match="groups="):
        next(SeriesTimeSeriesSplit(2).split(np.zeros((10, 1))))
    with pytest.raises(ValueError, match="too short"):
        next(SeriesTimeSeriesSplit(20).split(np.zeros((10, 1)), groups=np.zeros(10)))


def test_grid_search_over_two_stations():
    # Two stations' series in one table: one model, windows and targets kept
    # inside each station, folds split each station by time.
    frame = two_stations(150)
    X_rows, Y = future_targets(frame, dt_futu=3, series_column="station")
    assert Y.shape == (294, 3) and list(X_rows.columns) == ["station", "pm"]
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(series_column="station")),
            ("lstm", LSTMRegressor(n_neurons=4, max_epochs=2, random_state=0)),
        ]
    ).set_output(transform="pandas")  # the scaler keeps the column names
    search = GridSearchCV(
        pipe,
        {"window__dt_past": [4, 8]},
        cv=SeriesTimeSeriesSplit(n_splits=2, gap=3, series_column="station"),
    ).fit(X_rows, Y)
    assert search.best_estimator_.predict(X_rows).shape == (294, 3)
    windows = search.best_estimator_[:2].transform(X_rows)
    assert windows.shape[2] == 1  # the id column is not a feature
    assert np.isnan(windows[147, :-1]).all()  # station 1 starts afresh


def test_forecast_one_series_of_a_multi_series_model():
    frame = two_stations(80)
    X_rows, Y = future_targets(frame, dt_futu=3, series_column="station")
    pipe = Pipeline(
        [
            ("window", SlidingWindowTransformer(dt_past=5, series_column="station")),
            ("lstm", LSTMRegressor(n_neurons=4, max_epochs=2, random_state=0)),
        ]
    ).fit(X_rows, Y)
    station_1 = frame[frame["station"] == 1.0].reset_index(drop=True)
    direct = forecast(pipe, station_1, 3, target_columns="pm")
    np.testing.assert_allclose(direct["pm"], pipe.predict(station_1)[-1], rtol=1e-6)
    with pytest.raises(ValueError, match="future_X"):
        forecast(pipe, station_1, 6, target_columns="pm")
    future = pd.DataFrame({"station": 1.0, "pm": np.nan}, index=range(3))
    assert forecast(pipe, station_1, 6, target_columns="pm", future_X=future).shape == (
        6,
        1,
    )


def test_save_and_load_keep_the_series_column(tmp_path):
    import sklstm

    X_rows, Y = future_targets(two_stations(30), dt_futu=2, series_column="station")
    pipe = Pipeline(
        [
            (
                "window",
                SlidingWindowTransformer(
                    dt_past=4, series_column="station", short_history="raise"
                ),
            ),
            ("lstm", LSTMRegressor(n_neurons=2, max_epochs=1, random_state=0)),
        ]
    ).fit(X_rows, Y)
    sklstm.save(pipe, tmp_path / "model")
    loaded = sklstm.load(tmp_path / "model")
    assert (
        loaded.named_steps["window"].get_params()
        == pipe.named_steps["window"].get_params()
    )
    np.testing.assert_allclose(loaded.predict(X_rows), pipe.predict(X_rows))
