"""A stack of LSTM layers that skips left padding."""

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from .cell import ActivationLSTM
from .dropout import GeneratorDropout
from .masking import roll_padding, valid_step_mask

__all__ = ["LSTMStack"]


def _run_fused(layer, x, lengths, mask):
    """Run an ``nn.LSTM`` layer, packing the sequences when some are padded."""
    if lengths is None:
        output, (h_n, _) = layer(x)
    else:
        n_steps = x.shape[1]
        right_padded = roll_padding(x, lengths, to="right")
        packed = pack_padded_sequence(
            right_padded,
            lengths.clamp(min=1).cpu(),
            batch_first=True,
            enforce_sorted=False,
        )
        packed_output, (h_n, _) = layer(packed)
        output, _ = pad_packed_sequence(
            packed_output, batch_first=True, total_length=n_steps
        )
        output = roll_padding(output, lengths, to="left") * mask.unsqueeze(-1)
    # h_n is (directions, batch, hidden): forward then backward, as Keras concatenates.
    last = torch.cat(list(h_n), dim=1)
    if lengths is not None:
        # A sequence with no valid step has seen nothing: its state stays zero.
        last = last * (lengths > 0).unsqueeze(1)
    return output, last


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
        mask = None if lengths is None else valid_step_mask(lengths, x.shape[1])
        last = None
        for index, layer in enumerate(self.layers):
            if index > 0:
                x = self.dropout(x)
            if isinstance(layer, nn.LSTM):
                x, last = _run_fused(layer, x, lengths, mask)
            else:
                x, last = layer(x, mask)
        return last
