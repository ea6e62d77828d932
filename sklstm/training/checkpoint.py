"""Checkpoints during training, and the optimizer state they carry."""

import torch
from skorch.callbacks import Callback

__all__ = [
    "CheckpointWarning",
    "PeriodicCheckpoint",
    "export_training_state",
    "restore_training_state",
]


class CheckpointWarning(UserWarning):
    """A checkpoint could not be written; training went on without it."""


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

    def on_train_begin(self, net, **kwargs):
        # A writer may check its destination before any epoch runs, and say
        # how often to write (None: not at all) for this run.
        begin = getattr(self.save, "begin", None)
        self.every_ = self.every if begin is None else begin(net, self.every)

    def on_epoch_end(self, net, **kwargs):
        epoch = net.history[-1]["epoch"]
        every = getattr(self, "every_", self.every)
        if every and epoch % every == 0:
            self.save(net, epoch)

    def __repr__(self):
        return f"PeriodicCheckpoint(every={self.every!r})"


def cpu_tensor(tensor):
    """A detached, contiguous CPU copy of ``tensor`` (what safetensors stores)."""
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
        The JSON part: optimizer ``param_groups`` and non-tensor state, and
        the state of callbacks that have an ``export_state()`` method.
    """
    state = net.optimizer_.state_dict()
    tensors, extra, callbacks = {}, {}, {}
    for index, entries in state["state"].items():
        for key, value in entries.items():
            if torch.is_tensor(value):
                tensors[f"optimizer/{index}/{key}"] = cpu_tensor(value)
            else:
                extra.setdefault(str(index), {})[key] = value
    for device, value in rng_state.items():
        tensors[f"rng/{device}"] = cpu_tensor(value)
    tensors["rng/shuffle"] = net.iterator_train__generator.get_state()
    for name, callback in net.callbacks_:
        export = getattr(callback, "export_state", None)
        if export is not None:
            info, arrays = export()
            callbacks[name] = info
            for key, value in arrays.items():
                tensors[f"callback/{name}/{key}"] = cpu_tensor(value)
    info = {"param_groups": state["param_groups"], "state": extra}
    if callbacks:
        info["callbacks"] = callbacks
    return tensors, info


def restore_training_state(net, tensors, info):
    """Put the state of :func:`export_training_state` back into ``net``.

    Parameters
    ----------
    net : skorch.NeuralNet
        An initialised net of the same architecture.
    tensors, info
        What :func:`export_training_state` returned. Callbacks with
        ``export_state()`` / ``restore_state(net, info, arrays)`` methods
        (early stopping) have their state saved and restored too.

    Returns
    -------
    rng_state : dict of str to Tensor
        The torch random streams, for the estimator to restore when training
        continues.

    Raises
    ------
    ValueError
        If the state does not fit ``net`` (other parameters, shapes or
        random-stream sizes); ``net`` is then unchanged.
    """
    state = {int(index): dict(entries) for index, entries in info["state"].items()}
    rng_state, callbacks = {}, {}
    shuffle = None
    for key, value in tensors.items():
        kind, _, rest = key.partition("/")
        if kind == "optimizer":
            index, _, name = rest.partition("/")
            state.setdefault(int(index), {})[name] = value
        elif kind == "callback":
            name, _, array = rest.partition("/")
            callbacks.setdefault(name, {})[array] = value
        elif rest == "shuffle":
            shuffle = value
        else:
            rng_state[rest] = value
    _check_optimizer_state(net, state, info["param_groups"])
    _check_rng_state(net, rng_state, shuffle)
    restorers = _callback_restorers(net, info.get("callbacks", {}), callbacks)
    net.optimizer_.load_state_dict(
        {"state": state, "param_groups": info["param_groups"]}
    )
    net.iterator_train__generator.set_state(shuffle)
    for restore in restorers:
        restore()
    return rng_state


def _check_optimizer_state(net, state, groups):
    current = net.optimizer_.state_dict()["param_groups"]
    params = [p for group in net.optimizer_.param_groups for p in group["params"]]
    if [g["params"] for g in groups] != [g["params"] for g in current]:
        raise ValueError("the optimizer's parameter groups differ from the network's")
    for index, entries in state.items():
        if index >= len(params):
            raise ValueError(f"optimizer state for parameter {index}, which is absent")
        for name, value in entries.items():
            if torch.is_tensor(value) and value.dim() > 0:
                if value.shape != params[index].shape or not value.is_floating_point():
                    raise ValueError(
                        f"optimizer state {index}/{name} has shape "
                        f"{tuple(value.shape)}, the parameter "
                        f"{tuple(params[index].shape)}"
                    )
    for group, saved in zip(current, groups):
        unknown = set(saved) - set(group)
        if unknown:
            raise ValueError(f"unknown optimizer settings {sorted(unknown)}")


def _check_rng_state(net, rng_state, shuffle):
    expected = net.iterator_train__generator.get_state()
    if (
        shuffle is None
        or shuffle.dtype != torch.uint8
        or shuffle.shape != expected.shape
    ):
        raise ValueError("the shuffling random stream is missing or malformed")
    if set(rng_state) - {"dropout"}:
        raise ValueError(f"unknown random streams {sorted(rng_state)}")
    for name, value in rng_state.items():
        if value.dtype != torch.uint8 or value.dim() != 1 or value.numel() > 1 << 16:
            raise ValueError(f"the {name} random stream is malformed")


def _callback_restorers(net, infos, arrays):
    """Check each callback's saved state; return the calls that put it back."""
    if not isinstance(infos, dict):
        raise ValueError("the callbacks' state is not a JSON object")
    callbacks = dict(net.callbacks_)
    restorers = []
    for name in set(infos) | set(arrays):
        restore = getattr(callbacks.get(name), "restore_state", None)
        if restore is None:
            raise ValueError(f"state for a callback {name!r} the net does not have")
        restorers.append(restore(net, infos.get(name, {}), arrays.get(name, {})))
    return restorers
