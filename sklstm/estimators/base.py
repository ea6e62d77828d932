"""What the LSTM regressor and classifier share: parameters, fitting, prediction."""

import warnings

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state

from ..networks import (
    SequenceNetwork,
    set_dropout_generator,
)
from ..training import (
    NetSnapshot,
    TrainingInterrupted,
    TrainingSettings,
    build_net,
    candidate_devices,
    check_precision,
    check_split_size,
    continue_net,
    dataset_from_arrays,
    deterministic_algorithms,
    dropout_stream,
    lease_device,
    run_epochs,
    seeded_construction,
)
from ._architecture import network_settings
from ._checks import (
    check_callbacks,
    check_no_bool_integers,
    check_not_empty,
    check_optimizer,
    check_predict_shape,
    check_X_dtype,
)
from ._inputs import inspect_windows
from ._outputs import NetworkOutputsMixin
from ._params import PARAMETER_CONSTRAINTS
from ._state import FittedStateMixin
from ._targets import validation_gap

__all__ = ["BaseLSTM"]


class BaseLSTM(NetworkOutputsMixin, FittedStateMixin, BaseEstimator):
    """Base class of :class:`~sklstm.LSTMRegressor` and :class:`~sklstm.LSTMClassifier`.

    Subclasses supply the targets (``_validate_targets``), the loss
    (``_criterion``) and the size of the output layer (``_n_outputs``). The
    training loop is skorch's, composed here: ``fit`` builds a
    :class:`skorch.NeuralNet` and keeps it as ``net_``. ``fit`` and
    ``partial_fit`` are transactions: when they raise, the estimator is left
    exactly as it was (see :meth:`_fit`).
    """

    _parameter_constraints: dict = dict(PARAMETER_CONSTRAINTS)

    def __init__(
        self,
        *,
        architecture="vanilla",
        n_neurons=100,
        activation="tanh",
        bidirectional="deprecated",
        dropout=0.0,
        conv_filters=64,
        conv_kernel_size=3,
        pool_size=2,
        n_subsequences=1,
        init="keras",
        optimizer="adam",
        lr=1e-3,
        lr_schedule="cosine",
        batch_size=128,
        max_epochs=100,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        gradient_clip=None,
        callbacks=None,
        warm_start=False,
        checkpoint_dir=None,
        checkpoint_every=1,
        device="auto",
        deterministic=False,
        precision="float32",
        random_state=None,
        verbose=0,
    ):
        self.architecture = architecture
        self.n_neurons = n_neurons
        self.activation = activation
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.conv_filters = conv_filters
        self.conv_kernel_size = conv_kernel_size
        self.pool_size = pool_size
        self.n_subsequences = n_subsequences
        self.init = init
        self.optimizer = optimizer
        self.lr = lr
        self.lr_schedule = lr_schedule
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.gradient_clip = gradient_clip
        self.callbacks = callbacks
        self.warm_start = warm_start
        self.checkpoint_dir = checkpoint_dir
        self.checkpoint_every = checkpoint_every
        self.device = device
        self.deterministic = deterministic
        self.precision = precision
        self.random_state = random_state
        self.verbose = verbose

    # -- hooks for subclasses -------------------------------------------------
    def _validate_targets(self, X, y, reset=True, classes=None):
        """Validate ``X`` and ``y``; return ``(X, targets)``.

        ``reset=False`` checks them against a previous fit instead (for
        ``warm_start`` and ``partial_fit``); ``classes`` comes from the
        classifier's first ``partial_fit``.
        """
        raise NotImplementedError

    def _criterion(self):
        """Return the loss module."""
        raise NotImplementedError

    def _n_outputs(self):
        """Size of the network's output layer (after ``_validate_targets``)."""
        raise NotImplementedError

    # -- building ---------------------------------------------------------------
    def _build_module(self, n_steps, n_channels, n_outputs):
        """Return the torch network for windows of ``n_steps`` x ``n_channels``."""
        settings = network_settings(self, n_steps)
        return SequenceNetwork(
            n_channels, n_steps, n_outputs, init=self.init, **settings
        )

    def _training_settings(self):
        params = self.get_params(deep=False)
        return TrainingSettings.from_params(
            {**params, "validation_gap": self._validation_gap()}
        )

    def _validation_gap(self):
        """Rows early stopping leaves out before its validation rows: 0 for
        one label per row; ``dt_futu - 1`` for a regressor's target steps."""
        return validation_gap(getattr(self, "target_shape_", ()))

    def _build_net(self, module, device, generator):
        """Return the initialised skorch net that trains ``module``."""
        return build_net(
            module,
            self._criterion(),
            self._training_settings(),
            device=device,
            generator=generator,
            checkpoint_save=self._checkpoint_writer(),
        )

    # -- fitting ----------------------------------------------------------------
    def _fit(self, X, y, *, partial=False, classes=None):
        """Train a new network, or continue the fitted one: validate, initialise, train.

        Training continues (same weights, optimizer state, shuffling and
        dropout random streams) for ``partial_fit`` and for ``fit`` with
        ``warm_start=True``; ``partial_fit`` runs one epoch, ``fit``
        ``max_epochs``.

        A transaction: if anything raises, the fitted attributes, network,
        optimizer and random streams are restored to what they were. Only
        Ctrl-C (:class:`~sklstm.training.TrainingInterrupted`) keeps the
        epochs that completed before it, then re-raises.
        """
        resume = hasattr(self, "net_") and (partial or self.warm_start)
        before = dict(self.__dict__)
        net_before = NetSnapshot(self.net_) if resume else None
        try:
            windows, targets, device = self._validate_fit(X, y, resume, classes)
            with (
                lease_device(device) as device,  # "cpu" or "cuda:N", for this fit
                deterministic_algorithms(self.deterministic, device),
            ):
                net = self._resume_net() if resume else self._new_net(windows, device)
                self._train(net, windows, targets, epochs=1 if partial else None)
        except TrainingInterrupted as interruption:
            if interruption.completed_epochs == 0:
                self._rollback(before, net_before)
            raise
        except BaseException:
            self._rollback(before, net_before)
            raise
        return self

    def _rollback(self, before, net_before):
        self.__dict__.clear()
        self.__dict__.update(before)
        if net_before is not None:
            net_before.restore(self.net_)

    def _validate_fit(self, X, y, resume, classes):
        """Check everything that can be wrong before any training starts."""
        check_no_bool_integers(self)
        check_optimizer(self.optimizer)
        check_callbacks(self.callbacks)
        if self.bidirectional != "deprecated":
            warnings.warn(
                "The bidirectional parameter was deprecated in sklstm 0.2 and will be "
                "removed in 0.3: use architecture='bidirectional' (with a tuple "
                "n_neurons for a bidirectional stack).",
                FutureWarning,
                stacklevel=3,
            )
        check_X_dtype(X)
        if resume:
            check_predict_shape(self, X)
        X, targets = self._validate_targets(X, y, reset=not resume, classes=classes)
        windows = inspect_windows(X)
        check_not_empty(windows)
        settings = network_settings(self, windows.n_steps)
        device = self.net_.device if resume else self.device
        for candidate in candidate_devices(device):  # raises for a bad device
            check_precision(self.precision, candidate)
        if self.callbacks and self.checkpoint_dir is not None:
            self._saveable_params(warn=False)  # raises, naming callbacks
        if self.early_stopping:
            check_split_size(len(windows), self._validation_gap())
        if resume and settings != self._network_settings:
            raise ValueError(
                "warm_start=True (or partial_fit) continues the fitted network, but "
                "the architecture parameters changed since it was built; set "
                "warm_start=False (or start a new estimator) to train a new network."
            )
        self.n_channels_in_ = windows.n_channels
        self._network_settings = settings
        return windows, targets, device

    def _new_net(self, windows, device):
        """Build a new network and its trainer, with random streams of their own.

        The initial weights, the shuffling order and the dropout masks each
        get a generator seeded from ``random_state``; torch's global one is
        left as it was.
        """
        random_state = check_random_state(self.random_state)
        seed, dropout_seed = (
            int(random_state.randint(np.iinfo(np.int32).max)) for _ in range(2)
        )
        with seeded_construction(seed):
            module = self._build_module(
                windows.n_steps, windows.n_channels, self._n_outputs()
            )
        net = self._build_net(module, device, torch.Generator().manual_seed(seed))
        set_dropout_generator(net.module_, dropout_stream(device, seed=dropout_seed))
        return net

    def _resume_net(self):
        """The fitted trainer, continuing with the current training settings."""
        return continue_net(
            self.net_, self._training_settings(), self._checkpoint_writer()
        )

    def _train(self, net, windows, targets, epochs=None):
        """Run the epochs and keep the trained net."""
        dataset = dataset_from_arrays(
            windows=windows.dense,
            series=windows.series,
            n_steps=windows.n_steps,
            lengths=windows.lengths,
            y=targets,
            device=net.device,
        )
        try:
            run_epochs(net, dataset, self.max_epochs if epochs is None else epochs)
        finally:
            # Also after Ctrl-C, which keeps the complete epochs.
            self.net_ = net
            self.history_ = net.history

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Missing values are not supported; NaN is read only as the left
        # padding of 3-D windows (see SlidingWindowTransformer).
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags
