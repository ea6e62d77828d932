"""Train on a 10,000,000-step series with ``dt_past=100`` without materialising windows.

Dense windows of this series would take ``10e6 * 100 * 4`` bytes = 4 GB
(float32). :class:`~sklstm.SlidingWindowTransformer` returns a zero-copy
strided view, the estimator recognises it and keeps only the series (40 MB as
float32); each batch gathers its windows from the series. This script fits a
tiny LSTM for one epoch and reports the peak resident memory of the process
(``resource.getrusage``), which stays far below the 4 GB of dense windows.

By default the epoch runs over a contiguous subsample of the rows
(``--rows``, the latest ones; the windows are still a view of the whole
series), to keep the run short on a CPU; ``--rows 0`` trains on all 10M.

Run from the repository root::

    python benchmarks/scale_10m.py                  # 200,000 rows, ~1 minute
    python benchmarks/scale_10m.py --rows 0         # every row (long on a CPU)
"""

import argparse
import resource
import time

import numpy as np
import torch

from sklstm import LSTMRegressor, SlidingWindowTransformer


def peak_rss_mb():
    """Peak resident set size of this process in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000_000)
    parser.add_argument("--dt-past", type=int, default=100)
    parser.add_argument("--rows", type=int, default=200_000, help="0 = all rows")
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    print(f"peak RSS after imports: {peak_rss_mb():.0f} MiB")

    start = time.perf_counter()
    rng = np.random.default_rng(0)
    t = np.arange(args.steps, dtype=np.float32)
    series = (np.sin(t / 50) + 0.1 * rng.standard_normal(args.steps, np.float32))[
        :, None
    ].astype(np.float32)
    del t
    y = np.roll(series[:, 0], -1)  # next step; the last target wraps (harmless here)
    print(f"series: {series.nbytes / 2**20:.0f} MiB; peak RSS {peak_rss_mb():.0f} MiB")

    windows = SlidingWindowTransformer(dt_past=args.dt_past).fit_transform(series)
    dense_gb = windows.shape[0] * windows.shape[1] * windows.shape[2] * 4 / 1e9
    # A sliding-window view: consecutive windows start one row apart.
    is_view = windows.strides[0] == windows.strides[1]
    print(
        f"windows {windows.shape}, strides {windows.strides} (a sliding view: "
        f"{is_view}); dense would be {dense_gb:.1f} GB; "
        f"peak RSS {peak_rss_mb():.0f} MiB"
    )
    rows = slice(None) if args.rows == 0 else slice(-args.rows, None)
    X, target = windows[rows], y[rows]

    reg = LSTMRegressor(
        n_neurons=4,
        max_epochs=1,
        batch_size=args.batch_size,
        device=args.device,
        random_state=0,
    )
    fit_start = time.perf_counter()
    reg.fit(X, target)
    fit_seconds = time.perf_counter() - fit_start
    predictions = reg.predict(X[-10_000:])
    print(
        f"trained 1 epoch on {len(target):,} windows of {args.dt_past} steps in "
        f"{fit_seconds:.1f} s (loss {reg.history_[-1, 'train_loss']:.4f}); "
        f"predicted {len(predictions):,} windows; finite: "
        f"{bool(np.isfinite(predictions).all())}"
    )
    print(
        f"peak RSS {peak_rss_mb():.0f} MiB (total {time.perf_counter() - start:.0f} s)"
    )


if __name__ == "__main__":
    main()
