"""The same grid search, unchanged, on a Dask cluster (joblib's Dask backend)."""

import numpy as np
import pytest
from joblib import parallel_config
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer, future_targets

distributed = pytest.importorskip("distributed")
# One xdist worker runs both tests, so the module's cluster starts once.
pytestmark = pytest.mark.xdist_group("dask")

DT_FUTU = 2


def _search():
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=4)),
            (
                "lstm",
                LSTMRegressor(
                    n_neurons=4,
                    max_epochs=2,
                    batch_size=16,
                    device="cpu",
                    random_state=0,
                ),
            ),
        ]
    )
    grid = {"window__dt_past": [3, 6], "lstm__n_neurons": [4, 6]}
    return GridSearchCV(pipe, grid, cv=TimeSeriesSplit(n_splits=2, gap=DT_FUTU))


def _fit(estimator, X, y):
    return estimator.fit(X, y)


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    )
    with distributed.Client(cluster) as dask_client:
        yield dask_client
    cluster.close()


@pytest.mark.slow
def test_grid_search_on_a_local_dask_cluster(client):
    series = np.sin(np.arange(120) * 0.3)
    X_rows, Y = future_targets(series, dt_futu=DT_FUTU)
    local = _search().fit(X_rows, Y)
    with parallel_config(backend="dask"):
        remote = _search().fit(X_rows, Y)
    # The fits ran in the workers' processes, not here.
    loaded = client.run(lambda: "sklstm" in __import__("sys").modules)
    assert len(loaded) == 2 and all(loaded.values())
    np.testing.assert_allclose(
        remote.cv_results_["mean_test_score"],
        local.cv_results_["mean_test_score"],
        rtol=1e-6,
    )
    assert remote.best_params_ == local.best_params_
    np.testing.assert_allclose(
        remote.predict(X_rows[-10:]), local.predict(X_rows[-10:]), rtol=1e-6
    )


@pytest.mark.slow
def test_fitted_pipelines_travel_between_processes(client):
    series = np.sin(np.arange(80) * 0.3)
    X_rows, Y = future_targets(series, dt_futu=DT_FUTU)
    pipe = _search().estimator
    fitted_remotely = client.submit(_fit, pipe, X_rows, Y, pure=False).result()
    fitted_here = _fit(pipe, X_rows, Y)
    np.testing.assert_allclose(
        fitted_remotely.predict(X_rows), fitted_here.predict(X_rows), rtol=1e-6
    )
    # And back: a worker predicts with the pipeline fitted here.
    predicted = client.submit(fitted_here.predict, X_rows, pure=False).result()
    np.testing.assert_allclose(predicted, fitted_here.predict(X_rows), rtol=1e-6)
