"""Checkpoints during training, and the optimizer state they carry."""

import torch
from skorch.callbacks import Callback

__all__ = ["PeriodicCheckpoint", "export_training_state", "restore_training_state"]


class PeriodicCheckpoint(Callback):
    """Call ``save(net, epoch)`` every ``every`` epochs.

    Parameters
    ----------
    every : int
        Save after every ``every``-th epoch (counted over the net's whole
        history, so a resumed run keeps the same schedule).
    save : callable
        ``save(net, epoch)`` writes the checkpoint; the estimator supplies
        it, so that a checkpoint is a complete saved model.

    Examples
    --------
    >>> from sklstm.training.checkpoint import PeriodicCheckpoint
    >>> PeriodicCheckpoint(every=5, save=print)
    PeriodicCheckpoint(every=5)
    """

    def __init__(self, every, save):
        self.every = every
        self.save = save

    def on_epoch_end(self, net, **kwargs):
        epoch = net.history[-1]["epoch"]
        if epoch % self.every == 0:
            self.save(net, epoch)

    def __repr__(self):
        return f"PeriodicCheckpoint(every={self.every!r})"


def _cpu(tensor):
    return tensor.detach().to("cpu").contiguous()


def export_training_state(net, rng_state):
    """Return the optimizer state and random streams as ``(tensors, info)``.

    Parameters
    ----------
    net : skorch.NeuralNet
        An initialised net whose iterator has a ``generator`` (the shuffling
        order).
    rng_state : dict of str to Tensor
        The torch random streams to keep (``{"cpu": ..., "cuda": ...}``).

    Returns
    -------
    tensors : dict of str to Tensor
        Flat, CPU tensors (safetensors can store them).
    info : dict
        The JSON part: optimizer ``param_groups`` and non-tensor state.
    """
    state = net.optimizer_.state_dict()
    tensors, extra = {}, {}
    for index, entries in state["state"].items():
        for key, value in entries.items():
            if torch.is_tensor(value):
                tensors[f"optimizer/{index}/{key}"] = _cpu(value)
            else:
                extra.setdefault(str(index), {})[key] = value
    for device, value in rng_state.items():
        tensors[f"rng/{device}"] = _cpu(value)
    tensors["rng/shuffle"] = net.iterator_train__generator.get_state()
    return tensors, {"param_groups": state["param_groups"], "state": extra}


def restore_training_state(net, tensors, info):
    """Put the state of :func:`export_training_state` back into ``net``.

    Parameters
    ----------
    net : skorch.NeuralNet
        An initialised net of the same architecture.
    tensors, info
        What :func:`export_training_state` returned.

    Returns
    -------
    rng_state : dict of str to Tensor
        The torch random streams, for the estimator to restore when training
        continues.
    """
    state = {int(index): dict(entries) for index, entries in info["state"].items()}
    rng_state = {}
    for key, value in tensors.items():
        kind, _, rest = key.partition("/")
        if kind == "optimizer":
            index, _, name = rest.partition("/")
            state.setdefault(int(index), {})[name] = value
        elif rest == "shuffle":
            net.iterator_train__generator.set_state(value)
        else:
            rng_state[rest] = value
    net.optimizer_.load_state_dict(
        {"state": state, "param_groups": info["param_groups"]}
    )
    return rng_state
