"""The random streams one training run owns, apart from torch's global one.

A fit draws from three streams: the initial weights, the shuffling order and
the dropout masks. None of them is torch's process-wide generator during
training, so fits in threads neither disturb each other nor the user's own
random numbers, and each is repeatable from its ``random_state``.
"""

import contextlib
import threading
import warnings

import torch

__all__ = ["dropout_stream", "seeded_construction", "stream_state"]

#: Modules draw their initial weights from torch's global CPU generator as
#: they are built; one build at a time may seed it.
_CONSTRUCTION_LOCK = threading.Lock()


@contextlib.contextmanager
def seeded_construction(seed):
    """Build modules from torch's global CPU generator seeded with ``seed``.

    The generator's state is restored on exit, and no other fit of this
    process seeds it meanwhile, so the global stream is left as it was.

    Parameters
    ----------
    seed : int
        Seed of the initial weights.

    Examples
    --------
    >>> import torch
    >>> from sklstm.training.random_state import seeded_construction
    >>> before = torch.get_rng_state()
    >>> with seeded_construction(0):
    ...     a = torch.nn.Linear(2, 2).weight
    >>> with seeded_construction(0):
    ...     b = torch.nn.Linear(2, 2).weight
    >>> bool(torch.equal(a, b)), bool(torch.equal(before, torch.get_rng_state()))
    (True, True)
    """
    with _CONSTRUCTION_LOCK, torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(seed)
        yield


def dropout_stream(device, seed=None, state=None):
    """Return a generator on ``device`` for dropout masks.

    Parameters
    ----------
    device : str or torch.device
        Where the masks are drawn (the training device).
    seed : int, default=None
        Seed of a new stream.
    state : dict, default=None
        A state from :func:`stream_state`, to continue a stream; takes
        precedence over ``seed``. A state drawn on another device type (a
        CUDA generator's does not fit a CPU generator, or the reverse) cannot
        continue: a warning says so and the stream starts afresh.

    Returns
    -------
    generator : torch.Generator
    """
    generator = torch.Generator(device=torch.device(device))
    if state is not None and "dropout" in state:
        try:
            generator.set_state(state["dropout"].to("cpu"))
            return generator
        except RuntimeError:
            warnings.warn(
                "The saved dropout random stream was drawn on another device type "
                "and cannot continue here; training continues with a fresh stream, "
                "so a resumed run will not repeat the original one exactly.",
                UserWarning,
                stacklevel=4,
            )
            seed = 0
    generator.manual_seed(0 if seed is None else seed)
    return generator


def stream_state(generator):
    """The state of a dropout stream, as a dict of CPU tensors (for saving)."""
    return {"dropout": generator.get_state()}
