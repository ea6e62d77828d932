"""Convolutional fronts that shorten a sequence before the LSTM (CNN-LSTM)."""

import torch
from torch import nn

__all__ = ["ConvFront", "TimeDistributedConvFront"]


class ConvFront(nn.Module):
    """Conv1D (ReLU) then MaxPooling1D along the time axis.

    As Keras ``Conv1D(filters, kernel_size, activation="relu")`` followed by
    ``MaxPooling1D(pool_size)``, both with 'valid' padding: ``steps`` time
    steps become ``(steps - kernel_size + 1) // pool_size``.

    Parameters
    ----------
    in_channels : int
        Features per time step.
    filters : int
        Number of convolution filters (output features per step).
    kernel_size : int
        Width of the convolution along time.
    pool_size : int
        Width and stride of the max pooling.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks import ConvFront
    >>> front = ConvFront(in_channels=3, filters=8, kernel_size=3, pool_size=2)
    >>> front.output_steps(10)  # (10 - 3 + 1) // 2
    4
    >>> features, lengths = front(torch.zeros(2, 10, 3), torch.tensor([10, 6]))
    >>> features.shape
    torch.Size([2, 4, 8])
    >>> lengths
    tensor([4, 2])
    """

    def __init__(self, in_channels, filters, kernel_size, pool_size):
        super().__init__()
        self.conv = nn.Conv1d(in_channels, filters, kernel_size)
        self.pool = nn.MaxPool1d(pool_size)
        self.kernel_size = kernel_size
        self.pool_size = pool_size
        self.output_size = filters

    def output_steps(self, n_steps):
        """Number of time steps left after convolution and pooling."""
        return (n_steps - self.kernel_size + 1) // self.pool_size

    def output_lengths(self, lengths, n_steps):
        """Valid steps after convolution and pooling of left-padded sequences.

        A convolution output is valid when its whole receptive field is; a
        pooled step is valid when all the convolution outputs it pools are.
        """
        conv_steps = n_steps - self.kernel_size + 1
        conv_valid = (lengths - self.kernel_size + 1).clamp(min=0)
        first_valid = (conv_steps - conv_valid + self.pool_size - 1) // self.pool_size
        return (conv_steps // self.pool_size - first_valid).clamp(min=0)

    def forward(self, x, lengths=None):
        """Return ``(features, lengths)`` of the shortened sequences.

        Parameters
        ----------
        x : Tensor of shape (batch, steps, in_channels)
        lengths : Tensor of shape (batch,), default=None

        Returns
        -------
        features : Tensor of shape (batch, output_steps(steps), filters)
        lengths : Tensor of shape (batch,) or None
        """
        features = self.pool(torch.relu(self.conv(x.transpose(1, 2))))
        if lengths is not None:
            lengths = self.output_lengths(lengths, x.shape[1])
        return features.transpose(1, 2), lengths


class TimeDistributedConvFront(nn.Module):
    """The course's ``TimeDistributed`` CNN: one Conv1D + pool per subsequence.

    Each window of ``steps`` time steps is cut into ``n_subsequences`` equal,
    consecutive subsequences. The same Conv1D (ReLU) and MaxPooling1D run on
    each; their outputs are flattened (time-major, as Keras ``Flatten``) into
    one feature vector per subsequence, and the LSTM then runs over the
    subsequences. With ``n_subsequences=1`` and 20 steps this is the course's
    model, whose input is ``X.reshape(N, 1, 20, n_features)``.

    Parameters
    ----------
    in_channels : int
        Features per time step.
    n_steps : int
        Time steps per window; must be divisible by ``n_subsequences``.
    filters, kernel_size, pool_size : int
        As in :class:`ConvFront`.
    n_subsequences : int
        Number of subsequences per window (the LSTM's time steps).

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks import TimeDistributedConvFront
    >>> front = TimeDistributedConvFront(
    ...     in_channels=3,
    ...     n_steps=12,
    ...     filters=8,
    ...     kernel_size=3,
    ...     pool_size=2,
    ...     n_subsequences=2,
    ... )
    >>> front.subsequence_steps, front.pooled_steps, front.output_size
    (6, 2, 16)
    >>> features, lengths = front(torch.zeros(2, 12, 3), torch.tensor([12, 6]))
    >>> features.shape  # (batch, n_subsequences, filters * pooled_steps)
    torch.Size([2, 2, 16])
    >>> lengths  # only subsequences free of padding count
    tensor([2, 1])
    """

    def __init__(
        self, in_channels, n_steps, filters, kernel_size, pool_size, n_subsequences
    ):
        super().__init__()
        self.inner = ConvFront(in_channels, filters, kernel_size, pool_size)
        self.n_subsequences = n_subsequences
        self.subsequence_steps = n_steps // n_subsequences
        self.pooled_steps = self.inner.output_steps(self.subsequence_steps)
        self.output_size = filters * self.pooled_steps

    def forward(self, x, lengths=None):
        """Return ``(features, lengths)`` with one step per subsequence.

        A subsequence counts as valid only when none of its steps is padding.
        """
        batch, _, channels = x.shape
        subsequences = x.reshape(
            batch * self.n_subsequences, self.subsequence_steps, channels
        )
        features, _ = self.inner(subsequences)
        features = features.reshape(batch, self.n_subsequences, self.output_size)
        if lengths is not None:
            lengths = lengths // self.subsequence_steps
        return features, lengths
