"""LSTM regression: forecast ``dt_futu`` future steps of one or more targets."""

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import validate_data
from torch import nn

from .._scoring import MultiStepRegressorMixin
from ._targets import check_same_target_shape, float32_targets, split_target_shape
from .base import BaseLSTM

__all__ = ["LSTMRegressor"]

_LOSSES = {"mse": nn.MSELoss, "mae": nn.L1Loss, "huber": nn.HuberLoss}


class LSTMRegressor(MultiStepRegressorMixin, BaseLSTM):
    """LSTM regressor (forecaster) with scikit-learn's API, trained by skorch.

    Maps windows ``X`` of shape ``(n_windows, dt_past, n_features)`` to targets
    of shape ``(n_windows,)``, ``(n_windows, dt_futu)`` or
    ``(n_windows, dt_futu, n_targets)``; predictions come back in the shape of
    the ``y`` given to :meth:`fit`, as float64. A 2-D ``X`` is read as one
    feature per time step.

    Parameters
    ----------
    architecture : {"vanilla", "bidirectional", "stacked", "cnn-lstm", \
            "cnn-lstm-td"}, default="vanilla"
        The course's four architectures, one switch so a grid can search it:

        - ``"vanilla"``: ``LSTM(n_neurons) -> Dense``.
        - ``"bidirectional"``: ``Bidirectional(LSTM(n_neurons)) -> Dense``;
          a tuple ``n_neurons`` gives a stack of bidirectional layers.
        - ``"stacked"``: several LSTM layers; an integer ``n_neurons=n`` gives
          the course's ``(n, 2n, n)``, a tuple gives the sizes.
        - ``"cnn-lstm"``: ``Conv1D -> MaxPooling1D -> LSTM -> Dense`` over time.
        - ``"cnn-lstm-td"``: the ``TimeDistributed`` form: each window is cut
          into ``n_subsequences`` parts, the CNN runs on each, the LSTM runs
          over the parts.
    n_neurons : int or tuple of int, default=100
        LSTM units, or units per layer (first to last) for a stack.
    activation : str or tuple of str, default="tanh"
        Cell activation, per layer for a stack, with Keras' meaning (it
        replaces tanh on the candidate and output; gates keep the sigmoid).
        ``"tanh"`` runs the fused :class:`torch.nn.LSTM` (cuDNN on GPU);
        others (see :ref:`architectures`) a slower step-by-step cell.
    bidirectional : bool, default="deprecated"
        Make every LSTM layer bidirectional.

        .. deprecated:: 0.2
            It overlapped with ``architecture="bidirectional"`` (a grid over
            both fitted the same model twice) and will be removed in 0.3.
            Use ``architecture="bidirectional"``, with a tuple ``n_neurons``
            for a bidirectional stack.
    dropout : float, default=0.0
        Dropout between LSTM layers and before the output layer.
    conv_filters : int, default=64
        Filters of the Conv1D layer (CNN-LSTM architectures).
    conv_kernel_size : int, default=3
        Kernel width along time of the Conv1D layer.
    pool_size : int, default=2
        Width and stride of the max pooling after the Conv1D layer.
    n_subsequences : int, default=1
        Subsequences per window for ``"cnn-lstm-td"``; ``dt_past`` must be
        divisible by it.
    init : {"keras", "pytorch"}, default="keras"
        Initial weights: Keras' defaults (Glorot-uniform kernels, orthogonal
        recurrent kernels, zero biases but a forget-gate bias of one), which
        train faster and vary less between seeds, or PyTorch's; see
        :ref:`initialisation`.
    loss : {"mse", "mae", "huber"}, default="mse"
        Training loss.
    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
            default="adam"
        Optimizer.
    lr : float, default=1e-3
        Learning rate (Keras' Adam default).
    lr_schedule : {"cosine", "plateau"} or None, default="cosine"
        ``"cosine"``: the rate decays from ``lr`` towards 0 along a half
        cosine over ``max_epochs`` epochs (a ``warm_start`` fit after a
        finished one starts a new cycle); ``"plateau"``: halved when the
        validation (else training) loss stalls; None: constant, as the
        course's Keras code. Exact under checkpoint-resume, ``warm_start``
        and ``partial_fit``; ``history_[:, "lr"]`` records it. See
        :ref:`schedules`.
    batch_size : int, default=128
        Windows per training batch.
    max_epochs : int, default=100
        Number of epochs (fewer with early stopping).
    early_stopping : bool, default=False
        Hold out the *last* ``validation_fraction`` of the training rows (in
        time order, never a shuffled slice) and stop when the validation loss
        has not improved by ``tol`` (relative) for ``n_iter_no_change``
        epochs, keeping the best epoch's weights.
    validation_fraction : float, default=0.1
        Share of the latest training rows held out when ``early_stopping``.
        The ``dt_futu - 1`` rows before them are left out of training too, so
        that no training target is a value a validation row is scored on.
    n_iter_no_change : int, default=10
        Patience of early stopping, in epochs.
    tol : float, default=1e-4
        Relative improvement that counts for early stopping.
    gradient_clip : float, default=None
        Clip the gradient norm to this value (useful with ``"relu"`` cells).
    callbacks : list of skorch callbacks, default=None
        More :mod:`skorch.callbacks` to run in training (e.g. ``EpochScoring``),
        copied, never changed. A model with callbacks cannot be saved: set
        ``callbacks=None`` first (see :ref:`schedules`).
    warm_start : bool, default=False
        When True, :meth:`fit` continues training the fitted network for
        ``max_epochs`` more epochs (weights, optimizer state and random
        streams carry on), as in scikit-learn. Data shape and architecture
        must not change; ``lr`` and ``batch_size`` may.
    checkpoint_dir : str or path-like, default=None
        Save the model with its training state every ``checkpoint_every``
        epochs to ``checkpoint_dir/epoch_NNNN``; ``sklstm.load`` one, set
        ``warm_start=True`` and :meth:`fit` to resume, bitwise as an
        uninterrupted run on the CPU.
    checkpoint_every : int, default=1
        Epochs between checkpoints, when ``checkpoint_dir`` is set.
    device : str, torch.device or list, default="auto"
        ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:N"``, ``"cuda:*"`` or a
        list of devices (concurrent fits spread over them); see :ref:`gpu`.
    deterministic : bool, default=False
        On CUDA, deterministic kernels while :meth:`fit` runs (slower; with
        ``random_state``, repeatable GPU runs); cuBLAS also needs
        ``CUBLAS_WORKSPACE_CONFIG`` set before the process starts (see
        :ref:`gpu`). CPU runs are deterministic anyway.
    precision : {"float32", "bf16"}, default="float32"
        ``"bf16"`` runs the forward pass and loss (training and :meth:`predict`)
        under ``torch.autocast`` with bfloat16, never float16: faster on GPUs
        with bfloat16 tensor cores (Ampere+; older ones are refused), about
        three significant digits; weights and optimizer state stay float32.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling; an int makes CPU
        results repeatable. The global torch seed is left as it was.
    verbose : int, default=0
        0: silent; 1: a table line per epoch (ANSI colours only when stdout
        is a terminal and NO_COLOR is unset); 2: also a progress bar.

    Attributes
    ----------
    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the PyTorch network.
    history_ : skorch.History
        Per-epoch records: ``history_[:, "train_loss"]`` (and
        ``"valid_loss"`` with early stopping) are the loss curves.
    n_features_in_ : int
        Time steps per window seen in :meth:`fit` (scikit-learn counts the
        second axis as features).
    n_channels_in_ : int
        Features per time step seen in :meth:`fit`.
    target_shape_ : tuple
        Shape of one target row in :meth:`fit` (``()``, ``(dt_futu,)`` or
        ``(dt_futu, n_targets)``).

    See Also
    --------
    LSTMClassifier : The same networks for sequence classification.
    sklstm.sliding_windows : Windows and targets as in the course.
    sklstm.SlidingWindowTransformer : Windows inside a pipeline.

    Notes
    -----
    Leading all-NaN time steps are left padding (as
    :class:`~sklstm.SlidingWindowTransformer` writes), skipped by the
    network; any other NaN or infinity is an error.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMRegressor, sliding_windows
    >>> t = np.arange(300) * 0.1
    >>> X, Y = sliding_windows(np.sin(t), dt_past=20, dt_futu=8)
    >>> reg = LSTMRegressor(n_neurons=16, max_epochs=5, random_state=0)
    >>> reg.fit(X, Y).predict(X).shape
    (273, 8)
    >>> reg.summary().total_params
    1352
    """

    _parameter_constraints: dict = {
        **BaseLSTM._parameter_constraints,
        "loss": [StrOptions(set(_LOSSES))],
    }

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
        loss="mse",
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
        super().__init__(
            architecture=architecture,
            n_neurons=n_neurons,
            activation=activation,
            bidirectional=bidirectional,
            dropout=dropout,
            conv_filters=conv_filters,
            conv_kernel_size=conv_kernel_size,
            pool_size=pool_size,
            n_subsequences=n_subsequences,
            init=init,
            optimizer=optimizer,
            lr=lr,
            lr_schedule=lr_schedule,
            batch_size=batch_size,
            max_epochs=max_epochs,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            gradient_clip=gradient_clip,
            callbacks=callbacks,
            warm_start=warm_start,
            checkpoint_dir=checkpoint_dir,
            checkpoint_every=checkpoint_every,
            device=device,
            deterministic=deterministic,
            precision=precision,
            random_state=random_state,
            verbose=verbose,
        )
        self.loss = loss

    def _validate_targets(self, X, y, reset=True, classes=None):
        y, target_shape = split_target_shape(y)
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            allow_nd=True,
            multi_output=True,
            y_numeric=True,
            dtype=[np.float32, np.float64],
            ensure_all_finite=False,
        )
        if not reset:
            check_same_target_shape(target_shape, self.target_shape_)
        self.target_shape_ = target_shape
        return X, float32_targets(y)

    def _n_outputs(self):
        return int(np.prod(self.target_shape_, dtype=int))

    def _target_state(self):
        return {"target_shape_": [int(n) for n in self.target_shape_]}

    def _restore_target_state(self, fitted):
        self.target_shape_ = tuple(fitted["target_shape_"])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _criterion(self):
        return _LOSSES[self.loss]()

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network on windows ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_features) or \
                (n_windows, dt_past)
            Input windows, e.g. from :func:`~sklstm.sliding_windows`.
        y : array-like of shape (n_windows,), (n_windows, dt_futu) or \
                (n_windows, dt_futu, n_targets)
            Targets.

        Returns
        -------
        self : LSTMRegressor
            The fitted estimator.
        """
        return self._fit(X, y)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y):
        """Train for one epoch on ``X`` and ``y``, continuing the current network.

        The first call builds the network; later calls continue it (weights,
        optimizer state and random streams), so data can come in chunks.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_features) or \
                (n_windows, dt_past)
            Input windows; same ``dt_past`` and features on every call.
        y : array-like of shape (n_windows,), (n_windows, dt_futu) or \
                (n_windows, dt_futu, n_targets)
            Targets; same shape per row on every call.

        Returns
        -------
        self : LSTMRegressor
            The estimator, trained one more epoch.
        """
        return self._fit(X, y, partial=True)

    def predict(self, X):
        """Predict the targets of windows ``X``.

        Parameters
        ----------
        X : array-like of shape (n_windows, dt_past, n_features) or \
                (n_windows, dt_past)
            Input windows with the ``dt_past`` and features used in fit.

        Returns
        -------
        y_pred : ndarray of float64, shaped like the ``y`` given to fit
        """
        raw = self._raw_outputs(X)
        return raw.reshape((len(raw), *self.target_shape_))
