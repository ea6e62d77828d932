"""Baseline forecasters that take the same windows as the LSTM estimators.

Every forecast needs a yardstick. :class:`PersistenceRegressor` (the last
observed value), :class:`SeasonalNaiveRegressor` (the value one season back)
and :class:`LinearAutoRegressor` (ridge regression over the flattened
window) are scikit-learn regressors with the inputs and outputs of
:class:`~sklstm.LSTMRegressor`, so they sit in the same
:class:`~sklearn.pipeline.Pipeline`, ``cross_val_score`` or
``GridSearchCV``; :func:`sklstm.metrics.mae_skill_score` compares a forecast
with theirs.
"""

from ._linear import LinearAutoRegressor
from ._naive import PersistenceRegressor, SeasonalNaiveRegressor

__all__ = ["LinearAutoRegressor", "PersistenceRegressor", "SeasonalNaiveRegressor"]
