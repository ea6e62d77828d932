"""The regressors' default ``score`` (R²), and metrics on targets of any rank."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

__all__ = ["MultiStepRegressorMixin", "on_flat_rows"]


def on_flat_rows(metric, y_true, y_pred, **kwargs):
    """``metric(y_true, y_pred)``, with 3-D targets flattened to one row each.

    scikit-learn's metrics refuse targets of more than two axes, which is
    what several targets give: ``(n, dt_futu, n_targets)``. Reshaped to
    ``(n, dt_futu * n_targets)``, each step of each target is one output,
    averaged as ``metric`` averages outputs; 1-D and 2-D targets go to
    ``metric`` as they are.
    """
    if np.asarray(y_true).ndim > 2:
        y_true = np.asarray(y_true).reshape(len(y_true), -1)
        y_pred = np.asarray(y_pred).reshape(len(y_pred), -1)
    return metric(y_true, y_pred, **kwargs)


class MultiStepRegressorMixin(RegressorMixin):
    """:class:`~sklearn.base.RegressorMixin` whose ``score`` takes a 3-D ``y``.

    scikit-learn's ``score`` (and so the default scoring of ``GridSearchCV``
    and ``cross_val_score``) refuses ``y`` of shape ``(n, dt_futu,
    n_targets)``.
    """

    def score(self, X, y, sample_weight=None):
        """Return the coefficient of determination R² of ``predict(X)``.

        Parameters
        ----------
        X : array-like
            Input of :meth:`predict`.
        y : array-like of shape (n,), (n, dt_futu) or (n, dt_futu, n_targets)
            True targets.
        sample_weight : array-like of shape (n,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R² averaged uniformly over the outputs: the ``dt_futu`` steps of a
            2-D ``y`` (as in scikit-learn), the ``dt_futu * n_targets``
            step-and-target pairs of a 3-D one.
        """
        return on_flat_rows(r2_score, y, self.predict(X), sample_weight=sample_weight)
