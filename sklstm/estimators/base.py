"""What the LSTM regressor and classifier share: parameters, fitting, prediction."""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..networks import ACTIVATIONS, NetworkSummary, SequenceNetwork, layer_table
from ..training import (
    OPTIMIZERS,
    build_net,
    dataset_from_arrays,
    forward_all,
    resolve_device,
)
from ._architecture import ARCHITECTURES, network_settings
from ._inputs import inspect_windows

__all__ = ["BaseLSTM"]

#: Windows per forward pass at prediction time. Fixed, so that a window's
#: prediction does not depend on what else is predicted with it.
PREDICT_CHUNK_SIZE = 256


class BaseLSTM(BaseEstimator):
    """Base class of :class:`~sklstm.LSTMRegressor` and :class:`~sklstm.LSTMClassifier`.

    Subclasses supply the targets (``_validate_targets``), the loss
    (``_criterion``) and the number of network outputs. The training loop is
    skorch's, composed here: ``fit`` builds a :class:`skorch.NeuralNet` and
    keeps it as ``net_``.
    """

    _parameter_constraints: dict = {
        "architecture": [StrOptions(set(ARCHITECTURES))],
        "n_neurons": [Interval(Integral, 1, None, closed="left"), tuple, list],
        "activation": [StrOptions(set(ACTIVATIONS)), tuple, list],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "conv_filters": [Interval(Integral, 1, None, closed="left")],
        "conv_kernel_size": [Interval(Integral, 1, None, closed="left")],
        "pool_size": [Interval(Integral, 1, None, closed="left")],
        "n_subsequences": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "gradient_clip": [Interval(Real, 0, None, closed="neither"), None],
        "device": [str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        architecture="vanilla",
        n_neurons=100,
        activation="tanh",
        bidirectional=False,
        dropout=0.0,
        conv_filters=64,
        conv_kernel_size=3,
        pool_size=2,
        n_subsequences=1,
        optimizer="adam",
        lr=1e-3,
        batch_size=128,
        max_epochs=100,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        gradient_clip=None,
        device="auto",
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
        self.optimizer = optimizer
        self.lr = lr
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.gradient_clip = gradient_clip
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- hooks for subclasses -------------------------------------------------
    def _validate_targets(self, X, y):
        """Validate ``X`` and ``y``; return ``(X, targets, n_outputs)``."""
        raise NotImplementedError

    def _criterion(self, targets):
        """Return the loss module for the encoded ``targets``."""
        raise NotImplementedError

    # -- shared machinery -------------------------------------------------------
    def _network(self, n_steps, n_channels, n_outputs):
        settings = network_settings(self, n_steps)
        return SequenceNetwork(n_channels, n_steps, n_outputs, **settings)

    def _fit(self, X, y):
        X, targets, n_outputs = self._validate_targets(X, y)
        windows = inspect_windows(X)
        # Everything that can be wrong is checked before any training starts.
        settings = network_settings(self, windows.n_steps)
        device = resolve_device(self.device)
        if self.early_stopping and len(windows) < 2:
            raise ValueError(
                "early_stopping=True needs at least 2 windows (one to validate on); "
                "pass more data or set early_stopping=False."
            )
        seed = int(
            check_random_state(self.random_state).randint(np.iinfo(np.int32).max)
        )
        cuda_devices = [torch.device(device).index or 0] if device != "cpu" else []
        with torch.random.fork_rng(devices=cuda_devices):
            torch.manual_seed(seed)
            module = SequenceNetwork(
                windows.n_channels, windows.n_steps, n_outputs, **settings
            )
            dataset = dataset_from_arrays(
                windows=windows.dense,
                series=windows.series,
                n_steps=windows.n_steps,
                lengths=windows.lengths,
                y=targets,
                device=device,
            )
            net = build_net(
                module,
                criterion=self._criterion(targets),
                optimizer=self.optimizer,
                lr=self.lr,
                max_epochs=self.max_epochs,
                batch_size=self.batch_size,
                device=device,
                generator=torch.Generator().manual_seed(seed),
                early_stopping=self.early_stopping,
                validation_fraction=self.validation_fraction,
                n_iter_no_change=self.n_iter_no_change,
                tol=self.tol,
                gradient_clip=self.gradient_clip,
                verbose=self.verbose,
            )
            net.fit(dataset, None)
        self.net_ = net
        self.n_channels_in_ = windows.n_channels
        self.history_ = net.history
        return self

    def _check_predict_shape(self, X):
        shape = getattr(X, "shape", ())
        if len(shape) in (2, 3) and shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input. For windows the features "
                f"are the time steps: build them with the dt_past used in fit "
                f"({self.n_features_in_})."
            )
        if len(shape) == 3 and shape[2] != self.n_channels_in_:
            raise ValueError(
                f"X has {shape[2]} channels (features per time step) but "
                f"{type(self).__name__} was fitted with {self.n_channels_in_}; pass "
                "the same columns as in fit."
            )
        if len(shape) == 2 and self.n_channels_in_ != 1:
            raise ValueError(
                f"X is 2-D, which reads as one channel, but {type(self).__name__} "
                f"was fitted with {self.n_channels_in_} channels; pass 3-D windows "
                "(n_windows, n_steps, n_channels)."
            )

    def _raw_outputs(self, X):
        """Network outputs for ``X`` as a float64 array ``(n, n_outputs)``."""
        check_is_fitted(self, "net_")
        self._check_predict_shape(X)
        X = validate_data(
            self,
            X,
            reset=False,
            allow_nd=True,
            dtype=[np.float32, np.float64],
            ensure_all_finite=False,
        )
        windows = inspect_windows(X)
        dataset = dataset_from_arrays(
            windows=windows.dense,
            series=windows.series,
            n_steps=windows.n_steps,
            lengths=windows.lengths,
            device=self.net_.device,
        )
        outputs = forward_all(self.net_.module_, dataset, PREDICT_CHUNK_SIZE)
        return outputs.numpy().astype(np.float64)

    def summary(self, input_shape=None, n_outputs=None):
        """Return a Keras-style table of the layers and their parameter counts.

        On a fitted estimator the table describes the trained network. Before
        fitting, pass ``input_shape`` (and ``n_outputs``) to see the network
        that ``fit`` would build.

        Parameters
        ----------
        input_shape : tuple of (n_steps, n_channels), default=None
            Window shape; only needed before fitting.
        n_outputs : int, default=None
            Size of the output layer (``dt_futu * n_targets`` for regression,
            the number of classes for classification); only needed before
            fitting.

        Returns
        -------
        summary : NetworkSummary
            Prints as the table; ``total_params`` and ``keras_params`` hold
            the totals.

        Notes
        -----
        The table gives two parameter counts. ``Param #`` is the PyTorch
        network's. ``Keras Param #`` is what Keras' ``model.summary()`` shows
        for the same layers, the figures on the course's slides: Keras keeps
        one bias vector per LSTM gate, while :class:`torch.nn.LSTM` keeps two
        (``b_ih`` and ``b_hh``, which add up), so every LSTM layer has
        ``4 * units`` more parameters per direction here. The two networks
        compute the same family of functions.
        """
        if input_shape is None:
            check_is_fitted(self, "net_")
            module = self.net_.module_
        else:
            if n_outputs is None:
                raise ValueError(
                    "summary(input_shape=...) before fit also needs n_outputs "
                    "(dt_futu * n_targets, or the number of classes)."
                )
            n_steps, n_channels = input_shape
            module = self._network(n_steps, n_channels, n_outputs)
        return NetworkSummary(layer_table(module), title=type(self).__name__)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Missing values are not supported; NaN is read only as the left
        # padding of 3-D windows (see SlidingWindowTransformer).
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags
