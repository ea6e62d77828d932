"""Build the skorch net that trains a network on a :class:`WindowDataset`."""

import torch
from skorch.callbacks import GradientNormClipping, ProgressBar

from .callbacks import FiniteLoss
from .checkpoint import PeriodicCheckpoint
from .data import BatchIterator
from .early_stopping import ResumableEarlyStopping
from .loop import FastNeuralNet
from .printing import EpochTable
from .split import TailSplit

__all__ = ["OPTIMIZERS", "build_net"]

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
    # FiniteLoss first: a diverged epoch must never reach a checkpoint.
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
    if settings.gradient_clip is not None:
        callbacks.append(
            GradientNormClipping(gradient_clip_value=settings.gradient_clip)
        )
    if checkpoint_save is not None:
        callbacks.append(PeriodicCheckpoint(settings.checkpoint_every, checkpoint_save))
    if settings.verbose >= 2:
        callbacks.append(ProgressBar())
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
        train_split=(
            TailSplit(settings.validation_fraction) if settings.early_stopping else None
        ),
        callbacks=callbacks,
        # skorch's table without ANSI colours when stdout is not a terminal.
        callbacks__print_log=EpochTable(),
        device=device,
        verbose=int(settings.verbose >= 1),
        precision=settings.precision,
    )
    return net.initialize()
