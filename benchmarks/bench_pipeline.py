"""The pipeline workflow at full speed: padded rows, and parallel grid search.

Two workloads (``--only`` picks one):

``padded``
    A 700-row monthly-like series, 24 steps -> 6, LSTM(32), batch 32. The
    pipeline's training rows (the first 579, of which the first 23 are
    NaN-padded by :class:`~sklstm.SlidingWindowTransformer`) against the 556
    unpadded windows alone: milliseconds per epoch (median after the first),
    the two fits alternating epoch by epoch (``partial_fit``) so that load on
    the machine hits both alike; the ratio is the median of the epoch pairs.
    Peers, each in its own interpreter when found: darts ``BlockRNNModel``
    (LSTM(32), the same 556 samples; ``--darts-python`` or ``../venv-darts``)
    and Keras 3 on TensorFlow (``--keras-tf-python`` or ``../venv-keras-tf``),
    unpadded and, for the padded rows, with a ``Masking`` layer.

``grid``
    ``GridSearchCV`` over ``dt_past x n_neurons`` (``--grid small``: 4
    candidates x 2 folds, LSTM(16-32); ``--grid large``: 9 candidates x 3
    folds, LSTM(16-64); 4,000 rows) with ``n_jobs=1`` (torch's default threads,
    and one thread) and ``n_jobs=-1``: wall time and speed-up, first with
    freshly started workers ("cold": each worker imports torch and
    scikit-learn) then with the same workers again ("warm"); the refit, the
    time a fresh worker needs before its first fit, and a check that the
    scores are identical. When one thread made the serial search fastest,
    the cold and warm parallel runs are repeated with this process at one
    thread too (only the refit, which runs here, sees it): the pairing at
    equal settings. ``--dask`` adds the same search on a local Dask
    cluster (one single-threaded worker process per core).

Run from the repository root::

    python benchmarks/bench_pipeline.py                 # both workloads
    python benchmarks/bench_pipeline.py --only padded --epochs 20
    python benchmarks/bench_pipeline.py --only grid --grid-epochs 20
    python benchmarks/bench_pipeline.py --only grid --grid large
    python benchmarks/bench_pipeline.py --only grid --dask

Results go to ``benchmarks/results/<date>-<host>-pipeline[-tag].json`` and
``.md``, with the machine, CPU model and flags, threads and load.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe, finish_record, machine_record, write_results  # noqa: E402

N_ROWS, DT_PAST, DT_FUTU, N_TRAIN, HIDDEN, BATCH = 700, 24, 6, 579, 32, 32


# -- data ---------------------------------------------------------------------
def monthly_series(n=N_ROWS, seed=0):
    """A trend, a yearly (12-step) season and noise, scaled to about [0, 1]."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    series = 0.002 * t + 0.3 * np.sin(2 * np.pi * t / 12) + 0.05 * rng.normal(size=n)
    return ((series - series.min()) / np.ptp(series)).astype(np.float32)


def padded_data(dt_past=DT_PAST):
    """Pipeline windows of the training rows, and where the unpadded ones start."""
    from sklstm import SlidingWindowTransformer, future_targets

    rows, targets = future_targets(monthly_series().reshape(-1, 1), dt_futu=DT_FUTU)
    rows, targets = rows[:N_TRAIN], targets[:N_TRAIN]
    windows = SlidingWindowTransformer(dt_past=dt_past).fit_transform(rows)
    return windows, np.asarray(targets, np.float32), dt_past - 1


# -- padded workload: sklstm ------------------------------------------------------
def sklstm_epochs(windows, targets, device):
    """A generator: each ``next`` trains one more epoch and yields its ms.

    Wall-clock ms (skorch's ``dur``) and process CPU ms: with one torch
    thread, CPU time hardly moves with the load of a shared machine.
    """
    from sklstm import LSTMRegressor

    est = LSTMRegressor(
        n_neurons=HIDDEN, batch_size=BATCH, lr=1e-3, device=device, random_state=0
    )
    while True:
        cpu = time.process_time()
        est.partial_fit(windows, targets)
        yield 1000 * est.history_[-1]["dur"], 1000 * (time.process_time() - cpu)


def bench_padded(args, peers):
    windows, targets, first_full = padded_data(args.dt_past)
    fits = {
        "padded": sklstm_epochs(windows, targets, args.device),
        "unpadded": sklstm_epochs(
            windows[first_full:], targets[first_full:], args.device
        ),
    }
    runs = {side: [] for side in fits}
    cpu_runs = {side: [] for side in fits}
    for _ in range(args.epochs):  # alternate epochs: load hits both alike
        for side, fit in fits.items():
            wall, cpu = next(fit)
            runs[side].append(wall)
            cpu_runs[side].append(cpu)
    runs = {side: times[1:] for side, times in runs.items()}  # warm-up out
    cpu_runs = {side: times[1:] for side, times in cpu_runs.items()}
    ms = {side: statistics.median(t) for side, t in runs.items()}
    cpu_ms = {side: statistics.median(t) for side, t in cpu_runs.items()}
    paired = statistics.median(a / b for a, b in zip(runs["padded"], runs["unpadded"]))
    cpu_paired = statistics.median(
        a / b for a, b in zip(cpu_runs["padded"], cpu_runs["unpadded"])
    )
    # The padded fit trains on more rows (the padded start of the series), and
    # a padded row runs every step like any other: per row is the fair cost.
    row_share = (len(windows) - first_full) / len(windows)
    row = {
        "workload": "padded",
        "dt_past": args.dt_past,
        "rows_padded_fit": len(windows),
        "rows_unpadded_fit": len(windows) - first_full,
        "epochs": args.epochs,
        "ms_per_epoch": ms,
        "ratio_padded_over_unpadded": ms["padded"] / ms["unpadded"],
        "paired_ratio_padded_over_unpadded": paired,
        "cpu_ms_per_epoch": cpu_ms,
        "cpu_paired_ratio_padded_over_unpadded": cpu_paired,
        "paired_ratio_per_row": paired * row_share,
        "cpu_paired_ratio_per_row": cpu_paired * row_share,
        "runs": runs,
        "cpu_runs": cpu_runs,
    }
    data = dict(
        series=monthly_series().tolist(),
        windows=np.nan_to_num(windows, nan=-1.0).tolist(),
        targets=targets.tolist(),
        first_full=first_full,
        epochs=args.epochs,
        threads=args.threads,
        dt_past=args.dt_past,
    )
    for name, python in peers.items():
        result = run_peer(python, name, data)
        if "error" in result:
            row[name + "_error"] = result["error"]
        else:
            row[name] = result
    return row


# -- padded workload: peers, each in its own interpreter ---------------------------
def peer_worker(name, request):
    """Train a peer model; print one JSON line with milliseconds per epoch."""
    if name == "darts":
        print(json.dumps(darts_worker(request)))
    else:
        print(json.dumps(keras_worker(request)))


def darts_worker(request):
    import darts
    import torch
    from darts import TimeSeries
    from darts.models import BlockRNNModel
    from pytorch_lightning.callbacks import Callback

    torch.set_num_threads(request["threads"])
    times = []

    class Timer(Callback):
        def on_train_epoch_start(self, trainer, module):
            self.start = time.perf_counter()

        def on_train_epoch_end(self, trainer, module):
            times.append(1000 * (time.perf_counter() - self.start))

    # The series up to the last training target: its samples are the
    # unpadded windows (556 of 24 steps, each with its 6 targets).
    n_points = N_TRAIN + DT_FUTU
    series = TimeSeries.from_values(np.asarray(request["series"][:n_points]))
    model = BlockRNNModel(
        input_chunk_length=request["dt_past"],
        output_chunk_length=DT_FUTU,
        model="LSTM",
        hidden_dim=HIDDEN,
        n_rnn_layers=1,
        batch_size=BATCH,
        n_epochs=request["epochs"],
        optimizer_kwargs={"lr": 1e-3},
        random_state=0,
        pl_trainer_kwargs=dict(
            accelerator="cpu",
            callbacks=[Timer()],
            enable_progress_bar=False,
            enable_model_summary=False,
            logger=False,
            enable_checkpointing=False,
        ),
    )
    model.fit(series, verbose=False)
    samples = n_points - request["dt_past"] - DT_FUTU + 1
    return {
        "version": darts.__version__,
        "samples": samples,
        "ms_per_epoch": statistics.median(times[1:]),
        "runs": times,
    }


def keras_worker(request):
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(request["threads"])
    tf.config.threading.set_inter_op_parallelism_threads(request["threads"])
    import keras

    windows = np.asarray(request["windows"], np.float32)
    targets = np.asarray(request["targets"], np.float32)
    result = {"version": keras.__version__}
    for label, X, y, mask in (
        (
            "unpadded",
            windows[request["first_full"] :],
            targets[request["first_full"] :],
            False,
        ),
        ("padded_masked", windows, targets, True),
    ):
        keras.utils.set_random_seed(0)
        layers = [keras.Input(X.shape[1:])]
        if mask:
            layers.append(keras.layers.Masking(mask_value=-1.0))
        layers += [keras.layers.LSTM(HIDDEN), keras.layers.Dense(DT_FUTU)]
        model = keras.Sequential(layers)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
        timer = _keras_timer(keras)

        model.fit(
            X,
            y,
            batch_size=BATCH,
            epochs=request["epochs"],
            verbose=0,
            shuffle=True,
            callbacks=[timer],
        )
        times = timer.times
        result[label] = {"ms_per_epoch": statistics.median(times[1:]), "runs": times}
    return result


def _keras_timer(keras):
    class Timer(keras.callbacks.Callback):
        times = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.times.append(1000 * (time.perf_counter() - self.start))

    return Timer()


def run_peer(python, name, data):
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "request.json"
        request.write_text(json.dumps(data))
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
        done = subprocess.run(
            [python, __file__, "--peer-worker", name, str(request)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-3:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def find_peers(args):
    found = {}
    for name, given, venv in (
        ("darts", args.darts_python, "venv-darts"),
        ("keras-tf", args.keras_tf_python, "venv-keras-tf"),
    ):
        python = given or ROOT.parent / venv / "bin" / "python"
        if Path(python).exists():
            found[name] = str(python)
    return found


# -- grid workload --------------------------------------------------------------
GRIDS = {
    # The grid: 4 candidates x 2 folds.
    "small": ({"window__dt_past": [10, 20], "lstm__n_neurons": [16, 32]}, 2),
    # A grid as users run them: 9 candidates x 3 folds.
    "large": ({"window__dt_past": [10, 20, 40], "lstm__n_neurons": [16, 32, 64]}, 3),
}

#: What a fresh worker process does before its first fit is timed: start
#: Python, import sklstm (torch, scikit-learn), build the first optimizer
#: (which imports ``torch._dynamo``) and train one tiny epoch. It prints the
#: wall clock when ready, so the interpreter's exit (about 0.4 s with torch
#: loaded), which a joblib worker never pays before its first fit, is left out.
_STARTUP_CODE = """
import time
import numpy as np
from sklstm import LSTMRegressor
X = np.zeros((8, 4, 1), np.float32)
LSTMRegressor(n_neurons=2, max_epochs=1, random_state=0).fit(X, X[:, -1, 0])
print(time.time())
"""


def worker_startup_seconds(repeats=3):
    """Median wall time from starting Python to the end of :data:`_STARTUP_CODE`."""
    times = []
    for _ in range(repeats):
        start = time.time()
        ready = subprocess.run(
            [sys.executable, "-c", _STARTUP_CODE],
            check=True,
            capture_output=True,
            text=True,
            env=dict(
                os.environ,
                PYTHONPATH=os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
                ),
            ),
        ).stdout.split()[-1]
        times.append(float(ready) - start)
    return statistics.median(times)


def grid_search(n_jobs, epochs, device, grid="small"):
    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler

    from sklstm import LSTMRegressor, SlidingWindowTransformer, future_targets

    rng = np.random.default_rng(0)
    t = np.arange(4_000 + 4) * 0.1
    series = np.sin(t) + 0.5 * np.sin(t / 3.7) + 0.1 * rng.normal(size=len(t))
    rows, targets = future_targets(series.reshape(-1, 1), dt_futu=4)
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer()),
            (
                "lstm",
                LSTMRegressor(
                    batch_size=32, max_epochs=epochs, device=device, random_state=0
                ),
            ),
        ]
    )
    params, n_splits = GRIDS[grid]
    search = GridSearchCV(
        pipe, params, cv=TimeSeriesSplit(n_splits=n_splits, gap=4), n_jobs=n_jobs
    )
    start = time.perf_counter()
    search.fit(rows, targets)
    return time.perf_counter() - start, search.cv_results_, search.refit_time_


#: What docs/user_guide/scaling_out.rst recommends for Dask workers: no
#: ``MALLOC_TRIM_THRESHOLD_`` (Dask's nanny sets it by default), whose mere
#: presence turns off glibc's adaptive mmap threshold and makes small-tensor
#: training about 2x slower. ``None`` unsets a variable of this config.
DASK_RECOMMENDED_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None
}


def dask_runs(timed, threads):
    """The same search on a local Dask cluster, one single-threaded worker per core.

    Run with Dask's default worker environment, then with
    :data:`DASK_RECOMMENDED_CONFIG`. The workers are started before the
    clock runs (as a cluster usually is); "cold" is their first search
    (each imports torch then), "warm" the next.
    """
    import dask
    from distributed import Client, LocalCluster
    from joblib import parallel_config

    runs = {}
    for label, config in (
        ("default env", {}),
        ("recommended env", DASK_RECOMMENDED_CONFIG),
    ):
        # A LocalCluster's nannies copy their variables into this process's
        # environment, where the next workers would inherit them.
        os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        with (
            dask.config.set(config),
            LocalCluster(
                n_workers=os.cpu_count(),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            Client(cluster),
            parallel_config(backend="dask"),
        ):
            runs[f"n_jobs=-1 dask {label} cold"] = timed(-1, threads)
            runs[f"n_jobs=-1 dask {label} warm"] = timed(-1, threads)
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    return runs


def bench_grid(args):
    """``n_jobs=1`` against ``n_jobs=-1``, each as a user gets it.

    The serial search runs with torch's default threads (every core) and
    with one thread; the speed-up is quoted against the faster of the two.
    The parallel searches leave the threads to joblib (``cpu_count // n_jobs``
    per worker); their refit runs in this process with the default threads.
    """
    import torch
    from joblib.externals.loky import get_reusable_executor

    def timed(n_jobs, threads):
        torch.set_num_threads(threads)
        seconds, results, refit = grid_search(
            n_jobs, args.grid_epochs, args.device, args.grid
        )
        return {"seconds": seconds, "results": results, "refit": refit}

    get_reusable_executor().shutdown(wait=True)  # the first parallel run starts cold
    startup = worker_startup_seconds()
    # This process pays its own one-time costs (the first optimizer imports
    # torch._dynamo, about 1 s) before any timed run: otherwise the first
    # serial run would carry them and the parallel runs, refitting here
    # afterwards, would not.
    exec(_STARTUP_CODE.replace("print(time.time())", ""), {})
    default = args.default_threads
    runs = {"n_jobs=1, 1 thread": timed(1, 1)}
    if default > 1:
        runs[f"n_jobs=1, {default} threads"] = timed(1, default)
    runs["n_jobs=-1 cold"] = timed(-1, default)
    runs["n_jobs=-1 warm"] = timed(-1, default)
    serial_name = min(
        (name for name in runs if name.startswith("n_jobs=1")),
        key=lambda name: runs[name]["seconds"],
    )
    serial = runs[serial_name]
    serial_threads = 1 if serial_name == "n_jobs=1, 1 thread" else default
    if serial_threads != default:
        # The fair pairing: the parallel search with this process at the
        # thread count that made the serial one fastest. Only its refit
        # (which runs here) sees it; the workers get joblib's count.
        get_reusable_executor().shutdown(wait=True)
        runs["n_jobs=-1 cold, 1 thread"] = timed(-1, 1)
        runs["n_jobs=-1 warm, 1 thread"] = timed(-1, 1)
    if args.dask:
        runs.update(dask_runs(timed, default))
    torch.set_num_threads(args.threads)
    # Each worker trains with one thread here, so the parallel scores are
    # compared with the one-thread serial run: at equal threads they must be
    # bit-identical. Another thread count changes the order of float sums,
    # hence the last bits; that difference is reported, not hidden.
    reference = runs["n_jobs=1, 1 thread"]["results"]["mean_test_score"]
    identical = all(
        np.array_equal(runs[name]["results"]["mean_test_score"], reference)
        for name in runs
        if "n_jobs=-1" in name
    )
    thread_difference = max(
        float(np.max(np.abs(run["results"]["mean_test_score"] - reference)))
        for run in runs.values()
    )
    n_cores = os.cpu_count()
    params, n_splits = GRIDS[args.grid]
    n_fits = int(np.prod([len(v) for v in params.values()])) * n_splits
    search_serial = serial["seconds"] - serial["refit"]
    # Best case for the cold run: every worker pays the start-up once, the
    # one-thread fits split evenly over the workers, and the refit runs alone
    # (the cold run's own refit, with the threads it had).
    one_thread = runs["n_jobs=1, 1 thread"]
    cold = runs["n_jobs=-1 cold"]
    bound = serial["seconds"] / (
        startup
        + (one_thread["seconds"] - one_thread["refit"]) / min(n_cores, n_fits)
        + cold["refit"]
    )
    return {
        "workload": "grid",
        "grid": args.grid,
        "candidates": n_fits // n_splits,
        "folds": n_splits,
        "fits": n_fits,
        "epochs": args.grid_epochs,
        "cores": n_cores,
        "default_threads": default,
        "note": "n_jobs=1 runs at the threads named; the parallel runs leave "
        "threads to joblib and refit at the default threads, whatever the "
        "record's torch_threads says",
        "worker_startup_s": startup,
        "serial_reference": serial_name,
        "mean_fit_s": {
            name: float(np.mean(run["results"]["mean_fit_time"]))
            for name, run in runs.items()
        },
        "refit_s": {name: run["refit"] for name, run in runs.items()},
        "seconds": {name: run["seconds"] for name, run in runs.items()},
        "speedup": {
            "cold": serial["seconds"] / runs["n_jobs=-1 cold"]["seconds"],
            "warm": serial["seconds"] / runs["n_jobs=-1 warm"]["seconds"],
            "cold_search_only": search_serial
            / (runs["n_jobs=-1 cold"]["seconds"] - runs["n_jobs=-1 cold"]["refit"]),
            "warm_search_only": search_serial
            / (runs["n_jobs=-1 warm"]["seconds"] - runs["n_jobs=-1 warm"]["refit"]),
            "cold_best_case": bound,
            **{
                f"{kind}_at_serial_threads": serial["seconds"]
                / runs[f"n_jobs=-1 {kind}, 1 thread"]["seconds"]
                for kind in ("cold", "warm")
                if f"n_jobs=-1 {kind}, 1 thread" in runs
            },
        },
        "scores_identical": bool(identical),
        "max_score_difference_across_threads": thread_difference,
        "mean_test_score": reference.tolist(),
    }


# -- the run ------------------------------------------------------------------
def markdown(rows, record):
    lines = [describe(record), f"Device: {record['device']}.", ""]
    for row in rows:
        if row["workload"] == "padded":
            ms = row["ms_per_epoch"]
            lines += [
                f"Padded pipeline rows, dt_past={row['dt_past']}, "
                f"{row['epochs']} epochs each, alternating (ms per epoch, median "
                "after the first); padded/unpadded, median of the epoch pairs: "
                f"{row['paired_ratio_padded_over_unpadded']:.3f} (wall), "
                f"{row['cpu_paired_ratio_padded_over_unpadded']:.3f} (process CPU "
                f"time: {row['cpu_ms_per_epoch']['padded']:.1f} against "
                f"{row['cpu_ms_per_epoch']['unpadded']:.1f} ms); per row trained, "
                f"{row['paired_ratio_per_row']:.3f} (wall), "
                f"{row['cpu_paired_ratio_per_row']:.3f} (CPU time)",
                "",
                "| fit | rows | ms/epoch | vs sklstm unpadded |",
                "|---|---|---|---|",
                f"| sklstm, pipeline rows (padded) | {row['rows_padded_fit']} | "
                f"{ms['padded']:.1f} | {row['ratio_padded_over_unpadded']:.2f} |",
                f"| sklstm, unpadded windows | {row['rows_unpadded_fit']} | "
                f"{ms['unpadded']:.1f} | 1.00 |",
            ]
            if "darts" in row:
                d = row["darts"]
                ratio = d["ms_per_epoch"] / ms["unpadded"]
                lines.append(
                    f"| darts {d['version']} BlockRNNModel | {d['samples']} | "
                    f"{d['ms_per_epoch']:.1f} | {ratio:.2f} |"
                )
            if "keras-tf" in row:
                k = row["keras-tf"]
                for label, rows_ in (
                    ("unpadded", row["rows_unpadded_fit"]),
                    ("padded_masked", row["rows_padded_fit"]),
                ):
                    lines.append(
                        f"| Keras {k['version']} TF, {label} | {rows_} | "
                        f"{k[label]['ms_per_epoch']:.1f} | "
                        f"{k[label]['ms_per_epoch'] / ms['unpadded']:.2f} |"
                    )
            lines.append("")
        else:
            s, sp = row["seconds"], row["speedup"]
            ref = row["serial_reference"]
            lines += [
                f"GridSearchCV ({row['grid']} grid), {row['candidates']} candidates "
                f"x {row['folds']} folds = {row['fits']} fits + the refit, "
                f"{row['epochs']} epochs, {row['cores']} cores. Scores of n_jobs=-1 "
                f"identical to n_jobs=1 at one thread: {row['scores_identical']} "
                "(largest difference of any run from it: "
                f"{row['max_score_difference_across_threads']:.1e}). A fresh worker "
                f"needs {row['worker_startup_s']:.1f} s before its first fit (Python, "
                "imports, first optimizer). Speed-ups against the faster "
                f"n_jobs=1 run ({ref}).",
                "",
                "| run | seconds | mean fit s | refit s | speed-up |",
                "|---|---|---|---|---|",
            ]
            for name, seconds in s.items():
                lines.append(
                    f"| {name} | {seconds:.1f} | {row['mean_fit_s'][name]:.2f} | "
                    f"{row['refit_s'][name]:.1f} | "
                    f"{s[ref] / seconds:.2f} |"
                )
            lines += [
                "",
                f"Search phase alone (refit left out): cold "
                f"{sp['cold_search_only']:.2f}, warm {sp['warm_search_only']:.2f}. "
                f"Best case for the cold run (start-up once per worker, even split, "
                f"refit alone): {sp['cold_best_case']:.2f}.",
                "",
            ]
            if "cold_at_serial_threads" in sp:
                lines += [
                    "With this process at the serial run's thread count (1), "
                    "which only the refit sees: cold "
                    f"{sp['cold_at_serial_threads']:.2f}, warm "
                    f"{sp['warm_at_serial_threads']:.2f}.",
                    "",
                ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=["padded", "grid"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch threads")
    parser.add_argument("--epochs", type=int, default=30, help="padded workload")
    parser.add_argument("--dt-past", type=int, default=DT_PAST)
    parser.add_argument("--grid-epochs", type=int, default=20)
    parser.add_argument("--grid", choices=sorted(GRIDS), default="small")
    parser.add_argument(
        "--dask", action="store_true", help="also run the grid on a local Dask cluster"
    )
    parser.add_argument("--darts-python")
    parser.add_argument("--keras-tf-python")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--tag", default="")
    parser.add_argument("--peer-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.peer_worker:
        name, path = args.peer_worker
        peer_worker(name, json.loads(Path(path).read_text()))
        return
    import torch

    args.default_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    record = machine_record(args.threads)
    record["command"] = " ".join([Path(sys.executable).name, *sys.argv])
    record["device"] = args.device
    peers = {} if args.no_peers else find_peers(args)
    record["peers"] = peers
    rows = []
    for name in args.only or ["padded", "grid"]:
        row = bench_padded(args, peers) if name == "padded" else bench_grid(args)
        rows.append(row)
        brief = {k: v for k, v in row.items() if k not in ("runs", "cpu_runs")}
        print(json.dumps(brief), flush=True)
    finish_record(record)
    table = markdown(rows, record)
    print(table)
    write_results(args.out, "pipeline", record, rows, table, args.tag)


if __name__ == "__main__":
    main()
