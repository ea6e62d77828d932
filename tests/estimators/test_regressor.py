import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone

from sklstm import LSTMRegressor, SlidingWindowTransformer, sliding_windows

FAST = dict(n_neurons=8, max_epochs=2, batch_size=32, random_state=0, conv_filters=4)


def noisy_sine(n=600, noise=0.05, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) * 0.2
    return np.sin(t) + noise * rng.standard_normal(n)


@pytest.mark.parametrize(
    "params",
    [
        {"architecture": "vanilla"},
        {"architecture": "bidirectional"},
        {"architecture": "stacked"},
        {
            "architecture": "stacked",
            "n_neurons": (6, 4),
            "activation": ("tanh", "relu"),
        },
        {"architecture": "bidirectional", "n_neurons": (6, 4)},
        {"architecture": "cnn-lstm"},
        {"architecture": "cnn-lstm-td", "n_subsequences": 2},
        {"architecture": "vanilla", "activation": "elu", "dropout": 0.2},
    ],
)
def test_every_architecture_fits_and_predicts_the_course_shapes(params):
    X, Y = sliding_windows(noisy_sine(120), dt_past=12, dt_futu=4)
    reg = LSTMRegressor(**{**FAST, **params}).fit(X, Y)
    pred = reg.predict(X)
    assert pred.shape == (len(X), 4) and pred.dtype == np.float64
    assert np.isfinite(pred).all()
    assert len(reg.history_) == 2


@pytest.mark.parametrize("target_shape", [(), (4,), (4, 2)])
def test_predictions_have_the_shape_of_y(target_shape):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 6, 3))
    y = rng.normal(size=(40, *target_shape))
    reg = LSTMRegressor(**FAST).fit(X, y)
    assert reg.predict(X).shape == y.shape
    assert reg.target_shape_ == target_shape


def test_2d_X_is_one_channel():
    X = np.random.default_rng(0).normal(size=(30, 5))
    reg = LSTMRegressor(**FAST).fit(X, X[:, -1])
    assert reg.n_channels_in_ == 1 and reg.n_features_in_ == 5
    np.testing.assert_allclose(reg.predict(X), reg.predict(X[:, :, None]))


def test_learns_a_noisy_sine_far_better_than_persistence():
    X, Y = sliding_windows(noisy_sine(), dt_past=20, dt_futu=8)
    cut = int(0.8 * len(X))
    reg = LSTMRegressor(
        n_neurons=32, max_epochs=60, lr=0.01, batch_size=64, random_state=0
    )
    reg.fit(X[:cut], Y[:cut])
    mse = np.mean((reg.predict(X[cut:]) - Y[cut:]) ** 2)
    persistence = np.mean((X[cut:, -1, :] - Y[cut:]) ** 2)  # repeat the last value
    assert mse < 0.25 * persistence, (mse, persistence)


def test_padded_windows_from_the_transformer_are_accepted():
    series = noisy_sine(60).reshape(-1, 1)
    windows = SlidingWindowTransformer(dt_past=10).fit_transform(series)
    reg = LSTMRegressor(**FAST).fit(windows[:-1], series[1:, 0])
    # The read-only strided view (gathered from the series batch by batch)
    # trains exactly the model a dense copy of the same windows trains.
    dense = LSTMRegressor(**FAST).fit(np.array(windows[:-1]), series[1:, 0])
    prediction = reg.predict(windows)
    np.testing.assert_array_equal(prediction, dense.predict(windows))
    # Full rows predict as the course's windows; a padded row as its history.
    X, _ = sliding_windows(series, dt_past=10, dt_futu=1)
    np.testing.assert_allclose(prediction[9:-1], reg.predict(X), atol=1e-6)
    with torch.no_grad():
        history = torch.tensor(series[None, :4], dtype=torch.float32)
        assert prediction[3] == pytest.approx(reg.net_.module_(history).item())


def test_padding_gives_the_prediction_of_the_unpadded_window():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 6, 2))
    reg = LSTMRegressor(**FAST).fit(X, X[:, -1, 0])
    padded = X.copy()
    padded[0, :2] = np.nan
    zeros_instead = X.copy()
    zeros_instead[0, :2] = 99.0  # garbage that must be ignored when marked as NaN
    module = reg.net_.module_

    with torch.no_grad():
        alone = module(torch.tensor(X[:1, 2:], dtype=torch.float32)).item()
    assert reg.predict(padded)[0] == pytest.approx(alone, abs=1e-6)
    assert reg.predict(zeros_instead)[0] != pytest.approx(alone, abs=1e-6)


def test_early_stopping_stops_when_the_validation_loss_stalls():
    # Which rows validate is tested in test_leakage.py.
    X, Y = sliding_windows(noisy_sine(200), dt_past=8, dt_futu=2)
    reg = LSTMRegressor(
        **{**FAST, "max_epochs": 30},
        early_stopping=True,
        validation_fraction=0.25,
        n_iter_no_change=2,
        tol=0.5,  # demand 50% better every 2 epochs: stops early for sure
    ).fit(X, Y)
    assert "valid_loss" in reg.history_[-1]
    assert len(reg.history_) < 30


def test_summary_before_and_after_fit():
    reg = LSTMRegressor(n_neurons=400)
    summary = reg.summary(input_shape=(20, 1), n_outputs=8)
    assert summary.keras_params == 646_408
    assert "lstm_0 (LSTM)" in str(summary) and "643,200" in str(summary)
    X, Y = sliding_windows(noisy_sine(60), dt_past=5, dt_futu=2)
    fitted = LSTMRegressor(**FAST).fit(X, Y)
    assert fitted.summary().total_params == sum(
        p.numel() for p in fitted.net_.module_.parameters()
    )


def test_clone_and_pickle_round_trip():
    X, Y = sliding_windows(noisy_sine(60), dt_past=5, dt_futu=2)
    reg = LSTMRegressor(**FAST).fit(X, Y)
    assert clone(reg).get_params() == reg.get_params()
    again = pickle.loads(pickle.dumps(reg))
    np.testing.assert_array_equal(again.predict(X), reg.predict(X))


def test_inputs_are_not_modified():
    X = np.random.default_rng(0).normal(size=(20, 6, 2))
    X[0, :2] = np.nan
    y = np.ones(20)
    X_before, y_before = X.copy(), y.copy()
    reg = LSTMRegressor(**FAST).fit(X, y)
    reg.predict(X)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


@pytest.mark.gpu
def test_trains_on_cuda_without_code_change():
    X, Y = sliding_windows(noisy_sine(200), dt_past=10, dt_futu=3)
    reg = LSTMRegressor(**FAST, device="cuda").fit(X, Y)
    assert str(reg.net_.device).startswith("cuda")
    assert next(reg.net_.module_.parameters()).is_cuda
    pred = reg.predict(X)
    assert pred.shape == Y.shape and np.isfinite(pred).all()
    auto = LSTMRegressor(**FAST, device="auto").fit(X, Y)
    assert str(auto.net_.device).startswith("cuda")


@pytest.mark.gpu
def test_cuda_and_cpu_agree_on_architectures(monkeypatch):
    import torch

    # cuDNN's LSTM and convolutions use TF32 by default on Ampere and newer
    # (about 1e-3 relative); float32 agreement needs it off (docs: gpu.rst).
    monkeypatch.setattr(torch.backends.cudnn, "allow_tf32", False)
    X, Y = sliding_windows(noisy_sine(120), dt_past=12, dt_futu=4)
    for params in [
        {},
        {"architecture": "stacked", "activation": "relu"},
        {"architecture": "cnn-lstm"},
    ]:
        reg = LSTMRegressor(**FAST, **params, device="cuda").fit(X, Y)
        gpu = reg.predict(X)
        reg.net_.module_.to("cpu")
        reg.net_.set_params(device="cpu")
        with torch.no_grad():
            cpu = reg.predict(X)
        np.testing.assert_allclose(gpu, cpu, atol=1e-4)


def test_the_bidirectional_parameter_is_deprecated():
    X, Y = sliding_windows(noisy_sine(60), dt_past=5, dt_futu=2)
    params = {**FAST, "n_neurons": (3, 2)}
    old = LSTMRegressor(**params, architecture="stacked")
    new = LSTMRegressor(**params, architecture="bidirectional")
    with pytest.warns(FutureWarning, match="architecture='bidirectional'"):
        old.set_params(bidirectional=True).fit(X, Y)
    np.testing.assert_array_equal(old.predict(X), new.fit(X, Y).predict(X))
