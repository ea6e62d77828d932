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

from .._version import __version__
from .files import BundleReader, ModelFileError, write_bundle
from .schema import (
    MAX_BYTES,
    check_fitted,
    check_history,
    check_params,
    check_tensor_names,
    check_training_info,
)

__all__ = [
    "FORMAT_VERSION",
    "ModelRecord",
    "read_json",
    "read_record",
    "record_files",
    "record_from_bundle",
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
    return write_bundle(path, record_files(record))


def record_files(record, prefix=""):
    """Return the files of ``record`` as ``{prefix + name: bytes}``.

    Parameters
    ----------
    record : ModelRecord
        What to write.
    prefix : str, default=""
        Folder inside the bundle (``"steps/lstm/"``), for models inside a
        pipeline.

    Returns
    -------
    files : dict of str to bytes
    """
    meta = {"format_version": str(FORMAT_VERSION)}
    fitted = {
        "format_version": FORMAT_VERSION,
        "sklstm_version": __version__,
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
    return {prefix + name: data for name, data in files.items()}


# -- reading ---------------------------------------------------------------------
def read_json(reader, name, max_bytes):
    """Parse the JSON file ``name`` of ``reader``, at most ``max_bytes`` long.

    Raises
    ------
    ModelFileError
        For any file that is not valid, reasonably nested JSON.
    """
    try:
        return json.loads(reader.read(name, max_bytes))
    except (ValueError, RecursionError) as error:  # JSONDecodeError, long ints
        raise ModelFileError(
            f"{name} in {reader.path} is not valid JSON ({str(error)[:200]}); the "
            "file is truncated or corrupt."
        ) from None


def _tensors(reader, name, max_bytes):
    try:
        return safetensors.torch.load(reader.read(name, max_bytes))
    except ModelFileError:
        raise
    except Exception as error:  # safetensors raises its own error type
        raise ModelFileError(
            f"{name} in {reader.path} is not a valid safetensors file "
            f"({str(error)[:200]}); the file is truncated or corrupt."
        ) from None


def _check_version(fitted, path):
    version = fitted.get("format_version") if isinstance(fitted, dict) else None
    if version != FORMAT_VERSION or isinstance(version, bool):
        saved_by = (
            fitted.get("sklstm_version", "?") if isinstance(fitted, dict) else "?"
        )
        raise ModelFileError(
            f"{path} was saved in format version {version!r:.40} (by sklstm "
            f"{saved_by!s:.40}), but sklstm {__version__} reads format "
            f"version {FORMAT_VERSION}; load it with the sklstm version that saved it."
        )


def record_from_bundle(reader, prefix=""):
    """Read and check the :class:`ModelRecord` stored under ``prefix`` in ``reader``.

    Every JSON file is checked against the schema (:mod:`.schema`) before
    anything it declares is allocated, and every file's size is bounded.

    Parameters
    ----------
    reader : BundleReader
        The open bundle.
    prefix : str, default=""
        Folder of the model inside the bundle.

    Returns
    -------
    record : ModelRecord

    Raises
    ------
    ModelFileError
        For a missing, oversized, malformed or inconsistent file.
    """
    missing = [n for n in _REQUIRED if prefix + n not in reader.names]
    if missing:
        raise ModelFileError(
            f"{reader.path} is not a complete sklstm model: {missing} missing "
            f"{'under ' + prefix if prefix else ''}. Save models with sklstm.save."
        )

    def load(name, check=None):
        data = read_json(reader, prefix + name, MAX_BYTES[name])
        if name == "fitted.json":
            _check_version(data, reader.path)
        return check(data, f"{reader.path}: {prefix}{name}") if check else data

    fitted = load("fitted.json", check_fitted)
    saved = load("params.json", check_params)
    if fitted["estimator"] != saved["estimator"]:
        raise ModelFileError(
            f"{reader.path}: params.json and fitted.json name different estimators; "
            "the files are inconsistent."
        )
    history = load("history.json", check_history)
    training = None
    if all(prefix + name in reader.names for name in _TRAINING):
        info = load("training.json", check_training_info)
        name = "training.safetensors"
        tensors = _tensors(reader, prefix + name, MAX_BYTES[name])
        check_tensor_names(tensors, f"{reader.path}: {prefix}{name}")
        training = (tensors, info)
    name = "weights.safetensors"
    return ModelRecord(
        estimator=saved["estimator"],
        params=saved["params"],
        fitted=fitted,
        weights=_tensors(reader, prefix + name, MAX_BYTES[name]),
        history=history,
        training=training,
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
        If the files are of another format version, incomplete, oversized,
        malformed, truncated or corrupt.
    FileNotFoundError
        If nothing is at ``path``.
    """
    return record_from_bundle(BundleReader(path))
