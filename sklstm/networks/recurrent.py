"""A stack of LSTM layers that skips left padding."""

import torch
from torch import nn

from .cell import ActivationLSTM
from .dropout import GeneratorDropout
from .masking import PaddedBatch, gather_steps

__all__ = ["LSTMStack"]


def _run_fused(layer, x, padding, sequence=True):
    """Run an ``nn.LSTM`` layer over left-padded sequences as if padding were skipped.

    One fused, unpacked call serves the whole batch, with no
    ``pack_padded_sequence`` (whose CPU kernel steps through time in autograd,
    about 4x slower, and which needs the lengths on the host). It is exact,
    not an approximation:

    * the forward direction is causal: on sequences rolled so that their
      padding comes last (valid steps first, from a zero state), its outputs
      on the valid steps are those of the run that skips the padding. What
      it computes on the trailing padding is never read, so it gets no
      gradient;
    * the backward direction of a bidirectional layer starts from the last
      step, so on the left-padded input its outputs on the valid steps are
      already exact. A bidirectional layer runs once on the batch with the
      rolled copies of its padded rows appended (a few more rows), and takes
      the forward half of those rows from the copies.

    Parameters
    ----------
    layer : torch.nn.LSTM
    x : Tensor of shape (batch, steps, features)
        Left-padded sequences.
    padding : PaddedBatch or None
        The batch's lengths; None when no row is padded.
    sequence : bool, default=True
        Also return the output sequence (needed by a following layer).

    Returns
    -------
    output : Tensor of shape (batch, steps, directions * hidden) or None
        Left-padded, zeros on padded steps; None unless ``sequence``.
    last : Tensor of shape (batch, directions * hidden)
        Final state of each direction (forward then backward, as Keras
        concatenates them); zeros for a sequence with no valid step.
    """
    if padding is None:
        output, (h_n, _) = layer(x)
        return output, (h_n[0] if len(h_n) == 1 else torch.cat(list(h_n), dim=1))
    if not layer.bidirectional:
        output, _ = layer(gather_steps(x, padding.to_right))
        last = padding.zero_empty(_at_step(output, padding.last_index))
        if sequence:
            output = gather_steps(output, padding.to_left) * padding.mask
        return output, last
    batch, hidden = x.shape[0], layer.hidden_size
    rows = padding.padded_rows
    copies = gather_steps(x.index_select(0, rows), padding.padded_to_right)
    both, _ = layer(torch.cat([x, copies]))
    output, copies = both[:batch], both[batch:, :, :hidden]
    # Backward direction: its last step is the first valid one.
    backward = _at_step(output[..., hidden:], padding.first_step)
    forward = output[:, -1, :hidden].index_copy(
        0, rows, _at_step(copies, padding.padded_last_step)
    )
    last = padding.zero_empty(torch.cat([forward, backward], dim=1))
    if sequence:
        forward = output[..., :hidden].index_copy(
            0, rows, gather_steps(copies, padding.padded_to_left)
        )
        output = torch.cat([forward, output[..., hidden:]], dim=-1) * padding.mask
    return output, last


def _at_step(output, steps):
    """``output[b, steps[b]]`` for every row ``b``; ``steps`` of ``batch`` elements."""
    index = steps.view(-1, 1, 1).expand(-1, 1, output.shape[-1])
    return output.gather(1, index).squeeze(1)


class LSTMStack(nn.Module):
    """LSTM layers of any sizes and cell activations, stacked.

    Each layer but the last passes its whole output sequence to the next
    (Keras ``return_sequences=True``); the stack returns the last layer's
    final hidden state. Layers with the tanh activation are
    :class:`torch.nn.LSTM` (fused, cuDNN on GPU); others are
    :class:`~sklstm.networks.cell.ActivationLSTM`.

    Parameters
    ----------
    input_size : int
        Features per time step.
    hidden_sizes : sequence of int
        Units of each layer, first to last.
    activations : sequence of str
        Cell activation of each layer.
    bidirectional : bool, default=False
        Make every layer bidirectional (outputs of both directions concatenated).
    dropout : float, default=0.0
        Dropout between layers.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks import LSTMStack
    >>> stack = LSTMStack(3, hidden_sizes=[4, 4], activations=["tanh", "relu"])
    >>> [type(layer).__name__ for layer in stack.layers]
    ['LSTM', 'ActivationLSTM']
    >>> x = torch.zeros(2, 5, 3)
    >>> stack(x, lengths=torch.tensor([5, 3])).shape
    torch.Size([2, 4])
    >>> LSTMStack(3, [4], ["tanh"], bidirectional=True).output_size
    8
    """

    def __init__(
        self, input_size, hidden_sizes, activations, bidirectional=False, dropout=0.0
    ):
        super().__init__()
        directions = 2 if bidirectional else 1
        layers = []
        for hidden_size, activation in zip(hidden_sizes, activations, strict=True):
            if activation == "tanh":
                layer = nn.LSTM(
                    input_size,
                    hidden_size,
                    batch_first=True,
                    bidirectional=bidirectional,
                )
            else:
                layer = ActivationLSTM(
                    input_size, hidden_size, activation, bidirectional=bidirectional
                )
            layers.append(layer)
            input_size = hidden_size * directions
        self.layers = nn.ModuleList(layers)
        self.dropout = GeneratorDropout(dropout)
        self.output_size = input_size

    def forward(self, x, lengths=None):
        """Return the final hidden state of the last layer.

        Parameters
        ----------
        x : Tensor of shape (batch, steps, input_size)
            Left-padded sequences (zeros on padded steps).
        lengths : Tensor of shape (batch,), default=None
            Valid steps per sequence; None means no padding.

        Returns
        -------
        last : Tensor of shape (batch, output_size)
        """
        padding = None
        if lengths is not None:
            padding = PaddedBatch(lengths, x.shape[1], x.device)
            if not padding.any_padded:
                padding = None
        last = None
        for index, layer in enumerate(self.layers):
            if index > 0:
                x = self.dropout(x)
            if isinstance(layer, nn.LSTM):
                sequence = index < len(self.layers) - 1
                x, last = _run_fused(layer, x, padding, sequence)
            else:
                x, last = layer(x, None if padding is None else padding.bool_mask)
        return last
