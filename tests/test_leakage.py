"""No information from the future reaches a fitted model.

With rows aligned by ``future_targets`` (row ``t`` predicts steps
``t + 1 .. t + dt_futu``) and ``TimeSeriesSplit(gap=dt_futu)``, a training
fold ending at row ``end`` uses series values up to step
``end - 1 + dt_futu``, the last step of the gap; the test fold starts at step
``end + dt_futu``. Scalers fit on the training rows only, and early stopping
validates on the last training rows.
"""

import numpy as np
import pytest
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer, future_targets

DT_FUTU = 4


def _series(n=200):
    rng = np.random.default_rng(0)
    return np.sin(np.arange(n) * 0.3) + 0.1 * rng.normal(size=n)


def _pipe():
    return Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=6)),
            (
                "lstm",
                LSTMRegressor(
                    n_neurons=5,
                    max_epochs=3,
                    batch_size=16,
                    lr=1e-2,
                    device="cpu",
                    random_state=0,
                ),
            ),
        ]
    )


def _fit_on_first_fold(series, gap):
    """Fit on the first training fold; return the fitted pipeline and fold."""
    X_rows, Y = future_targets(series, dt_futu=DT_FUTU)
    train, test = next(TimeSeriesSplit(n_splits=3, gap=gap).split(X_rows))
    return _pipe().fit(X_rows[train], Y[train]), train, test


def _weights(pipe):
    state = pipe["lstm"].net_.module_.state_dict()
    return {name: value.clone() for name, value in state.items()}


def _perturbed_from(series, step):
    changed = series.copy()
    changed[step:] = np.random.default_rng(1).normal(size=len(series) - step) * 5
    return changed


def test_gap_keeps_the_last_training_target_out_of_the_test_fold():
    X_rows, Y = future_targets(np.arange(100.0), dt_futu=DT_FUTU)
    for train, test in TimeSeriesSplit(n_splits=4, gap=DT_FUTU).split(X_rows):
        # The series is 0, 1, 2, ... so values are time steps.
        last_step_trained_on = Y[train].max()
        first_step_tested = X_rows[test].min()
        assert last_step_trained_on == train[-1] + DT_FUTU
        assert last_step_trained_on < first_step_tested


def test_values_from_the_test_fold_on_change_nothing_in_the_fitted_model():
    series = _series()
    reference, train, test = _fit_on_first_fold(series, gap=DT_FUTU)
    # Every value the test fold sees (and all after it) is replaced.
    changed, train2, _ = _fit_on_first_fold(_perturbed_from(series, test[0]), DT_FUTU)
    np.testing.assert_array_equal(train, train2)
    for name, value in _weights(reference).items():
        assert np.array_equal(value, _weights(changed)[name]), name
    probe = series[:40].reshape(-1, 1)
    np.testing.assert_array_equal(reference.predict(probe), changed.predict(probe))
    np.testing.assert_array_equal(
        reference["scale"].data_max_, changed["scale"].data_max_
    )


def test_without_the_gap_the_test_fold_leaks_into_training():
    """Negative control: the check above would notice a leak."""
    series = _series()
    reference, _, test = _fit_on_first_fold(series, gap=0)
    changed, _, _ = _fit_on_first_fold(_perturbed_from(series, test[0]), gap=0)
    probe = series[:40].reshape(-1, 1)
    assert not np.array_equal(reference.predict(probe), changed.predict(probe))


def test_each_fold_fits_its_scaler_on_its_training_rows_only():
    """Cross-validation on the whole series: no fold's scaler sees later rows.

    The series rises, so every row after a training fold (the gap and the
    test fold) exceeds all of its training rows: a scaler that saw any of them
    would report a larger maximum.
    """
    series = np.arange(120.0) + np.sin(np.arange(120) * 0.3)  # rising
    X_rows, Y = future_targets(series, dt_futu=DT_FUTU)
    cv = TimeSeriesSplit(n_splits=3, gap=DT_FUTU)
    result = cross_validate(
        _pipe().set_params(lstm__max_epochs=1),
        X_rows,
        Y,
        cv=cv,
        return_estimator=True,
        return_indices=True,
    )
    folds = zip(result["estimator"], *result["indices"].values())
    for fitted, train, test in folds:
        assert test[0] > train[-1] + DT_FUTU  # the gap
        seen_max = fitted["scale"].data_max_
        np.testing.assert_array_equal(seen_max, X_rows[train].max(axis=0))
        assert seen_max[0] < X_rows[train[-1] + 1 :].min()


@pytest.mark.parametrize("fraction", [0.25, 0.5])
def test_early_stopping_validates_on_the_latest_training_rows(fraction):
    X_rows, Y = future_targets(_series(160), dt_futu=DT_FUTU)
    windows = SlidingWindowTransformer(dt_past=6).fit_transform(X_rows)
    params = {
        "n_neurons": 5,
        "max_epochs": 1,
        "batch_size": 16,
        "early_stopping": True,
        "validation_fraction": fraction,
        "device": "cpu",
        "random_state": 0,
    }
    reg = LSTMRegressor(**params).fit(windows, Y)
    n_valid = round(len(Y) * fraction)
    last, first = slice(len(Y) - n_valid, None), slice(0, n_valid)

    def mse(rows):
        return float(((reg.predict(windows[rows]) - Y[rows]) ** 2).mean())

    valid_loss = reg.history_[-1, "valid_loss"]
    assert valid_loss == pytest.approx(mse(last), rel=1e-4)
    assert valid_loss != pytest.approx(mse(first), rel=1e-2)

    # The validation rows never train: changing their targets changes nothing.
    Y_changed = Y.copy()
    Y_changed[last] = 50.0
    changed = LSTMRegressor(**params).fit(windows, Y_changed)
    np.testing.assert_array_equal(changed.predict(windows), reg.predict(windows))


def _early_stopped(series, gap=None):
    """One epoch with early stopping (so no epoch choice): the trained weights."""
    X_rows, Y = future_targets(series, dt_futu=DT_FUTU)
    windows = SlidingWindowTransformer(dt_past=6).fit_transform(X_rows)
    reg = LSTMRegressor(
        n_neurons=5,
        max_epochs=1,
        batch_size=16,
        early_stopping=True,
        validation_fraction=0.25,
        device="cpu",
        random_state=0,
    )
    if gap is not None:  # the negative control: the split without its gap
        reg._validation_gap = lambda: gap
    return reg.fit(windows, Y), len(Y) - round(len(Y) * 0.25)


def _net_weights(estimator):
    return {k: v.clone() for k, v in estimator.net_.module_.state_dict().items()}


def test_early_stopping_trains_on_no_value_its_validation_rows_are_scored_on():
    # Row t's targets are steps t+1 .. t+dt_futu. The first validation row's
    # first target is step first_valid + 1; from there on, no value may reach
    # the training rows, or the validation loss would be optimistic.
    series = _series(160)
    reference, first_valid = _early_stopped(series)
    changed, _ = _early_stopped(_perturbed_from(series, first_valid + 1))
    for name, value in _net_weights(reference).items():
        assert np.array_equal(value, _net_weights(changed)[name]), name
    # Negative control: without the gap of dt_futu - 1 rows, the last
    # training rows' targets reach into the validation period.
    leaky, _ = _early_stopped(series, gap=0)
    leaky_changed, _ = _early_stopped(_perturbed_from(series, first_valid + 1), gap=0)
    assert any(
        not np.array_equal(value, _net_weights(leaky_changed)[name])
        for name, value in _net_weights(leaky).items()
    )


@pytest.mark.parametrize("n_windows", [25, 26, 27, 40])
def test_early_stopping_trains_from_the_smallest_size_it_accepts(n_windows):
    # dt_futu=24 leaves 23 rows out: 25 windows is the minimum (one to train
    # on, one to validate on), whatever validation_fraction asks for.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_windows, 4, 1)).astype(np.float32)
    Y = rng.normal(size=(n_windows, 24)).astype(np.float32)
    reg = LSTMRegressor(
        n_neurons=2, max_epochs=1, early_stopping=True, device="cpu", random_state=0
    ).fit(X, Y)
    assert np.isfinite(reg.history_[-1, "valid_loss"])
    with pytest.raises(ValueError, match="at least 25 windows"):
        LSTMRegressor(n_neurons=2, max_epochs=1, early_stopping=True).fit(
            X[:24], Y[:24]
        )
