"""Successive halving over epochs: the recipe of docs/user_guide/scaling_out.rst.

``HalvingGridSearchCV(resource="lstm__max_epochs")`` trains every candidate
for a few epochs, keeps the best ``1 / factor`` and trains those longer. On
the lag-dependency series of ``tests/test_pipelines.py`` it must pick the
same ``dt_past`` as the full grid, for half the epochs.
"""

import numpy as np
import pytest
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    TimeSeriesSplit,
)
from sklearn.pipeline import Pipeline

from sklstm import LSTMRegressor, SlidingWindowTransformer, future_targets

LAG, MAX_EPOCHS = 30, 16
GRID = {"window__dt_past": [5, 10, 20, 30]}


def _lagged_rows(n=500):
    """White noise in, the input 30 steps back out: only dt_past >= 30 sees it."""
    x = np.random.default_rng(0).normal(size=n)
    y = np.zeros(n)
    y[LAG - 1 :] = x[: n - LAG + 1]
    return future_targets(x.reshape(-1, 1), y, dt_futu=1)


def _pipe():
    lstm = LSTMRegressor(
        architecture="bidirectional",
        n_neurons=16,
        max_epochs=MAX_EPOCHS,
        lr=2e-2,
        batch_size=32,
        device="cpu",
        random_state=0,
    )
    return Pipeline([("window", SlidingWindowTransformer()), ("lstm", lstm)])


def _cv():
    return TimeSeriesSplit(n_splits=2, gap=1)


def _epochs_trained(search):
    """Epochs per fold, summed over every candidate of every iteration."""
    return sum(n * r for n, r in zip(search.n_candidates_, search.n_resources_))


@pytest.mark.slow
def test_halving_over_epochs_finds_the_full_grids_dt_past_for_half_the_epochs():
    X_rows, Y = _lagged_rows()
    full = GridSearchCV(_pipe(), GRID, cv=_cv()).fit(X_rows, Y)
    halving = HalvingGridSearchCV(
        _pipe(),
        GRID,
        cv=_cv(),
        resource="lstm__max_epochs",
        min_resources="exhaust",
        max_resources=MAX_EPOCHS,
        factor=4,
    ).fit(X_rows, Y)
    assert full.best_params_ == {"window__dt_past": LAG}
    assert halving.best_params_["window__dt_past"] == LAG
    # The winner was trained for the full budget in the last iteration.
    assert halving.best_params_["lstm__max_epochs"] == MAX_EPOCHS
    assert list(halving.n_resources_) == [4, 16]
    full_epochs = len(GRID["window__dt_past"]) * MAX_EPOCHS
    assert _epochs_trained(halving) / full_epochs == 0.5
    # The final refit trains as long as the full grid's.
    assert halving.best_estimator_[-1].history_[-1]["epoch"] == MAX_EPOCHS


@pytest.mark.parametrize("n_candidates", [2, 3, 4, 5])
def test_exhaust_refits_the_winner_with_max_resources_whatever_the_grid(n_candidates):
    # scikit-learn runs 1 + floor(log_factor(n_candidates)) rounds: with a
    # fixed min_resources and fewer candidates than factor, the only round
    # (and the refit) would use min_resources epochs. "exhaust" starts as
    # high as it can so that the last round reaches max_resources.
    X_rows, Y = future_targets(np.sin(np.arange(120) * 0.2), dt_futu=2)
    pipe = Pipeline(
        [
            ("window", SlidingWindowTransformer()),
            ("lstm", LSTMRegressor(n_neurons=2, batch_size=32, random_state=0)),
        ]
    )
    search = HalvingGridSearchCV(
        pipe,
        {"window__dt_past": [2, 3, 4, 5, 6][:n_candidates]},
        resource="lstm__max_epochs",
        min_resources="exhaust",
        max_resources=4,
        factor=4,
        cv=TimeSeriesSplit(n_splits=2, gap=2),
    ).fit(X_rows, Y)
    assert search.n_resources_[-1] == 4
    assert search.best_estimator_[-1].max_epochs == 4
    assert search.best_estimator_[-1].history_[-1]["epoch"] == 4
