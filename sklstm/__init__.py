"""sklstm: scikit-learn compatible LSTMs, built on skorch and PyTorch.

Turn a series into windows with :func:`sliding_windows` (the course's
shapes) or :class:`SlidingWindowTransformer` (inside a pipeline), then fit
:class:`LSTMRegressor` or :class:`LSTMClassifier`.
"""

from .estimators import LSTMClassifier, LSTMRegressor
from .estimators import load_model as load
from .estimators import save_model as save
from .forecasting import forecast, history_needed
from .intervals import ConformalForecaster
from .series import SeriesTimeSeriesSplit
from .target_scaling import TargetScaler
from .transformers import ShortHistoryWarning, SlidingWindowTransformer
from .windows import future_targets, sliding_windows

__version__ = "0.1.0"

__all__ = [
    "ConformalForecaster",
    "LSTMClassifier",
    "LSTMRegressor",
    "SeriesTimeSeriesSplit",
    "ShortHistoryWarning",
    "SlidingWindowTransformer",
    "TargetScaler",
    "__version__",
    "forecast",
    "future_targets",
    "history_needed",
    "load",
    "save",
    "sliding_windows",
]
