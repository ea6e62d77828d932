"""The CUDA path on a CPU-only machine: devices compared by type, cuda:N
indices, a CUDA dropout stream in a pickle, determinism switches, device choice
at load time and GPU slots for concurrent fits (issue 14, torch.cuda mocked)."""

import contextlib
import pickle
import subprocess
import sys
import textwrap
import threading
import warnings
from unittest import mock

import numpy as np
import pytest
import torch

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.networks import dropout_generator, set_dropout_generator
from sklstm.training import device as device_module
from sklstm.training.determinism import deterministic_algorithms
from sklstm.training.device import (
    candidate_devices,
    lease_device,
    load_device,
    resolve_device,
)
from tests.training._fake_cuda import fake_cuda

rng = np.random.default_rng(0)
X = rng.normal(size=(24, 5, 2))
y = rng.normal(size=24)
FAST = dict(n_neurons=4, max_epochs=2, batch_size=8, dropout=0.2, random_state=0)


@pytest.fixture(autouse=True)
def private_slots(tmp_path, monkeypatch):
    """GPU slots of these tests live in their own directory."""
    monkeypatch.setattr(device_module, "SLOT_DIR", str(tmp_path / "slots"))


# -- 1. device types, not strings -------------------------------------------------
class _CudaGenerator:
    """Pickles like a ``torch.Generator`` on cuda:0 (state of CUDA's Philox)."""

    device = torch.device("cuda", 0)

    def get_state(self):
        return torch.zeros(16, dtype=torch.uint8)

    def __reduce__(self):
        return torch.Generator, (self.device,)


def _unpickled_without_cuda(est):
    """``est`` as if trained on cuda:0 and unpickled where there is no CUDA."""
    est.net_.device = "cuda:0"
    set_dropout_generator(est.net_.module_, _CudaGenerator())
    data = pickle.dumps(est)
    with (
        mock.patch.object(torch.cuda, "is_available", return_value=False),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        loaded = pickle.loads(data)
    assert any(
        "dropout random stream was drawn on cuda:0" in str(w.message) for w in caught
    )
    # What skorch does: the device becomes a torch.device object, not "cpu".
    assert loaded.net_.device == torch.device("cpu")
    assert not isinstance(loaded.net_.device, str)
    assert dropout_generator(loaded.net_.module_).device == torch.device("cpu")
    return loaded


def _no_cuda_calls():
    """Patch every CUDA entry point a CPU resume must not reach."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a CPU fit touched CUDA")

    stack = contextlib.ExitStack()
    for name in ("get_rng_state", "set_rng_state", "init", "current_device"):
        stack.enter_context(mock.patch.object(torch.cuda, name, forbidden))
    return stack


@pytest.mark.parametrize("cls", [LSTMRegressor, LSTMClassifier])
def test_cuda_trained_net_resumes_after_unpickling_on_a_cpu_machine(cls):
    target = y if cls is LSTMRegressor else y > 0
    est = _unpickled_without_cuda(cls(**FAST, device="cpu").fit(X, target))
    with _no_cuda_calls():
        est.partial_fit(X, target)
        est.set_params(warm_start=True).fit(X, target)
    assert len(est.history_) == 2 + 1 + 2
    assert np.isfinite(est.predict(X).astype(float)).all()


def test_device_objects_and_strings_are_the_same_device():
    for device in ("cpu", torch.device("cpu"), [torch.device("cpu")], ("cpu",)):
        assert candidate_devices(device) == ["cpu"]
        reg = LSTMRegressor(**FAST, device=device).fit(X, y)
        assert reg.net_.device == "cpu"
    assert sklstm.training.device_type(torch.device("cuda", 3)) == "cuda"


def test_deterministic_switches_ignore_a_cpu_device_object():
    with deterministic_algorithms(True, torch.device("cpu")):
        assert not torch.are_deterministic_algorithms_enabled()


# -- 9. concrete devices, "cuda:*", lists, slots ---------------------------------------
def test_cuda_resolves_to_the_current_device_with_its_index():
    with fake_cuda(n_devices=2, current=1):
        assert resolve_device("cuda") == "cuda:1"
        assert resolve_device(torch.device("cuda")) == "cuda:1"
        assert resolve_device("cuda:0") == "cuda:0"
        assert resolve_device(torch.device("cuda", 0)) == "cuda:0"
        assert resolve_device("auto") == "cuda:0"  # lowest free slot
        assert candidate_devices("cuda:*") == ["cuda:0", "cuda:1"]
        assert candidate_devices(["cuda:1", "cuda", "cpu"]) == ["cuda:1", "cpu"]
    with fake_cuda(n_devices=1):
        assert resolve_device("auto") == "cuda:0"
    assert resolve_device("auto") == "cpu"  # no CUDA on this machine


@pytest.mark.parametrize(
    "device, match",
    [
        ("cuda:2", "names no CUDA device here; this machine has 2"),
        ("cuda:x", "not understood"),
        ("tpu", "not understood"),
        (["cuda:0", "cuda:5"], "cuda:5"),
        ([], "names no device"),
    ],
)
def test_bad_devices_are_named_in_the_error(device, match):
    with fake_cuda(n_devices=2), pytest.raises(ValueError, match=match):
        candidate_devices(device)


def test_bad_device_parameter_fails_before_training():
    with pytest.raises(ValueError, match="device='gpu'"):
        LSTMRegressor(**FAST, device="gpu").fit(X, y)
    with pytest.raises(ValueError, match="device="):
        LSTMRegressor(**FAST, device=["cpu", "nope"]).fit(X, y)


def test_concurrent_fits_take_different_gpus():
    with fake_cuda(n_devices=2):
        with lease_device("auto") as first, lease_device("auto") as second:
            with lease_device(["cuda:0", "cuda:1"]) as third:
                assert (first, second, third) == ("cuda:0", "cuda:1", "cuda:0")
        with lease_device("cuda:*") as again:  # every slot free again
            assert again == "cuda:0"
        # Slots are per open file, so threads of one process exclude each other.
        seen, ready, done = [], threading.Barrier(2), threading.Event()

        def fit():
            with lease_device("cuda:*") as device:
                seen.append(device)
                ready.wait()
                done.wait()

        worker = threading.Thread(target=fit)
        worker.start()
        with lease_device("cuda:*") as mine:
            ready.wait()
            done.set()
        worker.join()
        assert sorted([*seen, mine]) == ["cuda:0", "cuda:1"]


def test_another_process_takes_the_next_gpu():
    script = textwrap.dedent(
        f"""
        from sklstm.training import device
        from tests.training._fake_cuda import fake_cuda
        device.SLOT_DIR = {device_module.SLOT_DIR!r}
        with fake_cuda(n_devices=2), device.lease_device("auto") as d:
            print(d)
        """
    )
    with fake_cuda(n_devices=2), lease_device("auto") as mine:
        other = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout.strip()
    assert (mine, other) == ("cuda:0", "cuda:1")


# -- 6. determinism ----------------------------------------------------------------
def test_deterministic_fits_in_threads_do_not_undo_each_other(monkeypatch):
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    assert not torch.are_deterministic_algorithms_enabled()
    first = deterministic_algorithms(True, "cuda:0")
    second = deterministic_algorithms(True, "cuda:1")
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first fit ends while the second runs
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.backends.cudnn.deterministic
    second.__exit__(None, None, None)
    assert not torch.are_deterministic_algorithms_enabled()
    assert not torch.backends.cudnn.deterministic


def test_deterministic_keeps_a_users_strict_mode(monkeypatch):
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8")
    torch.use_deterministic_algorithms(True)  # strict: errors, not warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # and no warning: the variable is set
            with deterministic_algorithms(True, "cuda"):
                assert not torch.is_deterministic_algorithms_warn_only_enabled()
        assert torch.are_deterministic_algorithms_enabled()
    finally:
        torch.use_deterministic_algorithms(False)


def test_unset_cublas_workspace_warns_and_is_not_set(monkeypatch):
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    with (
        pytest.warns(UserWarning, match="CUBLAS_WORKSPACE_CONFIG.*before the process"),
        deterministic_algorithms(True, torch.device("cuda", 0)),
    ):
        pass
    import os

    assert "CUBLAS_WORKSPACE_CONFIG" not in os.environ


# -- 2. choosing the device at load time ------------------------------------------
def test_a_model_saved_on_cuda1_falls_back_where_there_is_one_gpu():
    with fake_cuda(n_devices=1):
        with pytest.warns(UserWarning, match="device='cuda:1'.*loaded on 'cuda:0'"):
            assert load_device("cuda:1") == "cuda:0"
        assert load_device("cuda:0") == "cuda:0"
        assert load_device("cuda:1", device="cpu") == "cpu"
        with pytest.raises(ValueError, match="cuda:1"):
            load_device("cpu", device="cuda:1")  # asked for explicitly: no fallback
    with pytest.warns(UserWarning, match="loaded on 'cpu'"):
        assert load_device("cuda:1") == "cpu"


def test_load_puts_the_model_where_asked(tmp_path):
    reg = LSTMRegressor(**FAST, device="cpu").fit(X, y)
    path = reg.save(tmp_path / "m")
    import json

    params = json.loads((path / "params.json").read_text())
    params["params"]["device"] = "cuda:1"
    (path / "params.json").write_text(json.dumps(params))
    with fake_cuda(n_devices=1), warnings.catch_warnings():
        warnings.simplefilter("error")  # an explicit choice does not warn
        loaded = sklstm.load(path, device=torch.device("cpu"))
    assert loaded.net_.device == "cpu" and loaded.device == torch.device("cpu")
    np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))
    loaded.set_params(warm_start=True).fit(X, y)  # and training continues
    with fake_cuda(n_devices=1), pytest.raises(ValueError, match="cuda:1"):
        sklstm.load(path, device="cuda:1")
