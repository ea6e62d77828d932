"""Activation functions an LSTM cell may use, by their Keras names."""

import torch
import torch.nn.functional as F

__all__ = ["ACTIVATIONS", "get_activation"]


def _linear(x):
    return x


ACTIVATIONS = {
    "tanh": torch.tanh,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "elu": F.elu,
    "selu": F.selu,
    "gelu": F.gelu,
    "softsign": F.softsign,
    "linear": _linear,
}


def get_activation(name):
    """Return the activation function called ``name``.

    Parameters
    ----------
    name : str
        One of the keys of :data:`ACTIVATIONS`.

    Returns
    -------
    function : callable
        An element-wise function of a tensor.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks import ACTIVATIONS, get_activation
    >>> sorted(ACTIVATIONS)
    ['elu', 'gelu', 'linear', 'relu', 'selu', 'sigmoid', 'softsign', 'tanh']
    >>> relu = get_activation("relu")
    >>> relu(torch.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    >>> get_activation("swish")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Unknown activation 'swish'; choose one of ['elu', 'gelu', ...].
    """
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"Unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}."
        ) from None
