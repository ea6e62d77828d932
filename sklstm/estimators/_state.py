"""How an LSTM estimator exports its fitted state and rebuilds itself from it.

The estimator owns this: :mod:`sklstm.persistence` only writes and reads the
:class:`~sklstm.persistence.ModelRecord` that these methods produce and take.
"""

import warnings

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
    cpu_tensor,
    dropout_stream,
    export_training_state,
    restore_training_state,
    stream_state,
)
from ._architecture import network_settings
from ._checkpoints import CheckpointWriter

__all__ = ["FittedStateMixin"]


class FittedStateMixin:
    """Export, restore and save the fitted state of an LSTM estimator.

    Subclasses describe their own target attributes with
    ``_target_state()`` / ``_restore_target_state(fitted)`` and the size of
    the output layer with ``_n_outputs()``; the network is
    built by ``_build_module`` and its trainer by ``_build_net``.
    """

    def _saveable_params(self, warn=True):
        params = self.get_params(deep=False)
        if params.get("callbacks"):
            raise TypeError(
                f"callbacks={params['callbacks']!r} cannot be saved: skorch callbacks "
                "are Python objects, and sklstm saves no code (loading them would "
                "mean running it). Set callbacks=None before saving, e.g. "
                "est.set_params(callbacks=None).save(path), and pass them again "
                "after sklstm.load; checkpoint_dir cannot be combined with "
                "callbacks for the same reason. Or pickle the estimator (trusted "
                "files only)."
            )
        if isinstance(params.get("optimizer"), type):
            raise TypeError(
                f"optimizer={params['optimizer'].__name__} is a class, which cannot be "
                "saved as JSON (loading it would mean importing code). Use one of "
                f"the names {sorted(OPTIMIZERS)}, or pickle the estimator (trusted "
                "files only)."
            )
        if isinstance(params.get("random_state"), np.random.RandomState):
            if warn:
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

    def _export_record(self, net=None, training_state=True, warn=True):
        """Return the :class:`~sklstm.persistence.ModelRecord` of this estimator.

        ``net`` defaults to the fitted one; a checkpoint passes the net being
        trained (and ``warn=False``: the estimator's own save warns).
        """
        net = self.net_ if net is None else net
        training = None
        if training_state:
            streams = stream_state(dropout_generator(net.module_))
            training = export_training_state(net, streams)
        return ModelRecord(
            estimator=type(self).__name__,
            params=self._saveable_params(warn),
            fitted=self._fitted_state(),
            weights={k: cpu_tensor(v) for k, v in net.module_.state_dict().items()},
            history=list(net.history),
            training=training,
        )

    @classmethod
    def _from_record(cls, record, device):
        """Rebuild a fitted estimator from ``record`` on ``device``.

        The record's JSON parts were checked against the file schema when
        read; here the parameters are checked against the estimator's
        constraints, and the weights' names, shapes and dtypes against the
        network those parameters describe (built on the ``meta`` device,
        allocating nothing), before any network is built.
        """
        fitted = record.fitted
        estimator = cls._unfitted_from_record(record)
        estimator.n_features_in_ = fitted["n_features_in_"]
        estimator.n_channels_in_ = fitted["n_channels_in_"]
        if "feature_names_in_" in fitted:
            estimator.feature_names_in_ = array_from_json(fitted["feature_names_in_"])
        estimator._restore_target_state(fitted)
        estimator._check_saved_weights(record.weights, fitted["n_outputs"])
        module = estimator._build_module(
            estimator.n_features_in_, estimator.n_channels_in_, fitted["n_outputs"]
        )
        module.load_state_dict(record.weights)
        net = estimator._build_net(module, device, torch.Generator())
        net.history = History(record.history)
        streams = None
        if record.training is not None:
            try:
                streams = restore_training_state(net, *record.training)
            except (ValueError, TypeError, KeyError, RuntimeError) as error:
                raise ModelFileError(
                    f"The saved training state does not fit the network "
                    f"({str(error)[:300]}); the files are inconsistent. Save "
                    "without it (training_state=False) to keep the weights only."
                ) from None
        set_dropout_generator(module, dropout_stream(device, state=streams))
        estimator.net_ = net
        estimator.history_ = net.history
        estimator._network_settings = network_settings(
            estimator, estimator.n_features_in_
        )
        return estimator

    @classmethod
    def _unfitted_from_record(cls, record):
        """The estimator with the saved parameters, checked; checkpoint_dir None."""
        try:
            params = decode_params(record.params)
            if params.get("callbacks"):
                # save() refuses models with callbacks: a file with some is
                # not one it wrote.
                raise ValueError("callbacks are given; a saved model has none")
            # Where to write is the loading user's choice, never the file's.
            params["checkpoint_dir"] = None
            estimator = cls(**params)
            estimator._validate_params()
            network_settings(estimator, record.fitted["n_features_in_"])
        except (TypeError, ValueError) as error:
            raise ModelFileError(
                f"params.json holds parameters that {cls.__name__} does not accept "
                f"({str(error)[:300]}); the file is corrupt or from another version."
            ) from None
        return estimator

    def _check_saved_weights(self, weights, n_outputs):
        """Compare saved tensors with the network the parameters describe."""
        try:
            with torch.device("meta"):
                module = self._build_module(
                    self.n_features_in_, self.n_channels_in_, n_outputs
                )
        except (TypeError, ValueError, RuntimeError) as error:
            raise ModelFileError(
                f"The saved parameters describe no network ({str(error)[:300]}); "
                "the files are inconsistent."
            ) from None
        expected = {
            k: (tuple(v.shape), v.dtype) for k, v in module.state_dict().items()
        }
        found = {k: (tuple(v.shape), v.dtype) for k, v in weights.items()}
        if found != expected:
            wrong = sorted(set(expected) ^ set(found)) or sorted(
                k for k in expected if expected[k] != found[k]
            )
            name = wrong[0]
            raise ModelFileError(
                f"The saved weights do not fit the network the saved parameters "
                f"describe: {name!r:.100} is {found.get(name, 'absent')} in the file, "
                f"{expected.get(name, 'absent')} in the network; the files are "
                "inconsistent."
            )

    def _checkpoint_writer(self):
        # Always a writer: it reads checkpoint_dir when each fit begins, so a
        # loaded model resumed with set_params(checkpoint_dir=...) checkpoints.
        return CheckpointWriter(self)

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
