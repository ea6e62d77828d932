"""Training glue between estimators and skorch; imports nothing from scikit-learn."""

from .callbacks import FiniteLoss, TrainingDivergedError
from .checkpoint import (
    PeriodicCheckpoint,
    export_training_state,
    restore_training_state,
)
from .data import BatchIterator, WindowDataset, dataset_from_arrays
from .determinism import deterministic_algorithms
from .device import resolve_device
from .loop import PRECISIONS, FastNeuralNet, autocast
from .net import OPTIMIZERS, build_net
from .predict import forward_all
from .random_state import cuda_indices, get_rng_state, set_rng_state
from .run import NetSnapshot, TrainingInterrupted, run_epochs
from .settings import TrainingSettings
from .split import TailSplit

__all__ = [
    "OPTIMIZERS",
    "PRECISIONS",
    "BatchIterator",
    "FastNeuralNet",
    "FiniteLoss",
    "NetSnapshot",
    "PeriodicCheckpoint",
    "TailSplit",
    "TrainingDivergedError",
    "TrainingInterrupted",
    "TrainingSettings",
    "WindowDataset",
    "autocast",
    "build_net",
    "cuda_indices",
    "dataset_from_arrays",
    "export_training_state",
    "deterministic_algorithms",
    "forward_all",
    "get_rng_state",
    "resolve_device",
    "restore_training_state",
    "run_epochs",
    "set_rng_state",
]
