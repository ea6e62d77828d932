"""scikit-learn estimators; the training loop lives in :mod:`sklstm.training`."""

from ._io import load_model, save_model
from .classifier import LSTMClassifier
from .regressor import LSTMRegressor

__all__ = ["LSTMClassifier", "LSTMRegressor", "load_model", "save_model"]
