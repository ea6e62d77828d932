"""sklstm: scikit-learn compatible LSTMs, built on skorch and PyTorch.

Turn a series into windows with :func:`sliding_windows` (the course's
shapes) or :class:`SlidingWindowTransformer` (inside a pipeline), then fit
:class:`LSTMRegressor` or :class:`LSTMClassifier`.
"""

from .estimators import LSTMClassifier, LSTMRegressor
from .estimators import load_model as load
from .estimators import save_model as save
from .transformers import SlidingWindowTransformer
from .windows import future_targets, sliding_windows

__version__ = "0.1.0"

__all__ = [
    "LSTMClassifier",
    "LSTMRegressor",
    "SlidingWindowTransformer",
    "__version__",
    "future_targets",
    "load",
    "save",
    "sliding_windows",
]
