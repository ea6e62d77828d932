"""PyTorch modules behind the estimators. Nothing here imports scikit-learn."""

from .activations import ACTIVATIONS, get_activation
from .cell import ActivationLSTM
from .conv import ConvFront, TimeDistributedConvFront
from .dropout import GeneratorDropout, dropout_generator, set_dropout_generator
from .init import INITIALISATIONS, initialise_, keras_init_, pytorch_init_
from .model import SequenceNetwork
from .recurrent import LSTMStack
from .summary import NetworkSummary, layer_table

__all__ = [
    "ACTIVATIONS",
    "INITIALISATIONS",
    "ActivationLSTM",
    "ConvFront",
    "GeneratorDropout",
    "LSTMStack",
    "NetworkSummary",
    "SequenceNetwork",
    "TimeDistributedConvFront",
    "dropout_generator",
    "get_activation",
    "initialise_",
    "keras_init_",
    "layer_table",
    "set_dropout_generator",
    "pytorch_init_",
]
