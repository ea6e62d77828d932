"""What a fitted LSTM estimator's network answers: outputs and its layer table."""

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from ..networks import NetworkSummary, layer_table
from ..training import dataset_from_arrays, forward_all
from ._checks import check_predict_shape, check_X_dtype
from ._inputs import inspect_windows

__all__ = ["PREDICT_CHUNK_SIZE", "NetworkOutputsMixin"]

#: Windows per forward pass at prediction time. Fixed, so that a window's
#: prediction does not depend on what else is predicted with it.
PREDICT_CHUNK_SIZE = 256


class NetworkOutputsMixin:
    """Raw network outputs for new windows, and :meth:`summary`.

    Needs ``net_``, ``precision`` and ``_build_module`` from the estimator.
    """

    def _raw_outputs(self, X):
        """Network outputs for ``X`` as a float64 array ``(n, n_outputs)``."""
        check_is_fitted(self, "net_")
        check_X_dtype(X)
        check_predict_shape(self, X)
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
            module = self._build_module(n_steps, n_channels, n_outputs)
        return NetworkSummary(layer_table(module), title=type(self).__name__)
