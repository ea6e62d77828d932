"""Run training epochs so that an interruption never leaves half an epoch behind."""

import contextlib
import copy
import signal
import threading

import torch
from skorch.callbacks import Callback

from ..networks import dropout_generator

__all__ = ["NetSnapshot", "TrainingInterrupted", "run_epochs"]


class TrainingInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped training; the net was rolled back to its last whole epoch.

    Attributes
    ----------
    completed_epochs : int
        Epochs of this run that finished before the interruption (their
        weights are the ones kept).
    """

    def __init__(self, completed_epochs):
        super().__init__(
            f"Training was interrupted; {completed_epochs} complete epoch(s) of this "
            "run are kept."
        )
        self.completed_epochs = completed_epochs


_IMMUTABLE = (int, float, bool, str, type(None))


def _clone(value):
    """A deep copy of nested dicts, lists and tuples of tensors (a state dict).

    Tensors are cloned directly: :func:`copy.deepcopy`'s generic path costs
    more than the copy itself for a small network, and a snapshot is taken
    after every epoch.
    """
    if torch.is_tensor(value):
        return value.detach().clone()
    if type(value) in _IMMUTABLE:
        return value
    if type(value) is dict:
        return {key: _clone(item) for key, item in value.items()}
    if type(value) in (list, tuple):
        return type(value)(_clone(item) for item in value)
    return copy.deepcopy(value)


class NetSnapshot:
    """A copy of everything training changes in a skorch net, to roll back to.

    Weights, optimizer state, the shuffling generator, the dropout masks'
    generator, the length of the history, and the state of callbacks that
    have one (early stopping).

    Parameters
    ----------
    net : skorch.NeuralNet
        An initialised net.
    """

    def __init__(self, net):
        self.module = {k: _clone(v) for k, v in net.module_.state_dict().items()}
        self.optimizer = _clone(net.optimizer_.state_dict())
        self.shuffle = net.iterator_train__generator.get_state()
        dropout = dropout_generator(net.module_)
        self.dropout = None if dropout is None else dropout.get_state()
        self.n_epochs = len(net.history)
        self.params = {"lr": net.lr, "batch_size": net.batch_size}
        # Callbacks with a training state of their own (early stopping).
        self.callbacks = {
            name: copy.deepcopy(vars(callback))
            for name, callback in net.callbacks_
            if hasattr(callback, "export_state")
        }

    def restore(self, net):
        """Put ``net`` back into the state of the snapshot."""
        net.set_params(**self.params)
        net.module_.load_state_dict(self.module)
        net.optimizer_.load_state_dict(self.optimizer)
        net.iterator_train__generator.set_state(self.shuffle)
        if self.dropout is not None:
            dropout_generator(net.module_).set_state(self.dropout)
        del net.history[self.n_epochs :]
        for name, callback in net.callbacks_:
            if name in self.callbacks:
                vars(callback).clear()
                vars(callback).update(copy.deepcopy(self.callbacks[name]))


class _EpochSnapshots(Callback):
    """Keep a :class:`NetSnapshot` of the end of the latest complete epoch."""

    def __init__(self):
        self.latest = None
        self.completed = 0

    def on_epoch_end(self, net, **kwargs):
        self.latest = NetSnapshot(net)
        self.completed += 1


@contextlib.contextmanager
def _watch_for_ctrl_c():
    """Tell a real Ctrl-C from the KeyboardInterrupt skorch callbacks raise to stop.

    skorch's ``EarlyStopping`` (and user callbacks, by skorch's convention)
    end training by raising :class:`KeyboardInterrupt`; only SIGINT sets
    ``seen["ctrl_c"]``. Signals reach the main thread only, so elsewhere
    every KeyboardInterrupt is a callback's.
    """
    seen = {"ctrl_c": False}
    if threading.current_thread() is not threading.main_thread():
        yield seen
        return
    previous = signal.getsignal(signal.SIGINT)

    def handler(signum, frame):
        if previous is signal.SIG_IGN:
            return
        seen["ctrl_c"] = True
        if callable(previous):
            previous(signum, frame)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    try:
        yield seen
    finally:
        signal.signal(signal.SIGINT, previous)


def run_epochs(net, dataset, epochs):
    """Train ``net`` on ``dataset`` for ``epochs`` epochs (fewer if a callback stops).

    skorch's own ``partial_fit`` swallows :class:`KeyboardInterrupt` and keeps
    a half-trained epoch as if it were whole. Here Ctrl-C rolls the net back
    to the end of the last complete epoch and raises
    :class:`TrainingInterrupted`, so a script or a grid search stops, and no
    complete epoch is lost. A callback that stops training the skorch way
    (raising :class:`KeyboardInterrupt` from ``on_epoch_end``, as
    ``EarlyStopping`` does) ends it normally.

    Parameters
    ----------
    net : skorch.NeuralNet
        An initialised net.
    dataset : WindowDataset
        Training data (the net's ``train_split`` holds out validation rows).
    epochs : int
        Number of epochs.

    Returns
    -------
    net : skorch.NeuralNet

    Raises
    ------
    TrainingInterrupted
        On Ctrl-C, after the roll-back.
    """
    snapshots = _EpochSnapshots()
    start = NetSnapshot(net)
    # The snapshot must see each epoch after every other callback (early
    # stopping, divergence checks, checkpoints) has run on it.
    net.callbacks_.append(("_epoch_snapshots", snapshots))
    try:
        with _watch_for_ctrl_c() as seen:
            net.notify("on_train_begin", X=dataset, y=None)
            try:
                net.fit_loop(dataset, None, epochs=epochs)
            except KeyboardInterrupt:
                if seen["ctrl_c"]:
                    raise
            net.notify("on_train_end", X=dataset, y=None)
    except KeyboardInterrupt:
        (snapshots.latest or start).restore(net)
        raise TrainingInterrupted(snapshots.completed) from None
    finally:
        net.callbacks_.remove(("_epoch_snapshots", snapshots))
    return net
