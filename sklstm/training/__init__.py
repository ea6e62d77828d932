"""Training glue between estimators and skorch; imports nothing from scikit-learn."""

from .callbacks import DivergenceWarning, FiniteLoss, TrainingDivergedError
from .checkpoint import (
    CheckpointWarning,
    PeriodicCheckpoint,
    cpu_tensor,
    export_training_state,
    restore_training_state,
)
from .data import BatchIterator, WindowDataset, dataset_from_arrays
from .determinism import deterministic_algorithms
from .device import (
    candidate_devices,
    device_type,
    lease_device,
    load_device,
    resolve_device,
)
from .loop import FastNeuralNet
from .net import OPTIMIZERS, build_net, continue_net, training_callbacks
from .precision import PRECISIONS, autocast, check_precision
from .predict import forward_all
from .random_state import dropout_stream, seeded_construction, stream_state
from .run import NetSnapshot, TrainingInterrupted, run_epochs
from .schedules import LR_SCHEDULES, CosineSchedule, PlateauSchedule, make_lr_schedule
from .settings import TrainingSettings
from .split import TailSplit, check_split_size

__all__ = [
    "training_callbacks",
    "make_lr_schedule",
    "continue_net",
    "PlateauSchedule",
    "CosineSchedule",
    "LR_SCHEDULES",
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
    "check_split_size",
    "TrainingDivergedError",
    "TrainingInterrupted",
    "TrainingSettings",
    "WindowDataset",
    "autocast",
    "build_net",
    "cpu_tensor",
    "candidate_devices",
    "check_precision",
    "dataset_from_arrays",
    "deterministic_algorithms",
    "device_type",
    "dropout_stream",
    "export_training_state",
    "forward_all",
    "lease_device",
    "load_device",
    "resolve_device",
    "restore_training_state",
    "run_epochs",
    "seeded_construction",
    "stream_state",
]
