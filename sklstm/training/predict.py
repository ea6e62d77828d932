"""Forward passes over a whole dataset, in fixed-size chunks, without autograd."""

import torch

from .data import BatchIterator
from .precision import autocast

__all__ = ["forward_all"]


def _pad_rows(tensor, n_rows, fill=0):
    missing = n_rows - len(tensor)
    if missing == 0:
        return tensor
    filler = tensor.new_full((missing, *tensor.shape[1:]), fill)
    return torch.cat([tensor, filler])


def forward_all(module, dataset, chunk_size, precision="float32"):
    """Return the module's outputs for every window of ``dataset``.

    Runs under :func:`torch.inference_mode`, which switches sklstm's dropout
    off in this thread only: the module's train/eval mode is not touched, so
    a prediction neither disturbs nor is disturbed by a training of the same
    module in another thread. Every forward pass sees exactly ``chunk_size``
    windows (the last chunk is padded), because float32 kernels round differently for
    different batch sizes: this way a window's prediction is bitwise the
    same whichever other windows are predicted with it. The module is not
    modified, so several threads may call this on one module at once.

    Parameters
    ----------
    module : torch.nn.Module
        The trained network.
    dataset : WindowDataset
        The windows, on the module's device.
    chunk_size : int
        Windows per forward pass.
    precision : {"float32", "bf16"}, default="float32"
        Run the forward passes under this autocast precision
        (see :func:`~sklstm.training.precision.autocast`).

    Returns
    -------
    outputs : Tensor of shape (n, n_outputs), float32, on the CPU
    """
    outputs = []
    device = next(module.parameters()).device
    with torch.inference_mode(), autocast(device, precision):
        for X, _ in BatchIterator(dataset, batch_size=chunk_size):
            if isinstance(X, dict):
                n = len(X["x"])
                out = module(
                    _pad_rows(X["x"], chunk_size),
                    _pad_rows(X["lengths"], chunk_size, fill=X["x"].shape[1]),
                )
            else:
                n = len(X)
                out = module(_pad_rows(X, chunk_size))
            outputs.append(out[:n].float())
    return torch.cat(outputs).cpu()
