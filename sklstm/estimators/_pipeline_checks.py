"""Checks that a loaded pipeline's steps fit together, before it is used."""

from ..persistence import ModelFileError
from ..transformers import SlidingWindowTransformer
from .base import BaseLSTM

__all__ = ["check_chain", "check_role", "plain"]


def check_role(step, methods, where):
    """A loaded step must be able to play its part, or loading fails now."""
    if isinstance(step, str) and methods == ("transform",):
        return  # "passthrough"
    if isinstance(step, str) or not all(hasattr(step, m) for m in methods):
        raise ModelFileError(
            f"pipeline.json: the {where} is a {type(step).__name__}, which has no "
            f"{' or '.join(methods)}; the file is inconsistent."
        )


def plain(value):
    """A NumPy scalar as the Python value JSON can hold."""
    return value.item() if hasattr(value, "item") else value


def _input_shape(step):
    """The shape ``step`` was fitted on: ``(n_columns,)``, ``(steps, channels)``."""
    if isinstance(step, BaseLSTM):
        return (step.n_features_in_, step.n_channels_in_)
    n_features = getattr(step, "n_features_in_", None)
    return None if n_features is None else (n_features,)


def _output_shape(step, shape):
    if isinstance(step, str):
        return shape
    if isinstance(step, SlidingWindowTransformer):
        # The series column identifies the series; it is not a channel.
        n_channels = step.n_features_in_ - (step.series_column is not None)
        return (step.dt_past, n_channels)
    try:
        return (len(step.get_feature_names_out()),)
    except Exception:  # noqa: BLE001 - many steps cannot say; then unknown
        return None


def check_chain(steps):
    """Each step must take what the step before it gives, or loading fails now."""
    shape = None
    for name, step in steps:
        expected = None if isinstance(step, str) else _input_shape(step)
        if shape is not None and expected is not None and shape != expected:
            raise ModelFileError(
                f"pipeline.json: step {name!r} was fitted on data of shape {expected}, "
                f"but the step before it gives {shape}; the file is inconsistent."
            )
        shape = _output_shape(step, shape)
