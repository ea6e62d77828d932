"""Windows held as tensors, and batches gathered from them without per-sample Python.

skorch's default ``Dataset`` + ``DataLoader`` build every batch item by item
(``__getitem__`` then collate); for small LSTMs that costs more than the
model. Here a batch is one slice or one gather on tensors that already live
on the training device. Data too large for the device stays in host memory
instead; each batch is gathered into a reused page-locked buffer and copied
with ``non_blocking=True`` (see :mod:`sklstm.training.staging`).
"""

import math
import warnings

import numpy as np
import torch

from .staging import PinnedStaging, keep_on_host

__all__ = [
    "BatchIterator",
    "WindowDataset",
    "dataset_from_arrays",
]


class WindowDataset(torch.utils.data.Dataset):
    """Windows, their valid lengths and their targets, as tensors.

    The windows come either as a dense tensor ``(n, steps, channels)`` or,
    for windows cut from one series (what
    :class:`~sklstm.SlidingWindowTransformer` returns), as that series
    ``(n + steps - 1, channels)``: window ``i`` is ``series[i:i + steps]``, and
    is gathered only when its batch is needed, so memory does not grow with
    ``steps``.

    Parameters
    ----------
    windows : Tensor of shape (n, steps, channels), default=None
        Dense windows. Give either this or ``series``.
    series : Tensor of shape (n + steps - 1, channels), default=None
        The series the windows are cut from.
    n_steps : int, default=None
        Window length; required with ``series``.
    lengths : Tensor of shape (n,), default=None
        Valid (unpadded) steps per window; None when nothing is padded. Kept
        on the host (CPU) whatever the device, so that the network decides
        which rows are padded without waiting for the device.
    y : Tensor of shape (n, ...), default=None
        Targets.
    rows : Tensor of shape (m,), default=None
        Which windows this dataset holds (for subsets), on the host; None
        means all.
    device : str or torch.device, default=None
        Where batches are sent when the data itself stays in host memory
        (through a :class:`~sklstm.training.staging.PinnedStaging`); None:
        batches stay where the data is.
    """

    def __init__(
        self,
        windows=None,
        *,
        series=None,
        n_steps=None,
        lengths=None,
        y=None,
        rows=None,
        device=None,
    ):
        if (windows is None) == (series is None):
            raise ValueError("Give exactly one of windows or series.")
        self.windows = windows
        self.series = series
        self.n_steps = windows.shape[1] if windows is not None else n_steps
        self.lengths = lengths
        self.y = y
        self.rows = rows
        self.device = device
        self.staging = None if device is None else PinnedStaging(device)

    @property
    def n_windows(self):
        """Number of windows in the underlying data (before subsetting)."""
        if self.windows is not None:
            return len(self.windows)
        return len(self.series) - self.n_steps + 1

    def __len__(self):
        return self.n_windows if self.rows is None else len(self.rows)

    def subset(self, positions):
        """Return a dataset of the windows at ``positions`` (a slice or indices)."""
        rows = self._rows(positions)
        if isinstance(rows, slice):
            rows = torch.arange(self.n_windows)[rows]
        return WindowDataset(
            self.windows,
            series=self.series,
            n_steps=self.n_steps,
            lengths=self.lengths,
            y=self.y,
            rows=rows,
            device=self.device,
        )

    @property
    def _device(self):
        return (self.windows if self.windows is not None else self.series).device

    def _rows(self, positions):
        if self.rows is None:
            return positions
        return self.rows[positions]

    def batch(self, positions):
        """Return ``(X, y)`` for the windows at ``positions``.

        ``positions`` is a slice or a host (CPU) tensor of indices. ``X`` is
        the window tensor, or ``{"x": windows, "lengths": lengths}`` when
        some windows of this batch are padded; skorch passes a dict to the
        module as keyword arguments. The lengths stay on the host.
        """
        rows = self._rows(positions)
        if self.staging is not None:
            return self._staged_batch(rows)
        lengths = self._batch_lengths(rows)
        if not isinstance(rows, slice):
            # An asynchronous host-to-device copy of the indices: no device sync.
            rows = rows.to(self._device, non_blocking=True)
        if self.windows is not None:
            x = _take(self.windows, rows)
        else:
            # The windows of the unfolded view: no index grid, no copy of the series.
            x = _take(self.series.unfold(0, self.n_steps, 1), rows).transpose(1, 2)
        y = None if self.y is None else _take(self.y, rows)
        if lengths is None:
            return x, y
        return {"x": x, "lengths": lengths}, y

    def _staged_batch(self, rows):
        """:meth:`batch` for host data: gathered into pinned buffers, then sent."""
        stage = self.staging.gather
        if self.windows is not None:
            x = stage("x", self.windows, rows)
        else:
            # (batch, channels, steps) on the host; transposed on the device.
            x = stage("x", self.series.unfold(0, self.n_steps, 1), rows).transpose(1, 2)
        y = None if self.y is None else stage("y", self.y, rows)
        lengths = self._batch_lengths(rows)
        if lengths is None:
            return x, y
        return {"x": x, "lengths": lengths}, y

    def _batch_lengths(self, rows):
        """The batch's lengths on the host; None when none of its rows is padded.

        Most batches of a padded fit hold no padded row; they go to the
        network as a plain tensor, like unpadded data, and skip the padding
        machinery altogether.
        """
        if self.lengths is None:
            return None
        lengths = _take(self.lengths, rows)
        if len(lengths) and int(lengths.min()) == self.n_steps:
            return None
        return lengths

    def __getitem__(self, index):
        return self.batch(slice(index, index + 1) if isinstance(index, int) else index)


class BatchIterator:
    """Iterate over a :class:`WindowDataset` in batches (skorch ``iterator_train``).

    Parameters
    ----------
    dataset : WindowDataset
        The data.
    batch_size : int, default=128
        Windows per batch; the last batch may be smaller.
    shuffle : bool, default=False
        Visit the windows in a new random order each epoch.
    generator : torch.Generator, default=None
        Source of the shuffling order, for repeatable runs.
    """

    def __init__(self, dataset, batch_size=128, shuffle=False, generator=None):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.generator = generator

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = None
        if self.shuffle:
            # On the host: each batch's indices are copied to the device
            # asynchronously by the dataset; the lengths never leave the host.
            order = torch.randperm(n, generator=self.generator)
        for start in range(0, n, self.batch_size):
            stop = min(start + self.batch_size, n)
            positions = slice(start, stop) if order is None else order[start:stop]
            yield self.dataset.batch(positions)


def _take(tensor, rows):
    """``tensor[rows]``; index_select for indices (cheaper than ``[]``)."""
    if isinstance(rows, slice):
        return tensor[rows]
    return tensor.index_select(0, rows)


def _tensor(array, dtype):
    """A tensor sharing ``array``'s memory where torch allows, else a copy."""
    if not array.flags.writeable or any(stride < 0 for stride in array.strides):
        array = np.array(array)
    return torch.from_numpy(array).to(dtype)


def dataset_from_arrays(
    *,
    windows=None,
    series=None,
    n_steps=None,
    lengths=None,
    y=None,
    device="cpu",
    mem_get_info=None,
):
    """Build a :class:`WindowDataset` from NumPy arrays and move it to ``device``.

    The data moves to the device once here, so batches need no transfer.
    When it would take more than
    :data:`~sklstm.training.staging.DEVICE_MEMORY_FRACTION` of the free
    memory of a CUDA device (see :func:`keep_on_host`), or the move runs out
    of device memory (with a warning), it stays in ordinary host memory
    instead: each batch is gathered into a reused page-locked buffer and
    copied with ``non_blocking=True`` (:class:`~.staging.PinnedStaging`).

    Parameters
    ----------
    windows, series, n_steps, lengths
        As in :class:`WindowDataset`, as NumPy arrays (float32 values).
    y : ndarray, default=None
        Targets: float (regression) or integer class codes.
    device : str or torch.device, default="cpu"
        Torch device.
    mem_get_info : callable, default=None
        Passed to :func:`keep_on_host` (for testing).

    Returns
    -------
    dataset : WindowDataset
    """

    y_dtype = None
    if y is not None:
        y_dtype = torch.int64 if y.dtype.kind in "iu" else torch.float32
    dtypes = {"windows": torch.float32, "series": torch.float32}
    dtypes.update(lengths=torch.int64, y=y_dtype)
    arrays = {"windows": windows, "series": series, "lengths": lengths, "y": y}
    nbytes = sum(
        a.size * dtypes[k].itemsize for k, a in arrays.items() if a is not None
    )
    tensors = {
        name: None if array is None else _tensor(array, dtypes[name])
        for name, array in arrays.items()
    }
    on_host = keep_on_host(nbytes, device, mem_get_info=mem_get_info)
    if not on_host:
        try:
            # The lengths stay on the host (see WindowDataset).
            tensors = {
                name: t if t is None or name == "lengths" else t.to(device)
                for name, t in tensors.items()
            }
        except torch.cuda.OutOfMemoryError as error:
            warnings.warn(
                f"The training data ({nbytes / 2**20:.0f} MiB) does not fit on "
                f"{device} ({error}); it stays in host memory and each batch is "
                "copied to the device (slower).",
                RuntimeWarning,
                stacklevel=2,
            )
            on_host = True
    return WindowDataset(
        tensors["windows"],
        series=tensors["series"],
        n_steps=n_steps,
        lengths=tensors["lengths"],
        y=tensors["y"],
        device=device if on_host else None,
    )
