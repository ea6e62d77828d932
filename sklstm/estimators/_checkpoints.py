"""Checkpoints of an estimator during fit: where they go, and writing them safely."""

import os
import re
import tempfile
import warnings
from pathlib import Path

from ..persistence import write_record
from ..training import CheckpointWarning

__all__ = ["CheckpointWriter"]

_EPOCH = re.compile(r"epoch_(\d+)")


def _writable_directory(directory):
    """``checkpoint_dir`` as a Path, created and tried for writing; else ValueError."""
    if os.fspath(directory) == "":
        raise ValueError(
            "checkpoint_dir='' names no directory; give one (e.g. 'checkpoints', "
            "or '.' for the current directory), or None for no checkpoints."
        )
    path = Path(directory)
    if path.exists() and not path.is_dir():
        raise ValueError(
            f"checkpoint_dir={os.fspath(directory)!r} is a file, not a directory; "
            "give a directory (it is created if needed), or None."
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".sklstm-write-test.", dir=path)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise ValueError(
            f"checkpoint_dir={os.fspath(directory)!r} cannot be written ({error}); "
            "give a writable directory, or None for no checkpoints."
        ) from None
    return path


def _check_epochs_in(path, n_epochs):
    """Refuse a directory whose checkpoints would be mixed with this run's."""
    epochs = sorted(
        int(m.group(1)) for p in path.iterdir() if (m := _EPOCH.fullmatch(p.name))
    )
    later = [e for e in epochs if e > n_epochs]
    if n_epochs == 0 and epochs:
        raise ValueError(
            f"checkpoint_dir={os.fspath(path)!r} already holds checkpoints of another "
            f"run (epoch_{epochs[0]:04d} ... epoch_{epochs[-1]:04d}); a new fit would "
            "mix its epochs with them. Give an empty or new directory, or remove them."
        )
    if later:
        raise ValueError(
            f"checkpoint_dir={os.fspath(path)!r} holds epoch_{later[0]:04d} ... "
            f"epoch_{later[-1]:04d}, beyond the {n_epochs} epochs this model has: "
            "continuing here would leave them looking like the latest. Remove them, "
            "or give another checkpoint_dir."
        )


class CheckpointWriter:
    """The ``save`` of :class:`~sklstm.training.PeriodicCheckpoint` for an estimator.

    :meth:`begin` runs when a fit begins, before any epoch: it reads the
    estimator's ``checkpoint_dir`` (None: no checkpoints), checks that it is
    a writable directory free of another run's later checkpoints, and
    returns ``checkpoint_every``. Each call then writes ``epoch_NNNN``: a
    complete saved model with its training state, whole or not at all. A
    checkpoint that cannot be written (full disk) warns with
    :class:`~sklstm.training.CheckpointWarning` and training goes on: the
    model in memory is never lost to a file problem.
    """

    def __init__(self, estimator):
        self.estimator = estimator
        self.directory = None

    def begin(self, net, every):
        estimator = self.estimator
        self.directory = None
        if estimator.checkpoint_dir is None:
            return None
        if isinstance(estimator.optimizer, type):
            estimator._saveable_params()  # the TypeError that explains why
        path = _writable_directory(estimator.checkpoint_dir)
        _check_epochs_in(path, len(net.history))
        self.directory = path
        return estimator.checkpoint_every

    def __call__(self, net, epoch):
        if self.directory is None:
            return
        name = f"epoch_{epoch:04d}"
        try:
            record = self.estimator._export_record(net, warn=False)
            write_record(self.directory / name, record)
        except OSError as error:
            warnings.warn(
                f"Checkpoint {name} could not be written to {self.directory} "
                f"({error}); training goes on and the model in memory is kept. Free "
                "space (or fix the directory) and save the estimator when it is done.",
                CheckpointWarning,
                stacklevel=2,
            )
