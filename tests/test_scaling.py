"""The thread rule of docs/user_guide/scaling_out.rst: no oversubscription.

sklstm does not change torch's thread count (``torch.set_num_threads`` is
process-wide, so an estimator changing it would race with fits in other
threads). It relies on the parallel backends: joblib's ``loky`` workers start
with ``OMP_NUM_THREADS = cpu_count // n_jobs`` and Dask's nanny workers with
``OMP_NUM_THREADS=1``, which torch reads at start-up. These tests pin that
behaviour, so that a change in joblib or Dask shows up here.
"""

import os

import pytest
from joblib import Parallel, delayed


def _torch_threads_during_a_fit():
    import numpy as np
    import torch

    from sklstm import LSTMRegressor

    X = np.random.default_rng(0).normal(size=(20, 4, 1))
    LSTMRegressor(n_neurons=2, max_epochs=1, device="cpu", random_state=0).fit(
        X, X[:, -1, 0]
    )
    return os.getpid(), torch.get_num_threads()


@pytest.mark.slow
def test_loky_workers_share_the_cores():
    n_jobs = 2
    results = Parallel(n_jobs=n_jobs)(
        delayed(_torch_threads_during_a_fit)() for _ in range(4)
    )
    expected = max(1, os.cpu_count() // n_jobs)
    assert {threads for _, threads in results} == {expected}
    assert len({pid for pid, _ in results} - {os.getpid()}) >= 1


@pytest.mark.slow
def test_dask_workers_run_torch_on_one_thread():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        threads = client.submit(_torch_threads_during_a_fit, pure=False).result()[1]
    assert threads == 1


def _worker_environment():
    return dict(os.environ)


@pytest.mark.slow
def test_recommended_dask_environment_drops_the_malloc_trim_threshold(monkeypatch):
    # scaling_out.rst: Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in every
    # worker, and its mere presence turns off glibc's adaptive mmap
    # threshold, which makes small-tensor training about 2x slower. The
    # recommended config unsets it and keeps one thread per worker.
    distributed = pytest.importorskip("distributed")
    import dask

    default = dask.config.get("distributed.nanny.pre-spawn-environ")
    assert "MALLOC_TRIM_THRESHOLD_" in default  # what the recipe is for
    # A LocalCluster started earlier in this process (another test) left the
    # variable in os.environ: the page tells users to pop it too.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    recommended = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}
    with (
        dask.config.set(recommended),
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        environ = client.submit(_worker_environment, pure=False).result()
        threads = client.submit(_torch_threads_during_a_fit, pure=False).result()[1]
    assert "MALLOC_TRIM_THRESHOLD_" not in environ
    assert environ["OMP_NUM_THREADS"] == "1" and threads == 1
