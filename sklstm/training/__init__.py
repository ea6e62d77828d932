"""Training glue between estimators and skorch; imports nothing from scikit-learn."""

from .data import BatchIterator, WindowDataset, dataset_from_arrays
from .device import resolve_device
from .net import OPTIMIZERS, build_net
from .predict import forward_all
from .split import TailSplit

__all__ = [
    "OPTIMIZERS",
    "BatchIterator",
    "TailSplit",
    "WindowDataset",
    "build_net",
    "dataset_from_arrays",
    "forward_all",
    "resolve_device",
]
