import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from sklstm import (
    LSTMRegressor,
    ShortHistoryWarning,
    SlidingWindowTransformer,
    future_targets,
)


def test_rows_are_kept_and_short_histories_padded_on_the_left():
    X = np.arange(12.0).reshape(6, 2)
    windows = SlidingWindowTransformer(dt_past=3).fit_transform(X)
    assert windows.shape == (6, 3, 2)
    assert np.isnan(windows[0, :2]).all() and np.isnan(windows[1, :1]).all()
    for t in range(6):
        start = max(0, t - 2)
        np.testing.assert_array_equal(
            windows[t, 3 - (t + 1 - start) :], X[start : t + 1]
        )


def test_output_is_a_view_whose_memory_does_not_grow_with_dt_past():
    X = np.random.default_rng(0).normal(size=(1000, 3))
    small = SlidingWindowTransformer(dt_past=2).fit_transform(X)
    large = SlidingWindowTransformer(dt_past=500).fit_transform(X)
    assert large.shape == (1000, 500, 3)
    assert not large.flags.writeable

    def owned_bytes(view):
        while view.base is not None:
            view = view.base
        return view.nbytes

    # One padded copy of X: (1000 + 499) rows, not 500 copies of each row.
    assert owned_bytes(large) == (1000 + 499) * 3 * 8
    assert owned_bytes(small) == (1000 + 1) * 3 * 8


def test_dataframes_and_clone():
    frame = pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5.0)})
    transformer = SlidingWindowTransformer(dt_past=2).fit(frame)
    assert list(transformer.feature_names_in_) == ["a", "b"]
    assert transformer.transform(frame).shape == (5, 2, 2)
    assert clone(transformer).get_params() == {
        "dt_past": 2,
        "series_column": None,
        "short_history": "warn",
    }


def test_errors_name_the_parameter():
    with pytest.raises(ValueError, match="dt_past"):
        SlidingWindowTransformer(dt_past=0).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"dt_past=10 is longer than the data"):
        SlidingWindowTransformer(dt_past=10).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match="NaN"):
        SlidingWindowTransformer(dt_past=2).fit(np.array([[1.0], [np.nan], [2.0]]))
    fitted = SlidingWindowTransformer(dt_past=2).fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="features"):
        fitted.transform(np.ones((5, 3)))


def test_one_dimensional_input_gets_a_clear_error():
    transformer = SlidingWindowTransformer(dt_past=2).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"1-D array.*reshape\(-1, 1\).*history"):
        transformer.transform(np.ones(5))


def test_prediction_from_too_few_rows_warns_and_names_the_history_needed():
    X = np.random.default_rng(0).normal(size=(50, 2))
    transformer = SlidingWindowTransformer(dt_past=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        transformer.fit_transform(X[:25])  # training: padding is intended
        transformer.fit(X)
        transformer.transform(X[-20:])  # the last row has its full history
    with pytest.warns(ShortHistoryWarning, match="Pass the 19 rows before"):
        transformer.transform(X[-5:])
    with pytest.raises(ValueError, match="only 5 rows but dt_past=20"):
        clone(transformer).set_params(short_history="raise").fit(X).transform(X[-5:])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        transformer.set_params(short_history="ignore").transform(X[-5:])


def test_pipeline_predict_on_new_rows_alone_warns():
    X = np.random.default_rng(0).normal(size=(60, 1))
    Y = np.column_stack([X[1:, 0], np.r_[X[2:, 0], 0.0]])
    pipe = make_pipeline(
        SlidingWindowTransformer(dt_past=10),
        LSTMRegressor(n_neurons=4, max_epochs=1, random_state=0),
    ).fit(X[:-1], Y)
    with pytest.warns(ShortHistoryWarning, match="9 rows before"):
        pipe.predict(X[-5:])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pipe.predict(X[-14:])


def test_set_output_pandas_configures_the_other_steps():
    frame = pd.DataFrame(
        {"a": np.sin(np.arange(80) * 0.3), "b": np.cos(np.arange(80) * 0.3)}
    )
    X_rows, Y = future_targets(frame, dt_futu=2, target_columns="a")
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("window", SlidingWindowTransformer(dt_past=5)),
            ("lstm", LSTMRegressor(n_neurons=4, max_epochs=1, random_state=0)),
        ]
    ).set_output(transform="pandas")
    pipe.fit(X_rows, Y)
    assert isinstance(pipe[:1].transform(X_rows), pd.DataFrame)
    windows = pipe[:2].transform(X_rows)
    assert isinstance(windows, np.ndarray) and windows.shape == (78, 5, 2)
    assert list(pipe.named_steps["window"].feature_names_in_) == ["a", "b"]
    assert pipe.predict(X_rows).shape == (78, 2)
    with pytest.raises(ValueError, match="transform="):
        SlidingWindowTransformer().set_output(transform="arrow")


def _stacked(lengths):
    """Series k holds values k * 1000 + t, stacked; column 0 is the id."""
    ids = np.concatenate([np.full(n, k) for k, n in enumerate(lengths)])
    steps = np.concatenate([np.arange(n) for n in lengths])
    return np.column_stack([ids, ids * 1000.0 + steps])


@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 12), min_size=1, max_size=5),
    dt_past=st.integers(1, 6),
)
def test_no_window_mixes_two_series(lengths, dt_past):
    assume(sum(lengths) >= dt_past)
    X = _stacked(lengths)
    windows = SlidingWindowTransformer(
        dt_past=dt_past, series_column=0, short_history="ignore"
    ).fit_transform(X)
    assert windows.shape == (len(X), dt_past, 1)
    for row, window in enumerate(windows[:, :, 0]):
        series, step = divmod(X[row, 1], 1000.0)
        observed = window[~np.isnan(window)]
        # Only this series' own past, ending at this row; padded before its start.
        expected = series * 1000 + np.arange(max(0, step - dt_past + 1), step + 1)
        np.testing.assert_array_equal(observed, expected)
        assert np.isnan(window[: dt_past - len(observed)]).all()


@settings(max_examples=40, deadline=None)
@given(
    lengths=st.lists(st.integers(2, 12), min_size=1, max_size=5),
    dt_futu=st.integers(1, 4),
)
def test_no_target_crosses_into_the_next_series(lengths, dt_futu):
    assume(min(lengths) > dt_futu)
    X = _stacked(lengths)
    X_rows, Y = future_targets(X, dt_futu=dt_futu, series_column=0)
    assert len(X_rows) == len(X) - dt_futu * len(lengths)
    for row, target in zip(X_rows, Y.reshape(len(Y), dt_futu)):
        np.testing.assert_array_equal(target, row[1] + np.arange(1, dt_futu + 1))


def test_series_ids_may_go_through_a_scaler_and_must_be_contiguous():
    X = _stacked([6, 6])
    scaled = StandardScaler().fit_transform(X)
    transformer = SlidingWindowTransformer(dt_past=3, series_column=0)
    windows = transformer.fit_transform(scaled)
    assert np.isnan(windows[6, :2]).all()  # the second series starts afresh
    with pytest.raises(ValueError, match="not contiguous"):
        transformer.fit(np.vstack([X, X]))
    named = pd.DataFrame(X, columns=["station", "pm"])
    by_name = SlidingWindowTransformer(dt_past=3, series_column="station")
    np.testing.assert_array_equal(
        by_name.fit_transform(named)[:, :, 0], transformer.fit_transform(X)[:, :, 0]
    )


def test_set_params_after_fit_is_checked_at_transform():
    transformer = SlidingWindowTransformer(dt_past=3).fit(np.zeros((10, 2)))
    transformer.set_params(dt_past=0)
    with pytest.raises(ValueError, match="'dt_past' parameter"):
        transformer.transform(np.zeros((10, 2)))


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros((3, 4)),  # too short for dt_past=5, and another width
        np.full((10, 2), np.inf),
        pd.DataFrame({"x": ["a"] * 10, "y": 1.0}),
    ],
)
def test_a_failed_refit_leaves_the_fitted_transformer_unchanged(bad):
    X = pd.DataFrame({"a": np.arange(20.0), "b": np.arange(20.0) ** 2})
    step = SlidingWindowTransformer(dt_past=5).fit(X)
    before = dict(vars(step))
    windows = step.transform(X)
    with pytest.raises((ValueError, TypeError)):
        step.fit(bad)
    assert vars(step).keys() == before.keys()
    np.testing.assert_array_equal(step.feature_names_in_, before["feature_names_in_"])
    assert step.n_features_in_ == 2
    np.testing.assert_array_equal(step.transform(X), windows)
