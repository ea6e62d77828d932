"""Class labels as NumPy arrays, without silent changes of type."""

import math
from numbers import Number

import numpy as np
from sklearn.utils.class_weight import compute_class_weight

__all__ = ["as_labels", "check_known_labels", "class_weights"]


def _is_missing(value):
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    # pandas.NA and NaT compare as neither equal nor unequal to themselves.
    try:
        return bool(value != value)
    except TypeError:
        return True


def as_labels(y, name):
    """Return labels ``y`` as an array, refusing missing and mixed-type labels.

    NumPy would turn ``["a", 1]`` into the strings ``["a", "1"]``, and
    pandas' nullable ``Int64`` labels into floats; a label that comes back
    as another type than it went in is a silent bug, so mixed labels are an
    error and nullable columns keep their NumPy type.

    Parameters
    ----------
    y : array-like of shape (n,)
        Labels of any hashable type, all of one kind (numbers, or strings).
    name : str
        Name of the argument, for error messages.

    Returns
    -------
    labels : ndarray of shape (n,)

    Examples
    --------
    >>> import pandas as pd
    >>> from sklstm.estimators._labels import as_labels
    >>> as_labels(pd.Series([1, 2], dtype="Int64"), "y")
    array([1, 2])
    >>> as_labels(["a", 1], "y")
    Traceback (most recent call last):
    ...
    TypeError: y mixes labels of different types (int, str): ...
    """
    if y is None:  # scikit-learn's validation says that y is required
        return None
    dtype = getattr(y, "dtype", None)
    if hasattr(y, "isna") and bool(np.any(y.isna())):
        raise ValueError(
            f"{name} has missing labels (NA/NaN/None); drop those rows or give them "
            "a label of their own."
        )
    numpy_dtype = getattr(dtype, "numpy_dtype", None)
    if numpy_dtype is not None:  # pandas nullable Int64, boolean, Float64...
        y = y.to_numpy(dtype=numpy_dtype)
    labels = np.asarray(y)
    if labels.dtype.kind == "f" and np.isnan(labels).any():
        raise ValueError(
            f"{name} has missing labels (NaN); drop those rows or give them a label "
            "of their own."
        )
    if labels.dtype.kind not in "OUS" and not isinstance(y, (list, tuple)):
        return labels
    values = np.asarray(y, dtype=object).ravel()
    kinds = set()
    for value in values:
        if _is_missing(value):
            raise ValueError(
                f"{name} has missing labels ({value!r}); drop those rows or give "
                "them a label of their own."
            )
        if isinstance(value, (str, bytes)):
            kinds.add("text")
        elif isinstance(value, Number):
            kinds.add("number")
        else:
            kinds.add(type(value).__name__)
    if len(kinds) > 1:
        types = sorted({type(v).__name__ for v in values})
        raise TypeError(
            f"{name} mixes labels of different types ({', '.join(types)}): NumPy "
            "would silently turn them all into one type. Use labels of one type, "
            "e.g. all strings."
        )
    return labels


def check_known_labels(classes, y, purpose):
    """Refuse labels of ``y`` that are not among ``classes`` (no network output)."""
    unseen = set(np.unique(np.asarray(y)).tolist()) - set(classes.tolist())
    if unseen:
        raise ValueError(
            f"y has labels that are not in classes_ ({classes.tolist()!r}): "
            f"{sorted(unseen, key=repr)!r}. The network has no output for them; "
            f"drop those rows from the {purpose} data, or refit with them."
        )


def class_weights(class_weight, classes, y=None):
    """Weights of ``classes`` in the loss, each finite and >= 0.

    ``y`` is needed for ``"balanced"``; None (``partial_fit``) weighs the
    classes as if each were seen once.
    """
    weights = compute_class_weight(
        class_weight, classes=classes, y=classes if y is None else y
    )
    if not np.all(np.isfinite(weights) & (weights >= 0)):
        raise ValueError(
            f"class_weight={class_weight!r} gives weights {weights.tolist()}; every "
            "weight must be a finite number >= 0 (0 ignores a class)."
        )
    return weights
