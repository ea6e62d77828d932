"""Dropout that draws from a generator of its own, and never drops at inference."""

import warnings

import torch
from torch import nn

__all__ = ["GeneratorDropout", "dropout_generator", "set_dropout_generator"]


class GeneratorDropout(nn.Dropout):
    """:class:`torch.nn.Dropout` whose masks come from its own random stream.

    ``nn.Dropout`` draws from the process-wide torch generator, so two
    trainings in threads disturb each other's masks and cannot be repeated.
    With a ``generator`` set (see :func:`set_dropout_generator`) the masks
    come from it alone; without one this is exactly ``nn.Dropout``.

    Dropout is also off under :func:`torch.inference_mode`, which is
    thread-local: a prediction never drops units even while another thread
    trains the same module (and so holds it in training mode).

    Parameters
    ----------
    p : float, default=0.5
        Probability of zeroing a unit.

    Examples
    --------
    >>> import torch
    >>> from sklstm.networks.dropout import GeneratorDropout
    >>> drop = GeneratorDropout(0.5)
    >>> drop.generator = torch.Generator().manual_seed(0)
    >>> a = drop(torch.ones(1, 6))
    >>> drop.generator.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> bool(torch.equal(a, drop(torch.ones(1, 6))))
    True
    >>> with torch.inference_mode():
    ...     drop(torch.ones(1, 6))
    tensor([[1., 1., 1., 1., 1., 1.]])
    """

    def __init__(self, p=0.5):
        super().__init__(p)
        self.generator = None

    def __getstate__(self):
        # A generator pickles with its device, and unpickling a CUDA generator
        # fails where CUDA is absent, which would make a CUDA-trained model
        # unloadable on a CPU-only machine. Keep its device and state instead.
        state = super().__getstate__().copy()
        generator = state.pop("generator", None)
        if generator is not None:
            state["_generator_state"] = (str(generator.device), generator.get_state())
        return state

    def __setstate__(self, state):
        state = dict(state)
        saved = state.pop("_generator_state", None)
        super().__setstate__(state)
        self.generator = state.get("generator")
        if saved is not None:
            self.generator = _restore_generator(*saved)

    def forward(self, x):
        if not self.training or self.p == 0 or torch.is_inference_mode_enabled():
            return x
        if self.generator is None:
            return super().forward(x)
        keep = 1.0 - self.p
        mask = torch.empty_like(x).bernoulli_(keep, generator=self.generator)
        return x * mask / keep


def _restore_generator(device, state):
    """A generator on ``device`` in ``state``, or a fresh CPU one if there is none."""
    try:
        generator = torch.Generator(device=torch.device(device))
        generator.set_state(state)
        return generator
    except RuntimeError:
        warnings.warn(
            f"The dropout random stream was drawn on {device}, which does not exist "
            "here; training continues with a fresh stream on the CPU, so a resumed "
            "run will not repeat the original one exactly.",
            UserWarning,
            stacklevel=2,
        )
        return torch.Generator().manual_seed(0)


def set_dropout_generator(module, generator):
    """Make every :class:`GeneratorDropout` in ``module`` draw from ``generator``.

    Parameters
    ----------
    module : torch.nn.Module
        The network.
    generator : torch.Generator or None
        On the module's device; None restores the global stream.

    Returns
    -------
    module : torch.nn.Module
    """
    for layer in module.modules():
        if isinstance(layer, GeneratorDropout):
            layer.generator = generator
    return module


def dropout_generator(module):
    """The generator the :class:`GeneratorDropout` layers of ``module`` draw from.

    Parameters
    ----------
    module : torch.nn.Module
        The network.

    Returns
    -------
    generator : torch.Generator or None
        None when no layer has one.
    """
    for layer in module.modules():
        if isinstance(layer, GeneratorDropout) and layer.generator is not None:
            return layer.generator
    return None
