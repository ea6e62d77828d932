"""The full network: optional CNN front, LSTM stack, dense head."""

from torch import nn

from .conv import ConvFront, TimeDistributedConvFront
from .dropout import GeneratorDropout
from .init import initialise_
from .recurrent import LSTMStack

__all__ = ["SequenceNetwork"]


class SequenceNetwork(nn.Module):
    """Optional CNN front, then stacked LSTM layers, then a dense layer.

    The head returns raw outputs: regression values, or class logits (the
    softmax belongs to the loss and to ``predict_proba``).

    Parameters
    ----------
    n_channels : int
        Features per time step.
    n_steps : int
        Time steps per window (needed by the TimeDistributed front).
    n_outputs : int
        Size of the dense output layer.
    hidden_sizes : sequence of int
        Units of each LSTM layer.
    activations : sequence of str
        Cell activation of each LSTM layer.
    bidirectional : bool, default=False
        Make every LSTM layer bidirectional.
    dropout : float, default=0.0
        Dropout between LSTM layers and before the dense layer.
    front : {None, "conv", "conv-td"}, default=None
        ``"conv"``: Conv1D + MaxPool over time; ``"conv-td"``: the same over
        each of ``n_subsequences`` subsequences (Keras ``TimeDistributed``).
    conv_filters, conv_kernel_size, pool_size, n_subsequences : int
        Settings of the CNN front.
    init : {"keras", "pytorch"}, default="keras"
        Initial weights: Keras' defaults (Glorot uniform kernels, orthogonal
        recurrent kernels, zero biases with forget-gate bias 1 and
        ``bias_hh`` zero) or PyTorch's; see :mod:`sklstm.networks.init`.
    generator : torch.Generator, default=None
        Random stream for the initial weights; PyTorch's global one when None.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks import SequenceNetwork
    >>> net = SequenceNetwork(
    ...     n_channels=3, n_steps=6, n_outputs=1, hidden_sizes=[4], activations=["tanh"]
    ... )
    >>> net(torch.zeros(2, 6, 3)).shape
    torch.Size([2, 1])
    >>> sum(p.numel() for p in net.parameters())  # LSTM 144 + dense 5
    149

    A CNN-LSTM with two LSTM layers and padded windows:

    >>> cnn = SequenceNetwork(
    ...     3, 12, 2, [4, 4], ["tanh", "relu"], front="conv", conv_filters=8
    ... )
    >>> cnn.front.output_steps(12)
    5
    >>> cnn(torch.zeros(2, 12, 3), lengths=torch.tensor([12, 7])).shape
    torch.Size([2, 2])
    """

    def __init__(
        self,
        n_channels,
        n_steps,
        n_outputs,
        hidden_sizes,
        activations,
        bidirectional=False,
        dropout=0.0,
        front=None,
        conv_filters=64,
        conv_kernel_size=3,
        pool_size=2,
        n_subsequences=1,
        init="keras",
        generator=None,
    ):
        super().__init__()
        self.n_steps = n_steps
        if front == "conv":
            self.front = ConvFront(
                n_channels, conv_filters, conv_kernel_size, pool_size
            )
        elif front == "conv-td":
            self.front = TimeDistributedConvFront(
                n_channels,
                n_steps,
                conv_filters,
                conv_kernel_size,
                pool_size,
                n_subsequences,
            )
        elif front is None:
            self.front = None
        else:
            raise ValueError(f"Unknown front {front!r}; use None, 'conv' or 'conv-td'.")
        lstm_input = n_channels if self.front is None else self.front.output_size
        self.lstm = LSTMStack(
            lstm_input, hidden_sizes, activations, bidirectional, dropout
        )
        self.dropout = GeneratorDropout(dropout)
        self.head = nn.Linear(self.lstm.output_size, n_outputs)
        initialise_(self, init, generator)

    def forward(self, x, lengths=None):
        """Map windows ``(batch, steps, channels)`` to outputs ``(batch, n_outputs)``.

        Parameters
        ----------
        x : Tensor of shape (batch, steps, channels)
            Left-padded windows, zeros on padded steps.
        lengths : Tensor of shape (batch,), default=None
            Valid steps per window; None when nothing is padded.
        """
        if self.front is not None:
            x, lengths = self.front(x, lengths)
        return self.head(self.dropout(self.lstm(x, lengths)))
