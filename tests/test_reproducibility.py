"""The same random_state gives the same model: in one process, across
processes, inside GridSearchCV with one or two jobs (the suite's one n_jobs
equivalence test; test_dask.py compares a Dask cluster with local runs) and,
with deterministic=True, on CUDA. Prediction is safe from several threads."""

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    LSTMClassifier,
    LSTMRegressor,
    SlidingWindowTransformer,
    future_targets,
)
from sklstm.training import deterministic_algorithms

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 6, 2))
y = rng.normal(size=(40, 2))
PARAMS = dict(n_neurons=5, max_epochs=2, batch_size=8, dropout=0.2, device="cpu")


def test_two_fits_in_one_process():
    a = LSTMRegressor(**PARAMS, random_state=3).fit(X, y).predict(X)
    b = LSTMRegressor(**PARAMS, random_state=3).fit(X, y).predict(X)
    c = LSTMRegressor(**PARAMS, random_state=4).fit(X, y).predict(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_two_processes(tmp_path):
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    script = textwrap.dedent(
        f"""
        import numpy as np, torch
        torch.set_num_threads(1)
        torch.manual_seed(12345)  # another global seed must not matter
        from sklstm import LSTMRegressor
        X = np.load({str(tmp_path / "X.npy")!r})
        y = np.load({str(tmp_path / "y.npy")!r})
        reg = LSTMRegressor(**{PARAMS!r}, random_state=3).fit(X, y)
        np.save({str(tmp_path / "pred.npy")!r}, reg.predict(X))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=os.getcwd())
    here = LSTMRegressor(**PARAMS, random_state=3).fit(X, y).predict(X)
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"), here)


@pytest.mark.slow
def test_grid_search_with_one_and_two_jobs():
    """A pipeline searched over dt_past: two processes give bit-equal results."""
    series = np.sin(np.arange(120) * 0.25) + 0.1 * rng.normal(size=120)
    X_rows, Y = future_targets(series, dt_futu=2)
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=3)),
            ("lstm", LSTMRegressor(**{**PARAMS, "n_neurons": 3}, random_state=0)),
        ]
    )
    grid = {"window__dt_past": [3, 6], "lstm__n_neurons": [3, 5]}

    def search(n_jobs):
        cv = TimeSeriesSplit(n_splits=2, gap=2)
        return GridSearchCV(pipe, grid, cv=cv, n_jobs=n_jobs).fit(X_rows, Y)

    serial, parallel = search(1), search(2)
    np.testing.assert_array_equal(
        serial.cv_results_["mean_test_score"], parallel.cv_results_["mean_test_score"]
    )
    assert serial.best_params_ == parallel.best_params_
    np.testing.assert_array_equal(
        serial.best_estimator_.predict(X_rows), parallel.best_estimator_.predict(X_rows)
    )


def test_predict_from_eight_threads_at_once():
    labels = np.where(X[:, 0, 0] > 0, "up", "down")
    clf = LSTMClassifier(**PARAMS, random_state=0).fit(X, labels)
    reg = LSTMRegressor(**PARAMS, random_state=0).fit(X, y)
    chunks = [X[i : i + 13] for i in range(0, 40, 5)]
    serial = [(reg.predict(c), clf.predict_proba(c)) for c in chunks]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(
            pool.map(lambda c: (reg.predict(c), clf.predict_proba(c)), chunks)
        )
    for (r1, p1), (r2, p2) in zip(serial, threaded):
        np.testing.assert_array_equal(r1, r2)
        np.testing.assert_array_equal(p1, p2)


def test_deterministic_mode_is_set_and_restored(monkeypatch):
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)
    assert not torch.are_deterministic_algorithms_enabled()
    with deterministic_algorithms(True, "cpu"):
        assert not torch.are_deterministic_algorithms_enabled()  # CPU: no-op
    # Setting CUBLAS_WORKSPACE_CONFIG during a fit is too late: warn instead.
    with (
        pytest.warns(UserWarning, match="CUBLAS_WORKSPACE_CONFIG.*before the process"),
        deterministic_algorithms(True, "cuda:0"),
    ):
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.backends.cudnn.deterministic
        assert not torch.backends.cudnn.benchmark
        assert "CUBLAS_WORKSPACE_CONFIG" not in os.environ
    assert not torch.are_deterministic_algorithms_enabled()
    assert not torch.backends.cudnn.deterministic
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    with pytest.raises(RuntimeError), deterministic_algorithms(True, "cuda"):
        raise RuntimeError("training failed")
    assert not torch.are_deterministic_algorithms_enabled()


@pytest.mark.gpu
@pytest.mark.parametrize("architecture", ["vanilla", "cnn-lstm"])
def test_deterministic_gpu_runs(architecture):
    params = {**PARAMS, "device": "cuda", "deterministic": True, "max_epochs": 3}
    a = LSTMRegressor(**params, architecture=architecture, random_state=1)
    b = LSTMRegressor(**params, architecture=architecture, random_state=1)
    np.testing.assert_array_equal(a.fit(X, y).predict(X), b.fit(X, y).predict(X))
    assert not torch.are_deterministic_algorithms_enabled()
