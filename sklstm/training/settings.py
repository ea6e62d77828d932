"""The training settings an estimator hands to :func:`~sklstm.training.build_net`."""

from dataclasses import dataclass, fields

__all__ = ["TrainingSettings"]


@dataclass(frozen=True)
class TrainingSettings:
    """How to train: all that :func:`~sklstm.training.build_net` needs but the network.

    One object instead of a dozen keyword arguments relayed through every
    layer: an estimator builds it once from its parameters with
    :meth:`from_params`, and a new setting is added here and in the
    estimators' signatures only.

    Parameters
    ----------
    optimizer : str or type
        A key of :data:`~sklstm.training.OPTIMIZERS` or a
        :class:`torch.optim.Optimizer` class.
    lr : float
        Learning rate.
    max_epochs : int
        Upper bound on the number of epochs.
    batch_size : int
        Windows per training batch.
    early_stopping : bool, default=False
        Hold out the last ``validation_fraction`` of the rows and stop once
        the validation loss has not improved by ``tol`` (relative) for
        ``n_iter_no_change`` epochs; the best epoch's weights are kept.
    validation_fraction, n_iter_no_change, tol
        See ``early_stopping``.
    gradient_clip : float, default=None
        Clip the gradient norm to this value.
    checkpoint_every : int, default=1
        Epochs between checkpoints, when the net is given a checkpoint writer.
    precision : {"float32", "bf16"}, default="float32"
        ``"bf16"`` runs the forward pass and loss under bfloat16 autocast.
    lr_schedule : {"cosine", "plateau"} or None, default=None
        Learning-rate schedule, see :func:`~sklstm.training.make_lr_schedule`.
    callbacks : list of skorch callbacks, default=None
        The user's callbacks (or ``(name, callback)`` pairs); copied by
        :func:`~sklstm.training.training_callbacks`, never changed.
    verbose : int, default=0
        0: silent; 1: a line per epoch; 2: also a progress bar per epoch.
    validation_gap : int, default=0
        Rows left out between the training and the validation rows
        (``dt_futu - 1`` for multi-step targets; see
        :class:`~sklstm.training.TailSplit`). Not an estimator parameter:
        the regressor derives it from its targets.

    Examples
    --------
    >>> from sklstm.training import TrainingSettings
    >>> settings = TrainingSettings.from_params(
    ...     {"optimizer": "adam", "lr": 0.01, "max_epochs": 5, "batch_size": 32,
    ...      "n_neurons": 8}
    ... )
    >>> settings.lr, settings.early_stopping
    (0.01, False)
    """

    optimizer: object
    lr: float
    max_epochs: int
    batch_size: int
    early_stopping: bool = False
    validation_fraction: float = 0.1
    n_iter_no_change: int = 10
    tol: float = 1e-4
    gradient_clip: float | None = None
    checkpoint_every: int = 1
    precision: str = "float32"
    lr_schedule: str | None = None
    callbacks: list | None = None
    verbose: int = 0
    validation_gap: int = 0

    @classmethod
    def from_params(cls, params):
        """Pick the training settings out of an estimator's ``get_params()``.

        Parameters
        ----------
        params : mapping
            Parameters by name; names that are not training settings are
            ignored.

        Returns
        -------
        settings : TrainingSettings
        """
        return cls(**{f.name: params[f.name] for f in fields(cls) if f.name in params})
