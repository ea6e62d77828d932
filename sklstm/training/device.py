"""Pick the torch device a user asked for, or fail before training starts.

Devices are compared by *type* (``torch.device(d).type``), never as strings:
skorch hands back ``torch.device`` objects (e.g. ``torch.device("cpu")`` for
a CUDA-trained net unpickled on a machine without CUDA), and ``"cuda"``,
``"cuda:0"`` and ``torch.device("cuda", 0)`` all name CUDA devices.

Every CUDA device is resolved to ``"cuda:N"`` with its index, so a fitted
model keeps using the GPU it was trained on, whatever the current device of
the thread that predicts. Several devices (``"cuda:*"``, a list, or
``"auto"`` on a machine with several GPUs) are shared among concurrent fits:
each fit takes the lowest free *slot* and trains on ``devices[slot % n]``,
so ``n_jobs`` workers spread over the GPUs (see :func:`lease_device`).
"""

import contextlib
import os
import tempfile
import threading
import warnings

import torch

try:  # POSIX: slots are shared by all processes of this user on the machine.
    import fcntl
except ImportError:  # pragma: no cover - Windows: slots are per process
    fcntl = None

__all__ = [
    "candidate_devices",
    "device_type",
    "is_cuda",
    "lease_device",
    "load_device",
    "resolve_device",
]

#: Where the slot lock files live (one empty file per slot).
SLOT_DIR = os.path.join(
    tempfile.gettempdir(), f"sklstm-device-slots-{getattr(os, 'getuid', lambda: 0)()}"
)


def device_type(device):
    """Return ``"cpu"``, ``"cuda"``... for a device string or :class:`torch.device`.

    Examples
    --------
    >>> import torch
    >>> from sklstm.training.device import device_type
    >>> device_type("cuda:1"), device_type(torch.device("cpu"))
    ('cuda', 'cpu')
    """
    return torch.device(device).type


def is_cuda(device):
    """Whether ``device`` (a string or :class:`torch.device`) is a CUDA device."""
    return device_type(device) == "cuda"


def _cuda_device(device, asked):
    """Return ``"cuda:N"`` for a CUDA ``device``; raise if there is none such."""
    if not torch.cuda.is_available():
        raise ValueError(
            f"device={asked!r} but PyTorch finds no CUDA device on this machine; "
            "use device='auto' (CUDA when present, else CPU) or device='cpu'."
        )
    index = torch.device(device).index
    if index is None:
        index = torch.cuda.current_device()
    count = torch.cuda.device_count()
    if index >= count:
        raise ValueError(
            f"device={asked!r} names no CUDA device here; this machine has {count} "
            f"(cuda:0 to cuda:{count - 1}). Pass an existing device, or "
            "device='auto' (or sklstm.load(path, device=...) for a saved model)."
        )
    return f"cuda:{index}"


def _parse(device, asked):
    if isinstance(device, torch.device):
        return device
    if isinstance(device, str) and device not in ("auto", "cuda:*"):
        try:
            parsed = torch.device(device)
        except RuntimeError:
            parsed = None
        if parsed is not None and parsed.type in ("cpu", "cuda"):
            return parsed
    raise ValueError(
        f"device={asked!r} is not understood; use 'auto', 'cpu', 'cuda', 'cuda:N', "
        "'cuda:*' (every GPU), a torch.device, or a list of those."
    )


def candidate_devices(device):
    """Return the concrete devices ``device`` may train on, in slot order.

    Parameters
    ----------
    device : str, torch.device, or list/tuple of them
        ``"auto"``: every CUDA device when PyTorch finds one, else the CPU;
        ``"cuda:*"``: every CUDA device; ``"cpu"``, ``"cuda"`` (the current
        CUDA device), ``"cuda:N"`` or a :class:`torch.device`: that one; a
        list or tuple: each of its entries.

    Returns
    -------
    devices : list of str
        ``"cpu"`` or ``"cuda:N"`` strings.

    Raises
    ------
    ValueError
        If CUDA is asked for and PyTorch finds no (such) CUDA device, or
        ``device`` is not understood.

    Examples
    --------
    >>> from unittest import mock
    >>> import torch
    >>> from sklstm.training.device import candidate_devices
    >>> candidate_devices("cpu")
    ['cpu']
    >>> with (
    ...     mock.patch.object(torch.cuda, "is_available", return_value=True),
    ...     mock.patch.object(torch.cuda, "device_count", return_value=2),
    ... ):
    ...     candidate_devices("cuda:*")
    ['cuda:0', 'cuda:1']
    """
    asked = device
    if isinstance(device, (list, tuple)):
        if not device:
            raise ValueError("device=[] names no device; pass at least one.")
        devices = [d for entry in device for d in candidate_devices(entry)]
        return list(dict.fromkeys(devices))
    if device == "auto":
        if not torch.cuda.is_available():
            return ["cpu"]
        device = "cuda:*"
    if device == "cuda:*":
        if not torch.cuda.is_available():
            _cuda_device("cuda", asked)  # raises with the fix in the message
        return [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    parsed = _parse(device, asked)
    if parsed.type == "cpu":
        return ["cpu"]
    return [_cuda_device(parsed, asked)]


def resolve_device(device):
    """Return the concrete device string a single fit would use now.

    Like :func:`lease_device`, without holding a slot: for several candidate
    devices it returns the one of the lowest free slot.

    Parameters
    ----------
    device : str, torch.device, or list/tuple of them
        See :func:`candidate_devices`.

    Returns
    -------
    device : str
        ``"cpu"`` or ``"cuda:N"``.

    Examples
    --------
    >>> import torch
    >>> from sklstm.training.device import resolve_device
    >>> resolve_device(torch.device("cpu"))
    'cpu'
    """
    with lease_device(device) as resolved:
        return resolved


def load_device(saved, device=None):
    """Return the device a loaded model goes to.

    Parameters
    ----------
    saved : str, torch.device, or list/tuple of them
        The model's ``device`` parameter when it was saved.
    device : str, torch.device, or list/tuple of them, default=None
        Where the caller wants it. None: ``saved`` when it exists here;
        otherwise (a CUDA model on a machine without CUDA, or saved on
        ``cuda:1`` where there is one GPU) a warning and the best available
        device, as ``"auto"`` picks it.

    Returns
    -------
    device : str
        ``"cpu"`` or ``"cuda:N"``.

    Raises
    ------
    ValueError
        If ``device`` is given and does not exist here.

    Examples
    --------
    >>> from sklstm.training.device import load_device
    >>> load_device("cpu"), load_device("cuda:3", device="cpu")
    ('cpu', 'cpu')
    """
    if device is not None:
        return resolve_device(device)
    try:
        return resolve_device(saved)
    except ValueError as error:
        best = resolve_device("auto")
        warnings.warn(
            f"The model was saved with device={saved!r}, which does not exist "
            f"here: {error} It is loaded on {best!r} instead; pass "
            f"sklstm.load(path, device=...) to choose, and set_params(device=...) "
            "before fitting it anew.",
            UserWarning,
            stacklevel=3,
        )
        return best


# -- slots ---------------------------------------------------------------------------
_local_slots = set()
_local_lock = threading.Lock()


class _Slot:
    """The lowest slot no other fit (thread or process of this user) holds."""

    def __init__(self):
        self.index, self._file = self._claim()

    @staticmethod
    def _claim():
        if fcntl is not None:
            try:
                os.makedirs(SLOT_DIR, exist_ok=True)
            except OSError:
                pass
            else:
                return _Slot._claim_file()
        with _local_lock:
            index = 0
            while index in _local_slots:
                index += 1
            _local_slots.add(index)
        return index, None

    @staticmethod
    def _claim_file():
        index = 0
        while True:
            handle = open(os.path.join(SLOT_DIR, f"slot-{index}"), "a+")  # noqa: SIM115
            try:
                # flock locks belong to the open file, so two threads of one
                # process exclude each other as two processes do.
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                index += 1
                continue
            return index, handle

    def release(self):
        if self._file is not None:
            self._file.close()  # also releases the lock
            self._file = None
        else:
            with _local_lock:
                _local_slots.discard(self.index)


@contextlib.contextmanager
def lease_device(device):
    """Resolve ``device`` for one fit, holding its slot while the block runs.

    When ``device`` names one device this only resolves it (``"cuda"`` to
    ``"cuda:N"`` of the current device). When it names several (``"auto"``
    or ``"cuda:*"`` with several GPUs, or a list), the fit takes the lowest
    slot that no concurrent fit holds, in any thread or process of the same
    user on this machine, and trains on ``devices[slot % len(devices)]``:
    with ``n_jobs`` equal to the number of GPUs, each concurrent fit gets a
    GPU of its own. The slot is free again when the block exits.

    Parameters
    ----------
    device : str, torch.device, or list/tuple of them
        See :func:`candidate_devices`.

    Yields
    ------
    device : str
        ``"cpu"`` or ``"cuda:N"``.

    Examples
    --------
    >>> from sklstm.training.device import lease_device
    >>> with lease_device("cpu") as device:
    ...     device
    'cpu'
    """
    devices = candidate_devices(device)
    if len(devices) == 1:
        yield devices[0]
        return
    slot = _Slot()
    try:
        yield devices[slot.index % len(devices)]
    finally:
        slot.release()
