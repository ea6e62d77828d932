"""Training glue between estimators and skorch; imports nothing from scikit-learn."""

from .callbacks import FiniteLoss, PeriodicCheckpoint, TrainingDivergedError
from .data import BatchIterator, WindowDataset, dataset_from_arrays
from .determinism import deterministic_algorithms
from .device import resolve_device
from .loop import PRECISIONS, FastNeuralNet, autocast
from .net import OPTIMIZERS, build_net
from .predict import forward_all
from .split import TailSplit

__all__ = [
    "OPTIMIZERS",
    "PRECISIONS",
    "BatchIterator",
    "FastNeuralNet",
    "FiniteLoss",
    "PeriodicCheckpoint",
    "TailSplit",
    "TrainingDivergedError",
    "WindowDataset",
    "autocast",
    "build_net",
    "dataset_from_arrays",
    "deterministic_algorithms",
    "forward_all",
    "resolve_device",
]
