"""Coverage of ConformalForecaster's 90% intervals on Beijing PM2.5's test period.

Uses the demo's data and split (``python -m sklstm``): the last two years,
one row per hour (PM2.5, weather and wind in; the next ``dt_futu`` hours of
PM2.5 out), the first 80% of the rows for training (ending ``dt_futu`` rows
early, so no training target reaches the test period) and the last 20% for
testing. The forecaster is the demo's pipeline; ``ConformalForecaster`` trains
it on the earlier training rows and calibrates on the latest
``--calibration`` share of them. Printed per horizon step: the share of test
values inside the interval, with the calibration frozen after ``fit``
("static") and with ``update`` adding each day's errors once its targets are
observed ("rolling", the calibration set then being the latest
``max_calibration`` rows).

    PYTHONPATH=. python benchmarks/forecast_coverage.py [--fast]
"""

import argparse
import os
import platform
import time

import numpy as np
import torch
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from sklstm import (
    ConformalForecaster,
    LSTMRegressor,
    SlidingWindowTransformer,
    future_targets,
)
from sklstm.datasets import load_beijing_pm25


def make_model(dt_past, neurons, epochs, seed):
    """The demo's forecaster: scaled inputs and targets, windows, an LSTM."""
    lstm = LSTMRegressor(
        n_neurons=neurons,
        loss="mae",
        lr=3e-3,
        batch_size=64,
        max_epochs=epochs,
        early_stopping=True,
        n_iter_no_change=4,
        device="cpu",
        random_state=seed,
    )
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=dt_past)),
            ("lstm", lstm),
        ]
    )
    return TransformedTargetRegressor(regressor=pipe, transformer=MinMaxScaler())


def coverage(model, X_rows, Y, cut, dt_past, dt_futu, step=24):
    """Return (static, rolling) coverage per horizon step on rows ``cut:``.

    Rolling: before forecasting the ``step`` rows from origin ``s``, the
    errors of all origins up to ``s - dt_futu`` (targets fully observed by
    ``s``) have been added with ``update``.
    """
    first = cut - dt_past + 1
    _, lower, upper = model.predict_interval(X_rows[first:])
    truth = Y[cut:]
    static = ((lower[cut - first :] <= truth) & (truth <= upper[cut - first :])).mean(0)
    inside, done = [], cut
    for start in range(cut, len(Y), step):
        known = start - dt_futu + 1  # origins < known have observed targets
        if known > done:
            model.update(X_rows[done - dt_past + 1 : known], Y[done:known])
            done = known
        stop = min(start + step, len(Y))
        _, low, up = model.predict_interval(X_rows[start - dt_past + 1 : stop])
        low, up = low[dt_past - 1 :], up[dt_past - 1 :]
        inside.append((low <= Y[start:stop]) & (Y[start:stop] <= up))
    return static, np.concatenate(inside).mean(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=2 * 365 * 24)
    parser.add_argument("--dt-past", type=int, default=24)
    parser.add_argument("--dt-futu", type=int, default=6)
    parser.add_argument("--neurons", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--calibration", type=float, default=0.2)
    parser.add_argument("--score", default="relative", choices=["absolute", "relative"])
    parser.add_argument("--max-calibration", type=int, default=None)
    parser.add_argument("--adaptation-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fast", action="store_true", help="tiny smoke-test settings")
    args = parser.parse_args(argv)
    if args.fast:
        args.hours, args.epochs, args.neurons = 60 * 24, 2, 8
    torch.set_num_threads(int(os.environ.get("SKLSTM_THREADS", "1")))

    frame = load_beijing_pm25().iloc[-args.hours :]
    target = frame["pm2.5"].to_numpy(dtype=float)
    X_rows, Y = future_targets(
        frame.to_numpy(dtype=float), target, dt_futu=args.dt_futu
    )
    cut = int(0.8 * len(X_rows))
    train_end = cut - args.dt_futu
    model = ConformalForecaster(
        make_model(args.dt_past, args.neurons, args.epochs, args.seed),
        confidence_level=0.9,
        calibration_fraction=args.calibration,
        conformity_score=args.score,
        max_calibration=args.max_calibration,
        adaptation_rate=args.adaptation_rate,
    )
    start = time.perf_counter()
    model.fit(X_rows[:train_end], Y[:train_end])
    seconds = time.perf_counter() - start
    static, rolling = coverage(model, X_rows, Y, cut, args.dt_past, args.dt_futu)
    print(
        f"Beijing PM2.5 {frame.index[0]:%Y-%m-%d}..{frame.index[-1]:%Y-%m-%d}, "
        f"train {train_end} rows (calibration: last {len(model.scores_)} of "
        f"them at fit), test {len(Y) - cut} rows from {frame.index[cut]:%Y-%m-%d}; "
        f"score={args.score}, rolling: max_calibration={args.max_calibration}, "
        f"adaptation_rate={args.adaptation_rate}; dt_past={args.dt_past}, "
        f"dt_futu={args.dt_futu}, fitted in {seconds:.0f} s "
        f"({platform.processor() or platform.machine()}, "
        f"{torch.get_num_threads()} torch thread(s))"
    )
    print("nominal 90% interval, share of test values inside:")
    print("hours ahead   static   rolling")
    for h in range(args.dt_futu):
        print(f"{h + 1:>11d}   {static[h]:6.3f}   {rolling[h]:7.3f}")
    return static, rolling


if __name__ == "__main__":
    main()
