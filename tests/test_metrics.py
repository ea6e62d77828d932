"""The MAE skill score and its scorer."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline

from sklstm import (
    LinearAutoRegressor,
    PersistenceRegressor,
    SeasonalNaiveRegressor,
    SlidingWindowTransformer,
    future_targets,
    sliding_windows,
)
from sklstm.metrics import mae_skill_score, make_skill_scorer


def test_skill_score_values():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    baseline = y + 1.0
    assert mae_skill_score(y, y, baseline) == 1.0
    assert mae_skill_score(y, baseline, baseline) == 0.0
    assert mae_skill_score(y, y + 2.0, baseline) == -1.0
    assert mae_skill_score(y, y, y) == 0.0
    assert mae_skill_score(y, baseline, y) == -np.inf


def test_skill_score_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        mae_skill_score(np.zeros((3, 2)), np.zeros((3, 2)), np.zeros(3))


def _series():
    rng = np.random.default_rng(0)
    return np.sin(np.arange(240) * 0.5) + 0.1 * rng.normal(size=240)


def test_scorer_on_windows_matches_the_metric():
    X, Y = sliding_windows(_series(), dt_past=6, dt_futu=2)
    model = LinearAutoRegressor().fit(X[:150], Y[:150])
    scorer = make_skill_scorer()
    persistence = PersistenceRegressor().fit(X, Y).predict(X[150:])
    expected = mae_skill_score(Y[150:], model.predict(X[150:]), persistence)
    assert scorer(model, X[150:], Y[150:]) == pytest.approx(expected)
    # Persistence against itself has no skill.
    assert scorer(PersistenceRegressor().fit(X, Y), X, Y) == 0.0


def test_scorer_on_rows_in_cross_validation_and_search():
    X_rows, Y = future_targets(_series(), dt_futu=2)
    pipe = Pipeline(
        [("window", SlidingWindowTransformer(dt_past=6)), ("m", LinearAutoRegressor())]
    )
    cv = TimeSeriesSplit(n_splits=3, gap=2)
    rows = make_skill_scorer(layout="rows")
    skill = cross_val_score(pipe, X_rows, Y, cv=cv, scoring=rows)
    assert (skill > 0).all()  # the AR beats persistence on a noisy sine
    # The same folds scored by MAE tell the same story.
    naive = Pipeline(
        [("window", SlidingWindowTransformer(dt_past=1)), ("m", PersistenceRegressor())]
    )
    assert cross_val_score(naive, X_rows, Y, cv=cv, scoring=rows) == pytest.approx(0)
    search = GridSearchCV(pipe, {"m__alpha": [0.1, 100.0]}, cv=cv, scoring=rows)
    assert search.fit(X_rows, Y).best_score_ == pytest.approx(skill.mean(), abs=0.2)


def test_seasonal_scorer_on_rows():
    X_rows, Y = future_targets(np.tile(np.arange(4.0), 30), dt_futu=4)
    pipe = Pipeline(
        [
            ("window", SlidingWindowTransformer(dt_past=4)),
            ("m", SeasonalNaiveRegressor(season=4)),
        ]
    ).fit(X_rows, Y)
    scorer = make_skill_scorer(SeasonalNaiveRegressor(season=4), layout="rows")
    assert scorer(pipe, X_rows[40:], Y[40:]) == 0.0


def test_scorer_refuses_learned_baselines():
    with pytest.raises(ValueError, match="baseline"):
        make_skill_scorer(LinearAutoRegressor())
    with pytest.raises(ValueError, match="layout"):
        make_skill_scorer(layout="columns")
