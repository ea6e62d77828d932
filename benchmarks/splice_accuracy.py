"""Test accuracy of LSTM classifiers on the splice-junction DNA data.

The course's one-hot ``LSTM(64) -> Dense(3)`` reached about 0.80 test accuracy
on this data (stratified 80/20 split); convolutional models are known to reach
about 0.95. This script fits several :class:`~sklstm.LSTMClassifier`
architectures on the same split and prints each one's test accuracy and
training time.

Run from the repository root::

    python benchmarks/splice_accuracy.py                 # all models
    python benchmarks/splice_accuracy.py --only cnn-lstm-td
    python benchmarks/splice_accuracy.py --only cnn-lstm-td --seed 1
    python benchmarks/splice_accuracy.py --fast          # a smoke test
    python benchmarks/splice_accuracy.py --only defaults --splits 0 1 2
    python benchmarks/splice_accuracy.py --only defaults --set lr_schedule=cosine

``--splits`` fits each model on several stratified 80/20 splits
(``train_test_split(random_state=s)``) and prints each split's accuracy and
the mean; ``--set name=value`` overrides an estimator parameter (the value
is read as a Python literal when it is one).

The rows of ``load_splice`` are sorted by class and early stopping validates
on the *last* rows it is given, so the training set is shuffled (with a fixed
seed) before fitting.
"""

import argparse
import ast
import time

import numpy as np
import torch
from sklearn.model_selection import train_test_split

from sklstm import LSTMClassifier
from sklstm.datasets import load_splice

#: Early stopping on the last 10% of the (shuffled) training rows.
_EARLY = {"early_stopping": True, "validation_fraction": 0.1, "n_iter_no_change": 8}

MODELS = {
    # LSTMClassifier(architecture="cnn-lstm") with every other setting at its
    # default: what a new user gets.
    "defaults": {"architecture": "cnn-lstm"},
    # The course's classifier: one-hot -> LSTM(64) -> Dense(3).
    "course-lstm": {"architecture": "vanilla", "n_neurons": 64, "max_epochs": 40},
    "bilstm": {
        "architecture": "bidirectional",
        "n_neurons": 64,
        "dropout": 0.3,
        "lr": 3e-3,
        "batch_size": 64,
        "max_epochs": 40,
        **_EARLY,
    },
    # The course's CNN-LSTM: Conv1D(64, 3) -> MaxPool(2) -> LSTM(100).
    "course-cnn-lstm": {
        "architecture": "cnn-lstm",
        "n_neurons": 100,
        "max_epochs": 40,
        **_EARLY,
    },
    # The course's CNN-LSTM with a bidirectional LSTM, a fixed 40 epochs (no
    # early stopping: the 255 validation rows are too few to pick an epoch).
    "cnn-bilstm": {
        "architecture": "cnn-lstm",
        "n_neurons": 100,
        "bidirectional": True,
        "batch_size": 32,
        "max_epochs": 40,
    },
    # The TimeDistributed CNN-LSTM: 6 subsequences of 10 bases, each through
    # Conv1D(64, 3) -> MaxPool(2) -> Flatten, so the features keep the
    # position of a motif within its subsequence; LSTM(100) over the 6.
    "cnn-lstm-td": {
        "architecture": "cnn-lstm-td",
        "n_subsequences": 6,
        "n_neurons": 100,
        "dropout": 0.3,
        "batch_size": 32,
        "max_epochs": 30,
    },
}

#: Tiny settings for --fast: one short epoch per model.
FAST = {"max_epochs": 1, "n_neurons": 8, "conv_filters": 8, "early_stopping": False}


def _split(random_state=0):
    X, y = load_splice(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=random_state
    )
    # Rows are sorted by class; early stopping validates on the last rows.
    order = np.random.default_rng(random_state).permutation(len(X_train))
    return X_train[order], X_test, y_train[order], y_test


def _parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        choices=sorted(MODELS),
        action="append",
        help="run only this model (repeat for several); all by default",
    )
    parser.add_argument(
        "--fast", action="store_true", help="tiny models, one epoch (smoke test)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random_state")
    parser.add_argument(
        "--splits",
        type=int,
        nargs="+",
        default=[0],
        help="random_state of each train/test split (default: 0)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override an estimator parameter (repeatable)",
    )
    parser.add_argument(
        "--threads", type=int, default=2, help="torch CPU threads (default 2)"
    )
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    return parser


def _overrides(pairs):
    params = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            params[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            params[name] = value
    return params


def main(argv=None):
    args = _parser().parse_args(argv)
    torch.set_num_threads(args.threads)
    splits = {s: _split(s) for s in args.splits}
    X_train, X_test, y_train, _ = splits[args.splits[0]]
    print(
        f"splice: {len(X_train)} training and {len(X_test)} test sequences of "
        f"{X_train.shape[1]} bases, classes {sorted(set(y_train))}; "
        f"splits {args.splits}, random_state={args.seed}, "
        f"{torch.get_num_threads()} threads\n"
    )
    print(
        f"{'model':<18}{'split':>6}{'test accuracy':>14}{'epochs':>8}"
        f"{'fit time (s)':>14}"
    )
    for name in args.only or MODELS:
        params = dict(MODELS[name])
        if args.fast:
            params.update(FAST)
        params.update(_overrides(args.set))
        scores = []
        for split, (X_train, X_test, y_train, y_test) in splits.items():
            clf = LSTMClassifier(random_state=args.seed, device=args.device, **params)
            start = time.perf_counter()
            clf.fit(X_train, y_train)
            seconds = time.perf_counter() - start
            scores.append(clf.score(X_test, y_test))
            print(
                f"{name:<18}{split:>6d}{scores[-1]:>14.4f}{len(clf.history_):>8d}"
                f"{seconds:>14.1f}",
                flush=True,
            )
        if len(scores) > 1:
            print(
                f"{name:<18}{'mean':>6}{np.mean(scores):>14.4f}   "
                f"(min {min(scores):.4f}, max {max(scores):.4f})",
                flush=True,
            )
        print(f"    {params}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
