"""Mixed precision (``precision="bf16"``) without process-wide switches.

:func:`torch.autocast` with ``dtype=torch.bfloat16`` runs matrix products and
convolutions in bfloat16, but PyTorch's autocast wrapper of the cuDNN RNN
(``aten/src/ATen/cudnn/AutocastRNN.cpp``, ``_cudnn_rnn_cast_reflatten``)
casts the input, the states and the weights to ``at::kHalf``, float16,
whatever dtype autocast was given: under plain autocast the fused LSTM
would train in float16, without a gradient scaler, where gradients below
about 6e-8 vanish and values above 65504 overflow.

:func:`autocast` therefore adds a thread-local
:class:`torch.overrides.TorchFunctionMode` that takes the fused LSTM
(``torch.lstm``, behind :class:`torch.nn.LSTM`) out of autocast and runs it
in an explicit dtype:

* on CUDA with cuDNN 9.13 or newer (the first whose RNN takes bfloat16;
  PyTorch pull request 164411), bfloat16 (input, states and a bfloat16 copy
  of the float32 weights; gradients flow back to the float32 weights): what
  ``precision="bf16"`` promises, with float32's exponent range, so no
  gradient scaler is needed. With an older cuDNN, float32: a bfloat16 LSTM
  would leave cuDNN for PyTorch's step-by-step kernel;
* on a CPU without AVX512-BF16, float32: oneDNN's bfloat16 LSTM needs that
  instruction set. Earlier versions switched oneDNN off for the whole
  process (``torch.backends.mkldnn.enabled = False``) while predicting, which
  raced with other threads; nothing global changes now.

Everything else is left to autocast.
"""

import contextlib

import torch
from torch.overrides import TorchFunctionMode

from .device import device_type

__all__ = ["PRECISIONS", "autocast", "check_precision"]

#: Accepted values of ``precision``: the autocast dtype, None for plain float32.
PRECISIONS = {"float32": None, "bf16": torch.bfloat16}

#: First cuDNN version (``torch.backends.cudnn.version()``) whose RNN takes bfloat16.
CUDNN_BF16_RNN = 91300


def _check_known(precision):
    if precision not in PRECISIONS:
        raise ValueError(
            f"precision={precision!r} is not supported; use one of "
            f"{sorted(PRECISIONS)}."
        )


def check_precision(precision, device):
    """Refuse ``precision`` on ``device`` before training, with the fix.

    ``"bf16"`` on a CUDA device needs native bfloat16 (compute capability 8.0,
    Ampere, or newer; the test of
    ``torch.cuda.is_bf16_supported(including_emulation=False)``, applied to
    ``device`` rather than the current device). Older GPUs would emulate it,
    slower than float32.

    Parameters
    ----------
    precision : {"float32", "bf16"}
    device : str or torch.device
        The training device (``"cuda:N"``).

    Raises
    ------
    ValueError
        If the device cannot run ``precision``.
    """
    _check_known(precision)
    if PRECISIONS[precision] is None or device_type(device) != "cuda":
        return
    if torch.version.hip:  # pragma: no cover - ROCm reports its own support
        supported = torch.cuda.is_bf16_supported(including_emulation=False)
    else:
        supported = torch.cuda.get_device_capability(device)[0] >= 8
    if not supported:
        name = torch.cuda.get_device_name(device)
        raise ValueError(
            f"precision='bf16' needs a GPU with native bfloat16 (compute "
            f"capability 8.0, Ampere, or newer), but {device} is a {name}; use "
            "precision='float32'."
        )


def _cudnn_has_bf16_rnn():
    return (torch.backends.cudnn.version() or 0) >= CUDNN_BF16_RNN


def _cpu_has_bf16():
    check = getattr(torch._C._cpu, "_is_avx512_bf16_supported", None)
    return bool(check and check())


def _cast(value, dtype):
    if isinstance(value, torch.Tensor):
        return value.to(dtype) if value.is_floating_point() else value
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(v, dtype) for v in value)
    return value


class FusedLSTMPrecision(TorchFunctionMode):
    """Run ``torch.lstm`` outside autocast, in ``dtype``.

    Active only for the thread that entered it, and only while autocast is
    enabled for ``device_type`` (so ``torch.autocast(..., enabled=False)``
    inside still means float32).

    Parameters
    ----------
    dtype : torch.dtype
        Dtype of the input, states and weights of the fused LSTM.
    device_type : str
        ``"cuda"`` or ``"cpu"``.

    Examples
    --------
    >>> import torch
    >>> from sklstm.training.precision import FusedLSTMPrecision
    >>> lstm = torch.nn.LSTM(2, 3, batch_first=True)
    >>> with (
    ...     torch.autocast("cpu", dtype=torch.bfloat16),
    ...     FusedLSTMPrecision(torch.float32, "cpu"),
    ... ):
    ...     lstm(torch.zeros(1, 4, 2))[0].dtype
    torch.float32
    """

    def __init__(self, dtype, device_type):
        super().__init__()
        self.dtype = dtype
        self.device_type = device_type

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func is not torch.lstm or not torch.is_autocast_enabled(self.device_type):
            return func(*args, **kwargs)
        with torch.autocast(self.device_type, enabled=False):
            return func(*_cast(args, self.dtype), **kwargs)


def autocast(device, precision):
    """Return the mixed-precision context for ``precision`` on ``device``.

    Parameters
    ----------
    device : str or torch.device
        Where the forward pass runs; its type picks the autocast backend.
    precision : {"float32", "bf16"}
        ``"float32"``: no autocast. ``"bf16"``: :func:`torch.autocast` with
        ``torch.bfloat16`` (matrix products, convolutions and, on CUDA with
        cuDNN 9.13+, the fused LSTM in bfloat16; reductions and losses in
        float32; weights and optimizer state stay float32). With an older
        cuDNN, or on a CPU without AVX512-BF16, the fused LSTM runs in
        float32. See the module notes.

    Returns
    -------
    context : context manager
        It changes only the calling thread's state.

    Examples
    --------
    >>> import torch
    >>> from sklstm.training.precision import autocast
    >>> with autocast("cpu", "bf16"):
    ...     (torch.ones(2, 2) @ torch.ones(2, 2)).dtype
    torch.bfloat16
    """
    _check_known(precision)
    dtype = PRECISIONS[precision]
    if dtype is None:
        return contextlib.nullcontext()
    kind = device_type(device)
    lstm_dtype = None
    if kind == "cuda":
        # Never float16 (AutocastRNN.cpp): see the module notes.
        lstm_dtype = dtype if _cudnn_has_bf16_rnn() else torch.float32
    elif kind == "cpu" and not _cpu_has_bf16():
        lstm_dtype = torch.float32
    return _mixed(kind, dtype, lstm_dtype)


@contextlib.contextmanager
def _mixed(kind, dtype, lstm_dtype):
    with torch.autocast(device_type=kind, dtype=dtype):
        if lstm_dtype is None:
            yield
        else:
            with FusedLSTMPrecision(lstm_dtype, kind):
                yield
