"""The demo behind ``python -m sklstm``: forecast Beijing's PM2.5 with an LSTM.

Trains a multivariate forecaster on the shipped Beijing PM2.5 data (PM2.5,
weather and one-hot wind direction in, the next ``dt_futu`` hours of PM2.5
out), compares its test error with persistence, seasonal-naive and a ridge
autoregression (:mod:`sklstm.baselines`), and writes a
forecast plot and the loss curves as PNG files.

Everything is a scikit-learn pipeline::

    TransformedTargetRegressor(                  # scales PM2.5 targets to [0, 1]
        Pipeline([MinMaxScaler(),                # inputs to [0, 1]
                  SlidingWindowTransformer(),    # one window per hour
                  LSTMRegressor()]),
        transformer=MinMaxScaler())

so every scaler is fit on the training hours only.
"""

import argparse
import time
from pathlib import Path

import numpy as np

from ._demo_report import mae_table, verdict
from .estimators import LSTMRegressor
from .estimators._architecture import ARCHITECTURES
from .transformers import SlidingWindowTransformer
from .windows import future_targets

__all__ = ["main"]

TARGET = "pm2.5"
UNITS = "µg/m³"
#: The seasonal-naive forecast repeats the value one day earlier.
SEASON = 24
#: Hours of data used by default (the last two years), and with --fast.
DEFAULT_HOURS = 2 * 365 * 24
FAST_HOURS = 40 * 24
#: Hours of test data shown in the forecast plot.
PLOT_HOURS = 14 * 24


def _positive_int(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m sklstm",
        description=(
            "Forecast the next hours of PM2.5 in Beijing (UCI data shipped with "
            "sklstm) with an LSTM, and compare its test MAE with persistence, "
            "seasonal-naive and a ridge autoregression. Writes forecast.png and "
            "loss.png."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--dt-past",
        type=_positive_int,
        default=24,
        help="hours of history in each input window",
    )
    parser.add_argument(
        "--dt-futu",
        type=_positive_int,
        default=6,
        help="hours ahead to forecast (the horizon)",
    )
    parser.add_argument(
        "--epochs",
        type=_positive_int,
        default=20,
        help="maximum training epochs (early stopping may stop sooner)",
    )
    parser.add_argument(
        "--neurons", type=_positive_int, default=32, help="LSTM units per layer"
    )
    parser.add_argument(
        "--architecture",
        choices=ARCHITECTURES,
        default="vanilla",
        help="network architecture (see LSTMRegressor)",
    )
    parser.add_argument(
        "--hours",
        type=_positive_int,
        default=None,
        help=(
            f"use only the last HOURS hours of data; default {DEFAULT_HOURS} "
            f"(two years), {FAST_HOURS} with --fast"
        ),
    )
    parser.add_argument(
        "--device", default="auto", help="torch device: auto, cpu, cuda or cuda:N"
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path("sklstm_output"),
        help="folder for the PNG files (created if missing)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="random_state of the LSTM (repeatable)"
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="tiny settings (few hours, 2 epochs, 8 units) for a smoke test",
    )
    return parser


def _model(args):
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler

    lstm = LSTMRegressor(
        architecture=args.architecture,
        n_neurons=args.neurons,
        conv_kernel_size=3,
        loss="mae",
        lr=3e-3,
        batch_size=64,
        max_epochs=args.epochs,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=4,
        device=args.device,
        random_state=args.seed,
        verbose=1,
    )
    pipe = Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=args.dt_past)),
            ("lstm", lstm),
        ]
    )
    return TransformedTargetRegressor(regressor=pipe, transformer=MinMaxScaler())


def _baselines(dt_past, target_column):
    """The yardsticks, as pipelines that take the demo's rows.

    Persistence repeats the last observed hour, seasonal-naive the same hour
    one day earlier, and the ridge autoregression is a linear model of the
    same window of scaled inputs as the LSTM.
    """
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler

    from .baselines import (
        LinearAutoRegressor,
        PersistenceRegressor,
        SeasonalNaiveRegressor,
    )

    return {
        "persistence": Pipeline(
            [
                ("window", SlidingWindowTransformer(dt_past=1)),
                ("naive", PersistenceRegressor(target_channels=target_column)),
            ]
        ),
        f"seasonal naive ({SEASON} h)": Pipeline(
            [
                ("window", SlidingWindowTransformer(dt_past=SEASON)),
                (
                    "naive",
                    SeasonalNaiveRegressor(
                        season=SEASON, target_channels=target_column
                    ),
                ),
            ]
        ),
        "ridge AR": Pipeline(
            [
                ("scale", MinMaxScaler()),
                ("window", SlidingWindowTransformer(dt_past=dt_past)),
                ("ridge", LinearAutoRegressor()),
            ]
        ),
    }


def _plot(args, times, Y_test, Y_pred, lstm, output_dir):
    """Write forecast.png and loss.png; return their paths."""
    # A bare Figure (no pyplot) draws straight to a file under any backend.
    from matplotlib.figure import Figure

    from .plotting import plot_forecast, plot_history

    output_dir.mkdir(parents=True, exist_ok=True)
    shown = slice(0, min(PLOT_HOURS, len(Y_test)))
    steps = sorted({1, args.dt_futu})
    fig = Figure(figsize=(11, 3.4 * len(steps)), layout="constrained")
    axes = fig.subplots(len(steps), 1, sharex=True, squeeze=False)[:, 0]
    for ax, h in zip(axes, steps):
        plot_forecast(
            Y_test[shown], Y_pred[shown], ax=ax, index=times[shown], horizon_step=h
        )
        ax.set_ylabel(f"PM2.5 ({UNITS})")
        ax.set_xlabel("")
        ax.set_title(
            f"{h} hour{'s' if h > 1 else ''} ahead: LSTM forecast vs measured PM2.5"
        )
        ax.legend(["measured", "LSTM forecast"], loc="upper left")
    axes[-1].set_xlabel("date (test period, hourly)")
    fig.suptitle(f"Beijing PM2.5, first {shown.stop // 24} days of the test period")
    for label in axes[-1].get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    forecast_path = output_dir / "forecast.png"
    fig.savefig(forecast_path, dpi=100)

    fig = Figure(figsize=(7, 4), layout="constrained")
    ax = plot_history(lstm, ax=fig.subplots())
    ax.set_ylabel("MAE loss (PM2.5 scaled to [0, 1])")
    ax.set_title("LSTM training: loss per epoch")
    loss_path = output_dir / "loss.png"
    fig.savefig(loss_path, dpi=100)
    return forecast_path, loss_path


def main(argv=None):
    """Run the demo; return the process exit code.

    Parameters
    ----------
    argv : list of str, default=None
        Command-line arguments (``sys.argv[1:]`` when None); ``--help``
        lists them.

    Returns
    -------
    code : int
        0 on success.
    """
    from .datasets import load_beijing_pm25

    args = _parser().parse_args(None if argv is None else [str(a) for a in argv])
    if args.fast:
        args.epochs = min(args.epochs, 2)
        args.neurons = min(args.neurons, 8)
    hours = args.hours or (FAST_HOURS if args.fast else DEFAULT_HOURS)

    frame = load_beijing_pm25().iloc[-hours:]
    target = frame[TARGET].to_numpy(dtype=float)
    X_rows, Y = future_targets(
        frame.to_numpy(dtype=float), target, dt_futu=args.dt_futu
    )
    n_rows = len(X_rows)
    cut = int(0.8 * n_rows)
    # Training targets reach dt_futu hours past their row: stop dt_futu rows
    # before the test period so that no training target lies inside it.
    train_end = cut - args.dt_futu
    if train_end < args.dt_past + 10 or n_rows - cut < 1:
        raise SystemExit(
            f"--hours={hours} is too short for --dt-past={args.dt_past} and "
            f"--dt-futu={args.dt_futu}; use more hours."
        )
    print(
        f"Beijing PM2.5, {frame.index[0]:%Y-%m-%d} to {frame.index[-1]:%Y-%m-%d}: "
        f"{len(frame)} hours, {frame.shape[1]} inputs per hour "
        f"({', '.join(frame.columns)}).\n"
        f"Forecast the next {args.dt_futu} hours of {TARGET} from the last "
        f"{args.dt_past}; train on {train_end} hours, test on the last "
        f"{n_rows - cut}.\n"
    )

    model = _model(args)
    lstm = model.regressor.named_steps["lstm"]
    print(
        lstm.summary(input_shape=(args.dt_past, frame.shape[1]), n_outputs=args.dt_futu)
    )
    print()
    start = time.perf_counter()
    model.fit(X_rows[:train_end], Y[:train_end])
    seconds = time.perf_counter() - start
    lstm = model.regressor_.named_steps["lstm"]
    print(
        f"\nTrained {len(lstm.history_)} epochs in {seconds:.1f} s on "
        f"{lstm.net_.device}.\n"
    )

    # Test windows may reach back into the training hours (the past is
    # known); predict from there and keep the rows of the test period.
    first = max(cut - max(args.dt_past, SEASON) + 1, 0)
    Y_pred = model.predict(X_rows[first:])[cut - first :]
    Y_test = Y[cut:]
    forecasts = {"LSTM": Y_pred}
    for name, baseline in _baselines(
        args.dt_past, frame.columns.get_loc(TARGET)
    ).items():
        baseline.fit(X_rows[:train_end], Y[:train_end])
        forecasts[name] = baseline.predict(X_rows[first:])[cut - first :]
    table, errors = mae_table(Y_test, forecasts, UNITS)
    print(table)
    print(f"\n{verdict(errors)}\n")
    origins = np.arange(cut, n_rows)

    # Row t's first future hour is t + 1.
    times = frame.index[origins + 1]
    try:
        paths = _plot(args, times, Y_test, Y_pred, lstm, args.output_dir)
    except ImportError:
        print("No plots: matplotlib is missing (pip install sklstm[plotting]).")
    else:
        print(f"Forecast plot: {paths[0]}")
        print(f"Loss curves:   {paths[1]}")
    return 0
