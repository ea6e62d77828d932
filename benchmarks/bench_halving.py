"""Successive halving over epochs against the full grid, on a lag-30 dependency.

The series of ``tests/test_halving.py``: white noise in, the input 30 steps
back out, so only ``dt_past >= 30`` can predict it. ``GridSearchCV`` trains
the 4 candidates ``dt_past in {5, 10, 20, 30}`` for 16 epochs each;
``HalvingGridSearchCV(resource="lstm__max_epochs")`` starts them at 4 epochs
and keeps the best ``1 / factor``. Reports each search's best ``dt_past``,
the epochs trained (per fold, summed over candidates and iterations) as a
fraction of the full grid's, and the wall time fraction.

Run from the repository root::

    python benchmarks/bench_halving.py
"""

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import describe, finish_record, machine_record, write_results  # noqa: E402

LAG, MAX_EPOCHS, GRID = 30, 16, {"window__dt_past": [5, 10, 20, 30]}


def lagged_rows(n=500):
    from sklstm import future_targets

    x = np.random.default_rng(0).normal(size=n)
    y = np.zeros(n)
    y[LAG - 1 :] = x[: n - LAG + 1]
    return future_targets(x.reshape(-1, 1), y, dt_futu=1)


def pipe():
    from sklearn.pipeline import Pipeline

    from sklstm import LSTMRegressor, SlidingWindowTransformer

    lstm = LSTMRegressor(
        architecture="bidirectional",
        n_neurons=16,
        max_epochs=MAX_EPOCHS,
        lr=2e-2,
        batch_size=32,
        device="cpu",
        random_state=0,
    )
    return Pipeline([("window", SlidingWindowTransformer()), ("lstm", lstm)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args(argv)
    import torch
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import (
        GridSearchCV,
        HalvingGridSearchCV,
        TimeSeriesSplit,
    )

    torch.set_num_threads(args.threads)
    record = machine_record(args.threads)
    record["command"] = " ".join([Path(sys.executable).name, *sys.argv])
    X_rows, Y = lagged_rows()
    cv = TimeSeriesSplit(n_splits=2, gap=1)
    full_epochs = len(GRID["window__dt_past"]) * MAX_EPOCHS
    rows = []
    # This process's one-time costs (the first optimizer imports
    # torch._dynamo, about 1 s) are paid here, not by the first timed search.
    pipe().set_params(lstm__max_epochs=1).fit(X_rows[:100], Y[:100])
    start = time.perf_counter()
    full = GridSearchCV(pipe(), GRID, cv=cv).fit(X_rows, Y)
    full_s = time.perf_counter() - start
    rows.append(
        dict(
            search="GridSearchCV",
            best_dt_past=full.best_params_["window__dt_past"],
            epochs=full_epochs,
            seconds=full_s,
        )
    )
    for factor in (2, 4):
        start = time.perf_counter()
        search = HalvingGridSearchCV(
            pipe(),
            GRID,
            cv=cv,
            resource="lstm__max_epochs",
            min_resources="exhaust",
            max_resources=MAX_EPOCHS,
            factor=factor,
        ).fit(X_rows, Y)
        seconds = time.perf_counter() - start
        epochs = int(
            sum(n * r for n, r in zip(search.n_candidates_, search.n_resources_))
        )
        rows.append(
            dict(
                search=f"HalvingGridSearchCV factor={factor}",
                best_dt_past=search.best_params_["window__dt_past"],
                epochs=epochs,
                seconds=seconds,
            )
        )
    finish_record(record)
    lines = [
        describe(record),
        "",
        "| search | best dt_past | epochs per fold | epoch fraction | seconds "
        "| time fraction |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['search']} | {row['best_dt_past']} | {row['epochs']} | "
            f"{row['epochs'] / full_epochs:.2f} | {row['seconds']:.1f} | "
            f"{row['seconds'] / full_s:.2f} |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    write_results(args.out, "halving", record, rows, table)


if __name__ == "__main__":
    main()
