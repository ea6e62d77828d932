"""Weight initialisation: Keras' defaults (the course's) or PyTorch's.

Keras and PyTorch build the same layers but start them from different
weights. Keras' defaults, which the course's models were trained with:

- LSTM input kernel: Glorot (Xavier) uniform, ``U(-a, a)`` with
  ``a = sqrt(6 / (fan_in + fan_out))``;
- LSTM recurrent kernel: orthogonal. Keras draws *one* orthogonal matrix
  for the whole ``(units, 4 * units)`` recurrent kernel of a layer (all
  four gates together), so its rows are orthonormal;
- LSTM bias: zeros, except the forget gate's, which is one
  (``unit_forget_bias=True``), so the cell starts by remembering;
- Dense and Conv1D: Glorot uniform kernel, zero bias.

PyTorch's defaults draw every LSTM weight and both biases from
``U(-1/sqrt(units), 1/sqrt(units))`` (forget bias near zero), and Dense and
Conv1D from ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

PyTorch keeps the gates in the order (input, forget, cell, output), as
Keras does, stacked along the *rows* of ``weight_ih`` ``(4 * units,
n_inputs)`` and ``weight_hh`` ``(4 * units, units)``: these are the
transposes of Keras' ``kernel`` and ``recurrent_kernel``. PyTorch has two
bias vectors, ``bias_ih`` and ``bias_hh``, that add up; the Keras
initialisation puts Keras' bias in ``bias_ih`` and zeros in ``bias_hh``.

Every function takes an optional :class:`torch.Generator`, so that a caller
can draw the weights from its own random stream; without one they use
PyTorch's global stream.
"""

import math

import torch
from torch import nn

from .cell import ActivationLSTM

__all__ = ["INITIALISATIONS", "initialise_", "keras_init_", "pytorch_init_"]

#: Names accepted by :func:`initialise_`.
INITIALISATIONS = ("keras", "pytorch")

_LSTM_TYPES = (nn.LSTM, ActivationLSTM)
_DENSE_TYPES = (nn.Linear, nn.Conv1d)


def _lstm_parameters(module):
    """Yield ``(kind, hidden_size, parameter)`` of an LSTM layer's tensors."""
    for name, parameter in module.named_parameters(recurse=False):
        kind = name.split("_l")[0]  # weight_ih, weight_hh, bias_ih, bias_hh
        yield kind, module.hidden_size, parameter


@torch.no_grad()
def keras_init_(module, generator=None):
    """Initialise every LSTM, Conv1D and Dense layer of ``module`` as Keras does.

    In place: input kernels Glorot uniform, recurrent kernels orthogonal (one
    matrix per layer and direction), LSTM biases zero with the forget gate's
    at one in ``bias_ih`` and ``bias_hh`` all zero; Conv1D and Dense kernels
    Glorot uniform with zero biases.

    Parameters
    ----------
    module : torch.nn.Module
        The network; its :class:`torch.nn.LSTM`,
        :class:`~sklstm.networks.ActivationLSTM`, :class:`torch.nn.Linear`
        and :class:`torch.nn.Conv1d` submodules are initialised, in the
        order of ``module.modules()``.
    generator : torch.Generator, default=None
        Random stream to draw from; PyTorch's global one when None.

    Returns
    -------
    module : torch.nn.Module
        The same module.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks.init import keras_init_
    >>> lstm = keras_init_(torch.nn.LSTM(3, 4), torch.Generator().manual_seed(0))
    >>> lstm.bias_ih_l0.detach().view(4, 4)[:, 0]  # one value per gate: i, f, g, o
    tensor([0., 1., 0., 0.])
    >>> float(lstm.bias_hh_l0.detach().abs().sum())
    0.0
    >>> w = lstm.weight_hh_l0  # (16, 4): orthonormal columns
    >>> torch.allclose(w.T @ w, torch.eye(4), atol=1e-6)
    True
    """
    for layer in module.modules():
        if isinstance(layer, _LSTM_TYPES):
            for kind, hidden, parameter in _lstm_parameters(layer):
                if kind == "weight_ih":
                    nn.init.xavier_uniform_(parameter, generator=generator)
                elif kind == "weight_hh":
                    nn.init.orthogonal_(parameter, generator=generator)
                else:
                    parameter.zero_()
                    if kind == "bias_ih":
                        parameter[hidden : 2 * hidden] = 1.0  # the forget gate
        elif isinstance(layer, _DENSE_TYPES):
            nn.init.xavier_uniform_(layer.weight, generator=generator)
            if layer.bias is not None:
                layer.bias.zero_()
    return module


@torch.no_grad()
def pytorch_init_(module, generator=None):
    """Initialise every LSTM, Conv1D and Dense layer as PyTorch's defaults do.

    The distributions of ``reset_parameters`` of :class:`torch.nn.LSTM`,
    :class:`torch.nn.Linear` and :class:`torch.nn.Conv1d`, drawn from
    ``generator``: LSTM weights and biases ``U(-1/sqrt(units),
    1/sqrt(units))``; Dense and Conv1D weights Kaiming uniform with
    ``a=sqrt(5)`` and biases ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``.

    Parameters
    ----------
    module : torch.nn.Module
        The network.
    generator : torch.Generator, default=None
        Random stream to draw from; PyTorch's global one when None.

    Returns
    -------
    module : torch.nn.Module
        The same module.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks.init import pytorch_init_
    >>> lstm = pytorch_init_(torch.nn.LSTM(3, 4), torch.Generator().manual_seed(0))
    >>> bool(lstm.bias_hh_l0.abs().max() <= 0.5)  # 1 / sqrt(4)
    True
    """
    for layer in module.modules():
        if isinstance(layer, _LSTM_TYPES):
            for _, hidden, parameter in _lstm_parameters(layer):
                bound = 1.0 / math.sqrt(hidden)
                nn.init.uniform_(parameter, -bound, bound, generator=generator)
        elif isinstance(layer, _DENSE_TYPES):
            nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
            if layer.bias is not None:
                fan_in = layer.weight[0].numel()
                bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
                nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return module


def initialise_(module, scheme="keras", generator=None):
    """Initialise ``module`` in place with ``scheme``.

    Parameters
    ----------
    module : torch.nn.Module
        The network.
    scheme : {"keras", "pytorch"}, default="keras"
        :func:`keras_init_` or :func:`pytorch_init_`.
    generator : torch.Generator, default=None
        Random stream to draw from; PyTorch's global one when None.

    Returns
    -------
    module : torch.nn.Module
        The same module.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks.init import initialise_
    >>> dense = initialise_(torch.nn.Linear(3, 2), "keras")
    >>> dense.bias
    Parameter containing:
    tensor([0., 0.], requires_grad=True)
    >>> initialise_(dense, "lecun")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Unknown initialisation 'lecun'; use one of ('keras', 'pytorch').
    """
    if scheme == "keras":
        return keras_init_(module, generator)
    if scheme == "pytorch":
        return pytorch_init_(module, generator)
    raise ValueError(
        f"Unknown initialisation {scheme!r}; use one of {INITIALISATIONS}."
    )
