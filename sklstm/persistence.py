"""Save and load fitted estimators as JSON and safetensors: no pickle, no code run.

A saved model is a directory, or a ``.zip`` file, holding:

* ``params.json``: the estimator's class name and ``get_params()``;
* ``fitted.json``: the fitted attributes (``n_features_in_``,
  ``n_channels_in_``, ``target_shape_`` or ``classes_``...), the format
  version and the sklstm and torch versions that wrote it;
* ``weights.safetensors``: the network's weights;
* ``history.json``: the per-epoch training records (``history_``);
* ``training.safetensors`` and ``training.json``: the optimizer state and the
  random streams, so that training can continue exactly where it stopped
  (``warm_start=True``); optional.

Loading rebuilds the network from the parameters and fitted attributes, then
fills in the weights. Only JSON and safetensors are parsed, so loading a file
cannot run code, unlike :mod:`pickle` (which :mod:`joblib` and
:func:`torch.load` use).
"""

import json
import os
import warnings
import zipfile
from pathlib import Path

import numpy as np
import safetensors.torch
import torch
from skorch.history import History

from .estimators import LSTMClassifier, LSTMRegressor
from .estimators._architecture import network_settings
from .networks import SequenceNetwork
from .training import OPTIMIZERS

__all__ = ["FORMAT_VERSION", "save_model", "load_model", "checkpoint_writer"]

#: Version of the on-disk layout; loading refuses any other.
FORMAT_VERSION = 1

_ESTIMATORS = {cls.__name__: cls for cls in (LSTMRegressor, LSTMClassifier)}
_FILES = ("params.json", "fitted.json", "weights.safetensors", "history.json")


# -- JSON encoding of parameters -------------------------------------------------
def _encode(name, value):
    """Encode one parameter value as JSON data, tuples and dict keys preserved."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(name, v) for v in value]}
    if isinstance(value, list):
        return [_encode(name, v) for v in value]
    if isinstance(value, dict):
        return {
            "__dict__": [[_encode(name, k), _encode(name, v)] for k, v in value.items()]
        }
    if name == "optimizer" and isinstance(value, type):
        raise TypeError(
            f"optimizer={value.__name__} is a class, which cannot be saved as JSON "
            f"(loading it would mean importing code). Use one of the names "
            f"{sorted(OPTIMIZERS)}, or pickle the estimator (trusted files only)."
        )
    if name == "random_state" and isinstance(value, np.random.RandomState):
        warnings.warn(
            "random_state is a RandomState instance, which is saved as None; pass "
            "an int to keep future fits repeatable.",
            UserWarning,
            stacklevel=4,
        )
        return None
    raise TypeError(
        f"Parameter {name}={value!r} cannot be saved as JSON; use numbers, "
        "strings, tuples, lists or dicts of them."
    )


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "__tuple__" in value:
            return tuple(_decode(v) for v in value["__tuple__"])
        if "__dict__" in value:
            return {_decode(k): _decode(v) for k, v in value["__dict__"]}
    return value


def _array_json(array, name):
    values = array.tolist()
    try:
        json.dumps(values)
    except TypeError as error:
        raise TypeError(
            f"{name} holds values that JSON cannot store ({error}); use labels "
            "that are numbers, strings or booleans, or pickle the estimator."
        ) from None
    return {"values": values, "dtype": array.dtype.str}


def _describe(estimator):
    """Return the ``params.json`` and ``fitted.json`` contents of ``estimator``."""
    import sklstm

    name = type(estimator).__name__
    if name not in _ESTIMATORS:
        raise TypeError(f"Cannot save a {name}; only {sorted(_ESTIMATORS)} can be.")
    params = {
        key: _encode(key, value)
        for key, value in estimator.get_params(deep=False).items()
    }
    fitted = {
        "format_version": FORMAT_VERSION,
        "sklstm_version": sklstm.__version__,
        "torch_version": torch.__version__,
        "estimator": name,
        "n_features_in_": int(estimator.n_features_in_),
        "n_channels_in_": int(estimator.n_channels_in_),
    }
    if hasattr(estimator, "feature_names_in_"):
        fitted["feature_names_in_"] = _array_json(
            estimator.feature_names_in_, "feature_names_in_"
        )
    if hasattr(estimator, "classes_"):
        fitted["classes_"] = _array_json(estimator.classes_, "classes_")
        fitted["class_weights"] = [float(w) for w in estimator._class_weights]
        fitted["n_outputs"] = len(estimator.classes_)
    else:
        fitted["target_shape_"] = [int(n) for n in estimator.target_shape_]
        fitted["n_outputs"] = int(np.prod(estimator.target_shape_, dtype=int))
    return {"estimator": name, "params": params}, fitted


# -- tensors: weights, optimizer state, random streams ----------------------------
def _cpu(tensor):
    return tensor.detach().to("cpu").contiguous()


def _training_state(net, rng_state):
    """Return ``(tensors, json)`` for the optimizer state and random streams."""
    state = net.optimizer_.state_dict()
    tensors, extra = {}, {}
    for index, entries in state["state"].items():
        for key, value in entries.items():
            if torch.is_tensor(value):
                tensors[f"optimizer/{index}/{key}"] = _cpu(value)
            else:
                extra.setdefault(str(index), {})[key] = value
    for device, value in rng_state.items():
        tensors[f"rng/{device}"] = _cpu(value)
    tensors["rng/shuffle"] = net.iterator_train__generator.get_state()
    info = {"param_groups": state["param_groups"], "state": extra}
    return tensors, info


def _restore_training_state(net, tensors, info):
    state = {int(index): dict(entries) for index, entries in info["state"].items()}
    rng_state = {}
    for key, value in tensors.items():
        kind, _, rest = key.partition("/")
        if kind == "optimizer":
            index, _, name = rest.partition("/")
            state.setdefault(int(index), {})[name] = value
        elif rest == "shuffle":
            net.iterator_train__generator.set_state(value)
        else:
            rng_state[rest] = value
    net.optimizer_.load_state_dict(
        {"state": state, "param_groups": info["param_groups"]}
    )
    return rng_state


# -- writing -----------------------------------------------------------------------
def _json_bytes(data):
    def default(value):
        if isinstance(value, np.generic):
            return value.item()
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    return json.dumps(data, indent=1, default=default).encode()


def _contents(params, fitted, net, rng_state, training_state):
    weights = {k: _cpu(v) for k, v in net.module_.state_dict().items()}
    meta = {"format_version": str(FORMAT_VERSION)}
    files = {
        "params.json": _json_bytes(params),
        "fitted.json": _json_bytes(fitted),
        "weights.safetensors": safetensors.torch.save(weights, metadata=meta),
        "history.json": _json_bytes(list(net.history)),
    }
    if training_state:
        tensors, info = _training_state(net, rng_state)
        files["training.safetensors"] = safetensors.torch.save(tensors, metadata=meta)
        files["training.json"] = _json_bytes(info)
    return files


def _write(path, files):
    """Write ``files`` to a directory, or a zip file for a ``.zip`` path.

    Each file is written under a temporary name and then renamed, so an
    interruption never leaves a half-written file under the final name.
    """
    path = Path(path)
    if path.suffix == ".zip":
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        os.replace(tmp, path)
        return path
    path.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = path / (name + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path / name)
    stale = path / "training.safetensors"
    if "training.safetensors" not in files and stale.exists():
        stale.unlink()
    return path


def save_model(estimator, path, *, training_state=True):
    """Save a fitted estimator as JSON and safetensors files (no pickle).

    Parameters
    ----------
    estimator : LSTMRegressor or LSTMClassifier
        A fitted estimator whose parameters are JSON data (``optimizer`` a
        name, not a class).
    path : str or path-like
        A directory (created if needed), or a file name ending in ``.zip``
        for a single file.
    training_state : bool, default=True
        Also save the optimizer state and random streams, so that
        ``warm_start=True`` continues exactly where training stopped. About
        twice the size of the weights for Adam.

    Returns
    -------
    path : pathlib.Path
        Where the model was written.

    Raises
    ------
    TypeError
        If a parameter, or a class label, cannot be stored as JSON.

    See Also
    --------
    load_model : Load it back.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sklstm import LSTMClassifier
    >>> from sklstm.persistence import load_model, save_model
    >>> X = np.random.default_rng(0).normal(size=(20, 5, 2))
    >>> clf = LSTMClassifier(n_neurons=4, max_epochs=1, random_state=0)
    >>> clf = clf.fit(X, X[:, 0, 0] > 0)
    >>> path = save_model(clf, os.path.join(tempfile.mkdtemp(), "clf"))
    >>> sorted(p.name for p in path.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['fitted.json', 'history.json', 'params.json', 'training.json',
     'training.safetensors', 'weights.safetensors']
    >>> load_model(path).classes_
    array([False,  True])
    """
    if not hasattr(estimator, "net_"):
        raise ValueError(
            f"This {type(estimator).__name__} is not fitted yet; call fit before "
            "saving it (its parameters alone are get_params())."
        )
    params, fitted = _describe(estimator)
    files = _contents(
        params, fitted, estimator.net_, estimator._rng_state, training_state
    )
    return _write(path, files)


def checkpoint_writer(estimator, directory):
    """Return ``save(net, epoch)`` that writes ``directory/epoch_NNNN``.

    Called by :class:`~sklstm.training.callbacks.PeriodicCheckpoint` during
    ``fit``; the checkpoint is a complete saved model with its training
    state, taken at the end of the epoch.

    Parameters
    ----------
    estimator : LSTMRegressor or LSTMClassifier
        The estimator being fitted (its fitted attributes are already set).
    directory : str or path-like
        Where the checkpoints go.

    Returns
    -------
    save : callable
    """
    return _CheckpointWriter(estimator, Path(directory))


class _CheckpointWriter:
    def __init__(self, estimator, directory):
        # The estimator owns the net that owns this writer: keep its
        # description, not the estimator, so pickling makes no cycle.
        self.params, self.fitted = _describe(estimator)
        self.directory = directory

    def __call__(self, net, epoch):
        rng_state = {"cpu": torch.get_rng_state()}
        if str(net.device).startswith("cuda"):
            rng_state["cuda"] = torch.cuda.get_rng_state(net.device)
        files = _contents(self.params, self.fitted, net, rng_state, True)
        _write(self.directory / f"epoch_{epoch:04d}", files)


# -- reading -----------------------------------------------------------------------
class _Reader:
    """Read the files of a saved model from a directory or a zip file."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.is_dir():
            self.names = {p.name for p in self.path.iterdir()}
            self.archive = None
        elif self.path.is_file():
            try:
                self.archive = zipfile.ZipFile(self.path)
            except (zipfile.BadZipFile, OSError) as error:
                raise ValueError(
                    f"{self.path} is not a readable sklstm model ({error}): expected "
                    "a directory or a .zip file written by sklstm.save; the file "
                    "may be truncated or corrupt."
                ) from None
            self.names = set(self.archive.namelist())
        else:
            raise FileNotFoundError(f"No saved model at {self.path}.")
        missing = [name for name in _FILES if name not in self.names]
        if missing:
            raise ValueError(
                f"{self.path} is not a complete sklstm model: {missing} missing. "
                "Save models with sklstm.save (or estimator.save)."
            )

    def read(self, name):
        try:
            if self.archive is None:
                return (self.path / name).read_bytes()
            return self.archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise ValueError(
                f"{name} in {self.path} cannot be read ({error}); the file is "
                "truncated or corrupt."
            ) from None

    def json(self, name):
        try:
            return json.loads(self.read(name))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ValueError(
                f"{name} in {self.path} is not valid JSON ({error}); the file is "
                "truncated or corrupt."
            ) from None

    def tensors(self, name):
        try:
            return safetensors.torch.load(self.read(name))
        except ValueError:
            raise
        except Exception as error:  # safetensors raises its own error type
            raise ValueError(
                f"{name} in {self.path} is not a valid safetensors file ({error}); "
                "the file is truncated or corrupt."
            ) from None


def _check_version(fitted, path):
    import sklstm

    version = fitted.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{path} was saved in format version {version!r} (by sklstm "
            f"{fitted.get('sklstm_version', '?')}), but sklstm {sklstm.__version__} "
            f"reads format version {FORMAT_VERSION}; load it with the sklstm "
            "version that saved it."
        )


def _array(data):
    return np.array(data["values"], dtype=np.dtype(data["dtype"]))


def _load_device(device):
    from .training import resolve_device

    if device != "auto" and not torch.cuda.is_available() and device != "cpu":
        warnings.warn(
            f"The model was saved with device={device!r}, but PyTorch finds no CUDA "
            "device here; it is loaded on the CPU (set_params(device='cpu') to "
            "silence this).",
            UserWarning,
            stacklevel=3,
        )
        return "cpu"
    return resolve_device(device)


def load_model(path):
    """Load an estimator saved by :func:`save_model`, running no code from the file.

    Parameters
    ----------
    path : str or path-like
        The directory or ``.zip`` file written by :func:`save_model` (or a
        checkpoint ``checkpoint_dir/epoch_NNNN``).

    Returns
    -------
    estimator : LSTMRegressor or LSTMClassifier
        Fitted, on the device its ``device`` parameter picks here (the CPU
        when a CUDA device is asked for but absent, with a warning). When
        the training state was saved, ``set_params(warm_start=True).fit``
        continues training exactly where it stopped.

    Raises
    ------
    ValueError
        If the files are of another format version, incomplete, truncated
        or corrupt.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sklstm import LSTMRegressor
    >>> from sklstm.persistence import load_model, save_model
    >>> X = np.random.default_rng(0).normal(size=(20, 5, 1))
    >>> reg = LSTMRegressor(n_neurons=4, max_epochs=1, random_state=0)
    >>> reg = reg.fit(X, X[:, -1, 0])
    >>> path = save_model(reg, os.path.join(tempfile.mkdtemp(), "reg.zip"))
    >>> bool(np.array_equal(load_model(path).predict(X), reg.predict(X)))
    True
    """
    reader = _Reader(path)
    fitted = reader.json("fitted.json")
    _check_version(fitted, reader.path)
    saved = reader.json("params.json")
    cls = _ESTIMATORS.get(saved.get("estimator"))
    if cls is None or fitted.get("estimator") != saved.get("estimator"):
        raise ValueError(
            f"{reader.path} names an unknown estimator {saved.get('estimator')!r}; "
            f"sklstm loads {sorted(_ESTIMATORS)}."
        )
    estimator = cls(**{key: _decode(v) for key, v in saved["params"].items()})
    estimator.n_features_in_ = fitted["n_features_in_"]
    estimator.n_channels_in_ = fitted["n_channels_in_"]
    if "feature_names_in_" in fitted:
        estimator.feature_names_in_ = _array(fitted["feature_names_in_"])
    if "classes_" in fitted:
        estimator.classes_ = _array(fitted["classes_"])
        estimator._class_weights = np.array(fitted["class_weights"])
    else:
        estimator.target_shape_ = tuple(fitted["target_shape_"])

    n_steps = estimator.n_features_in_
    settings = network_settings(estimator, n_steps)
    module = SequenceNetwork(
        estimator.n_channels_in_, n_steps, fitted["n_outputs"], **settings
    )
    weights = reader.tensors("weights.safetensors")
    try:
        module.load_state_dict(weights)
    except RuntimeError as error:
        raise ValueError(
            f"The weights in {reader.path} do not fit the network its parameters "
            f"describe ({error}); the files are inconsistent."
        ) from None
    device = _load_device(estimator.device)
    net = estimator._build_net(
        module, estimator._criterion(None), device, torch.Generator()
    )
    net.history = History(reader.json("history.json"))
    rng_state = {"cpu": torch.get_rng_state()}
    if "training.safetensors" in reader.names and "training.json" in reader.names:
        rng_state = _restore_training_state(
            net, reader.tensors("training.safetensors"), reader.json("training.json")
        )
    estimator.net_ = net
    estimator.history_ = net.history
    estimator._network_settings = settings
    estimator._rng_state = rng_state
    return estimator
