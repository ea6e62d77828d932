"""PyTorch modules behind the estimators. Nothing here imports scikit-learn."""

from .activations import ACTIVATIONS, get_activation
from .cell import ActivationLSTM
from .conv import ConvFront, TimeDistributedConvFront
from .model import SequenceNetwork
from .recurrent import LSTMStack
from .summary import NetworkSummary, layer_table

__all__ = [
    "ACTIVATIONS",
    "ActivationLSTM",
    "ConvFront",
    "LSTMStack",
    "NetworkSummary",
    "SequenceNetwork",
    "TimeDistributedConvFront",
    "get_activation",
    "layer_table",
]
