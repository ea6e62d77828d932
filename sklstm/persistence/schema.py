"""What each file of a saved model may hold: checked before anything is allocated.

Every check here looks at parsed JSON (plain lists, dicts, numbers and
strings) and raises :class:`~sklstm.persistence.ModelFileError` naming the
file and the field. Sizes are bounded first (bytes per file, items per list,
characters per label), so a small hostile file cannot make the loader
allocate much: a label dtype such as ``<U50000000`` is refused before
:func:`numpy.array` sees it. Consistency with the network (tensor names,
shapes and dtypes) is the estimator's to check; this module only knows the
files.
"""

import math
import re

import numpy as np

from .files import ModelFileError

__all__ = [
    "MAX_BYTES",
    "check_array_json",
    "check_feature_names",
    "check_fitted",
    "check_history",
    "check_params",
    "check_tensor_names",
    "check_training_info",
]

#: Largest size, in bytes, of each kind of file (a bound, not a target: the
#: course's largest network needs about 30 MB of weights).
MAX_BYTES = {
    "params.json": 1 << 20,
    "fitted.json": 16 << 20,
    "history.json": 64 << 20,
    "training.json": 16 << 20,
    "weights.safetensors": 4 << 30,
    "training.safetensors": 8 << 30,
    "pipeline.json": 1 << 20,
    "step.json": 16 << 20,
    "step.skops": 256 << 20,
}

_MAX_ITEMS = 1_000_000  # entries in any JSON list (labels, epochs, batches)
_MAX_LABEL_CHARS = 10_000  # characters in one class label or feature name
_MAX_DIM = 10_000_000  # time steps, channels or outputs
_MAX_PARAM_ITEMS = 1_000  # entries in a tuple or list parameter (layers)
_DTYPE = re.compile(r"^[<>|=]?(?:b1|[iu][1248]|f[248]|U(\d{1,6})|O)$")
_TENSOR_NAME = re.compile(
    r"^(?:optimizer/\d{1,6}/[A-Za-z_]\w{0,63}|rng/(?:dropout|shuffle)"
    r"|callback/[A-Za-z_]\w{0,63}/[A-Za-z_][\w.]{0,255})$"
)
_NUMBER = (int, float)


def _fail(where, message):
    raise ModelFileError(f"{where}: {message}; the file is corrupt or not sklstm's.")


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


def _dict(value, where, required=()):
    if not isinstance(value, dict):
        _fail(where, f"expected a JSON object, found {type(value).__name__}")
    missing = [key for key in required if key not in value]
    if missing:
        _fail(where, f"{missing} missing")
    return value


def _list(value, where, max_items=_MAX_ITEMS):
    if not isinstance(value, list):
        _fail(where, f"expected a JSON list, found {type(value).__name__}")
    if len(value) > max_items:
        _fail(where, f"{len(value)} entries, more than {max_items}")
    return value


def _int(value, where, low=1, high=_MAX_DIM):
    if not _is_int(value) or not low <= value <= high:
        _fail(where, f"expected an integer in [{low}, {high}], found {value!r:.80}")
    return value


def _string(value, where, max_chars=_MAX_LABEL_CHARS):
    if not isinstance(value, str) or len(value) > max_chars:
        _fail(where, f"expected a string of at most {max_chars} characters")
    return value


# -- arrays ------------------------------------------------------------------------
def _check_value(value, kind, itemsize, where):
    if kind == "b":
        ok = isinstance(value, bool)
    elif kind in "iu":
        ok = _is_int(value) and (
            -(1 << (8 * itemsize - 1)) <= value < (1 << (8 * itemsize - 1))
            if kind == "i"
            else 0 <= value < (1 << (8 * itemsize))
        )
    elif kind == "f":
        ok = _is_number(value) and math.isfinite(value)
    else:  # U and O hold strings
        ok = isinstance(value, str) and len(value) <= _MAX_LABEL_CHARS
        if kind == "U" and itemsize:
            ok = ok and len(value) <= itemsize
    if not ok:
        _fail(where, f"value {value!r:.80} does not fit dtype kind {kind!r}")


def check_array_json(data, where, max_items=_MAX_ITEMS):
    """Check an array written by :func:`~sklstm.persistence.array_to_json`.

    The dtype must be a plain one (bool, integer, float, bounded unicode
    string, or object holding strings) and every value must fit it; the
    number of values and the length of each string are bounded, so that
    :func:`~sklstm.persistence.array_from_json` allocates no more than the
    file's own size suggests.

    Parameters
    ----------
    data : object
        Parsed JSON.
    where : str
        File and field, for the error message.
    max_items : int
        Most values allowed.

    Raises
    ------
    ModelFileError
    """
    _dict(data, where, ("values", "dtype"))
    dtype = data["dtype"]
    match = _DTYPE.match(dtype) if isinstance(dtype, str) else None
    if match is None:
        _fail(f"{where}.dtype", f"{dtype!r:.80} is not a dtype sklstm writes")
    chars = int(match.group(1) or 0)
    if chars > _MAX_LABEL_CHARS:
        _fail(
            f"{where}.dtype", f"{dtype} declares labels over {_MAX_LABEL_CHARS} chars"
        )
    kind = np.dtype(dtype).kind
    itemsize = chars if kind == "U" else np.dtype(dtype).itemsize
    for value in _list(data["values"], f"{where}.values", max_items):
        _check_value(value, kind, itemsize, f"{where}.values")
    return data


def check_feature_names(data, where):
    """Check the optional ``feature_names_in_``: one name per ``n_features_in_``."""
    if "feature_names_in_" in data:
        names = check_array_json(
            data["feature_names_in_"], f"{where}.feature_names_in_"
        )
        if len(names["values"]) != data["n_features_in_"]:
            _fail(f"{where}.feature_names_in_", "not one name per feature")


# -- the JSON files ----------------------------------------------------------------
def _check_encoded(value, where, depth=0):
    """A parameter value as :func:`~sklstm.persistence.encode_params` writes it."""
    if depth > 8:
        _fail(where, "nested too deeply")
    if value is None or isinstance(value, (bool, int, float)):
        return
    if isinstance(value, str):
        _string(value, where)
    elif isinstance(value, list):
        for item in _list(value, where, _MAX_PARAM_ITEMS):
            _check_encoded(item, where, depth + 1)
    elif isinstance(value, dict) and set(value) == {"__tuple__"}:
        _check_encoded(value["__tuple__"], where, depth + 1)
    elif isinstance(value, dict) and set(value) == {"__dict__"}:
        for pair in _list(value["__dict__"], where, _MAX_PARAM_ITEMS):
            if not isinstance(pair, list) or len(pair) != 2:
                _fail(where, "a dict entry is not a [key, value] pair")
            _check_encoded(pair[0], where, depth + 1)
            _check_encoded(pair[1], where, depth + 1)
            if isinstance(pair[0], (list, dict)):
                _fail(where, "a dict key is not a number or string")
    else:
        _fail(where, f"{type(value).__name__} is not an encoded parameter value")


def check_params(data, where="params.json"):
    """Check ``params.json``: the estimator's name and its encoded parameters."""
    _dict(data, where, ("estimator", "params"))
    _string(data["estimator"], f"{where}.estimator", 100)
    params = _dict(data["params"], f"{where}.params")
    if len(params) > 200:
        _fail(f"{where}.params", f"{len(params)} parameters")
    for name, value in params.items():
        _check_encoded(value, f"{where}.params.{name:.60}")
    return data


#: The target attributes each estimator's ``fitted.json`` holds.
_TARGETS = {"LSTMRegressor": ("target_shape_",), "LSTMClassifier": ("classes_",)}


def check_fitted(data, where="fitted.json"):
    """Check ``fitted.json``: sizes in range, targets consistent with ``n_outputs``."""
    _dict(data, where, ("estimator", "n_features_in_", "n_channels_in_", "n_outputs"))
    estimator = data["estimator"]
    if not isinstance(estimator, str) or estimator not in _TARGETS:
        _fail(f"{where}.estimator", f"unknown estimator {estimator!r:.80}")
    _dict(data, where, _TARGETS[estimator])
    _int(data["n_features_in_"], f"{where}.n_features_in_")
    _int(data["n_channels_in_"], f"{where}.n_channels_in_")
    n_outputs = _int(data["n_outputs"], f"{where}.n_outputs")
    for key in ("sklstm_version", "torch_version"):
        if key in data:
            _string(data[key], f"{where}.{key}", 100)
    check_feature_names(data, where)
    if estimator == "LSTMRegressor":
        # () for a 1-D y, (dt_futu,) or (dt_futu, n_targets).
        shape = _list(data["target_shape_"], f"{where}.target_shape_", 2)
        for size in shape:
            _int(size, f"{where}.target_shape_")
        if math.prod(shape) != n_outputs:
            _fail(
                f"{where}.target_shape_", f"{shape} does not give {n_outputs} outputs"
            )
    else:
        _dict(data, where, ("class_weights",))
        classes = check_array_json(data["classes_"], f"{where}.classes_")["values"]
        if len(classes) != n_outputs or n_outputs < 2:
            _fail(
                f"{where}.classes_", f"{len(classes)} classes for {n_outputs} outputs"
            )
        try:
            in_order = classes == sorted(set(classes))
        except TypeError:  # labels of several kinds
            in_order = False
        if not in_order:
            _fail(f"{where}.classes_", "labels not sorted and unique")
        weights = _list(data["class_weights"], f"{where}.class_weights", n_outputs)
        if len(weights) != n_outputs or not all(
            _is_number(w) and math.isfinite(w) and w >= 0 for w in weights
        ):
            _fail(f"{where}.class_weights", "not one non-negative weight per class")
    return data


def _scalar(value):
    return value is None or isinstance(value, (bool, int, float, str))


def check_history(data, where="history.json"):
    """Check ``history.json``: one record per epoch, numbered from 1."""
    for index, record in enumerate(_list(data, where)):
        at = f"{where}[{index}]"
        _dict(record, at, ("epoch", "train_loss"))
        if record["epoch"] != index + 1 or not _is_int(record["epoch"]):
            _fail(f"{at}.epoch", f"expected {index + 1}, found {record['epoch']!r:.40}")
        if not _is_number(record["train_loss"]):
            _fail(f"{at}.train_loss", "not a number")
        for key, value in record.items():
            if key == "batches":
                for batch in _list(value, f"{at}.batches"):
                    _dict(batch, f"{at}.batches")
                    if not all(_scalar(v) for v in batch.values()):
                        _fail(f"{at}.batches", "a batch record holds a non-scalar")
            elif not _scalar(value):
                _fail(f"{at}.{key:.60}", "not a number, string, boolean or null")
    return data


def _check_plain(value, where, depth=0):
    if depth > 4:
        _fail(where, "nested too deeply")
    if isinstance(value, list):
        for item in _list(value, where, 10_000):
            _check_plain(item, where, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_plain(item, f"{where}.{key:.60}", depth + 1)
    elif not _scalar(value):
        _fail(where, f"{type(value).__name__} is not plain JSON data")


def check_training_info(data, where="training.json"):
    """Check ``training.json``: optimizer groups and state, callbacks' state."""
    _dict(data, where, ("param_groups", "state"))
    for group in _list(data["param_groups"], f"{where}.param_groups", 1000):
        _dict(group, f"{where}.param_groups", ("params",))
        for index in _list(group["params"], f"{where}.param_groups.params", 100_000):
            _int(index, f"{where}.param_groups.params", 0, 1_000_000)
        _check_plain(group, f"{where}.param_groups")
    for index, state in _dict(data["state"], f"{where}.state").items():
        if not index.isdigit():
            _fail(f"{where}.state", f"key {index!r:.40} is not a parameter index")
        _check_plain(_dict(state, f"{where}.state.{index}"), f"{where}.state.{index}")
    _check_plain(_dict(data.get("callbacks", {}), f"{where}.callbacks"), where)
    return data


def check_tensor_names(names, where="training.safetensors"):
    """Check the tensor names of ``training.safetensors``."""
    for name in names:
        if not _TENSOR_NAME.match(name):
            _fail(where, f"unexpected tensor {name!r:.80}")
