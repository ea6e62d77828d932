"""Host batches gathered straight into pinned buffers and copied asynchronously.

When the training data stays in host memory (too large for the GPU, see
:func:`keep_on_host`), every batch is gathered on the
host and copied to the device. Gathering into a fresh tensor and then pinning
it (``tensor.pin_memory()``) costs two host copies, and pinning the whole data
set instead ties up gigabytes of page-locked memory, which may run out.
:class:`PinnedStaging` gathers each batch directly into one of a few reused
page-locked buffers (one host copy; page-locked memory bounded by a few
batches) and starts the host-to-device copy with ``non_blocking=True``; a
buffer is refilled only after the CUDA event recorded behind its last copy
has completed, so the host prepares the next batch while the device copies
and trains. When page-locked memory cannot be had, it warns and copies from
ordinary memory (synchronously).
"""

import warnings

import torch

__all__ = ["PinnedStaging", "free_device_memory", "keep_on_host"]

#: Buffers per tensor: one being copied while the next is filled.
N_BUFFERS = 2

#: Data larger than this share of the free device memory stays on the host.
DEVICE_MEMORY_FRACTION = 0.5


def _pin(tensor):
    return tensor.pin_memory()


def _copy(buffer, device):
    return buffer.to(device, non_blocking=True)


def _event(device):
    event = torch.cuda.Event()
    event.record(torch.cuda.current_stream(device))
    return event


class PinnedStaging:
    """Gather rows of host tensors and send them to ``device``.

    Parameters
    ----------
    device : str or torch.device
        The CUDA device the batches go to.
    n_buffers : int, default=N_BUFFERS
        Reused page-locked buffers per tensor name.
    pin : callable, default=None
        ``pin(tensor) -> pinned tensor``; :meth:`torch.Tensor.pin_memory`
        when None (a parameter for testing).
    copy : callable, default=None
        ``copy(buffer, device) -> tensor on device``; a ``non_blocking`` copy
        when None (for testing).
    event : callable, default=None
        ``event(device)`` returns an object with ``synchronize()``, recorded
        after a copy; a :class:`torch.cuda.Event` when None (for testing).
    """

    def __init__(self, device, n_buffers=N_BUFFERS, pin=None, copy=None, event=None):
        self.device = device
        self.n_buffers = n_buffers
        self.pinned = True
        self._pin = pin or _pin
        self._copy = copy or _copy
        self._event = event or _event
        self._rings = {}

    def _allocate(self, numel, dtype):
        buffer = torch.empty(numel, dtype=dtype)
        if not self.pinned:
            return buffer
        try:
            return self._pin(buffer)
        except RuntimeError as error:
            self.pinned = False
            warnings.warn(
                f"Page-locked (pinned) host memory could not be allocated ({error}); "
                "batches are copied to the GPU from ordinary memory, synchronously "
                "(slower). Free host memory, or use a smaller batch_size.",
                RuntimeWarning,
                stacklevel=5,
            )
            return buffer

    def _buffer(self, name, shape, dtype):
        empty = {"next": 0, "slots": [None] * self.n_buffers}
        ring = self._rings.setdefault(name, empty)
        index = ring["next"]
        ring["next"] = (index + 1) % self.n_buffers
        slot = ring["slots"][index]
        numel = int(torch.Size(shape).numel())
        if slot is not None and slot["event"] is not None:
            slot["event"].synchronize()  # its last copy has left the buffer
        buffer = None if slot is None else slot["buffer"]
        if buffer is None or buffer.numel() < numel or buffer.dtype != dtype:
            slot = {"buffer": self._allocate(numel, dtype), "event": None}
            ring["slots"][index] = slot
        return slot, slot["buffer"][:numel].view(shape)

    def gather(self, name, source, rows):
        """Return ``source[rows]`` on the device.

        Parameters
        ----------
        name : str
            Which ring of buffers to use (one per tensor of a batch).
        source : Tensor
            Host tensor, gathered along its first dimension.
        rows : slice or LongTensor
            The rows.

        Returns
        -------
        batch : Tensor
            On ``device``; the copy may still be in flight (stream-ordered).
        """
        if isinstance(rows, slice):
            part = source[rows]
            slot, buffer = self._buffer(name, part.shape, source.dtype)
            buffer.copy_(part)
        else:
            shape = (len(rows), *source.shape[1:])
            slot, buffer = self._buffer(name, shape, source.dtype)
            torch.index_select(source, 0, rows, out=buffer)
        if not self.pinned:
            return buffer.to(self.device)
        result = self._copy(buffer, self.device)
        slot["event"] = self._event(self.device)
        return result


def free_device_memory(device, mem_get_info=None):
    """Bytes this process can still allocate on the CUDA ``device``.

    The driver's free memory (:func:`torch.cuda.mem_get_info`) plus what
    PyTorch's caching allocator holds but does not use
    (``memory_reserved - memory_allocated``): memory the cache keeps after
    an earlier fit is free for this one, though the driver counts it as used.

    Parameters
    ----------
    device : str or torch.device
        A CUDA device.
    mem_get_info : callable, default=None
        ``mem_get_info(device) -> (free, total)``; :func:`torch.cuda.mem_get_info`
        when None (a parameter for testing).

    Returns
    -------
    free : int
    """
    free, _ = (mem_get_info or torch.cuda.mem_get_info)(device)
    cached = torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device)
    return free + max(cached, 0)


def keep_on_host(nbytes, device, fraction=DEVICE_MEMORY_FRACTION, mem_get_info=None):
    """Whether ``nbytes`` of data should stay in host memory instead of ``device``.

    Parameters
    ----------
    nbytes : int
        Size of the training data once converted to tensors.
    device : str or torch.device
        The training device.
    fraction : float, default=DEVICE_MEMORY_FRACTION
        Largest share of the free device memory (:func:`free_device_memory`,
        PyTorch's cache included) the data may take; the rest is left for
        weights, activations and the optimizer.
    mem_get_info : callable, default=None
        Passed to :func:`free_device_memory` (for testing).

    Returns
    -------
    keep : bool
        Always False for the CPU.

    Examples
    --------
    >>> from sklstm.training.staging import keep_on_host
    >>> keep_on_host(10**12, "cpu")
    False
    >>> keep_on_host(3 * 2**30, "cuda", mem_get_info=lambda d: (4 * 2**30, 8 * 2**30))
    True
    """
    device = torch.device(device)
    if device.type != "cuda":
        return False
    return nbytes > fraction * free_device_memory(device, mem_get_info)
