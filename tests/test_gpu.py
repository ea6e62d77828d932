"""The CUDA surface in one place: ``make test-gpu`` (``pytest -m gpu``) runs
these and every other gpu-marked test. All are skipped without a CUDA device;
tests that need two GPUs are skipped with fewer."""

import warnings

import numpy as np
import pytest
import torch

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor, SlidingWindowTransformer
from sklstm.networks import dropout_generator
from sklstm.training import data as data_module
from sklstm.training.device import lease_device

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device"),
]
requires_two_gpus = pytest.mark.skipif(
    torch.cuda.is_available() and torch.cuda.device_count() < 2,
    reason="needs two CUDA devices",
)

rng = np.random.default_rng(0)
X = rng.normal(size=(300, 12, 2)).astype(np.float32)  # > 256: two predict chunks
y = X[:, -1, 0] + 0.5 * X[:, -3, 1]
FAST = dict(n_neurons=8, max_epochs=3, batch_size=32, random_state=0, conv_filters=4)
ARCHITECTURES = [
    {},
    {"architecture": "bidirectional"},
    {"architecture": "stacked", "n_neurons": (8, 6), "activation": ("tanh", "relu")},
    {"architecture": "cnn-lstm", "n_subsequences": 2, "conv_kernel_size": 2},
    {"dropout": 0.3, "architecture": "stacked", "n_neurons": (6, 6)},
]


def _on_cpu(est):
    """Predictions of ``est``'s weights on the CPU (same module, moved)."""
    est.net_.module_.to("cpu")
    est.net_.set_params(device="cpu")
    return est.predict(X)


@pytest.fixture
def no_tf32(monkeypatch):
    """Full float32 in cuDNN (convolutions and the LSTM) and cuBLAS."""
    monkeypatch.setattr(torch.backends.cudnn, "allow_tf32", False)
    monkeypatch.setattr(torch.backends.cuda.matmul, "allow_tf32", False)


# -- devices ---------------------------------------------------------------------------
def test_auto_resolves_to_an_indexed_cuda_device_and_stays_there():
    reg = LSTMRegressor(**FAST).fit(X, y)
    assert reg.net_.device == f"cuda:{torch.cuda.current_device()}"
    expected = reg.predict(X)
    if torch.cuda.device_count() > 1:
        with torch.cuda.device(1):  # another current device does not matter
            np.testing.assert_array_equal(reg.predict(X), expected)


@requires_two_gpus
def test_training_on_cuda1_uses_and_seeds_only_cuda1():
    before = [torch.cuda.get_rng_state(i) for i in range(2)]
    reg = LSTMRegressor(**FAST, dropout=0.3, device="cuda:1").fit(X, y)
    assert next(reg.net_.module_.parameters()).device == torch.device("cuda", 1)
    assert dropout_generator(reg.net_.module_).device == torch.device("cuda", 1)
    # The fit draws from its own streams: no global CUDA generator moves.
    for index in range(2):
        assert torch.equal(torch.cuda.get_rng_state(index), before[index])
    again = LSTMRegressor(**FAST, dropout=0.3, device="cuda:1", deterministic=True)
    first = LSTMRegressor(**FAST, dropout=0.3, device="cuda:1", deterministic=True)
    np.testing.assert_array_equal(
        again.fit(X, y).predict(X), first.fit(X, y).predict(X)
    )


@requires_two_gpus
def test_cuda_star_spreads_concurrent_fits_over_gpus():
    from concurrent.futures import ThreadPoolExecutor

    def fit(seed):
        return LSTMRegressor(**{**FAST, "random_state": seed}, device="cuda:*").fit(
            X, y
        )

    with ThreadPoolExecutor(2) as pool:
        fitted = list(pool.map(fit, [0, 1]))
    assert {est.net_.device for est in fitted} <= {"cuda:0", "cuda:1"}
    with lease_device("cuda:*") as first, lease_device("cuda:*") as second:
        assert (first, second) == ("cuda:0", "cuda:1")


# -- architectures, classifier, padding, chunks ------------------------------------
@pytest.mark.parametrize("params", ARCHITECTURES)
def test_cuda_and_cpu_agree_to_float32_rounding_without_tf32(params, no_tf32):
    reg = LSTMRegressor(**{**FAST, **params}, device="cuda").fit(X, y)
    gpu = reg.predict(X)
    np.testing.assert_allclose(gpu, _on_cpu(reg), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("params", ARCHITECTURES[:1] + ARCHITECTURES[3:4])
def test_cuda_and_cpu_agree_to_tf32_rounding_by_default(params):
    # PyTorch's default: cuDNN (LSTM, convolutions) may use TF32 on Ampere and
    # newer, about 1e-3 relative: the documented tolerance.
    reg = LSTMRegressor(**{**FAST, **params}, device="cuda").fit(X, y)
    np.testing.assert_allclose(reg.predict(X), _on_cpu(reg), rtol=1e-2, atol=1e-2)


def test_classifier_with_early_stopping_on_cuda():
    labels = np.where(y > 0, "up", "down")
    clf = LSTMClassifier(
        **{**FAST, "max_epochs": 30}, early_stopping=True, n_iter_no_change=2
    ).fit(X, labels)
    assert clf.net_.device.startswith("cuda:")
    assert "valid_loss" in clf.history_[-1]
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert set(clf.predict(X)) <= {"up", "down"}


def test_padded_windows_on_cuda_match_the_cpu(no_tf32):
    series = rng.normal(size=(400, 2)).astype(np.float32)
    windows = SlidingWindowTransformer(dt_past=10).fit_transform(series)
    target = series[:, 0]
    for params in ({}, {"architecture": "bidirectional"}):
        reg = LSTMRegressor(**{**FAST, **params}, device="cuda").fit(windows, target)
        gpu = reg.predict(windows)  # > 256 windows: several chunks
        reg.net_.module_.to("cpu")
        reg.net_.set_params(device="cpu")
        np.testing.assert_allclose(gpu, reg.predict(windows), rtol=1e-4, atol=1e-5)


def test_prediction_over_several_chunks_matches_one_window_at_a_time():
    reg = LSTMRegressor(**FAST, device="cuda").fit(X, y)
    whole = reg.predict(X)
    parts = np.concatenate([reg.predict(X[i : i + 100]) for i in range(0, 300, 100)])
    np.testing.assert_array_equal(whole, parts)


# -- bf16 ------------------------------------------------------------------------------
def test_bf16_runs_the_fused_lstm_in_bfloat16():
    if not torch.cuda.is_bf16_supported(including_emulation=False):
        with pytest.raises(ValueError, match="precision='bf16'"):
            LSTMRegressor(**FAST, device="cuda", precision="bf16").fit(X, y)
        return
    reg = LSTMRegressor(**FAST, device="cuda", precision="bf16")
    reg.fit(X, y)
    seen = []
    for layer in reg.net_.module_.modules():
        if isinstance(layer, torch.nn.LSTM):
            layer.register_forward_hook(lambda m, i, o: seen.append(o[0].dtype))
    pred = reg.predict(X)
    # Never float16 (AutocastRNN.cpp); bfloat16 where cuDNN's RNN takes it.
    new_cudnn = (torch.backends.cudnn.version() or 0) >= 91300
    assert seen and set(seen) == {torch.bfloat16 if new_cudnn else torch.float32}
    assert np.isfinite(pred).all()
    assert all(p.dtype == torch.float32 for p in reg.net_.module_.parameters())


# -- data on the host -------------------------------------------------------
def test_training_end_to_end_from_host_memory(monkeypatch):
    on_device = LSTMRegressor(**FAST, device="cuda", deterministic=True).fit(X, y)
    # Every byte "too large": the data stays on the host, batches are staged.
    monkeypatch.setattr(data_module, "keep_on_host", lambda *args, **kwargs: True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # pinning must work here
        from_host = LSTMRegressor(**FAST, device="cuda", deterministic=True).fit(X, y)
        pred = from_host.predict(X)  # prediction is staged too
    np.testing.assert_allclose(pred, on_device.predict(X), rtol=1e-5, atol=1e-6)


# -- resuming and persistence --------------------------------------------------------
def test_resume_on_cuda_continues_the_random_streams():
    # A constant rate: a cosine cycle spans each fit's own max_epochs.
    params = {**FAST, "dropout": 0.3, "device": "cuda", "deterministic": True}
    params["lr_schedule"] = None
    whole = LSTMRegressor(**{**params, "max_epochs": 4}).fit(X, y)
    split = LSTMRegressor(**{**params, "max_epochs": 2}).fit(X, y)
    # The fit's own dropout stream lives on its GPU (cuda:N, not the current).
    generator = dropout_generator(split.net_.module_)
    assert generator.device == torch.device(split.net_.device)
    split.set_params(warm_start=True).fit(X, y)
    np.testing.assert_allclose(split.predict(X), whole.predict(X), rtol=1e-5, atol=1e-6)


def test_cuda_model_saved_loaded_on_cpu_and_resumed_there(tmp_path):
    reg = LSTMRegressor(**FAST, device="cuda").fit(X, y)
    reg.save(tmp_path / "m.zip")
    loaded = sklstm.load(tmp_path / "m.zip", device="cpu")
    assert loaded.net_.device == "cpu"
    np.testing.assert_allclose(loaded.predict(X), reg.predict(X), rtol=1e-3, atol=1e-3)
    loaded.set_params(warm_start=True, max_epochs=1).fit(X, y)
    loaded.partial_fit(X, y)
    back = sklstm.load(tmp_path / "m.zip")  # saved device exists: CUDA again
    assert back.net_.device.startswith("cuda:")
