"""Windowing does not multiply memory by dt_past.

Dense float32 windows of 1,000,000 rows with ``dt_past=100`` take 400 MB;
the transformer returns a view of one padded copy of the series, and the
estimators gather windows batch by batch from that series.
"""

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer, future_targets

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "memory_windows.py"
N_ROWS, DT_PAST = 1_000_000, 100
MATERIALISED_MB = N_ROWS * DT_PAST * 4 / 2**20  # 381 MiB


def test_estimator_input_path_keeps_the_windows_a_view():
    X_rows, Y = future_targets(np.sin(np.arange(N_ROWS) * 0.01), dt_futu=1)
    scaled = MinMaxScaler().fit_transform(X_rows)
    reg = LSTMRegressor(n_neurons=4, device="cpu")
    seen = {}

    def train_nothing(net, dataset, epochs):
        # Everything fit does before the first batch has been done by now.
        x, _ = dataset.batch(slice(0, 256))
        seen.update(dataset=dataset, batch_shape=tuple(x["x"].shape))
        return net

    tracemalloc.start()
    try:
        windows = SlidingWindowTransformer(dt_past=DT_PAST).fit_transform(scaled)
        with mock.patch("sklstm.estimators.base.run_epochs", train_nothing):
            reg.fit(windows, Y)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    dataset = seen["dataset"]
    assert dataset.windows is None  # gathered from the series, batch by batch
    assert dataset.series.shape == (len(Y) + DT_PAST - 1, 1)
    assert seen["batch_shape"] == (256, DT_PAST, 1)
    # A handful of copies of the series (8 MB each), never the windows.
    assert peak / 2**20 < MATERIALISED_MB / 4


@pytest.mark.slow
def test_transform_and_fit_of_a_million_rows_stays_far_below_the_windows():
    """Run the benchmark (pipeline fit, one epoch) in a fresh process."""
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert (figures["n_rows"], figures["dt_past"], figures["fit"]) == (
        N_ROWS,
        DT_PAST,
        True,
    )
    assert figures["materialised_mb"] == pytest.approx(MATERIALISED_MB, abs=0.1)
    # Peak RSS over the warmed-up process, and NumPy's own peak.
    assert figures["rss_growth_mb"] < MATERIALISED_MB / 4
    assert figures["tracemalloc_peak_mb"] < MATERIALISED_MB / 4
