"""Why an LSTM loses to a ridge autoregression on a short yearly series.

The yearly sunspot numbers (309 years, 1700-2008) forecast 3 years ahead from
the last 22: the first 80 % of the rows train (the last 3 of them dropped,
so that no training target lies in the test period), the last 62 rows test.
Each LSTM setting is fitted with seeds 0, 1 and 2; the script prints the test
MAE of each seed next to persistence and a ridge autoregression on the same
22 lags (:class:`~sklstm.LinearAutoRegressor`).

sklstm ships no copy of this series and downloads nothing. statsmodels ships
it; export it once to a CSV file from an environment that has statsmodels::

    python -c "import statsmodels.api as sm; sm.datasets.sunspots.load_pandas()\\
        .data.to_csv('sunspots.csv', index=False)"

then run, from the repository root::

    python benchmarks/sunspots_lstm_vs_ar.py sunspots.csv            # all settings
    python benchmarks/sunspots_lstm_vs_ar.py sunspots.csv --only defaults
"""

import argparse
import time

import numpy as np
import pandas as pd
import torch
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    ChangeFromLastRegressor,
    LinearAutoRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    SlidingWindowTransformer,
    future_targets,
)

DT_PAST, DT_FUTU = 22, 3


def scaled_x(lstm):
    """Inputs min-max scaled, targets in sunspot numbers."""
    return Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(DT_PAST)),
            ("lstm", lstm),
        ]
    )


def scaled_x_and_y(lstm):
    """Inputs and targets min-max scaled on the training rows."""
    return TransformedTargetRegressor(scaled_x(lstm), transformer=MinMaxScaler())


def change(lstm):
    """The LSTM learns changes from the last year (ChangeFromLastRegressor)."""
    return Pipeline(
        [
            ("window", SlidingWindowTransformer(DT_PAST)),
            ("lstm", ChangeFromLastRegressor(lstm)),
        ]
    )


LONG = {"max_epochs": 300, "batch_size": 32}
EARLY = {"early_stopping": True, "n_iter_no_change": 20}
SETTINGS = {
    "raw-y": (scaled_x, {}),
    "defaults": (scaled_x_and_y, {}),
    # Version 0.1's defaults: PyTorch's initial weights, a constant rate.
    "0.1-defaults": (scaled_x_and_y, {"init": "pytorch", "lr_schedule": None}),
    "long": (scaled_x_and_y, LONG),
    "long-early-stopping": (scaled_x_and_y, {**LONG, **EARLY}),
    "long-20-units": (scaled_x_and_y, {**LONG, "n_neurons": 20}),
    "change": (change, {}),
    "change-long": (change, LONG),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="CSV file with a SUNACTIVITY column")
    parser.add_argument("--only", nargs="*", choices=SETTINGS, default=list(SETTINGS))
    args = parser.parse_args()
    torch.set_num_threads(1)

    y = pd.read_csv(args.csv)["SUNACTIVITY"].to_numpy(float)
    X_rows, Y = future_targets(y, dt_futu=DT_FUTU)
    cut = int(0.8 * len(X_rows))
    train_end = cut - DT_FUTU
    first = cut - DT_PAST + 1  # test windows look back into the training years

    def test_mae(model):
        model.fit(X_rows[:train_end], Y[:train_end])
        pred = model.predict(X_rows[first:])[cut - first :]
        return np.abs(pred - Y[cut:]).mean()

    print(f"{len(y)} years; train on {train_end} rows, test on {len(Y) - cut}")
    persistence = Pipeline(
        [("window", SlidingWindowTransformer(1)), ("m", PersistenceRegressor())]
    )
    ridge = Pipeline(
        [("window", SlidingWindowTransformer(DT_PAST)), ("m", LinearAutoRegressor())]
    )
    print(f"{'persistence':22s} test MAE {test_mae(persistence):.1f}")
    print(f"{'ridge AR (22 lags)':22s} test MAE {test_mae(ridge):.1f}")
    for name in args.only:
        build, params = SETTINGS[name]
        start = time.perf_counter()
        maes = [
            test_mae(build(LSTMRegressor(device="cpu", random_state=s, **params)))
            for s in range(3)
        ]
        print(
            f"{name:22s} test MAE seeds 0-2: "
            + " ".join(f"{m:.1f}" for m in maes)
            + f"  median {np.median(maes):.1f}  ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
