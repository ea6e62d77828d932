"""Skill of a forecast against a baseline, as a metric and as a scorer.

A mean absolute error means little alone: 0.6 is excellent for one series
and useless for another. The *MAE skill score* compares it with a baseline
forecast on the same targets::

    skill = 1 - MAE(model) / MAE(baseline)

1 is a perfect forecast, 0 is as good as the baseline, and a negative skill
means the baseline is better (-1: twice its error). :func:`make_skill_scorer`
turns it into a scorer for ``cross_val_score`` and ``GridSearchCV``, with
persistence (or seasonal-naive) computed from each test fold's own inputs.

:func:`make_flat_scorer` makes any scikit-learn metric a scorer for targets
of shape ``(n, dt_futu, n_targets)``, which scikit-learn's metrics refuse.
"""

import functools

import numpy as np
from sklearn.base import clone
from sklearn.metrics import make_scorer
from sklearn.utils._param_validation import StrOptions, validate_params

from ._scoring import on_flat_rows
from .baselines import PersistenceRegressor, SeasonalNaiveRegressor

__all__ = ["mae_skill_score", "make_flat_scorer", "make_skill_scorer"]


def make_flat_scorer(metric, *, greater_is_better=True, **kwargs):
    """Make a scorer that applies ``metric`` to targets flattened per row.

    Several targets give ``y`` of shape ``(n, dt_futu, n_targets)``, which
    scikit-learn's metrics (and so ``scoring="r2"`` or
    ``"neg_mean_absolute_error"``, and the default ``score`` of a
    :class:`~sklearn.compose.TransformedTargetRegressor`) refuse. This
    scorer reshapes ``y`` and the predictions to ``(n, dt_futu *
    n_targets)`` first: each step of each target is one output, averaged as
    ``metric`` averages outputs. A 1-D or 2-D ``y`` is scored as ``metric``
    scores it.

    Parameters
    ----------
    metric : callable
        ``metric(y_true, y_pred, **kwargs)``, e.g.
        :func:`~sklearn.metrics.r2_score` or
        :func:`~sklearn.metrics.mean_absolute_error`.
    greater_is_better : bool, default=True
        False for an error (the scorer then returns its negative, as
        scikit-learn's ``neg_*`` scorers do).
    **kwargs
        Passed to ``metric``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, for any ``scoring=`` argument.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.metrics import mean_absolute_error
    >>> from sklearn.dummy import DummyRegressor
    >>> from sklstm.metrics import make_flat_scorer
    >>> y = np.arange(12.0).reshape(2, 3, 2)
    >>> class Zero(DummyRegressor):
    ...     def predict(self, X):
    ...         return np.zeros((len(X), 3, 2))
    >>> scorer = make_flat_scorer(mean_absolute_error, greater_is_better=False)
    >>> float(scorer(Zero().fit(np.zeros((2, 1)), y[:, 0, 0]), np.zeros((2, 1)), y))
    -5.5
    """
    return make_scorer(
        functools.partial(on_flat_rows, metric),
        greater_is_better=greater_is_better,
        **kwargs,
    )


def _mae(y_true, y_pred):
    return float(np.mean(np.abs(np.asarray(y_pred, float) - y_true)))


@validate_params(
    {"y_true": ["array-like"], "y_pred": ["array-like"], "y_baseline": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def mae_skill_score(y_true, y_pred, y_baseline):
    """Return ``1 - MAE(y_pred) / MAE(y_baseline)`` over all targets and steps.

    Parameters
    ----------
    y_true : array-like of shape (n,), (n, dt_futu) or (n, dt_futu, n_targets)
        Observed values.
    y_pred : array-like of the same shape
        The forecast to judge.
    y_baseline : array-like of the same shape
        The baseline's forecast of the same targets, e.g. from
        :class:`~sklstm.baselines.PersistenceRegressor`.

    Returns
    -------
    skill : float
        1 for a perfect forecast, 0 for the baseline's error, below 0 when
        the baseline is better. When the baseline is perfect: 0 for a
        perfect forecast too, ``-inf`` otherwise.

    Examples
    --------
    >>> from sklstm.metrics import mae_skill_score
    >>> mae_skill_score([1.0, 2.0, 3.0], [1.0, 2.5, 3.0], [2.0, 2.0, 2.0])
    0.75
    """
    y_true = np.asarray(y_true, dtype=float)
    shapes = {np.shape(y_true), np.shape(y_pred), np.shape(y_baseline)}
    if len(shapes) != 1:
        raise ValueError(
            "y_true, y_pred and y_baseline must have the same shape; got "
            f"{np.shape(y_true)}, {np.shape(y_pred)} and {np.shape(y_baseline)}."
        )
    error, reference = _mae(y_true, y_pred), _mae(y_true, y_baseline)
    if reference == 0:
        return 0.0 if error == 0 else -np.inf
    return 1.0 - error / reference


class _SkillScorer:
    """Callable ``scorer(estimator, X, y)``: MAE skill against a naive baseline."""

    def __init__(self, baseline, layout):
        self.baseline = baseline
        self.layout = layout

    def _baseline_forecast(self, X, y):
        if self.layout == "rows":
            from .transformers import SlidingWindowTransformer

            season = getattr(self.baseline, "season", None)
            X = SlidingWindowTransformer(dt_past=season or 1).fit_transform(X)
        return clone(self.baseline).fit(X, y).predict(X)

    def __call__(self, estimator, X, y):
        y_baseline = self._baseline_forecast(X, y)
        return mae_skill_score(y, estimator.predict(X), y_baseline)

    def __repr__(self):
        return f"make_skill_scorer(baseline={self.baseline!r}, layout={self.layout!r})"


@validate_params(
    {
        "baseline": [PersistenceRegressor, SeasonalNaiveRegressor, None],
        "layout": [StrOptions({"windows", "rows"})],
    },
    prefer_skip_nested_validation=True,
)
def make_skill_scorer(baseline=None, *, layout="windows"):
    """Make a scorer of the MAE skill against persistence or seasonal-naive.

    The scorer computes the baseline's forecast from the inputs ``X`` of the
    fold it scores, so it fits any ``scoring=`` argument:
    ``cross_val_score(model, X, y, scoring=make_skill_scorer())``. Greater
    is better; above 0 the model beats the baseline.

    Parameters
    ----------
    baseline : PersistenceRegressor, SeasonalNaiveRegressor or None, \
            default=None
        The baseline (unfitted; its ``target_channels`` and ``season`` are
        used). None: ``PersistenceRegressor()``. Only these naive baselines
        are accepted, because they learn nothing from the fold they score;
        compare with a learned baseline such as
        :class:`~sklstm.baselines.LinearAutoRegressor` by
        cross-validating it on the same folds.
    layout : {"windows", "rows"}, default="windows"
        What ``X`` holds. ``"windows"``: windows as the estimators take them
        (``(n, dt_past, n_channels)``, or 2-D for one channel). ``"rows"``:
        one row per time step, as a pipeline that starts with
        :class:`~sklstm.SlidingWindowTransformer` takes, with the target
        series among the columns, in the units of ``y`` (the last column by
        default). In rows, the seasonal-naive forecast of the first
        ``season`` rows of a fold falls back to persistence.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)`` returning :func:`mae_skill_score` of
        ``estimator.predict(X)`` against the baseline.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from sklstm import sliding_windows
    >>> from sklstm.baselines import LinearAutoRegressor
    >>> from sklstm.metrics import make_skill_scorer
    >>> X, Y = sliding_windows(np.sin(np.arange(200) * 0.3), dt_past=8, dt_futu=3)
    >>> scores = cross_val_score(LinearAutoRegressor(), X, Y,
    ...                          cv=TimeSeriesSplit(3), scoring=make_skill_scorer())
    >>> bool(scores.min() > 0.9)  # far better than persistence on a clean sine
    True
    """
    if baseline is None:
        baseline = PersistenceRegressor()
    return _SkillScorer(baseline, layout)
