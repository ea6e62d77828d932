"""Peak memory of windowing and fitting a long series inside a pipeline.

Materialised float32 windows of a 1,000,000-row series with ``dt_past=100``
would take ``1e6 * 100 * 4`` bytes = 400 MB. ``SlidingWindowTransformer``
returns a strided view of one padded copy of the series, and the estimators
recognise that view and gather windows batch by batch, so the memory of
``transform`` + ``fit`` should stay close to a few copies of the series
(8 MB each in float64) plus the model.

Two figures are measured in a fresh process:

* the growth of the peak resident set size (``ru_maxrss``) over the peak
  reached after importing torch and building the series;
* the peak of memory allocated by Python and NumPy during the run
  (:mod:`tracemalloc`; PyTorch's own allocator is not traced, so the RSS
  figure covers tensors).

Run from the repository root::

    python benchmarks/memory_windows.py                     # 1,000,000 rows
    python benchmarks/memory_windows.py --architecture vanilla
    python benchmarks/memory_windows.py --n-rows 200000 --dt-past 50
    python benchmarks/memory_windows.py --json              # one JSON line

``fit`` runs one epoch of a tiny model: by default a CNN front whose pooling
leaves the LSTM two steps (10-20 s on one CPU thread);
``--architecture vanilla`` runs a 4-unit LSTM over all 100 steps (minutes on
a CPU). Both read the windows the same way.
"""

import argparse
import json
import resource
import sys
import time
import tracemalloc

import numpy as np
import torch
from sklearn.base import clone
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import LSTMRegressor, SlidingWindowTransformer, future_targets


def _maxrss_bytes():
    """Peak resident set size of this process so far, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak if sys.platform == "darwin" else peak * 1024


#: Tiny models: a one-layer LSTM over all ``dt_past`` steps, or a CNN front
#: whose pooling leaves the LSTM two steps (ten times faster on a CPU).
MODELS = {
    "vanilla": {"architecture": "vanilla", "n_neurons": 4},
    "cnn-lstm": {
        "architecture": "cnn-lstm",
        "n_neurons": 4,
        "conv_filters": 4,
        "pool_size": 50,
    },
}


def measure(
    n_rows=1_000_000,
    dt_past=100,
    dt_futu=1,
    fit=True,
    batch_size=1024,
    architecture="cnn-lstm",
):
    """Transform (and fit) a pipeline on a long series; return memory figures.

    Parameters
    ----------
    n_rows : int, default=1_000_000
        Length of the series.
    dt_past : int, default=100
        Window length.
    dt_futu : int, default=1
        Steps to forecast.
    fit : bool, default=True
        Also fit a tiny LSTM for one epoch (else only transform).
    batch_size : int, default=1024
        Training batch size (the activations of one batch are part of the
        peak).
    architecture : {"cnn-lstm", "vanilla"}, default="cnn-lstm"
        Which tiny model of :data:`MODELS` to fit; both read the windows the
        same way.

    Returns
    -------
    figures : dict
        ``rss_growth_mb`` (peak RSS growth), ``tracemalloc_peak_mb``,
        ``materialised_mb`` (what dense float32 windows would take) and
        ``seconds``.
    """
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    series = np.sin(np.arange(n_rows) * 0.01) + 0.1 * rng.normal(size=n_rows)
    X_rows, Y = future_targets(series, dt_futu=dt_futu)
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=dt_past)),
            (
                "lstm",
                LSTMRegressor(
                    **MODELS[architecture],
                    max_epochs=1,
                    batch_size=batch_size,
                    device="cpu",
                    random_state=0,
                ),
            ),
        ]
    )
    # Warm up on a few rows first: the first fit imports parts of torch
    # lazily, which would count as growth.
    clone(pipe).fit(X_rows[: 4 * dt_past], Y[: 4 * dt_past])
    baseline = _maxrss_bytes()
    tracemalloc.start()
    start = time.perf_counter()
    if fit:
        pipe.fit(X_rows, Y)
    else:
        windows = pipe[:-1].fit_transform(X_rows)
        assert windows.shape == (len(X_rows), dt_past, 1)
    seconds = time.perf_counter() - start
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mb = 2**20
    return {
        "n_rows": n_rows,
        "dt_past": dt_past,
        "fit": fit,
        "architecture": architecture,
        "batch_size": batch_size,
        "rss_growth_mb": round((_maxrss_bytes() - baseline) / mb, 1),
        "tracemalloc_peak_mb": round(traced_peak / mb, 1),
        "materialised_mb": round(len(X_rows) * dt_past * 4 / mb, 1),
        "series_mb": round(series.nbytes / mb, 1),
        "seconds": round(seconds, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, default=1_000_000)
    parser.add_argument("--dt-past", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=1024)
    parser.add_argument("--architecture", choices=sorted(MODELS), default="cnn-lstm")
    parser.add_argument(
        "--no-fit", action="store_true", help="only transform, do not fit"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)
    figures = measure(
        args.n_rows,
        args.dt_past,
        fit=not args.no_fit,
        batch_size=args.batch_size,
        architecture=args.architecture,
    )
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{figures['n_rows']:,} rows x dt_past={figures['dt_past']} "
        f"({figures['architecture'] + ' fit' if figures['fit'] else 'transform'}, "
        f"{figures['seconds']} s)\n"
        f"  series (float64):                 {figures['series_mb']:8.1f} MB\n"
        f"  materialised float32 windows:     {figures['materialised_mb']:8.1f} MB\n"
        f"  peak RSS growth:                  {figures['rss_growth_mb']:8.1f} MB\n"
        f"  tracemalloc peak (NumPy/Python):  {figures['tracemalloc_peak_mb']:8.1f} MB"
    )


if __name__ == "__main__":
    main()
