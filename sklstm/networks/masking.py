"""Left-padded sequences: lengths, and moving padding between the two ends.

Windows from :class:`~sklstm.SlidingWindowTransformer` are padded on the left
(the oldest steps are missing). The fused LSTM path rolls each sequence so
that its valid steps come first, runs the layer from a zero state (so the
forward direction never sees padding before a valid step) and rolls the
outputs back afterwards (``_run_fused`` in ``sklstm.networks.recurrent``).
"""

import torch

__all__ = ["roll_padding", "valid_step_mask"]


def roll_padding(x, lengths, *, to):
    """Move the padding of each sequence to the other end.

    Parameters
    ----------
    x : Tensor of shape (batch, steps, features)
        Sequences whose padded steps hold zeros.
    lengths : Tensor of shape (batch,)
        Number of valid steps of each sequence.
    to : {"right", "left"}
        Where the padding should end up.

    Returns
    -------
    rolled : Tensor of shape (batch, steps, features)
    """
    n_steps = x.shape[1]
    shift = n_steps - lengths if to == "right" else lengths
    steps = torch.arange(n_steps, device=x.device)
    index = (steps.unsqueeze(0) + shift.unsqueeze(1)) % n_steps
    return torch.gather(x, 1, index.unsqueeze(-1).expand_as(x))


def valid_step_mask(lengths, n_steps):
    """Return a boolean mask, True on the valid (right-most) steps.

    Parameters
    ----------
    lengths : Tensor of shape (batch,)
        Number of valid steps of each sequence.
    n_steps : int
        Total number of steps, padding included.

    Returns
    -------
    mask : Tensor of shape (batch, n_steps)
    """
    steps = torch.arange(n_steps, device=lengths.device)
    return steps.unsqueeze(0) >= (n_steps - lengths).unsqueeze(1)
