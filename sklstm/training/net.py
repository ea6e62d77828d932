"""Build the skorch net that trains a network on a :class:`WindowDataset`."""

import torch
from skorch.callbacks import EarlyStopping, GradientNormClipping, ProgressBar

from .callbacks import FiniteLoss, PeriodicCheckpoint
from .data import BatchIterator
from .loop import FastNeuralNet
from .split import TailSplit

__all__ = ["OPTIMIZERS", "build_net"]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}


def build_net(
    module,
    *,
    criterion,
    optimizer,
    lr,
    max_epochs,
    batch_size,
    device,
    generator,
    early_stopping=False,
    validation_fraction=0.1,
    n_iter_no_change=10,
    tol=1e-4,
    gradient_clip=None,
    verbose=0,
    checkpoint_every=None,
    checkpoint_save=None,
    precision="float32",
):
    """Return an initialised :class:`~.loop.FastNeuralNet` for ``module``.

    Parameters
    ----------
    module : torch.nn.Module
        The network, already built (and seeded).
    criterion : torch.nn.Module
        The loss.
    optimizer : str or type
        A key of :data:`OPTIMIZERS` or a :class:`torch.optim.Optimizer` class.
    lr : float
        Learning rate.
    max_epochs : int
        Upper bound on the number of epochs.
    batch_size : int
        Windows per training batch.
    device : str
        Torch device.
    generator : torch.Generator
        Shuffling order of the training batches.
    early_stopping : bool, default=False
        Hold out the last ``validation_fraction`` of the rows and stop once
        the validation loss has not improved by ``tol`` (relative) for
        ``n_iter_no_change`` epochs; the best epoch's weights are kept.
    validation_fraction, n_iter_no_change, tol
        See ``early_stopping``.
    gradient_clip : float, default=None
        Clip the gradient norm to this value.
    verbose : int, default=0
        0: silent; 1: a line per epoch; 2: also a progress bar per epoch.
    checkpoint_every : int, default=None
        Call ``checkpoint_save(net, epoch)`` every this many epochs.
    checkpoint_save : callable, default=None
        Writes a checkpoint; required with ``checkpoint_every``.
    precision : {"float32", "bf16"}, default="float32"
        ``"bf16"`` runs the forward pass and loss under bfloat16 autocast.

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
    if early_stopping:
        callbacks.append(
            EarlyStopping(
                monitor="valid_loss",
                patience=n_iter_no_change,
                threshold=tol,
                threshold_mode="rel",
                load_best=True,
            )
        )
    if gradient_clip is not None:
        callbacks.append(GradientNormClipping(gradient_clip_value=gradient_clip))
    if checkpoint_every is not None:
        callbacks.append(PeriodicCheckpoint(checkpoint_every, checkpoint_save))
    if verbose >= 2:
        callbacks.append(ProgressBar())
    if isinstance(optimizer, str):
        optimizer = OPTIMIZERS[optimizer]
    net = FastNeuralNet(
        module=module,
        criterion=criterion,
        optimizer=optimizer,
        lr=lr,
        max_epochs=max_epochs,
        batch_size=batch_size,
        iterator_train=BatchIterator,
        iterator_train__shuffle=True,
        iterator_train__generator=generator,
        iterator_valid=BatchIterator,
        train_split=TailSplit(validation_fraction) if early_stopping else None,
        callbacks=callbacks,
        device=device,
        verbose=int(verbose >= 1),
        precision=precision,
    )
    return net.initialize()
