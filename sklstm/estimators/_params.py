"""The parameters the LSTM estimators share, and what values each accepts."""

import os
from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import Hidden, Interval, StrOptions

from ..networks import ACTIVATIONS, INITIALISATIONS
from ..training import LR_SCHEDULES, OPTIMIZERS, PRECISIONS
from ._architecture import ARCHITECTURES

__all__ = ["PARAMETER_CONSTRAINTS"]

#: scikit-learn's ``_parameter_constraints`` for both estimators.
PARAMETER_CONSTRAINTS = {
    "architecture": [StrOptions(set(ARCHITECTURES))],
    "n_neurons": [Interval(Integral, 1, None, closed="left"), tuple, list],
    "activation": [StrOptions(set(ACTIVATIONS)), tuple, list],
    "bidirectional": ["boolean", Hidden(StrOptions({"deprecated"}))],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "conv_filters": [Interval(Integral, 1, None, closed="left")],
    "conv_kernel_size": [Interval(Integral, 1, None, closed="left")],
    "pool_size": [Interval(Integral, 1, None, closed="left")],
    "n_subsequences": [Interval(Integral, 1, None, closed="left")],
    "init": [StrOptions(set(INITIALISATIONS))],
    "optimizer": [StrOptions(set(OPTIMIZERS)), type],
    "lr": [Interval(Real, 0, None, closed="neither")],
    "lr_schedule": [StrOptions(set(LR_SCHEDULES)), None],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "max_epochs": [Interval(Integral, 1, None, closed="left")],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "gradient_clip": [Interval(Real, 0, None, closed="neither"), None],
    "callbacks": [list, None],
    "warm_start": ["boolean"],
    "checkpoint_dir": [str, os.PathLike, None],
    "checkpoint_every": [Interval(Integral, 1, None, closed="left")],
    "device": [str, list, tuple, torch.device],
    "deterministic": ["boolean"],
    "precision": [StrOptions(set(PRECISIONS))],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}
