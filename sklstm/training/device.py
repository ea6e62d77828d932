"""Pick the torch device a user asked for, or fail before training starts."""

import torch

__all__ = ["resolve_device"]


def resolve_device(device):
    """Return a concrete device string for ``device``.

    Parameters
    ----------
    device : str
        ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"`` or
        ``"cuda:N"``.

    Returns
    -------
    device : str

    Raises
    ------
    ValueError
        If CUDA is asked for and PyTorch finds no (such) CUDA device.
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cpu":
        return device
    if device == "cuda" or device.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise ValueError(
                f"device={device!r} but PyTorch finds no CUDA device on this machine; "
                "use device='auto' (CUDA when present, else CPU) or device='cpu'."
            )
        index = device.partition(":")[2]
        if index and (not index.isdigit() or int(index) >= torch.cuda.device_count()):
            raise ValueError(
                f"device={device!r} names no CUDA device here; this machine has "
                f"{torch.cuda.device_count()} (cuda:0 to "
                f"cuda:{torch.cuda.device_count() - 1})."
            )
        return device
    raise ValueError(
        f"device={device!r} is not understood; use 'auto', 'cpu', 'cuda' or 'cuda:N'."
    )
