"""Learning-rate schedules whose rate is a pure function of the training history.

A schedule here is a skorch callback that, at the start of each epoch, sets
the optimizer's learning rate from ``net.lr`` and what ``net.history``
already holds (the epochs done, the losses recorded, the schedule's own
bookkeeping) and records it as ``history[-1]["lr"]``. It keeps no state of
its own, so a run resumed from a checkpoint, continued with ``warm_start`` or
trained by ``partial_fit`` gets exactly the rates of an uninterrupted run:
the history is saved with the model, and nothing else is needed.
"""

import math

from skorch.callbacks import Callback

__all__ = ["LR_SCHEDULES", "CosineSchedule", "PlateauSchedule", "make_lr_schedule"]


class _HistorySchedule(Callback):
    """Set the learning rate at each epoch's start from the history alone."""

    def lr_at(self, net, done):
        """Return the rate of the next epoch; ``done`` are the finished rows."""
        raise NotImplementedError

    def on_epoch_begin(self, net, **kwargs):
        # skorch has already opened this epoch's row: history[-1].
        lr = self.lr_at(net, net.history[:-1])
        for name in net._optimizers:
            for group in getattr(net, name + "_").param_groups:
                group["lr"] = lr
        net.history.record("lr", lr)


class CosineSchedule(_HistorySchedule):
    """Cosine decay from ``net.lr`` towards zero over a cycle of epochs.

    Epoch ``p`` (1-based) of a cycle of ``T`` epochs trains at
    ``lr * (1 + cos(pi * (p - 1) / T)) / 2``. A cycle starts with
    ``T = net.max_epochs`` when there is none under way in the history, and
    runs to its end even when training is interrupted and resumed with a
    different ``max_epochs``: ``fit`` from scratch is one cycle, a resumed
    run finishes the interrupted cycle, and a ``warm_start`` fit after a
    finished one starts a new cycle (a warm restart). ``partial_fit`` calls
    walk through one cycle of ``max_epochs`` calls.

    Each epoch records ``lr``, ``lr_cycle_epoch`` (``p``) and
    ``lr_cycle_epochs`` (``T``) in its history row.

    Examples
    --------
    >>> import torch
    >>> from skorch import NeuralNet
    >>> from sklstm.training.schedules import CosineSchedule
    >>> net = NeuralNet(
    ...     torch.nn.Linear(1, 1), torch.nn.MSELoss, lr=0.1, max_epochs=4,
    ...     train_split=None, callbacks=[CosineSchedule()], verbose=0,
    ... )
    >>> X, y = torch.zeros(8, 1), torch.zeros(8, 1)
    >>> [round(lr, 4) for lr in net.fit(X, y).history[:, "lr"]]
    [0.1, 0.0854, 0.05, 0.0146]
    """

    def lr_at(self, net, done):
        position, length = 1, net.max_epochs
        if done:
            last = done[-1]
            previous = last.get("lr_cycle_epoch")
            if previous is not None and previous < last["lr_cycle_epochs"]:
                position, length = previous + 1, last["lr_cycle_epochs"]
        net.history.record("lr_cycle_epoch", position)
        net.history.record("lr_cycle_epochs", length)
        return net.lr * (1 + math.cos(math.pi * (position - 1) / length)) / 2

    def __repr__(self):
        return "CosineSchedule()"


class PlateauSchedule(_HistorySchedule):
    """Multiply the rate by ``factor`` when the monitored loss stops improving.

    The rule of :class:`torch.optim.lr_scheduler.ReduceLROnPlateau` (relative
    threshold, no cooldown), replayed over the history at each epoch: a loss
    improves when it is below ``best * (1 - threshold)``; after more than
    ``patience`` epochs without improvement the rate is multiplied by
    ``factor`` and the count starts again. The loss of an epoch is its
    ``valid_loss`` when it has one (early stopping), else its ``train_loss``.

    Parameters
    ----------
    patience : int, default=5
        Epochs without improvement tolerated before a reduction.
    factor : float, default=0.5
        Multiplier applied at each reduction.
    threshold : float, default=1e-4
        Relative improvement that counts.

    Examples
    --------
    >>> from sklstm.training.schedules import PlateauSchedule
    >>> class Net:
    ...     lr = 1.0
    >>> rows = [{"train_loss": loss} for loss in [3, 2, 2, 2, 2, 2, 2, 2, 2]]
    >>> PlateauSchedule(patience=2).rate(Net(), rows)
    0.25
    """

    def __init__(self, patience=5, factor=0.5, threshold=1e-4):
        self.patience = patience
        self.factor = factor
        self.threshold = threshold

    def rate(self, net, done):
        """Replay ``done`` history rows and return the next epoch's rate."""
        scale, best, bad = 1.0, math.inf, 0
        for row in done:
            loss = row.get("valid_loss", row.get("train_loss"))
            if loss is None:  # an epoch interrupted before its end
                continue
            if loss < best * (1 - self.threshold):
                best, bad = loss, 0
            else:
                bad += 1
            if bad > self.patience:
                scale, bad = scale * self.factor, 0
        return net.lr * scale

    def lr_at(self, net, done):
        return self.rate(net, done)

    def __repr__(self):
        return (
            f"PlateauSchedule(patience={self.patience!r}, factor={self.factor!r}, "
            f"threshold={self.threshold!r})"
        )


#: Accepted values of ``lr_schedule`` (besides None).
LR_SCHEDULES = ("cosine", "plateau")


def make_lr_schedule(name, *, n_iter_no_change=10, tol=1e-4):
    """Return the schedule callback called ``name``, or None for None.

    Parameters
    ----------
    name : {"cosine", "plateau"} or None
        ``"cosine"``: :class:`CosineSchedule`; ``"plateau"``:
        :class:`PlateauSchedule` with half of early stopping's patience
        (``max(1, n_iter_no_change // 2)``), so that the rate is lowered
        before training is stopped, and ``tol`` as its threshold.
    n_iter_no_change : int, default=10
        Early stopping's patience.
    tol : float, default=1e-4
        Relative improvement that counts.

    Returns
    -------
    callback : skorch.callbacks.Callback or None

    Examples
    --------
    >>> from sklstm.training.schedules import make_lr_schedule
    >>> make_lr_schedule("plateau", n_iter_no_change=8)
    PlateauSchedule(patience=4, factor=0.5, threshold=0.0001)
    >>> make_lr_schedule(None) is None
    True
    """
    if name is None:
        return None
    if name == "cosine":
        return CosineSchedule()
    if name == "plateau":
        return PlateauSchedule(patience=max(1, n_iter_no_change // 2), threshold=tol)
    raise ValueError(
        f"lr_schedule={name!r} is not supported; use one of {LR_SCHEDULES} or None."
    )
