"""Does sklstm train as well as Keras? Lecture 11, both libraries, one run.

The course's first model, ``LSTM(100) -> Dense(8)``, on the Lecture 11
series (:func:`sklstm.datasets.make_course_series`, ``random_state=0``: a
noisy sine on an exponential trend over ``t = arange(-50, 10, 0.25)``),
20 past steps -> 8 future steps, Adam with lr=1e-3, batch size 128, 100
epochs, mean squared error, trained with model seeds 0, 1 and 2:

* ``sklstm``: :class:`~sklstm.LSTMRegressor` at its defaults (Keras
  initialisation) but for ``n_neurons=100``;
* ``sklstm-pytorch-init``: the same with ``init="pytorch"`` (PyTorch's
  default initialisation, sklstm's behaviour before Keras' became the
  default), for reference;
* ``keras``: Keras 3 (TensorFlow backend) in its own interpreter
  (``--keras-python``, default ``/work/venv-keras-tf/bin/python`` or
  ``../venv-keras-tf`` next to the repository), as
  ``benchmarks/bench_training.py`` runs it.

Data: the series is scaled to [0, 1] with the minimum and maximum of its
first 195 steps (the training part), cut into the 213 windows of
``sliding_windows(dt_past=20, dt_futu=8)``; the first 168 windows train,
the last 45 test (their targets lie beyond the training range: the trend
keeps rising). Both libraries see the same arrays.

For each library the script prints the final training loss (the last
epoch's mean batch loss, as Keras' ``history["loss"][-1]`` and skorch's
``train_loss`` both report it) and the test MSE (scaled units) per seed,
with the median and the spread (min-max) across seeds, and checks the
targets of issue 9: sklstm's median training loss at most 1.2x Keras',
its median test MSE at most Keras'.

Run from the repository root::

    python benchmarks/keras_training_parity.py
    python benchmarks/keras_training_parity.py --seeds 0 1 2 --epochs 100 \\
        --out benchmarks/results/keras-training-parity.json
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DT_PAST, DT_FUTU, N_TRAIN, UNITS, BATCH, LR = 20, 8, 168, 100, 128, 1e-3


def make_data():
    """Return ``X_train, Y_train, X_test, Y_test`` (float32, scaled series)."""
    from sklstm import sliding_windows
    from sklstm.datasets import make_course_series

    _, series = make_course_series(random_state=0)
    train_steps = N_TRAIN + DT_PAST + DT_FUTU - 1
    low, high = series[:train_steps].min(), series[:train_steps].max()
    scaled = ((series - low) / (high - low)).astype(np.float32)
    X, Y = sliding_windows(scaled, dt_past=DT_PAST, dt_futu=DT_FUTU)
    X = X.reshape(len(X), DT_PAST, 1).astype(np.float32)
    Y = Y.astype(np.float32)
    return X[:N_TRAIN], Y[:N_TRAIN], X[N_TRAIN:], Y[N_TRAIN:]


# -- sklstm ----------------------------------------------------------------------
def run_sklstm(data, seed, epochs, init):
    from sklstm import LSTMRegressor

    X_train, Y_train, X_test, Y_test = data
    reg = LSTMRegressor(
        n_neurons=UNITS,
        batch_size=BATCH,
        lr=LR,
        max_epochs=epochs,
        lr_schedule=None,  # a constant rate, as the course's Keras code
        init=init,
        device="cpu",
        random_state=seed,
    ).fit(X_train, Y_train)
    test_mse = float(np.mean((reg.predict(X_test) - Y_test) ** 2))
    return {"train_loss": float(reg.history_[-1, "train_loss"]), "test_mse": test_mse}


# -- Keras (its own interpreter) -------------------------------------------------
def keras_worker(request):
    """Train with Keras; print one JSON line per seed."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(request["threads"])
    tf.config.threading.set_inter_op_parallelism_threads(request["threads"])
    import keras

    data = np.load(request["data"])
    results = []
    for seed in request["seeds"]:
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(
            [
                keras.Input((DT_PAST, 1)),
                keras.layers.LSTM(UNITS, activation="tanh"),
                keras.layers.Dense(DT_FUTU),
            ]
        )
        model.compile(optimizer=keras.optimizers.Adam(LR), loss="mean_squared_error")
        history = model.fit(
            data["X_train"],
            data["Y_train"],
            batch_size=BATCH,
            epochs=request["epochs"],
            shuffle=True,
            verbose=0,
        )
        pred = model.predict(data["X_test"], verbose=0)
        results.append(
            {
                "seed": seed,
                "train_loss": float(history.history["loss"][-1]),
                "test_mse": float(np.mean((pred - data["Y_test"]) ** 2)),
            }
        )
    print(json.dumps({"keras": keras.__version__, "results": results}))


def find_keras_python(given):
    for python in (given, "/work/venv-keras-tf/bin/python"):
        if python and Path(python).exists():
            return python
    python = ROOT.parent / "venv-keras-tf" / "bin" / "python"
    return str(python) if python.exists() else None


def run_keras(python, data, seeds, epochs, threads):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.npz"
        np.savez(path, **dict(zip(["X_train", "Y_train", "X_test", "Y_test"], data)))
        request = dict(data=str(path), seeds=seeds, epochs=epochs, threads=threads)
        env = dict(os.environ, KERAS_BACKEND="tensorflow", CUDA_VISIBLE_DEVICES="")
        done = subprocess.run(
            [python, __file__, "--keras-worker", json.dumps(request)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError("Keras worker failed:\n" + done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- report ------------------------------------------------------------------------
def summarise(rows, key):
    values = [row[key] for row in rows]
    return statistics.median(values), min(values), max(values)


def table(results):
    lines = [
        "| library | seed | final train loss | test MSE |",
        "|---|---|---|---|",
    ]
    for name, rows in results.items():
        for row in rows:
            lines.append(
                f"| {name} | {row['seed']} | {row['train_loss']:.5f} "
                f"| {row['test_mse']:.5f} |"
            )
        loss, test = summarise(rows, "train_loss"), summarise(rows, "test_mse")
        lines.append(
            f"| **{name}** | median (min-max) | {loss[0]:.5f} ({loss[1]:.5f}-"
            f"{loss[2]:.5f}) | {test[0]:.5f} ({test[1]:.5f}-{test[2]:.5f}) |"
        )
    return "\n".join(lines)


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keras-python", default=None)
    parser.add_argument("--out", default=None, help="write the results as JSON")
    parser.add_argument("--keras-worker", default=None, help=argparse.SUPPRESS)
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    if args.keras_worker:
        keras_worker(json.loads(args.keras_worker))
        return 0
    import torch

    torch.set_num_threads(args.threads)
    data = make_data()
    print(
        f"Lecture 11: {len(data[0])} training and {len(data[2])} test windows, "
        f"{DT_PAST} -> {DT_FUTU}, LSTM({UNITS}), Adam {LR}, batch {BATCH}, "
        f"{args.epochs} epochs, seeds {args.seeds}, {args.threads} threads\n",
        flush=True,
    )
    results = {}
    for name, init in (("sklstm", "keras"), ("sklstm-pytorch-init", "pytorch")):
        results[name] = [
            {"seed": seed, **run_sklstm(data, seed, args.epochs, init)}
            for seed in args.seeds
        ]
    python = find_keras_python(args.keras_python)
    if python is None:
        print("No Keras interpreter found (--keras-python); sklstm only.")
        keras_version = None
    else:
        keras_out = run_keras(python, data, args.seeds, args.epochs, args.threads)
        results["keras"] = keras_out["results"]
        keras_version = keras_out["keras"]
    print(table(results))
    verdict = {}
    if "keras" in results:
        sk_loss = summarise(results["sklstm"], "train_loss")[0]
        sk_mse = summarise(results["sklstm"], "test_mse")[0]
        ke_loss = summarise(results["keras"], "train_loss")[0]
        ke_mse = summarise(results["keras"], "test_mse")[0]
        verdict = {
            "train_loss_ratio": sk_loss / ke_loss,
            "train_loss_ok": sk_loss <= 1.2 * ke_loss,
            "test_mse_ratio": sk_mse / ke_mse,
            "test_mse_ok": sk_mse <= ke_mse,
        }
        print(
            f"\nmedian final training loss: sklstm / Keras = "
            f"{verdict['train_loss_ratio']:.2f} (target <= 1.2: "
            f"{'met' if verdict['train_loss_ok'] else 'NOT met'})\n"
            f"median test MSE: sklstm / Keras = {verdict['test_mse_ratio']:.2f} "
            f"(target <= 1: {'met' if verdict['test_mse_ok'] else 'NOT met'})"
        )
    if args.out:
        import sklstm

        meta = {
            "command": " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
            "sklstm": sklstm.__version__,
            "torch": torch.__version__,
            "keras": keras_version,
            "python": platform.python_version(),
            "cpu": platform.processor() or platform.machine(),
            "threads": args.threads,
            "load_average": os.getloadavg(),
        }
        Path(args.out).write_text(
            json.dumps({"meta": meta, "results": results, "verdict": verdict}, indent=1)
        )
        Path(args.out).with_suffix(".md").write_text(table(results) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
