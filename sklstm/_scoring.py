"""The regressors' default ``score``: R², for targets of one to three axes."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

__all__ = ["MultiStepRegressorMixin"]


class MultiStepRegressorMixin(RegressorMixin):
    """:class:`~sklearn.base.RegressorMixin` whose ``score`` takes a 3-D ``y``.

    scikit-learn's ``score`` (and so the default scoring of ``GridSearchCV``
    and ``cross_val_score``) refuses targets of more than two axes, which is
    what several targets give: ``(n, dt_futu, n_targets)``.
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
        y_pred = self.predict(X)
        if np.asarray(y).ndim > 2:
            y = np.asarray(y).reshape(len(y), -1)
            y_pred = np.asarray(y_pred).reshape(len(y_pred), -1)
        return r2_score(y, y_pred, sample_weight=sample_weight)
