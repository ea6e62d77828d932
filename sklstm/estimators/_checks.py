"""Input checks the estimators run before scikit-learn converts the data."""

import numpy as np

__all__ = ["check_not_empty", "check_predict_shape", "check_X_dtype"]


def check_X_dtype(X):
    """Refuse input that is not real numbers before scikit-learn converts it."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is not None and not isinstance(dtypes, np.dtype):
        kinds = {np.dtype(getattr(d, "numpy_dtype", d)).kind for d in dtypes}
    else:
        kinds = {getattr(X, "dtype", None) and np.dtype(X.dtype).kind}
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
