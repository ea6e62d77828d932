import numpy as np
import pytest
from sklearn.base import clone

from sklstm import ConformalForecaster, forecast, future_targets
from tests._forecast_helpers import ar_series, ridge_forecaster


def split_ar(seed, n=6000, dt_futu=4):
    X_rows, Y = future_targets(ar_series(n, seed), dt_futu=dt_futu)
    return X_rows, Y, n // 2


@pytest.mark.parametrize("score", ["absolute", "relative"])
def test_coverage_is_close_to_nominal_at_every_step(score):
    # Stationary AR(1): errors are exchangeable enough that split conformal
    # should cover ~90% of held-out values at every horizon step.
    X_rows, Y, cut = split_ar(seed=0)
    model = ConformalForecaster(
        ridge_forecaster(8),
        confidence_level=0.9,
        calibration_fraction=0.3,
        conformity_score=score,
    ).fit(X_rows[:cut], Y[:cut])
    _, lower, upper = model.predict_interval(X_rows[cut - 7 :])
    inside = (lower[7:] <= Y[cut:]) & (Y[cut:] <= upper[7:])
    coverage = inside.mean(axis=0)
    assert coverage.shape == (4,)
    assert np.all((coverage > 0.87) & (coverage < 0.93)), coverage
    # AR(1) errors grow with the horizon, and so must the intervals.
    width = (upper - lower).mean(axis=0)
    assert np.all(np.diff(width) > 0), width


def test_higher_confidence_gives_wider_intervals_and_bounds_bracket():
    X_rows, Y, cut = split_ar(seed=1, n=2000)
    widths = []
    for level in (0.5, 0.8, 0.95):
        model = ConformalForecaster(ridge_forecaster(5), confidence_level=level)
        y_pred, lower, upper = model.fit(X_rows[:cut], Y[:cut]).predict_interval(
            X_rows[cut:]
        )
        assert np.all(lower <= y_pred) and np.all(y_pred <= upper)
        widths.append((upper - lower).mean())
    assert widths[0] < widths[1] < widths[2]


def test_calibration_rows_are_the_latest_and_training_stops_a_gap_before():
    X_rows, Y, _ = split_ar(seed=2, n=500)
    model = ConformalForecaster(ridge_forecaster(5), calibration_fraction=0.2)
    model.fit(X_rows, Y)
    assert model.scores_.shape == (99, 4, 1)  # round(0.2 * 496) latest rows
    # The inner model saw rows up to 496 - 99 - gap(=dt_futu=4).
    assert model.estimator_[0].n_features_in_ == 1
    refit = clone(model.estimator).fit(X_rows[: 496 - 99 - 4], Y[: 496 - 99 - 4])
    np.testing.assert_allclose(refit.predict(X_rows[-30:]), model.predict(X_rows[-30:]))


def test_update_keeps_the_latest_rows_and_follows_a_wider_regime():
    X_rows, Y, cut = split_ar(seed=3, n=3000)
    model = ConformalForecaster(
        ridge_forecaster(5),
        calibration_fraction=0.1,
        max_calibration=200,
        conformity_score="absolute",
    ).fit(X_rows[:cut], Y[:cut])
    before = model.quantiles_.copy()
    noisy = X_rows[cut : cut + 300] * 3  # a regime with three times the noise
    model.update(np.vstack([X_rows[cut - 4 : cut], noisy]), Y[cut : cut + 300] * 3)
    assert len(model.scores_) == 200
    assert np.all(model.quantiles_ > 2 * before)
    with pytest.raises(ValueError, match="X must hold the new rows"):
        model.update(X_rows[:3], Y[:5])


def test_forecast_returns_interval_only_for_direct_horizons():
    X_rows, Y, cut = split_ar(seed=4, n=1000)
    series = X_rows[:, 0]
    model = ConformalForecaster(ridge_forecaster(6)).fit(X_rows, Y)
    y_hat, lower, upper = forecast(model, series, 3, return_interval=True)
    assert y_hat.shape == lower.shape == upper.shape == (3,)
    assert np.all(lower < y_hat) and np.all(y_hat < upper)
    np.testing.assert_allclose(y_hat, model.predict(X_rows)[-1][:3])
    with pytest.raises(ValueError, match="no calibrated interval"):
        forecast(model, series, 6, return_interval=True)
    assert forecast(model, series, 9).shape == (9,)


def test_errors_before_training():
    X_rows, Y, _ = split_ar(seed=5, n=40)
    with pytest.raises(ValueError, match="leave no training rows"):
        ConformalForecaster(ridge_forecaster(3), calibration_fraction=0.9).fit(
            X_rows, Y
        )
    with pytest.raises(ValueError, match="confidence_level"):
        ConformalForecaster(ridge_forecaster(3), confidence_level=1.5).fit(X_rows, Y)


def test_adaptive_updates_restore_coverage_after_a_regime_change():
    # Calibrated on calm data, then the noise doubles: a frozen interval
    # under-covers; updates that keep every old error adapt slowly; adaptive
    # conformal inference brings the coverage back to ~90%.
    rng = np.random.default_rng(6)
    n, cut, dt_futu = 6000, 2000, 2
    series = np.sin(np.arange(n) * 0.2) + rng.normal(size=n) * np.where(
        np.arange(n) < cut, 0.2, 0.4
    )
    X_rows, Y = future_targets(series, dt_futu=dt_futu)
    coverages = {}
    for name, rate, update in [
        ("frozen", 0.0, False),
        ("kept", 0.0, True),
        ("adaptive", 0.01, True),
    ]:
        model = ConformalForecaster(
            ridge_forecaster(6),
            conformity_score="absolute",
            max_calibration=10**6,
            adaptation_rate=rate,
        ).fit(X_rows[:cut], Y[:cut])
        inside = []
        for start in range(cut, len(Y) - 50, 50):
            _, low, up = model.predict_interval(X_rows[start - 5 : start + 50])
            truth = Y[start : start + 50]
            inside.append((low[5:] <= truth) & (truth <= up[5:]))
            if update:
                model.update(X_rows[start - 5 : start + 50 - dt_futu], truth[:-dt_futu])
        coverages[name] = np.concatenate(inside).mean(axis=0)
    assert np.all(coverages["frozen"] < 0.8), coverages
    assert np.all(coverages["kept"] < 0.875), coverages
    assert np.all(np.abs(coverages["adaptive"] - 0.9) < 0.02), coverages


def test_several_targets_are_calibrated_as_each_target_alone():
    # y of shape (n, dt_futu, n_targets) used to be refused by the input check.
    from sklearn.pipeline import make_pipeline

    from sklstm import PersistenceRegressor, SlidingWindowTransformer

    rng = np.random.default_rng(0)
    series = np.cumsum(rng.normal(size=(300, 3)), axis=0)
    X_rows, Y = future_targets(series, dt_futu=2, target_columns=[0, 1])

    def model(channels):
        persistence = PersistenceRegressor(target_channels=channels)
        return ConformalForecaster(
            make_pipeline(SlidingWindowTransformer(dt_past=4), persistence)
        )

    both = model([0, 1]).fit(X_rows[:200], Y[:200])
    assert both.quantiles_.shape == (2, 2)
    for k in (0, 1):
        alone = model([k]).fit(X_rows[:200], Y[:200, :, k])
        np.testing.assert_allclose(both.quantiles_[:, k], alone.quantiles_.ravel())
    _, lower, upper = both.predict_interval(X_rows[197:])
    assert lower.shape == upper.shape == (len(X_rows) - 197, 2, 2)
