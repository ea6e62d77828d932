"""An LSTM layer whose cell activation is not tanh (Keras ``activation=``)."""

import math

import torch
from torch import nn

from .activations import get_activation

__all__ = ["ActivationLSTM"]


class ActivationLSTM(nn.Module):
    """One LSTM layer with a chosen cell activation, as Keras defines it.

    Keras' ``LSTM(activation=a)`` applies ``a`` to the candidate cell state and
    to the cell state on the way out, while the gates keep the sigmoid::

        i, f, o = sigmoid(...), sigmoid(...), sigmoid(...)
        c_t = f * c_{t-1} + i * a(W_g x_t + U_g h_{t-1} + b_g)
        h_t = o * a(c_t)

    With ``a = tanh`` this is :class:`torch.nn.LSTM`, which is faster (fused,
    cuDNN on GPU) and is used instead; this layer runs the other activations
    step by step. Its parameters have the names, shapes, gate order (input,
    forget, cell, output) and initialisation of :class:`torch.nn.LSTM`.

    Parameters
    ----------
    input_size : int
        Features per time step.
    hidden_size : int
        Units of the layer.
    activation : str
        Cell activation, e.g. ``"relu"``.
    bidirectional : bool, default=False
        Also run the sequence backwards and concatenate both directions.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks import ActivationLSTM
    >>> layer = ActivationLSTM(input_size=3, hidden_size=4, activation="relu")
    >>> layer
    ActivationLSTM(3, 4, activation='relu', bidirectional=False)
    >>> output, last = layer(torch.zeros(2, 5, 3))
    >>> output.shape, last.shape
    (torch.Size([2, 5, 4]), torch.Size([2, 4]))

    Parameter names and counts are those of :class:`torch.nn.LSTM`:

    >>> sum(p.numel() for p in layer.parameters())
    144
    >>> names = [name for name, _ in layer.named_parameters()]
    >>> names == [name for name, _ in torch.nn.LSTM(3, 4).named_parameters()]
    True

    Bidirectional, with the first two steps of the second sequence padded:

    >>> both = ActivationLSTM(3, 4, "relu", bidirectional=True)
    >>> mask = torch.tensor([[True] * 5, [False, False, True, True, True]])
    >>> output, last = both(torch.ones(2, 5, 3), mask)
    >>> output.shape, last.shape
    (torch.Size([2, 5, 8]), torch.Size([2, 8]))
    >>> bool((output[1, :2] == 0).all())  # zeros on padded steps
    True
    """

    def __init__(self, input_size, hidden_size, activation, bidirectional=False):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.activation = activation
        self.bidirectional = bidirectional
        self._act = get_activation(activation)
        self._suffixes = ["", "_reverse"] if bidirectional else [""]
        for suffix in self._suffixes:
            self.register_parameter(
                f"weight_ih_l0{suffix}",
                nn.Parameter(torch.empty(4 * hidden_size, input_size)),
            )
            self.register_parameter(
                f"weight_hh_l0{suffix}",
                nn.Parameter(torch.empty(4 * hidden_size, hidden_size)),
            )
            self.register_parameter(
                f"bias_ih_l0{suffix}", nn.Parameter(torch.empty(4 * hidden_size))
            )
            self.register_parameter(
                f"bias_hh_l0{suffix}", nn.Parameter(torch.empty(4 * hidden_size))
            )
        self.reset_parameters()

    def reset_parameters(self):
        """Initialise as :class:`torch.nn.LSTM` does: U(-1/sqrt(H), 1/sqrt(H))."""
        bound = 1.0 / math.sqrt(self.hidden_size)
        for weight in self.parameters():
            nn.init.uniform_(weight, -bound, bound)

    def _run_direction(self, x, mask, suffix):
        weight_ih = getattr(self, f"weight_ih_l0{suffix}")
        weight_hh = getattr(self, f"weight_hh_l0{suffix}")
        bias = getattr(self, f"bias_ih_l0{suffix}") + getattr(
            self, f"bias_hh_l0{suffix}"
        )
        batch, n_steps, _ = x.shape
        # One matmul for the input part of every step; only h @ W_hh is sequential.
        projected = torch.matmul(x, weight_ih.t()) + bias
        h = x.new_zeros(batch, self.hidden_size)
        c = x.new_zeros(batch, self.hidden_size)
        outputs = [None] * n_steps
        steps = range(n_steps - 1, -1, -1) if suffix else range(n_steps)
        for t in steps:
            gates = projected[:, t] + torch.matmul(h, weight_hh.t())
            i, f, g, o = gates.chunk(4, dim=1)
            c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * self._act(g)
            h_new = torch.sigmoid(o) * self._act(c_new)
            if mask is None:
                h, c = h_new, c_new
                outputs[t] = h
            else:
                # Padding leaves the state untouched, as if the step were absent.
                valid = mask[:, t].unsqueeze(1)
                h = torch.where(valid, h_new, h)
                c = torch.where(valid, c_new, c)
                outputs[t] = torch.where(valid, h_new, torch.zeros_like(h_new))
        return torch.stack(outputs, dim=1), h

    def forward(self, x, mask=None):
        """Run the layer.

        Parameters
        ----------
        x : Tensor of shape (batch, steps, input_size)
        mask : Tensor of shape (batch, steps), dtype bool, default=None
            False on padded steps, which leave the state unchanged.

        Returns
        -------
        output : Tensor of shape (batch, steps, directions * hidden_size)
            Hidden state at every step (zeros on padded steps).
        last : Tensor of shape (batch, directions * hidden_size)
            Final hidden state of each direction, concatenated.
        """
        results = [self._run_direction(x, mask, suffix) for suffix in self._suffixes]
        output = torch.cat([out for out, _ in results], dim=2)
        last = torch.cat([h for _, h in results], dim=1)
        return output, last

    def extra_repr(self):
        return (
            f"{self.input_size}, {self.hidden_size}, activation={self.activation!r}, "
            f"bidirectional={self.bidirectional}"
        )
