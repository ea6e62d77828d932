"""The regressors' default score with several targets: 3-D y."""

import numpy as np
import pytest
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import Pipeline

from sklstm import (
    ConformalForecaster,
    LinearAutoRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    SlidingWindowTransformer,
    future_targets,
)

DT_FUTU = 2


def several_targets(n=160, seed=0):
    """Rows of three channels; Y (n, DT_FUTU, 2) from the first two."""
    rng = np.random.default_rng(seed)
    series = np.cumsum(rng.normal(size=(n, 3)), axis=0) * 0.1
    return future_targets(series, dt_futu=DT_FUTU, target_columns=[0, 1])


def pipeline(model, dt_past=4):
    return Pipeline(
        [("window", SlidingWindowTransformer(dt_past=dt_past)), ("model", model)]
    )


MODELS = {
    "lstm": lambda: LSTMRegressor(n_neurons=3, max_epochs=2, random_state=0),
    "persistence": PersistenceRegressor,
    "linear": LinearAutoRegressor,
}


@pytest.mark.parametrize("name", sorted(MODELS))
def test_score_of_3d_targets_is_r2_over_every_step_and_target(name):
    X_rows, Y = several_targets()
    assert Y.ndim == 3
    model = pipeline(MODELS[name]()).fit(X_rows, Y)
    pred = model.predict(X_rows)
    expected = r2_score(Y.reshape(len(Y), -1), pred.reshape(len(pred), -1))
    assert model.score(X_rows, Y) == pytest.approx(expected, rel=1e-12)
    # One target: the 2-D y is scored as scikit-learn scores it.
    Y2 = Y[:, :, 0]
    model2 = pipeline(MODELS[name]()).fit(X_rows, Y2)
    assert model2.score(X_rows, Y2) == r2_score(Y2, model2.predict(X_rows))


def test_conformal_forecaster_scores_3d_targets():
    X_rows, Y = several_targets(n=300)
    model = ConformalForecaster(pipeline(PersistenceRegressor())).fit(X_rows, Y)
    pred = model.predict(X_rows)
    expected = r2_score(Y.reshape(len(Y), -1), pred.reshape(len(pred), -1))
    assert model.score(X_rows, Y) == pytest.approx(expected, rel=1e-12)


def test_model_selection_default_scoring_works_with_several_targets():
    X_rows, Y = several_targets()
    cv = TimeSeriesSplit(n_splits=2, gap=DT_FUTU)
    scores = cross_val_score(pipeline(PersistenceRegressor()), X_rows, Y, cv=cv)
    assert np.all(np.isfinite(scores))
    search = GridSearchCV(
        pipeline(LSTMRegressor(n_neurons=3, max_epochs=1, random_state=0)),
        {"window__dt_past": [2, 4]},
        cv=cv,
        error_score="raise",
    ).fit(X_rows, Y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_flat_scorer_scores_a_target_scaled_forecaster_with_several_targets():
    import pickle

    from sklearn.compose import TransformedTargetRegressor
    from sklearn.metrics import get_scorer, mean_absolute_error
    from sklearn.preprocessing import MinMaxScaler

    from sklstm import TargetScaler
    from sklstm.metrics import make_flat_scorer

    X_rows, Y = several_targets()
    ttr = TransformedTargetRegressor(
        pipeline(PersistenceRegressor(target_channels=[0, 1])),
        transformer=TargetScaler(MinMaxScaler()),
    ).fit(X_rows, Y)
    # TransformedTargetRegressor keeps scikit-learn's score, which refuses 3-D y.
    with pytest.raises(ValueError, match="dim 3"):
        ttr.score(X_rows, Y)
    pred = ttr.predict(X_rows)
    flat = Y.reshape(len(Y), -1), pred.reshape(len(pred), -1)
    r2 = make_flat_scorer(r2_score)
    assert r2(ttr, X_rows, Y) == pytest.approx(r2_score(*flat), rel=1e-12)
    neg_mae = make_flat_scorer(mean_absolute_error, greater_is_better=False)
    assert neg_mae(ttr, X_rows, Y) == pytest.approx(-mean_absolute_error(*flat))
    # A 2-D y is scored as scikit-learn's own scorer scores it.
    two_d = ttr.set_params(regressor__model__target_channels=[0]).fit(
        X_rows, Y[:, :, 0]
    )
    assert r2(two_d, X_rows, Y[:, :, 0]) == get_scorer("r2")(two_d, X_rows, Y[:, :, 0])
    # Picklable, so that n_jobs > 1 can send it to workers.
    restored = pickle.loads(pickle.dumps(r2))
    assert restored(two_d, X_rows, Y[:, :, 0]) == r2(two_d, X_rows, Y[:, :, 0])


def test_flat_scorer_in_a_search_over_a_target_scaled_pipeline():
    from sklearn.compose import TransformedTargetRegressor

    from sklstm import TargetScaler
    from sklstm.metrics import make_flat_scorer

    X_rows, Y = several_targets()
    ttr = TransformedTargetRegressor(
        pipeline(LSTMRegressor(n_neurons=3, max_epochs=1, random_state=0)),
        transformer=TargetScaler(),
    )
    search = GridSearchCV(
        ttr,
        {"regressor__window__dt_past": [2, 4]},
        cv=TimeSeriesSplit(n_splits=2, gap=DT_FUTU),
        scoring=make_flat_scorer(r2_score),
        error_score="raise",
    ).fit(X_rows, Y)
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
