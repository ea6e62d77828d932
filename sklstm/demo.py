"""The demo behind ``python -m sklstm``: the course's forecast, end to end."""

import argparse
import time

import numpy as np

from .estimators import LSTMRegressor
from .estimators._architecture import ARCHITECTURES
from .windows import sliding_windows

__all__ = ["main"]


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m sklstm",
        description="Train an LSTM forecaster and compare it with naive baselines.",
    )
    parser.add_argument("--dt-past", type=int, default=20, help="past steps per window")
    parser.add_argument("--dt-futu", type=int, default=8, help="future steps to predict")
    parser.add_argument("--epochs", type=int, default=60, help="training epochs")
    parser.add_argument("--neurons", type=int, default=64, help="LSTM units")
    parser.add_argument("--architecture", choices=ARCHITECTURES, default="vanilla")
    parser.add_argument("--device", default="auto", help="auto, cpu, cuda or cuda:N")
    parser.add_argument("--seed", type=int, default=0, help="random_state")
    return parser


def main(argv=None):
    """Run the demo; return the process exit code."""
    args = _parser().parse_args(argv)
    rng = np.random.default_rng(args.seed)
    t = np.arange(-50, 10, 0.25)
    series = np.sin(t) + 0.1 * rng.standard_normal(t.size) + np.exp((t + 20) * 0.05)
    X, Y = sliding_windows(series, dt_past=args.dt_past, dt_futu=args.dt_futu)
    cut = int(0.8 * len(X))
    reg = LSTMRegressor(
        architecture=args.architecture,
        n_neurons=args.neurons,
        max_epochs=args.epochs,
        lr=0.005,
        batch_size=32,
        device=args.device,
        random_state=args.seed,
        verbose=1,
    )
    print(reg.summary(input_shape=X.shape[1:], n_outputs=args.dt_futu))
    start = time.perf_counter()
    reg.fit(X[:cut], Y[:cut])
    seconds = time.perf_counter() - start
    mae = np.mean(np.abs(reg.predict(X[cut:]) - Y[cut:]))
    persistence = np.mean(np.abs(X[cut:, -1] - Y[cut:]))
    print(f"trained in {seconds:.1f} s on {reg.net_.device}")
    print(f"test MAE  LSTM: {mae:.4f}   persistence: {persistence:.4f}")
    return 0
