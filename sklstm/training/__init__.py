"""Training glue between estimators and skorch; imports nothing from scikit-learn."""

from .callbacks import DivergenceWarning, FiniteLoss, TrainingDivergedError
from .checkpoint import (
    CheckpointWarning,
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
from .random_state import dropout_stream, seeded_construction, stream_state
from .run import NetSnapshot, TrainingInterrupted, run_epochs
from .settings import TrainingSettings
from .split import TailSplit

__all__ = [
    "OPTIMIZERS",
    "PRECISIONS",
    "BatchIterator",
    "CheckpointWarning",
    "DivergenceWarning",
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
    "dataset_from_arrays",
    "dropout_stream",
    "export_training_state",
    "deterministic_algorithms",
    "forward_all",
    "resolve_device",
    "restore_training_state",
    "run_epochs",
    "seeded_construction",
    "stream_state",
]
