"""What the LSTM regressor and classifier share: parameters, fitting, prediction."""

import os
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
    PRECISIONS,
    build_net,
    dataset_from_arrays,
    deterministic_algorithms,
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
        "warm_start": ["boolean"],
        "checkpoint_dir": [str, os.PathLike, None],
        "checkpoint_every": [Interval(Integral, 1, None, closed="left")],
        "device": [str],
        "deterministic": ["boolean"],
        "precision": [StrOptions(set(PRECISIONS))],
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
        self.optimizer = optimizer
        self.lr = lr
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.gradient_clip = gradient_clip
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
        """Validate ``X`` and ``y``; return ``(X, targets, n_outputs)``.

        ``reset=False`` checks them against a previous fit instead (for
        ``warm_start`` and ``partial_fit``); ``classes`` comes from the
        classifier's first ``partial_fit``.
        """
        raise NotImplementedError

    def _criterion(self, targets):
        """Return the loss module for the encoded ``targets``."""
        raise NotImplementedError

    # -- shared machinery -------------------------------------------------------
    def _network(self, n_steps, n_channels, n_outputs):
        settings = network_settings(self, n_steps)
        return SequenceNetwork(n_channels, n_steps, n_outputs, **settings)

    def _fit(self, X, y, *, partial=False, classes=None):
        """Train a new network, or continue the fitted one.

        Training continues (same weights, optimizer state, shuffling and
        dropout random streams) for ``partial_fit`` and for ``fit`` with
        ``warm_start=True``; ``partial_fit`` runs one epoch, ``fit``
        ``max_epochs``.
        """
        _check_X_dtype(X)
        resume = hasattr(self, "net_") and (partial or self.warm_start)
        if resume:
            self._check_predict_shape(X)
        X, targets, n_outputs = self._validate_targets(
            X, y, reset=not resume, classes=classes
        )
        windows = inspect_windows(X)
        _check_not_empty(windows)
        # Everything that can be wrong is checked before any training starts.
        settings = network_settings(self, windows.n_steps)
        device = self.net_.device if resume else resolve_device(self.device)
        if self.early_stopping and len(windows) < 2:
            raise ValueError(
                "early_stopping=True needs at least 2 windows (one to validate on); "
                "pass more data or set early_stopping=False."
            )
        if resume and settings != self._network_settings:
            raise ValueError(
                "warm_start=True (or partial_fit) continues the fitted network, but "
                "the architecture parameters changed since it was built; set "
                "warm_start=False (or start a new estimator) to train a new network."
            )
        self.n_channels_in_ = windows.n_channels
        cuda_devices = [torch.device(device).index or 0] if device != "cpu" else []
        with (
            deterministic_algorithms(self.deterministic, device),
            torch.random.fork_rng(devices=cuda_devices),
        ):
            if resume:
                net = self.net_
                _set_rng_state(self._rng_state)
                net.set_params(lr=self.lr, batch_size=self.batch_size)
            else:
                seed = int(
                    check_random_state(self.random_state).randint(
                        np.iinfo(np.int32).max
                    )
                )
                torch.manual_seed(seed)
                module = SequenceNetwork(
                    windows.n_channels, windows.n_steps, n_outputs, **settings
                )
                net = self._build_net(
                    module,
                    self._criterion(targets),
                    device,
                    torch.Generator().manual_seed(seed),
                )
                self._network_settings = settings
            dataset = dataset_from_arrays(
                windows=windows.dense,
                series=windows.series,
                n_steps=windows.n_steps,
                lengths=windows.lengths,
                y=targets,
                device=device,
            )
            net.partial_fit(dataset, None, epochs=1 if partial else self.max_epochs)
            # The random streams where training stopped, so it can continue.
            self._rng_state = _get_rng_state(device)
        self.net_ = net
        self.history_ = net.history
        return self

    def _build_net(self, module, criterion, device, generator):
        """Return the initialised skorch net that trains ``module``."""
        checkpoint_save = None
        if self.checkpoint_dir is not None:
            from ..persistence import checkpoint_writer

            checkpoint_save = checkpoint_writer(self, self.checkpoint_dir)
        return build_net(
            module,
            criterion=criterion,
            optimizer=self.optimizer,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            device=device,
            generator=generator,
            early_stopping=self.early_stopping,
            validation_fraction=self.validation_fraction,
            n_iter_no_change=self.n_iter_no_change,
            tol=self.tol,
            gradient_clip=self.gradient_clip,
            verbose=self.verbose,
            checkpoint_every=self.checkpoint_every if checkpoint_save else None,
            checkpoint_save=checkpoint_save,
            precision=self.precision,
        )

    def save(self, path):
        """Save the fitted estimator without pickle (see :func:`sklstm.save`).

        Parameters
        ----------
        path : str or path-like
            A directory, or a file ending in ``.zip``.

        Returns
        -------
        path : pathlib.Path
            Where the model was written.

        Examples
        --------
        >>> import numpy as np, sklstm, tempfile, os
        >>> X = np.random.default_rng(0).normal(size=(20, 5, 1))
        >>> reg = sklstm.LSTMRegressor(n_neurons=4, max_epochs=1, random_state=0)
        >>> reg = reg.fit(X, X[:, -1, 0])
        >>> path = reg.save(os.path.join(tempfile.mkdtemp(), "model.zip"))
        >>> bool(np.array_equal(sklstm.load(path).predict(X), reg.predict(X)))
        True
        """
        from ..persistence import save_model

        return save_model(self, path)

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
        _check_X_dtype(X)
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
        outputs = forward_all(
            self.net_.module_, dataset, PREDICT_CHUNK_SIZE, precision=self.precision
        )
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


def _check_X_dtype(X):
    """Refuse input that is not real numbers before scikit-learn converts it."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and not isinstance(dtypes, np.dtype):
        kinds = {np.dtype(getattr(d, "numpy_dtype", d)).kind for d in dtypes}
    else:
        kinds = {getattr(X, "dtype", None) and np.dtype(X.dtype).kind}
    if "b" in kinds:
        raise TypeError(
            "X is boolean; LSTMs take real numbers. If the booleans are "
            "intended as 0/1 values, convert them with X.astype(float)."
        )
    if kinds & set("USMm"):
        raise TypeError(
            "X holds text or dates, but LSTM inputs must be numbers; encode "
            "categories (e.g. one-hot) and convert with X.astype(float)."
        )
    if "c" in kinds:
        raise ValueError(
            "Complex data not supported: LSTMs take real numbers; pass the real "
            "and imaginary parts as two channels."
        )
    if "O" in kinds:
        try:
            np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as error:
            # Keep NumPy's text: it names the offending value.
            raise TypeError(
                f"X has dtype object with entries that are not numbers ({error}); "
                "LSTM inputs must be numbers: encode categories and convert with "
                "X.astype(float)."
            ) from None


def _check_not_empty(windows):
    if windows.n_steps == 0 or windows.n_channels == 0:
        raise ValueError(
            f"X has {windows.n_steps} time steps and {windows.n_channels} channels "
            "per window; both must be at least 1 (build windows with dt_past >= 1 "
            "from a series with at least one column)."
        )


def _get_rng_state(device):
    state = {"cpu": torch.get_rng_state()}
    if str(device).startswith("cuda"):
        state["cuda"] = torch.cuda.get_rng_state(device)
    return state


def _set_rng_state(state):
    torch.set_rng_state(state["cpu"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state["cuda"])
