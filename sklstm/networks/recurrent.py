"""A stack of LSTM layers that skips left padding."""

import torch
from torch import nn

from .cell import ActivationLSTM
from .dropout import GeneratorDropout
from .masking import roll_padding, valid_step_mask

__all__ = ["LSTMStack"]


def _run_fused(layer, x, padding):
    """Run an ``nn.LSTM`` layer over left-padded sequences as if padding were skipped.

    Returns the layer's output sequence, left-padded with zeros again.

    One fused, unpacked call serves the whole batch, with no
    ``pack_padded_sequence`` (whose CPU kernel loops over time steps in
    autograd, about 4x slower). It is exact, not an approximation:

    * the forward direction is causal, so on sequences rolled to put their
      padding on the right (valid steps first, from a zero state) its outputs
      on the valid steps are those of the padding-skipping run; what it
      computes on the trailing padding is masked out, so it gets no gradient;
    * the backward direction of a bidirectional layer reads the steps from
      the last one, so on the left-padded input its outputs on the valid steps
      are already exact. A bidirectional layer therefore runs on the batch
      with the rolled copies of its padded rows appended (one call, a few
      more rows), the forward half taken from those copies.

    Parameters
    ----------
    layer : torch.nn.LSTM
    x : Tensor of shape (batch, steps, features)
        Left-padded sequences.
    padding : _Padding or None
        The batch's lengths and mask; None when no row is padded.

    Returns
    -------
    output : Tensor of shape (batch, steps, directions * hidden)
    last : Tensor of shape (batch, directions * hidden)
        Final state of each direction (forward then backward, as Keras
        concatenates them).
    """
    if padding is None:
        output, (h_n, _) = layer(x)
        return output, torch.cat(list(h_n), dim=1)
    lengths = padding.lengths
    if not layer.bidirectional:
        output, _ = layer(roll_padding(x, lengths, to="right"))
        output = roll_padding(output, lengths, to="left") * padding.mask_3d
        return output, _last_state(output, padding)
    rows, row_lengths = padding.padded_rows, padding.padded_lengths
    rolled = roll_padding(x.index_select(0, rows), row_lengths, to="right")
    output, _ = layer(torch.cat([x, rolled]))
    hidden = layer.hidden_size
    batch = x.shape[0]
    forward = output[:batch, :, :hidden].index_copy(
        0, rows, roll_padding(output[batch:, :, :hidden], row_lengths, to="left")
    )
    output = torch.cat([forward, output[:batch, :, hidden:]], dim=-1)
    output = output * padding.mask_3d
    return output, _last_state(output, padding, bidirectional=True)


def _last_state(output, padding, bidirectional=False):
    """Final state of each direction, from a masked left-padded output sequence.

    The forward direction ends on the last step; the backward direction on
    the first valid one, ``steps - length``. A sequence with no valid step
    has seen nothing: its outputs are all zeros, and so is its state.
    """
    last = output[:, -1]
    if not bidirectional:
        return last
    hidden = output.shape[-1] // 2
    start = (padding.n_steps - padding.lengths).clamp(max=padding.n_steps - 1)
    index = start.view(-1, 1, 1).expand(-1, 1, hidden)
    first = output[:, :, hidden:].gather(1, index).squeeze(1)
    return torch.cat([last[:, :hidden], first], dim=1)


class _Padding:
    """Lengths of one batch of left-padded sequences, on the host and the device.

    The host copy decides which rows are padded without waiting for the
    device; the device copies index and mask the sequences.
    """

    def __init__(self, lengths, n_steps, device):
        host = lengths if lengths.device.type == "cpu" else lengths.cpu()
        self.host_lengths = host
        self.n_steps = n_steps
        self.any = bool((host < n_steps).any())
        self.lengths = lengths.to(device, non_blocking=True)
        self.mask = valid_step_mask(self.lengths, n_steps)
        self.mask_3d = self.mask.unsqueeze(-1)
        padded = (host < n_steps).nonzero().squeeze(1)
        self.padded_rows = padded.to(device, non_blocking=True)
        self.padded_lengths = host[padded].to(device, non_blocking=True)


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
            padding = _Padding(lengths, x.shape[1], x.device)
            if not padding.any:
                padding = None
        last = None
        for index, layer in enumerate(self.layers):
            if index > 0:
                x = self.dropout(x)
            if isinstance(layer, nn.LSTM):
                x, last = _run_fused(layer, x, padding)
            else:
                x, last = layer(x, None if padding is None else padding.mask)
        return last
