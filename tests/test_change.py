"""ChangeFromLastRegressor: learn changes from the last value, predict levels."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.pipeline import Pipeline

from sklstm import (
    ChangeFromLastRegressor,
    LinearAutoRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    SlidingWindowTransformer,
    future_targets,
    sliding_windows,
)


class _Recorder(RegressorMixin, BaseEstimator):
    """Predicts zeros and records what it was given."""

    def fit(self, X, y):
        self.X_, self.y_ = np.array(X), np.array(y)
        return self

    def predict(self, X):
        self.X_predict_ = np.array(X)
        return np.zeros((len(X), *self.y_.shape[1:]))


def test_zero_change_is_persistence():
    rng = np.random.default_rng(0)
    series = rng.normal(size=(60, 2)).cumsum(axis=0)
    X, Y = sliding_windows(series, series[:, 1], dt_past=6, dt_futu=4)
    model = ChangeFromLastRegressor(_Recorder()).fit(X, Y)
    persistence = PersistenceRegressor().fit(X, Y)
    np.testing.assert_allclose(model.predict(X), persistence.predict(X))


def test_what_the_inner_regressor_sees():
    series = np.column_stack([np.full(40, 7.0), 10 + 2 * np.arange(40.0)])
    X, Y = sliding_windows(series, series[:, 1], dt_past=5, dt_futu=3)
    model = ChangeFromLastRegressor(_Recorder()).fit(X, Y)
    inner = model.regressor_
    # Targets: changes 2, 4, 6 divided by their spread (std of 2, 4, 6).
    spread = np.std([2.0, 4.0, 6.0])
    np.testing.assert_allclose(model.scale_, [spread])
    np.testing.assert_allclose(inner.y_, np.tile([2.0, 4.0, 6.0], (len(X), 1)) / spread)
    # Target channel relative to its last value; the other channel untouched.
    np.testing.assert_allclose(
        inner.X_[:, :, 1], np.tile([-8, -6, -4, -2, 0.0], (len(X), 1)) / spread
    )
    np.testing.assert_array_equal(inner.X_[:, :, 0], 7.0)
    # Without scaling, the changes are in the units of y.
    raw = ChangeFromLastRegressor(_Recorder(), scale=False).fit(X, Y)
    np.testing.assert_allclose(raw.regressor_.y_[0], [2.0, 4.0, 6.0])


def test_trend_beyond_training_range_is_followed():
    series = np.arange(80.0) ** 1.3
    X, Y = sliding_windows(series, dt_past=6, dt_futu=3)
    cut = 40
    level = LinearAutoRegressor().fit(X[:cut], Y[:cut])
    change = ChangeFromLastRegressor(LinearAutoRegressor()).fit(X[:cut], Y[:cut])
    mae_change = np.abs(change.predict(X[cut:]) - Y[cut:]).mean()
    persistence = np.abs(X[cut:, -1, :] - Y[cut:]).mean()
    assert mae_change < 0.1 * persistence
    assert mae_change <= np.abs(level.predict(X[cut:]) - Y[cut:]).mean()


def test_padding_passes_through_as_padding():
    y = np.arange(20.0)
    X_rows, Y = future_targets(y, dt_futu=2)
    pipe = Pipeline(
        [
            ("window", SlidingWindowTransformer(dt_past=4)),
            ("model", ChangeFromLastRegressor(LinearAutoRegressor(alpha=1e-8))),
        ]
    )
    pred = pipe.fit(X_rows, Y).predict(X_rows)
    assert np.isfinite(pred).all()
    np.testing.assert_allclose(pred, Y, atol=1e-3)


def test_2d_and_3d_one_channel_give_the_same_forecast():
    series = np.sin(np.arange(100) * 0.3)
    X, Y = sliding_windows(series, dt_past=8, dt_futu=2)
    model = ChangeFromLastRegressor(LinearAutoRegressor())
    np.testing.assert_allclose(
        model.fit(X, Y).predict(X), model.fit(X[:, :, 0], Y).predict(X[:, :, 0])
    )


def test_default_regressor_is_an_lstm():
    X, Y = sliding_windows(np.arange(16.0), dt_past=4, dt_futu=2)
    model = ChangeFromLastRegressor().fit(X, Y)
    assert model.regressor is None
    assert isinstance(model.regressor_, LSTMRegressor)
    assert model.predict(X).shape == Y.shape


def test_target_channel_errors_before_training():
    X, Y = sliding_windows(np.arange(30.0), dt_past=4, dt_futu=2)
    with pytest.raises(ValueError, match="out of range"):
        ChangeFromLastRegressor(LinearAutoRegressor(), target_channels=3).fit(X, Y)
