"""How an LSTM estimator exports its fitted state and rebuilds itself from it.

The estimator owns this: :mod:`sklstm.persistence` only writes and reads the
:class:`~sklstm.persistence.ModelRecord` that these methods produce and take.
"""

import warnings
from pathlib import Path

import numpy as np
import torch
from skorch.history import History

from ..networks import dropout_generator, set_dropout_generator
from ..persistence import (
    ModelFileError,
    ModelRecord,
    array_from_json,
    array_to_json,
    decode_params,
    encode_params,
    write_record,
)
from ..training import (
    OPTIMIZERS,
    dropout_stream,
    export_training_state,
    restore_training_state,
    stream_state,
)
from ._architecture import network_settings

__all__ = ["FittedStateMixin"]


def _cpu(tensor):
    return tensor.detach().to("cpu").contiguous()


class FittedStateMixin:
    """Export, restore and save the fitted state of an LSTM estimator.

    Subclasses describe their own target attributes with
    ``_target_state()`` / ``_restore_target_state(fitted)`` and the size of
    the output layer with ``_n_outputs()``; the network is
    built by ``_build_module`` and its trainer by ``_build_net``.
    """

    def _saveable_params(self):
        params = self.get_params(deep=False)
        if isinstance(params.get("optimizer"), type):
            raise TypeError(
                f"optimizer={params['optimizer'].__name__} is a class, which cannot be "
                "saved as JSON (loading it would mean importing code). Use one of "
                f"the names {sorted(OPTIMIZERS)}, or pickle the estimator (trusted "
                "files only)."
            )
        if isinstance(params.get("random_state"), np.random.RandomState):
            warnings.warn(
                "random_state is a RandomState instance, which is saved as None; "
                "pass an int to keep future fits repeatable.",
                UserWarning,
                stacklevel=4,
            )
            params["random_state"] = None
        # Where to write is the loading user's choice, never the file's.
        params["checkpoint_dir"] = None
        return encode_params(params)

    def _fitted_state(self):
        fitted = {
            "n_features_in_": int(self.n_features_in_),
            "n_channels_in_": int(self.n_channels_in_),
            "n_outputs": int(self._n_outputs()),
            **self._target_state(),
        }
        if hasattr(self, "feature_names_in_"):
            fitted["feature_names_in_"] = array_to_json(
                self.feature_names_in_, "feature_names_in_"
            )
        return fitted

    def _export_record(self, net=None, training_state=True):
        """Return the :class:`~sklstm.persistence.ModelRecord` of this estimator.

        ``net`` defaults to the fitted one; a checkpoint passes the net being
        trained.
        """
        net = self.net_ if net is None else net
        training = None
        if training_state:
            streams = stream_state(dropout_generator(net.module_))
            training = export_training_state(net, streams)
        return ModelRecord(
            estimator=type(self).__name__,
            params=self._saveable_params(),
            fitted=self._fitted_state(),
            weights={k: _cpu(v) for k, v in net.module_.state_dict().items()},
            history=list(net.history),
            training=training,
        )

    @classmethod
    def _from_record(cls, record, device):
        """Rebuild a fitted estimator from ``record`` on ``device``."""
        fitted = record.fitted
        estimator = cls(**decode_params(record.params))
        estimator.n_features_in_ = fitted["n_features_in_"]
        estimator.n_channels_in_ = fitted["n_channels_in_"]
        if "feature_names_in_" in fitted:
            estimator.feature_names_in_ = array_from_json(fitted["feature_names_in_"])
        estimator._restore_target_state(fitted)
        module = estimator._build_module(
            estimator.n_features_in_, estimator.n_channels_in_, fitted["n_outputs"]
        )
        try:
            module.load_state_dict(record.weights)
        except RuntimeError as error:
            raise ModelFileError(
                f"The saved weights do not fit the network the saved parameters "
                f"describe ({error}); the files are inconsistent."
            ) from None
        net = estimator._build_net(module, device, torch.Generator())
        net.history = History(record.history)
        streams = None
        if record.training is not None:
            streams = restore_training_state(net, *record.training)
        set_dropout_generator(module, _continue_dropout_stream(device, streams))
        estimator.net_ = net
        estimator.history_ = net.history
        estimator._network_settings = network_settings(
            estimator, estimator.n_features_in_
        )
        return estimator

    def _checkpoint_writer(self):
        if self.checkpoint_dir is None:
            return None
        return _CheckpointWriter(self, Path(self.checkpoint_dir))

    def save(self, path, *, training_state=True):
        """Save the fitted estimator without pickle (see :func:`sklstm.save`).

        Parameters
        ----------
        path : str or path-like
            A directory, or a file ending in ``.zip``.
        training_state : bool, default=True
            Also save the optimizer state and random streams, so that
            ``warm_start=True`` continues exactly where training stopped.

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
        if not hasattr(self, "net_"):
            raise ValueError(
                f"This {type(self).__name__} is not fitted yet; call fit before "
                "saving it (its parameters alone are get_params())."
            )
        return write_record(path, self._export_record(training_state=training_state))


def _continue_dropout_stream(device, streams):
    """The saved dropout stream on ``device``, or a fresh one if it cannot go on."""
    try:
        return dropout_stream(device, state=streams)
    except RuntimeError:
        # A CUDA generator's state does not fit a CPU generator (or the reverse).
        warnings.warn(
            "The saved dropout random stream was drawn on another device type and "
            "cannot continue here; training continues with a fresh stream, so a "
            "resumed run will not repeat the original one exactly.",
            UserWarning,
            stacklevel=4,
        )
        return dropout_stream(device, seed=0)


class _CheckpointWriter:
    """``save(net, epoch)`` for :class:`~sklstm.training.PeriodicCheckpoint`.

    Writes ``directory/epoch_NNNN``: a complete saved model with its training
    state, taken at the end of the epoch.
    """

    def __init__(self, estimator, directory):
        self.estimator = estimator
        self.directory = directory

    def __call__(self, net, epoch):
        record = self.estimator._export_record(net)
        write_record(self.directory / f"epoch_{epoch:04d}", record)
