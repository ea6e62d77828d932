"""The on-disk format of a saved model: JSON and safetensors, no pickle.

A saved model holds:

* ``params.json``: the estimator's class name and its parameters;
* ``fitted.json``: the fitted attributes, the format version and the sklstm
  and torch versions that wrote it;
* ``weights.safetensors``: the network's weights;
* ``history.json``: the per-epoch training records;
* ``training.safetensors`` and ``training.json``: the optimizer state and the
  random streams, so that training can continue exactly where it stopped;
  optional.

Only JSON and safetensors are parsed, so reading a file cannot run code,
unlike :mod:`pickle` (which :mod:`joblib` and :func:`torch.load` use). This
module knows the files, not the estimators: an estimator turns itself into a
:class:`ModelRecord` and back.
"""

import json
from dataclasses import dataclass

import numpy as np
import safetensors.torch
import torch

from .files import BundleReader, ModelFileError, write_bundle

__all__ = [
    "FORMAT_VERSION",
    "ModelRecord",
    "array_from_json",
    "array_to_json",
    "decode_params",
    "encode_params",
    "read_record",
    "write_record",
]

#: Version of the on-disk layout; reading refuses any other.
FORMAT_VERSION = 1

_REQUIRED = ("params.json", "fitted.json", "weights.safetensors", "history.json")
_TRAINING = ("training.safetensors", "training.json")


@dataclass
class ModelRecord:
    """Everything a saved model holds, as plain data and CPU tensors.

    Attributes
    ----------
    estimator : str
        Class name of the estimator.
    params : dict
        Its parameters, encoded with :func:`encode_params`.
    fitted : dict
        Its fitted attributes, as JSON data.
    weights : dict of str to Tensor
        The network's ``state_dict``.
    history : list of dict
        Per-epoch training records.
    training : tuple of (dict of str to Tensor, dict) or None
        Optimizer state and random streams, if kept.
    """

    estimator: str
    params: dict
    fitted: dict
    weights: dict
    history: list
    training: tuple | None = None


# -- JSON encoding ---------------------------------------------------------------
def _encode(name, value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, torch.device):
        return str(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(name, v) for v in value]}
    if isinstance(value, list):
        return [_encode(name, v) for v in value]
    if isinstance(value, dict):
        return {
            "__dict__": [[_encode(name, k), _encode(name, v)] for k, v in value.items()]
        }
    raise TypeError(
        f"Parameter {name}={value!r} cannot be saved as JSON; use numbers, "
        "strings, tuples, lists or dicts of them."
    )


def encode_params(params):
    """Encode parameters as JSON data, keeping tuples and dict keys.

    Parameters
    ----------
    params : dict
        Parameter values: numbers, strings, None, and tuples, lists or dicts
        of them.

    Returns
    -------
    encoded : dict

    Raises
    ------
    TypeError
        Naming the first parameter that JSON cannot hold.
    """
    return {name: _encode(name, value) for name, value in params.items()}


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if isinstance(value, dict):
        if "__tuple__" in value:
            return tuple(_decode(v) for v in value["__tuple__"])
        if "__dict__" in value:
            return {_decode(k): _decode(v) for k, v in value["__dict__"]}
    return value


def decode_params(encoded):
    """Invert :func:`encode_params`."""
    return {name: _decode(value) for name, value in encoded.items()}


def array_to_json(array, name):
    """Encode a 1-D array of numbers, strings or booleans as JSON data."""
    values = array.tolist()
    try:
        json.dumps(values)
    except TypeError as error:
        raise TypeError(
            f"{name} holds values that JSON cannot store ({error}); use labels "
            "that are numbers, strings or booleans, or pickle the estimator."
        ) from None
    return {"values": values, "dtype": array.dtype.str}


def array_from_json(data):
    """Invert :func:`array_to_json`."""
    return np.array(data["values"], dtype=np.dtype(data["dtype"]))


def _json_bytes(data):
    def default(value):
        if isinstance(value, np.generic):
            return value.item()
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    return json.dumps(data, indent=1, default=default).encode()


# -- writing ---------------------------------------------------------------------
def write_record(path, record):
    """Write ``record`` to ``path`` (a directory or ``.zip`` file), whole or not at all.

    Parameters
    ----------
    path : str or path-like
        Destination.
    record : ModelRecord
        What to write.

    Returns
    -------
    path : pathlib.Path
    """
    import sklstm

    meta = {"format_version": str(FORMAT_VERSION)}
    fitted = {
        "format_version": FORMAT_VERSION,
        "sklstm_version": sklstm.__version__,
        "torch_version": torch.__version__,
        "estimator": record.estimator,
        **record.fitted,
    }
    files = {
        "params.json": _json_bytes(
            {"estimator": record.estimator, "params": record.params}
        ),
        "fitted.json": _json_bytes(fitted),
        "weights.safetensors": safetensors.torch.save(record.weights, metadata=meta),
        "history.json": _json_bytes(record.history),
    }
    if record.training is not None:
        tensors, info = record.training
        files["training.safetensors"] = safetensors.torch.save(tensors, metadata=meta)
        files["training.json"] = _json_bytes(info)
    return write_bundle(path, files)


# -- reading ---------------------------------------------------------------------
def _json(reader, name):
    try:
        return json.loads(reader.read(name))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ModelFileError(
            f"{name} in {reader.path} is not valid JSON ({error}); the file is "
            "truncated or corrupt."
        ) from None


def _tensors(reader, name):
    try:
        return safetensors.torch.load(reader.read(name))
    except ModelFileError:
        raise
    except Exception as error:  # safetensors raises its own error type
        raise ModelFileError(
            f"{name} in {reader.path} is not a valid safetensors file ({error}); "
            "the file is truncated or corrupt."
        ) from None


def _check_version(fitted, path):
    import sklstm

    version = fitted.get("format_version") if isinstance(fitted, dict) else None
    if version != FORMAT_VERSION:
        saved_by = (
            fitted.get("sklstm_version", "?") if isinstance(fitted, dict) else "?"
        )
        raise ModelFileError(
            f"{path} was saved in format version {version!r} (by sklstm "
            f"{saved_by}), but sklstm {sklstm.__version__} reads format version "
            f"{FORMAT_VERSION}; load it with the sklstm version that saved it."
        )


def read_record(path):
    """Read the :class:`ModelRecord` saved at ``path``, running no code from it.

    Parameters
    ----------
    path : str or path-like
        A directory or ``.zip`` file written by :func:`write_record`.

    Returns
    -------
    record : ModelRecord

    Raises
    ------
    ModelFileError
        If the files are of another format version, incomplete, truncated
        or corrupt.
    FileNotFoundError
        If nothing is at ``path``.
    """
    reader = BundleReader(path, required=_REQUIRED)
    fitted = _json(reader, "fitted.json")
    _check_version(fitted, reader.path)
    saved = _json(reader, "params.json")
    if not isinstance(saved, dict) or fitted.get("estimator") != saved.get("estimator"):
        raise ModelFileError(
            f"{reader.path}: params.json and fitted.json name different estimators; "
            "the files are inconsistent."
        )
    training = None
    if all(name in reader.names for name in _TRAINING):
        training = (
            _tensors(reader, "training.safetensors"),
            _json(reader, "training.json"),
        )
    return ModelRecord(
        estimator=saved["estimator"],
        params=saved.get("params"),
        fitted=fitted,
        weights=_tensors(reader, "weights.safetensors"),
        history=_json(reader, "history.json"),
        training=training,
    )
