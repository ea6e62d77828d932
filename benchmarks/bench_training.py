"""Training speed of sklstm against a raw PyTorch loop and Keras 3, in one run.

Every workload trains the same network three ways:

* ``sklstm``: :class:`~sklstm.LSTMRegressor` / :class:`~sklstm.LSTMClassifier`
  (one ``partial_fit`` per epoch; the epoch time is skorch's ``dur``, which
  covers the whole epoch loop and nothing outside it);
* ``raw``: a hand-written PyTorch loop over tensors (``randperm`` index,
  slicing, same layers, Adam with lr=1e-3, MSE or cross-entropy);
* ``keras-tf`` / ``keras-torch``: Keras 3 with the TensorFlow and the PyTorch
  backend, each in its own interpreter (``--keras-tf-python``,
  ``--keras-torch-python``, or the virtual environments ``../venv-keras-tf``
  and ``../venv-keras-torch`` next to the repository when they exist).

sklstm and raw epochs alternate, so a machine shared with other work slows
both alike. The first epoch of every model is a warm-up and is left out;
the table gives the median of the remaining epochs and the ratio to raw
PyTorch (lower is faster). The ``lecture11`` and ``tiny`` workloads are
timed end to end instead (after an untimed short run of each side):
building the model plus 100 epochs of LSTM(400) on the course's 168
windows, and plus 300 epochs of LSTM(8) on 168 windows, where an epoch is
two batches and the fixed cost of each epoch shows.

Run from the repository root::

    python benchmarks/bench_training.py --quick          # a few minutes
    python benchmarks/bench_training.py                  # the full sizes
    python benchmarks/bench_training.py --only lstm8 lstm32 --device cuda

Results go to ``benchmarks/results/<date>-<machine>.json`` and ``.md``.
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

#: name -> settings; "quick" overrides for --quick. Sizes follow the course.
WORKLOADS = {
    "lstm8": dict(kind="reg", hidden=8, n=12_000, epochs=6, quick=dict(n=3_000)),
    "lstm32": dict(kind="reg", hidden=32, n=12_000, epochs=6, quick=dict(n=3_000)),
    "lstm400": dict(
        kind="reg", hidden=400, n=12_000, epochs=4, quick=dict(n=1_000, epochs=3)
    ),
    "lecture11": dict(
        kind="reg",
        hidden=400,
        n=168,
        epochs=100,
        end_to_end=True,
        repeats=2,
        quick=dict(epochs=20),
    ),
    # Training-loop overhead: two batches per epoch of a tiny model, so the
    # fixed cost of an epoch (callbacks, history, bookkeeping) dominates.
    "tiny": dict(
        kind="reg",
        hidden=8,
        n=168,
        epochs=300,
        end_to_end=True,
        repeats=3,
        quick=dict(epochs=100),
    ),
    "cnn_lstm": dict(
        kind="clf", hidden=100, n=1_000, steps=500, epochs=4, quick=dict(n=300)
    ),
    "splice": dict(kind="clf", hidden=100, n=None, epochs=4, quick=dict(epochs=3)),
}
DT_PAST, DT_FUTU, REG_BATCH, CLF_BATCH = 20, 8, 128, 32
CONV = dict(filters=64, kernel_size=3, pool_size=2)


# -- data (NumPy only: the Keras workers load it from a file) ---------------
def make_data(name, spec):
    """Return ``X, y`` float32 windows and targets (int codes for classes)."""
    rng = np.random.default_rng(0)
    if spec["kind"] == "reg":
        n = spec["n"] + DT_PAST + DT_FUTU - 1
        t = np.arange(n, dtype=np.float64)
        series = np.sin(t / 10) + 0.5 * np.sin(t / 37) + 0.1 * rng.normal(size=n)
        series = series.astype(np.float32)
        index = np.arange(spec["n"])[:, None]
        X = series[index + np.arange(DT_PAST)][..., None]
        y = series[index + DT_PAST + np.arange(DT_FUTU)]
        return np.ascontiguousarray(X), np.ascontiguousarray(y)
    if name == "splice":
        from sklstm.datasets import load_splice

        X, labels = load_splice(return_X_y=True)
        _, y = np.unique(labels, return_inverse=True)
        order = rng.permutation(len(X))
        return np.ascontiguousarray(X[order], np.float32), y[order].astype(np.int64)
    letters = rng.integers(0, 4, size=(spec["n"], spec["steps"]))
    X = np.eye(4, dtype=np.float32)[letters]
    y = rng.integers(0, 3, size=spec["n"]).astype(np.int64)
    return X, y


# -- sklstm -------------------------------------------------------------------
def sklstm_estimator(spec, device, epochs=1):
    from sklstm import LSTMClassifier, LSTMRegressor

    common = dict(
        n_neurons=spec["hidden"],
        lr=1e-3,
        max_epochs=epochs,
        device=device,
        random_state=0,
    )
    if spec["kind"] == "reg":
        return LSTMRegressor(batch_size=REG_BATCH, **common)
    return LSTMClassifier(
        architecture="cnn-lstm",
        conv_filters=CONV["filters"],
        conv_kernel_size=CONV["kernel_size"],
        pool_size=CONV["pool_size"],
        batch_size=CLF_BATCH,
        **common,
    )


def sklstm_epochs(spec, X, y, device, skorch_loop=False):
    """A generator: each ``next`` trains one epoch and yields its seconds.

    ``skorch_loop=True`` trains with skorch's own epoch loop
    (:class:`~sklstm.training.loop.PrecisionNeuralNet`) instead of
    :class:`~sklstm.training.loop.FastNeuralNet`.
    """
    import sklstm.training.net as net_module
    from sklstm.training.loop import FastNeuralNet, PrecisionNeuralNet

    est = sklstm_estimator(spec, device)
    classes = np.unique(y)
    kwargs = {} if spec["kind"] == "reg" else {"classes": classes}
    # The net is built by the first partial_fit and reused by the next ones.
    net_module.FastNeuralNet = PrecisionNeuralNet if skorch_loop else FastNeuralNet
    try:
        est.partial_fit(X, y, **kwargs)
    finally:
        net_module.FastNeuralNet = FastNeuralNet
    yield est.history_[-1]["dur"]
    while True:
        est.partial_fit(X, y, **kwargs)
        yield est.history_[-1]["dur"]


def sklstm_end_to_end(spec, X, y, device):
    start = time.perf_counter()
    sklstm_estimator(spec, device, epochs=spec["epochs"]).fit(X, y)
    return time.perf_counter() - start


# -- raw PyTorch --------------------------------------------------------------
def raw_model(spec, n_channels, n_outputs):
    import torch
    from torch import nn

    class RawLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = None
            size = n_channels
            if spec["kind"] == "clf":
                self.conv = nn.Conv1d(n_channels, CONV["filters"], CONV["kernel_size"])
                self.pool = nn.MaxPool1d(CONV["pool_size"])
                size = CONV["filters"]
            self.lstm = nn.LSTM(size, spec["hidden"], batch_first=True)
            self.head = nn.Linear(spec["hidden"], n_outputs)

        def forward(self, x):
            if self.conv is not None:
                x = self.pool(torch.relu(self.conv(x.transpose(1, 2)))).transpose(1, 2)
            _, (h, _) = self.lstm(x)
            return self.head(h[-1])

    return RawLSTM()


def raw_trainer(spec, X, y, device):
    """Return ``epoch()`` that trains one epoch and returns its seconds."""
    import torch

    torch.manual_seed(0)
    clf = spec["kind"] == "clf"
    n_outputs = int(y.max()) + 1 if clf else y.shape[1]
    model = raw_model(spec, X.shape[2], n_outputs).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss() if clf else torch.nn.MSELoss()
    Xt, yt = torch.from_numpy(X).to(device), torch.from_numpy(y).to(device)
    batch = CLF_BATCH if clf else REG_BATCH
    sync = torch.cuda.synchronize if str(device).startswith("cuda") else None

    def epoch():
        start = time.perf_counter()
        order = torch.randperm(len(Xt), device=device)
        for begin in range(0, len(Xt), batch):
            index = order[begin : begin + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(Xt[index]), yt[index])
            loss.backward()
            optimizer.step()
        if sync:
            sync()
        return time.perf_counter() - start

    return epoch


def raw_end_to_end(spec, X, y, device):
    start = time.perf_counter()
    epoch = raw_trainer(spec, X, y, device)
    for _ in range(spec["epochs"]):
        epoch()
    return time.perf_counter() - start


# -- Keras (runs in its own interpreter) -------------------------------------
def keras_worker(request):
    """Train with Keras; print one JSON line with the timings."""
    os.environ["KERAS_BACKEND"] = request["backend"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if request["backend"] == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(request["threads"])
        tf.config.threading.set_inter_op_parallelism_threads(request["threads"])
    else:
        import torch

        torch.set_num_threads(request["threads"])
    import keras

    spec = request["spec"]
    data = np.load(request["data"])
    X, y = data["X"], data["y"]
    clf = spec["kind"] == "clf"
    keras.utils.set_random_seed(0)

    def build():
        layers = [keras.Input(X.shape[1:])]
        if clf:
            layers += [
                keras.layers.Conv1D(
                    CONV["filters"], CONV["kernel_size"], activation="relu"
                ),
                keras.layers.MaxPooling1D(CONV["pool_size"]),
            ]
        n_out = int(y.max()) + 1 if clf else y.shape[1]
        layers += [
            keras.layers.LSTM(spec["hidden"]),
            keras.layers.Dense(n_out, activation="softmax" if clf else None),
        ]
        model = keras.Sequential(layers)
        loss = "sparse_categorical_crossentropy" if clf else "mse"
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss)
        return model

    class Timer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    batch = CLF_BATCH if clf else REG_BATCH
    result = {"keras": keras.__version__}
    if spec.get("end_to_end"):
        result["runs"] = []
        for _ in range(spec.get("repeats", 1)):
            start = time.perf_counter()
            build().fit(X, y, batch_size=batch, epochs=spec["epochs"], verbose=0)
            result["runs"].append(time.perf_counter() - start)
    else:
        times = []
        build().fit(
            X,
            y,
            batch_size=batch,
            epochs=spec["epochs"],
            shuffle=True,
            verbose=0,
            callbacks=[Timer()],
        )
        result["epochs"] = times
    print(json.dumps(result))


def find_keras_pythons(args):
    found = {}
    for backend, given, venv in (
        ("tensorflow", args.keras_tf_python, "venv-keras-tf"),
        ("torch", args.keras_torch_python, "venv-keras-torch"),
    ):
        python = given or ROOT.parent / venv / "bin" / "python"
        if Path(python).exists():
            found[backend] = str(python)
    return found


def run_keras(python, backend, spec, X, y, threads, device):
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.npz"
        np.savez(data, X=X, y=y)
        request = dict(backend=backend, spec=spec, data=str(data), threads=threads)
        env = dict(os.environ, KERAS_BACKEND=backend)
        if device == "cpu":
            env["CUDA_VISIBLE_DEVICES"] = ""
        done = subprocess.run(
            [python, __file__, "--keras-worker", json.dumps(request)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the run ------------------------------------------------------------------
def median_after_warmup(times):
    return statistics.median(times[1:] if len(times) > 1 else times)


def bench(name, spec, args, kerases):
    X, y = make_data(name, spec)
    row = {"workload": name, "n_windows": len(X), "window": list(X.shape[1:])}
    row["end_to_end"] = bool(spec.get("end_to_end"))
    row.update({k: spec[k] for k in ("hidden", "epochs")})
    if spec.get("end_to_end"):
        runs = {"sklstm": [], "raw": []}
        # One short untimed run of each first: the process's first fit would
        # otherwise pay for starting CUDA, cuDNN and cuBLAS (or the CPU's
        # first-touch costs) alone.
        warm = {**spec, "epochs": 2}
        sklstm_end_to_end(warm, X, y, args.device)
        raw_end_to_end(warm, X, y, args.device)
        for _ in range(spec["repeats"]):  # alternate, as the epochs below
            runs["sklstm"].append(sklstm_end_to_end(spec, X, y, args.device))
            runs["raw"].append(raw_end_to_end(spec, X, y, args.device))
        seconds = {side: statistics.median(t) for side, t in runs.items()}
    else:
        trainers = {
            "sklstm": sklstm_epochs(spec, X, y, args.device).__next__,
            "raw": raw_trainer(spec, X, y, args.device),
        }
        if args.skorch_loop:
            trainers["sklstm-skorch"] = sklstm_epochs(
                spec, X, y, args.device, skorch_loop=True
            ).__next__
        runs = {side: [] for side in trainers}
        for _ in range(spec["epochs"]):
            for side, epoch in trainers.items():
                runs[side].append(epoch())
        seconds = {side: median_after_warmup(t) for side, t in runs.items()}
    # Interleaved epochs share the machine's load at that moment: the median
    # of the epoch-by-epoch ratios cancels slow drifts in the load.
    for side in ("sklstm", "sklstm-skorch"):
        if side not in runs:
            continue
        pairs = list(zip(runs[side], runs["raw"]))
        pairs = pairs[1:] if len(pairs) > 1 and not spec.get("end_to_end") else pairs
        row["paired_ratio_" + side] = statistics.median(a / b for a, b in pairs)
    for backend, python in kerases.items():
        side = "keras-tf" if backend == "tensorflow" else "keras-torch"
        result = run_keras(python, backend, spec, X, y, args.threads, args.device)
        if "error" in result:
            row[side + "_error"] = result["error"]
            continue
        times = result.get("runs") or result["epochs"]
        runs[side] = times
        seconds[side] = (
            statistics.median(times) if "runs" in result else median_after_warmup(times)
        )
        row[side + "_version"] = result["keras"]
    row["seconds"] = seconds
    row["runs"] = runs
    row["ratio_vs_raw"] = {k: v / seconds["raw"] for k, v in seconds.items()}
    return row


def samples_per_second(row, side):
    """Training windows per second: per epoch, or over every epoch end to end."""
    epochs = row["epochs"] if row.get("end_to_end") else 1
    return row["n_windows"] * epochs / row["seconds"][side]


def markdown(rows, meta):
    sides = ["sklstm", "raw", "keras-tf", "keras-torch"]
    skorch_loop = any("paired_ratio_sklstm-skorch" in row for row in rows)
    extra = " sklstm-skorch/raw paired |" if skorch_loop else ""
    lines = [
        describe(meta).rstrip(),
        f"Device {meta['device']}; sklstm {meta['sklstm']}.",
        "",
        "| workload | windows | timed | "
        + " | ".join(f"{s} s" for s in sides)
        + " | sklstm/raw | sklstm/raw paired |"
        + extra
        + " keras-tf/raw | keras-torch/raw | sklstm samples/s | raw samples/s |",
        "|" + "---|" * (3 + len(sides) + 6 + bool(skorch_loop)),
    ]
    for row in rows:
        timed = "end to end" if row.get("end_to_end") else "epoch median"
        cells = [row["workload"], str(row["n_windows"]), timed]
        cells += [
            f"{row['seconds'][s]:.3f}" if s in row["seconds"] else "-" for s in sides
        ]
        ratios = row["ratio_vs_raw"]
        cells += [f"{ratios['sklstm']:.2f}", f"{row['paired_ratio_sklstm']:.2f}"]
        if skorch_loop:
            value = row.get("paired_ratio_sklstm-skorch")
            cells.append("-" if value is None else f"{value:.3f}")
        cells += [
            f"{ratios[s]:.2f}" if s in ratios else "-"
            for s in ("keras-tf", "keras-torch")
        ]
        cells += [f"{samples_per_second(row, s):,.0f}" for s in ("sklstm", "raw")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--device", default="cpu", help="cpu, cuda, cuda:N")
    parser.add_argument("--only", nargs="+", choices=sorted(WORKLOADS))
    parser.add_argument("--threads", type=int, default=1, help="CPU threads")
    parser.add_argument("--keras-tf-python", help="python with keras + tensorflow")
    parser.add_argument("--keras-torch-python", help="python with keras + torch")
    parser.add_argument("--no-keras", action="store_true")
    parser.add_argument(
        "--skorch-loop",
        action="store_true",
        help="also time sklstm with skorch's own epoch loop (no FastNeuralNet)",
    )
    parser.add_argument(
        "--epochs", type=int, help="epochs per workload (default: its own)"
    )
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    parser.add_argument("--tag", default="", help="suffix of the result files")
    parser.add_argument("--keras-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.keras_worker:
        keras_worker(json.loads(args.keras_worker))
        return
    import torch

    import sklstm

    torch.set_num_threads(args.threads)
    kerases = {} if args.no_keras else find_keras_pythons(args)
    meta = machine_record(args.threads)
    meta.update(
        device=args.device,
        sklstm=getattr(sklstm, "__version__", "dev"),
        quick=args.quick,
        keras_pythons=kerases,
        command=" ".join([Path(sys.executable).name, *sys.argv]),
    )
    rows = []
    for name in args.only or WORKLOADS:
        spec = {k: v for k, v in WORKLOADS[name].items() if k != "quick"}
        if args.quick:
            spec.update(WORKLOADS[name]["quick"])
        if args.epochs:
            spec["epochs"] = args.epochs
        row = bench(name, spec, args, kerases)
        rows.append(row)
        ratios = ", ".join(f"{k} {v:.2f}" for k, v in row["ratio_vs_raw"].items())
        print(
            f"{name}: seconds {row['seconds']} | ratio vs raw: {ratios} | "
            f"sklstm/raw paired {row['paired_ratio_sklstm']:.3f}",
            flush=True,
        )
    finish_record(meta)
    table = markdown(rows, meta)
    print(table)
    device = args.device.replace(":", "")
    write_results(args.out, device, meta, rows, table, args.tag)


if __name__ == "__main__":
    main()
