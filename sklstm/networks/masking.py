"""Left-padded sequences: lengths, and moving padding between the two ends.

Windows from :class:`~sklstm.SlidingWindowTransformer` are padded on the left
(the oldest steps are missing). The fused LSTM path rolls each sequence so
that its valid steps come first, runs the layer from a zero state (so the
forward direction never sees padding before a valid step) and rolls the
outputs back afterwards (``_run_fused`` in ``sklstm.networks.recurrent``).
"""

import functools

import numpy as np
import torch

__all__ = ["PaddedBatch", "gather_steps", "roll_padding", "valid_step_mask"]


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


#: Longest window whose per-length index table is cached whole: it holds
#: ``(n_steps + 1) ** 2`` int64 (2 MiB at 512 steps). Longer windows build
#: their indices per batch from :func:`_roll_table`, which grows linearly.
TABLE_MAX_STEPS = 512


@functools.lru_cache(maxsize=32)
def _length_table(n_steps, device):
    """Row ``L``: the right-roll gather index of a row with ``L`` valid steps,
    then the index of its last valid step once rolled; ``(n + 1, n + 1, 1)``.

    One ``index_select`` by the lengths gives a batch both of its indices:
    on a CPU each small tensor operation costs several microseconds, and a
    padded batch of a small LSTM would otherwise spend a visible share of
    its step on index arithmetic.
    """
    lengths = torch.arange(n_steps + 1)
    roll = (torch.arange(n_steps)[None, :] + (n_steps - lengths)[:, None]) % n_steps
    last = (lengths - 1).clamp(min=0)[:, None]
    return torch.cat([roll, last], dim=1).unsqueeze(-1).to(device)


@functools.lru_cache(maxsize=32)
def _roll_table(n_steps, device):
    """Row ``s`` is ``(arange(n_steps) + s) % n_steps``, for ``s`` in 0..n_steps.

    A strided view of one ``2 * n_steps`` vector: O(n_steps) memory, and a
    batch's gather index is one ``index_select`` of its rows (the fewest
    small operations per batch, which is what padding costs on a CPU).
    """
    # Built on the host and copied once, blocking: no stream ordering to
    # think about when a later batch reads it.
    steps = torch.arange(2 * n_steps) % n_steps
    return steps.to(device).unfold(0, n_steps, 1)


class PaddedBatch:
    """What the layers need to know about one batch of left-padded sequences.

    Built from the lengths on the host, where one reduction decides whether
    any row is padded. The lengths go to the device asynchronously when
    first needed; the roll and last-step indices are rows of a table cached
    per window length on the device (one ``index_select`` per batch), and
    the rarer indices (bidirectional layers, masks) are computed from a
    NumPy copy. Nothing waits for the device unless the lengths were given
    on it.

    Parameters
    ----------
    lengths : Tensor of shape (batch,)
        Valid steps per sequence, on the host or on the device.
    n_steps : int
        Steps per sequence, padding included.
    device : torch.device
        Where the sequences are.

    Attributes
    ----------
    any_padded : bool
        Whether some sequence is shorter than ``n_steps``.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks.masking import PaddedBatch
    >>> batch = PaddedBatch(torch.tensor([3, 1, 0]), 3, torch.device("cpu"))
    >>> batch.any_padded, batch.padded_rows.tolist(), batch.last_step.tolist()
    (True, [1, 2], [2, 0, 0])
    """

    def __init__(self, lengths, n_steps, device):
        self._given = lengths
        self.n_steps = n_steps
        self.device = device
        # One reduction on the host; it waits for the device only if the
        # lengths were given there, which the data layer never does.
        shortest = int(lengths.min()) if len(lengths) else n_steps
        self.any_padded = shortest < n_steps
        self.any_empty = shortest == 0

    @functools.cached_property
    def _host(self):
        """The lengths as a NumPy int64 array, for the less common paths."""
        host = self._given if self._given.device.type == "cpu" else self._given.cpu()
        return host.numpy().astype(np.int64, copy=False)

    def _send(self, array):
        tensor = torch.from_numpy(array)
        if self.device.type == "cpu":
            return tensor
        return tensor.to(self.device, non_blocking=True)

    def _rolled(self, shift):
        """Gather index ``(rows, steps, 1)``: row ``i`` shifted by ``shift[i]``."""
        table = _roll_table(self.n_steps, self.device)
        return table.index_select(0, shift).unsqueeze(-1)

    @functools.cached_property
    def lengths(self):
        """Lengths on the device (int64), copied asynchronously."""
        return self._given.to(self.device, torch.int64, non_blocking=True)

    @functools.cached_property
    def mask(self):
        """``(batch, steps, 1)`` float, 1 on valid steps and 0 on padding."""
        steps = np.arange(self.n_steps)
        valid = steps[None, :] >= (self.n_steps - self._host)[:, None]
        return self._send(valid[..., None].astype(np.float32))

    @functools.cached_property
    def bool_mask(self):
        """``(batch, steps)`` bool, True on valid steps."""
        return self.mask[..., 0].bool()

    def zero_empty(self, state):
        """Zero the rows of ``state`` (batch, features) with no valid step."""
        if not self.any_empty:
            return state
        return state * self._send((self._host > 0)[:, None].astype(np.float32))

    @functools.cached_property
    def _right_and_last(self):
        """:attr:`to_right` and :attr:`last_index`, from one table lookup."""
        n_steps = self.n_steps
        if n_steps <= TABLE_MAX_STEPS:
            rows = _length_table(n_steps, self.device).index_select(0, self.lengths)
            return rows[:, :n_steps], rows[:, n_steps:]
        last = (self.lengths - 1).clamp(min=0).view(-1, 1, 1)
        return self._rolled(n_steps - self.lengths), last

    @functools.cached_property
    def last_index(self):
        """:attr:`last_step` as a gather index, ``(batch, 1, 1)``."""
        return self._right_and_last[1]

    @functools.cached_property
    def last_step(self):
        """Index of each last valid step once the padding is rolled right."""
        return self.last_index.view(-1)

    @functools.cached_property
    def first_step(self):
        """Index of each first valid step, padding on the left."""
        return (self.n_steps - self.lengths).clamp(max=self.n_steps - 1)

    @functools.cached_property
    def to_right(self):
        """Gather index moving the padding to the right, ``(batch, steps, 1)``."""
        return self._right_and_last[0]

    @functools.cached_property
    def to_left(self):
        """Gather index moving the padding back to the left."""
        return self._rolled(self.lengths)

    @functools.cached_property
    def padded_rows(self):
        """Rows shorter than ``n_steps``."""
        return self._send(np.flatnonzero(self._host < self.n_steps))

    @functools.cached_property
    def padded_to_right(self):
        """:attr:`to_right` of the :attr:`padded_rows` only."""
        rows = self._host[self._host < self.n_steps]
        return self._rolled(self._send(self.n_steps - rows))

    @functools.cached_property
    def padded_to_left(self):
        """:attr:`to_left` of the :attr:`padded_rows` only."""
        return self._rolled(self._send(self._host[self._host < self.n_steps]))

    @functools.cached_property
    def padded_last_step(self):
        """:attr:`last_step` of the :attr:`padded_rows` only."""
        rows = self._host[self._host < self.n_steps]
        return self._send(np.maximum(rows - 1, 0))


def gather_steps(x, index):
    """``x`` with its steps reordered by ``index`` (batch, steps, 1), per row."""
    return torch.gather(x, 1, index.expand(-1, -1, x.shape[-1]))
