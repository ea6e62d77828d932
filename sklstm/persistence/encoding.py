"""Parameters and label arrays as JSON data, and back."""

import json

import numpy as np

from .schema import check_array_json

__all__ = ["array_from_json", "array_to_json", "decode_params", "encode_params"]


def _encode(name, value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if type(value).__name__ == "device" and type(value).__module__ == "torch":
        return str(value)  # torch.device("cuda:1") -> "cuda:1"
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
    """Invert :func:`array_to_json` (checked first: see ``schema.check_array_json``)."""
    check_array_json(data, "array")
    return np.array(data["values"], dtype=np.dtype(data["dtype"]))
