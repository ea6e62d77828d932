"""The torch random streams that one training run draws from."""

import torch

__all__ = ["cuda_indices", "get_rng_state", "set_rng_state"]


def cuda_indices(device):
    """The CUDA device indices ``torch.random.fork_rng`` must protect for ``device``."""
    device = torch.device(device)
    return [device.index or 0] if device.type == "cuda" else []


def get_rng_state(device):
    """The torch random streams training on ``device`` draws from."""
    state = {"cpu": torch.get_rng_state()}
    if str(device).startswith("cuda"):
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def set_rng_state(state):
    """Restore the streams of :func:`get_rng_state`."""
    torch.set_rng_state(state["cpu"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state["cuda"])
