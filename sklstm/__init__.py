"""sklstm: scikit-learn compatible LSTMs, built on skorch and PyTorch.

Turn a series into windows with :func:`sliding_windows` (the course's
shapes) or :class:`SlidingWindowTransformer` (inside a pipeline), then fit
:class:`LSTMRegressor` or :class:`LSTMClassifier`. Judge a forecast against
:class:`PersistenceRegressor`, :class:`SeasonalNaiveRegressor` and
:class:`LinearAutoRegressor` (with :mod:`sklstm.metrics`), and let
:class:`ChangeFromLastRegressor` take a trend's level out of the problem.
"""

from . import metrics
from ._version import __version__
from .baselines import LinearAutoRegressor, PersistenceRegressor, SeasonalNaiveRegressor
from .change import ChangeFromLastRegressor
from .estimators import LSTMClassifier, LSTMRegressor
from .estimators import load_model as load
from .estimators import save_model as save
from .forecasting import forecast, history_needed
from .intervals import ConformalForecaster
from .series import SeriesTimeSeriesSplit
from .target_scaling import TargetScaler
from .transformers import ShortHistoryWarning, SlidingWindowTransformer
from .windows import future_targets, sliding_windows

__all__ = [
    "ChangeFromLastRegressor",
    "ConformalForecaster",
    "LinearAutoRegressor",
    "LSTMClassifier",
    "LSTMRegressor",
    "PersistenceRegressor",
    "SeasonalNaiveRegressor",
    "SeriesTimeSeriesSplit",
    "ShortHistoryWarning",
    "SlidingWindowTransformer",
    "TargetScaler",
    "__version__",
    "forecast",
    "future_targets",
    "history_needed",
    "load",
    "metrics",
    "save",
    "sliding_windows",
]
