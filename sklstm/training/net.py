"""Build the skorch net that trains a network on a :class:`WindowDataset`."""

import copy

import torch
from skorch.callbacks import GradientNormClipping, ProgressBar

from .callbacks import FiniteLoss
from .checkpoint import PeriodicCheckpoint
from .data import BatchIterator
from .early_stopping import ResumableEarlyStopping
from .loop import FastNeuralNet
from .printing import EpochTable
from .schedules import make_lr_schedule
from .split import TailSplit

__all__ = ["OPTIMIZERS", "build_net", "continue_net", "training_callbacks"]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}


def build_net(module, criterion, settings, *, device, generator, checkpoint_save=None):
    """Return an initialised :class:`~.loop.FastNeuralNet` for ``module``.

    Parameters
    ----------
    module : torch.nn.Module
        The network, already built (and seeded).
    criterion : torch.nn.Module
        The loss.
    settings : TrainingSettings
        Optimizer, schedule, early stopping, clipping, precision, verbosity.
    device : str
        Torch device.
    generator : torch.Generator
        Shuffling order of the training batches.
    checkpoint_save : callable, default=None
        ``checkpoint_save(net, epoch)`` writes a checkpoint every
        ``settings.checkpoint_every`` epochs; None: no checkpoints.

    Training always stops with
    :class:`~sklstm.training.callbacks.TrainingDivergedError` once an
    epoch's loss is NaN or infinite.

    Returns
    -------
    net : FastNeuralNet
        A :class:`skorch.NeuralNet` that syncs with the device once per epoch.
    """
    callbacks = training_callbacks(settings, checkpoint_save)
    optimizer = settings.optimizer
    if isinstance(optimizer, str):
        optimizer = OPTIMIZERS[optimizer]
    net = FastNeuralNet(
        module=module,
        criterion=criterion,
        optimizer=optimizer,
        lr=settings.lr,
        max_epochs=settings.max_epochs,
        batch_size=settings.batch_size,
        iterator_train=BatchIterator,
        iterator_train__shuffle=True,
        iterator_train__generator=generator,
        iterator_valid=BatchIterator,
        train_split=_train_split(settings),
        callbacks=callbacks,
        # skorch's table without ANSI colours when stdout is not a terminal.
        callbacks__print_log=EpochTable(),
        device=device,
        verbose=int(settings.verbose >= 1),
        precision=settings.precision,
    )
    return net.initialize()


def _train_split(settings):
    if settings.early_stopping:
        return TailSplit(settings.validation_fraction, gap=settings.validation_gap)
    return None


def training_callbacks(settings, checkpoint_save=None):
    """Return the callbacks of a training run, in the order they run.

    :class:`~.callbacks.FiniteLoss` first (a diverged epoch never reaches a
    checkpoint), early stopping, the learning-rate schedule, gradient
    clipping, the user's ``settings.callbacks`` (deep-copied, so that the
    objects passed are never changed; they write into the epoch's history
    row before the checkpoint saves it), the checkpoint, the progress bar.

    Parameters
    ----------
    settings : TrainingSettings
        Early stopping, schedule, clipping, user callbacks, verbosity.
    checkpoint_save : callable, default=None
        As in :func:`build_net`.

    Returns
    -------
    callbacks : list
        Callbacks and ``(name, callback)`` pairs for :class:`skorch.NeuralNet`.

    Examples
    --------
    >>> from skorch.callbacks import EpochScoring
    >>> from sklstm.training import TrainingSettings, training_callbacks
    >>> settings = TrainingSettings(
    ...     "adam", 1e-3, 10, 32, lr_schedule="cosine",
    ...     callbacks=[EpochScoring("r2")],
    ... )
    >>> training_callbacks(settings)  # doctest: +ELLIPSIS
    [FiniteLoss(), ('lr_schedule', CosineSchedule()), <skorch...EpochScoring...>]
    """
    callbacks = [FiniteLoss()]
    if settings.early_stopping:
        callbacks.append(
            ResumableEarlyStopping(
                monitor="valid_loss",
                patience=settings.n_iter_no_change,
                threshold=settings.tol,
                threshold_mode="rel",
                load_best=True,
            )
        )
    schedule = make_lr_schedule(
        settings.lr_schedule,
        n_iter_no_change=settings.n_iter_no_change,
        tol=settings.tol,
    )
    if schedule is not None:
        callbacks.append(("lr_schedule", schedule))
    if settings.gradient_clip is not None:
        callbacks.append(
            GradientNormClipping(gradient_clip_value=settings.gradient_clip)
        )
    callbacks += copy.deepcopy(list(settings.callbacks or []))
    if checkpoint_save is not None:
        callbacks.append(PeriodicCheckpoint(settings.checkpoint_every, checkpoint_save))
    if settings.verbose >= 2:
        callbacks.append(ProgressBar())
    return callbacks


def continue_net(net, settings, checkpoint_save=None):
    """Prepare a trained net to train on with the current ``settings``.

    The weights, optimizer state and history stay, and so does the state of
    callbacks that have one (early stopping); the learning rate, batch
    size, ``max_epochs``, validation split, schedule and the user's
    callbacks are set anew. Schedules need nothing else: their rate is a
    function of the history.

    Parameters
    ----------
    net : FastNeuralNet
        A net from :func:`build_net`.
    settings : TrainingSettings
        The settings to continue with.
    checkpoint_save : callable, default=None
        As in :func:`build_net`.

    Returns
    -------
    net : FastNeuralNet
        The same net.
    """
    net.set_params(
        lr=settings.lr,
        batch_size=settings.batch_size,
        max_epochs=settings.max_epochs,
        train_split=_train_split(settings),
    )
    previous = dict(net.callbacks_)
    # Not set_params(callbacks=...): skorch would initialise the old ones.
    net.callbacks = training_callbacks(settings, checkpoint_save)
    net.initialize_callbacks()
    net.callbacks_ = [
        (name, previous[name] if _keeps_state(previous.get(name), new) else new)
        for name, new in net.callbacks_
    ]
    return net


def _keeps_state(old, new):
    return type(old) is type(new) and hasattr(old, "export_state")
