"""scikit-learn estimators; the training loop lives in :mod:`sklstm.training`."""

from .classifier import LSTMClassifier
from .regressor import LSTMRegressor

__all__ = ["LSTMClassifier", "LSTMRegressor"]
