"""LSTM classification of sequences."""

import numpy as np
import torch
from scipy.special import softmax
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.preprocessing import LabelEncoder
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from torch import nn

from ..persistence import array_from_json, array_to_json
from ._docstrings import fill_parameters
from ._labels import as_labels, check_known_labels, class_weights
from .base import BaseLSTM
from .regressor import LSTMRegressor

__all__ = ["LSTMClassifier"]


class LSTMClassifier(ClassifierMixin, BaseLSTM):
    """LSTM sequence classifier with scikit-learn's API, trained by skorch.

    Maps sequences ``X`` of shape ``(n_sequences, n_steps, n_features)`` (e.g.
    one-hot DNA, 4 channels) to class labels of any hashable type. The
    network ends in a dense layer with one output per class, trained with
    (categorical) cross-entropy; ``predict_proba`` applies the softmax.

    Parameters
    ----------
    architecture : {"vanilla", "bidirectional", "stacked", "cnn-lstm", \
            "cnn-lstm-td"}, default="vanilla"
        As in :class:`LSTMRegressor`. The course's CNN-LSTM classifier is
        ``architecture="cnn-lstm"`` (``Conv1D(64, 3) -> MaxPooling1D(2) ->
        LSTM(100) -> Dense(n_classes)``).
    n_neurons : int or tuple of int, default=100
        LSTM units, or units per layer for a stack.
    activation : str or tuple of str, default="tanh"
        Cell activation (Keras' meaning), per layer for a stack.
    %(bidirectional_parameters)s
    dropout : float, default=0.3
        Dropout between LSTM layers and before the output layer. The
        defaults (dropout, ``batch_size``, ``max_epochs``, cosine schedule)
        reach 0.95 on splice (``benchmarks/splice_accuracy.py``).
    %(network_parameters)s
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss: ``{label: weight}``, or
        ``"balanced"`` for ``n_samples / (n_classes * bincount(y))``.
    %(optimizer_parameters)s
    batch_size : int, default=32
        Sequences per training batch.
    max_epochs : int, default=50
        Number of epochs (fewer with early stopping).
    %(training_parameters)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted; columns of :meth:`predict_proba` follow it.
    net_ : skorch.NeuralNet
        The trained skorch net; ``net_.module_`` is the PyTorch network.
    history_ : skorch.History
        Per-epoch records with the loss curves.
    n_features_in_ : int
        Time steps per sequence seen in :meth:`fit`.
    n_channels_in_ : int
        Features per time step seen in :meth:`fit`.

    See Also
    --------
    LSTMRegressor : The same networks for forecasting.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import LSTMClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 12, 2))
    >>> y = np.where(X[:, :, 0].sum(axis=1) > 0, "up", "down")
    >>> clf = LSTMClassifier(n_neurons=8, max_epochs=3, random_state=0).fit(X, y)
    >>> clf.classes_
    array(['down', 'up'], dtype='<U4')
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _parameter_constraints: dict = {
        **BaseLSTM._parameter_constraints,
        "class_weight": [StrOptions({"balanced"}), dict, None],
    }

    def __init__(
        self,
        *,
        architecture="vanilla",
        n_neurons=100,
        activation="tanh",
        bidirectional="deprecated",
        dropout=0.3,
        conv_filters=64,
        conv_kernel_size=3,
        pool_size=2,
        n_subsequences=1,
        init="keras",
        class_weight=None,
        optimizer="adam",
        lr=1e-3,
        lr_schedule="cosine",
        batch_size=32,
        max_epochs=50,
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
        self.class_weight = class_weight

    def _validate_targets(self, X, y, reset=True, classes=None):
        y = as_labels(y, "y")
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            allow_nd=True,
            dtype=[np.float32, np.float64],
            ensure_all_finite=False,
        )
        check_classification_targets(y)
        if reset:
            labels = y if classes is None else as_labels(classes, "classes")
            self.classes_ = LabelEncoder().fit(labels).classes_
            if classes is not None:
                check_known_labels(self.classes_, y, "training")
            if len(self.classes_) < 2:
                raise ValueError(
                    f"y has only 1 class ({self.classes_[0]!r}); LSTMClassifier "
                    "needs at least 2 classes to learn from."
                )
            if classes is not None and isinstance(self.class_weight, str):
                raise ValueError(
                    "class_weight='balanced' needs all of y at once, which "
                    "partial_fit does not see; pass class_weight as a dict."
                )
        elif classes is not None and not np.array_equal(
            np.unique(classes), self.classes_
        ):
            raise ValueError(
                f"classes={list(classes)!r} differs from the classes_ of the first "
                f"call ({self.classes_.tolist()!r}); pass the same classes, or none."
            )
        check_known_labels(self.classes_, y, "training")
        if reset:
            self._class_weights = class_weights(
                self.class_weight, self.classes_, y if classes is None else None
            )
        codes = np.searchsorted(self.classes_, y)
        return X, codes.astype(np.int64)

    def _n_outputs(self):
        return len(self.classes_)

    def _target_state(self):
        return {
            "classes_": array_to_json(self.classes_, "classes_"),
            "class_weights": [float(w) for w in self._class_weights],
        }

    def _restore_target_state(self, fitted):
        self.classes_ = array_from_json(fitted["classes_"])
        self._class_weights = np.array(fitted["class_weights"])

    def _criterion(self):
        weight = torch.as_tensor(self._class_weights, dtype=torch.float32)
        return nn.CrossEntropyLoss(weight=weight)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train the network on sequences ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_steps, n_features) or \
                (n_sequences, n_steps)
            Input sequences.
        y : array-like of shape (n_sequences,)
            Class labels of any hashable type.

        Returns
        -------
        self : LSTMClassifier
            The fitted estimator.
        """
        return self._fit(X, y)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None):
        """Train for one epoch on ``X`` and ``y``, continuing the current network.

        The first call builds the network, so it needs every class label in
        ``classes`` (as in scikit-learn); later calls continue it (weights,
        optimizer state and random streams).

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_steps, n_features) or \
                (n_sequences, n_steps)
            Input sequences; same shape per sequence on every call.
        y : array-like of shape (n_sequences,)
            Class labels, all among ``classes``.
        classes : array-like of shape (n_classes,), default=None
            All the labels there will ever be; required on the first call,
            optional (and checked) later.

        Returns
        -------
        self : LSTMClassifier
            The estimator, trained one more epoch.
        """
        if classes is None and not hasattr(self, "classes_"):
            raise ValueError(
                "classes must be passed on the first call to partial_fit (all the "
                "labels there will be, e.g. classes=np.unique(y_all))."
            )
        return self._fit(X, y, partial=True, classes=classes)

    def score(self, X, y, sample_weight=None):
        """Return the mean accuracy on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_steps, n_features)
            Input sequences.
        y : array-like of shape (n_sequences,)
            True labels; all must be among :attr:`classes_`.
        sample_weight : array-like of shape (n_sequences,), default=None
            Sample weights.

        Returns
        -------
        score : float
            Accuracy of :meth:`predict`.

        Raises
        ------
        ValueError
            If ``y`` has labels never seen in fit: the model could not
            predict them, so the accuracy would mislead.
        """
        check_is_fitted(self, "net_")
        check_known_labels(self.classes_, y, "scoring")
        return super().score(X, y, sample_weight=sample_weight)

    def predict_proba(self, X):
        """Return the probability of each class for each sequence.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_steps, n_features)
            Input sequences.

        Returns
        -------
        proba : ndarray of shape (n_sequences, n_classes)
            Columns follow :attr:`classes_`.
        """
        return softmax(self._raw_outputs(X), axis=1)

    def predict(self, X):
        """Return the most probable class of each sequence.

        Parameters
        ----------
        X : array-like of shape (n_sequences, n_steps, n_features)
            Input sequences.

        Returns
        -------
        labels : ndarray of shape (n_sequences,)
        """
        check_is_fitted(self, "net_")
        return self.classes_[np.argmax(self._raw_outputs(X), axis=1)]


# The entries of the parameters both estimators share are written once, in
# LSTMRegressor's docstring; the %(...)s lines above receive them.
LSTMClassifier.__doc__ = fill_parameters(
    LSTMClassifier.__doc__,
    LSTMRegressor.__doc__,
    bidirectional_parameters="bidirectional",
    network_parameters="conv_filters conv_kernel_size pool_size n_subsequences init",
    optimizer_parameters="optimizer lr lr_schedule",
    training_parameters="early_stopping validation_fraction n_iter_no_change tol "
    "gradient_clip callbacks warm_start checkpoint_dir checkpoint_every device "
    "deterministic precision random_state verbose",
)
