"""Input checks the estimators run before scikit-learn converts the data."""

from numbers import Integral

import numpy as np
import torch
from sklearn.utils._param_validation import Interval, InvalidParameterError
from skorch.callbacks import Callback

__all__ = [
    "FLOAT32_MAX",
    "check_callbacks",
    "check_float32_range",
    "check_no_bool_integers",
    "check_optimizer",
    "check_not_empty",
    "check_predict_shape",
    "check_X_dtype",
]

#: Largest finite float32: the network computes in float32.
FLOAT32_MAX = float(np.finfo(np.float32).max)


def check_no_bool_integers(estimator):
    """Refuse ``True``/``False`` for integer parameters (bool is an int in Python)."""
    for name, constraints in estimator._parameter_constraints.items():
        value = getattr(estimator, name)
        if not isinstance(value, bool) or "boolean" in constraints:
            continue
        if any(isinstance(c, Interval) and c.type is Integral for c in constraints):
            raise InvalidParameterError(
                f"The {name!r} parameter of {type(estimator).__name__} must be an "
                f"integer, not a boolean; got {name}={value!r}."
            )


def check_optimizer(optimizer):
    """An optimizer class must be a :class:`torch.optim.Optimizer` subclass."""
    if isinstance(optimizer, type) and not issubclass(optimizer, torch.optim.Optimizer):
        raise InvalidParameterError(
            f"The 'optimizer' parameter must be one of the optimizer names or a "
            f"torch.optim.Optimizer subclass (e.g. torch.optim.AdamW); got "
            f"optimizer={optimizer.__name__}."
        )


#: What skorch calls on every callback; an object without them fails inside it.
_CALLBACK_METHODS = ("initialize", "set_params", "get_params", "on_train_begin")


def _is_callback(item):
    """A skorch ``Callback`` (instance or class), or anything shaped like one."""
    if isinstance(item, type) and issubclass(item, Callback):
        return True
    return isinstance(item, Callback) or all(
        callable(getattr(item, name, None)) for name in _CALLBACK_METHODS
    )


def check_callbacks(callbacks):
    """Each callback is a skorch ``Callback`` (instance or class), or a pair
    ``(name, callback)`` as a tuple or list, as skorch takes them."""
    for index, item in enumerate(callbacks or []):
        named = (
            isinstance(item, (tuple, list))
            and len(item) == 2
            and isinstance(item[0], str)
            and _is_callback(item[1])
        )
        if not (named or _is_callback(item)):
            raise InvalidParameterError(
                f"The 'callbacks' parameter must be a list of skorch callbacks "
                f"(skorch.callbacks.Callback instances or classes, or (name, "
                f"callback) pairs); callbacks[{index}] is {item!r:.80}."
            )


def check_float32_range(values, name):
    """Refuse values that are finite in float64 but overflow float32."""
    if values.dtype != np.float64 or values.size == 0:
        return
    largest = max(np.nanmax(values), -np.nanmin(values))  # no copy of the data
    if largest > FLOAT32_MAX:
        raise ValueError(
            f"{name} has values up to {largest:.3g}, beyond float32's range "
            f"(±{FLOAT32_MAX:.3g}) in which the network computes; scale {name} "
            "(e.g. with StandardScaler) before fitting."
        )


def _dtype_kinds(X):
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or isinstance(dtypes, np.dtype):
        return {getattr(X, "dtype", None) and np.dtype(X.dtype).kind}
    kinds = set()
    for dtype in dtypes:
        try:
            kinds.add(np.dtype(getattr(dtype, "numpy_dtype", dtype)).kind)
        except TypeError:
            # pandas' own dtypes: categorical, string, interval, period...
            kinds.add("category" if str(dtype) == "category" else "U")
    return kinds


def check_X_dtype(X):
    """Refuse input that is not real numbers before scikit-learn converts it."""
    kinds = _dtype_kinds(X)
    if "category" in kinds:
        raise TypeError(
            "X has categorical columns; LSTM inputs must be numbers: one-hot "
            "encode them (e.g. OneHotEncoder or pandas.get_dummies) first."
        )
    if "b" in kinds:
        raise TypeError(
            "X is boolean; LSTMs take real numbers. If the booleans are "
            "intended as 0/1 values, convert them with X.astype(float)."
        )
    if kinds & set("USMm"):
        raise TypeError(
            "X holds text or dates, but LSTM inputs must be numbers; encode "
            "categories (e.g. one-hot) and convert with X.astype(float)."
        )
    if "c" in kinds:
        raise ValueError(
            "Complex data not supported: LSTMs take real numbers; pass the real "
            "and imaginary parts as two channels."
        )
    if "O" in kinds:
        try:
            np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as error:
            # Keep NumPy's text: it names the offending value.
            raise TypeError(
                f"X has dtype object with entries that are not numbers ({error}); "
                "LSTM inputs must be numbers: encode categories and convert with "
                "X.astype(float)."
            ) from None


def check_not_empty(windows):
    """Refuse windows without time steps or channels."""
    if windows.n_steps == 0 or windows.n_channels == 0:
        raise ValueError(
            f"X has {windows.n_steps} time steps and {windows.n_channels} channels "
            "per window; both must be at least 1 (build windows with dt_past >= 1 "
            "from a series with at least one column)."
        )


def check_predict_shape(estimator, X):
    """Refuse windows whose steps or channels differ from those seen in fit."""
    shape = getattr(X, "shape", ())
    if isinstance(X, (list, tuple)):
        try:
            shape = np.shape(X)
        except ValueError:  # a ragged list: scikit-learn's validation says so
            shape = ()
    if len(shape) in (2, 3) and shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {shape[1]} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input. For windows the features "
            f"are the time steps: build them with the dt_past used in fit "
            f"({estimator.n_features_in_})."
        )
    if len(shape) == 3 and shape[2] != estimator.n_channels_in_:
        raise ValueError(
            f"X has {shape[2]} channels (features per time step) but "
            f"{type(estimator).__name__} was fitted with "
            f"{estimator.n_channels_in_}; pass the same columns as in fit."
        )
    if len(shape) == 2 and estimator.n_channels_in_ != 1:
        raise ValueError(
            f"X is 2-D, which reads as one channel, but {type(estimator).__name__} "
            f"was fitted with {estimator.n_channels_in_} channels; pass 3-D windows "
            "(n_windows, n_steps, n_channels)."
        )
