"""The LSTM estimators inside scikit-learn pipelines and model selection.

One row per time step (``future_targets``), windows made inside the pipeline
(``SlidingWindowTransformer``), so ``dt_past`` is searched like any other
hyperparameter and ``TimeSeriesSplit(gap=dt_futu)`` keeps targets apart.
"""

import numpy as np
from sklearn.base import clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import (
    GridSearchCV,
    RandomizedSearchCV,
    StratifiedKFold,
    TimeSeriesSplit,
    cross_val_score,
    cross_validate,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from sklstm import (
    LSTMClassifier,
    LSTMRegressor,
    SlidingWindowTransformer,
    future_targets,
)

DT_FUTU = 3


def _series(n=240, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) * 0.25
    return np.sin(t) + 0.1 * rng.normal(size=n)


def _pipe(**lstm):
    params = {"n_neurons": 4, "max_epochs": 3, "lr": 1e-2, "batch_size": 32}
    params.update(device="cpu", random_state=0, **lstm)
    return Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=5)),
            ("lstm", LSTMRegressor(**params)),
        ]
    )


def _cv(n_splits=2):
    return TimeSeriesSplit(n_splits=n_splits, gap=DT_FUTU)


# -- search, refit and predict ----------------------------------------------------
def test_grid_search_over_dt_past_neurons_and_architecture():
    X_rows, Y = future_targets(_series(), dt_futu=DT_FUTU)
    grid = {
        "window__dt_past": [4, 8],
        "lstm__n_neurons": [4, 8],
        "lstm__architecture": ["vanilla", "bidirectional"],
    }
    search = GridSearchCV(_pipe(), grid, cv=_cv()).fit(X_rows, Y)

    scores = search.cv_results_["mean_test_score"]
    assert scores.shape == (8,) and np.all(np.isfinite(scores))
    assert search.best_score_ == scores.max()
    assert search.best_params_ == search.cv_results_["params"][np.argmax(scores)]
    # refit=True trained the best pipeline on all rows.
    best = search.best_estimator_
    assert best.named_steps["window"].dt_past == search.best_params_["window__dt_past"]
    assert best.named_steps["lstm"].n_features_in_ == best["window"].dt_past
    new_rows = _series(n=30, seed=1).reshape(-1, 1)
    prediction = search.predict(new_rows)
    assert prediction.shape == (30, DT_FUTU) and prediction.dtype == np.float64
    np.testing.assert_array_equal(prediction, best.predict(new_rows))
    assert np.all(np.isfinite(prediction))


def test_randomized_search_samples_the_grid():
    X_rows, Y = future_targets(_series(160), dt_futu=DT_FUTU)
    search = RandomizedSearchCV(
        _pipe(max_epochs=2),
        {"window__dt_past": [3, 6, 9], "lstm__n_neurons": [4, 6]},
        n_iter=2,
        cv=_cv(),
        random_state=0,
    ).fit(X_rows, Y)
    assert len(search.cv_results_["params"]) == 2
    assert search.best_params_["window__dt_past"] in (3, 6, 9)
    assert search.predict(X_rows[-10:]).shape == (10, DT_FUTU)


def test_cross_val_score_and_cross_validate_with_several_scorers():
    X_rows, Y = future_targets(_series(160), dt_futu=DT_FUTU)
    pipe = _pipe(max_epochs=2)
    scores = cross_val_score(pipe, X_rows, Y, cv=_cv(3))
    assert scores.shape == (3,) and np.all(np.isfinite(scores))

    result = cross_validate(
        pipe,
        X_rows,
        Y,
        cv=_cv(3),
        scoring=["r2", "neg_mean_absolute_error", "neg_mean_squared_error"],
    )
    # The same fits and folds: the r2 scores agree with cross_val_score.
    np.testing.assert_allclose(result["test_r2"], scores)
    assert np.all(result["test_neg_mean_absolute_error"] <= 0)
    assert np.all(result["test_neg_mean_squared_error"] <= 0)


def test_transformed_target_regressor_scales_the_targets():
    # Targets far from the network's comfortable range: scaling them helps,
    # and predictions come back in the original units.
    series = _series(200)
    X_rows, Y = future_targets(series, 1000.0 + 50.0 * series, dt_futu=DT_FUTU)
    model = TransformedTargetRegressor(
        regressor=_pipe(max_epochs=5), transformer=StandardScaler()
    )
    model.fit(X_rows, Y)
    assert model.transformer_.mean_.shape == (DT_FUTU,)
    prediction = model.predict(X_rows)
    assert prediction.shape == Y.shape
    assert abs(prediction.mean() - Y.mean()) < 0.5 * Y.std()
    unscaled = _pipe(max_epochs=5).fit(X_rows, Y).predict(X_rows)
    mse = ((prediction - Y) ** 2).mean()
    assert mse < ((unscaled - Y) ** 2).mean()


def test_clone_gives_an_unfitted_pipeline_with_the_same_parameters():
    X_rows, Y = future_targets(_series(80), dt_futu=DT_FUTU)
    fitted = _pipe(n_neurons=6).set_params(window__dt_past=7).fit(X_rows, Y)
    copy = clone(fitted)
    assert copy.get_params()["window__dt_past"] == 7
    assert copy.get_params()["lstm__n_neurons"] == 6
    assert not hasattr(copy["lstm"], "net_")
    # Same parameters and random_state: the same model again.
    np.testing.assert_array_equal(
        copy.fit(X_rows, Y).predict(X_rows), fitted.predict(X_rows)
    )


# -- padding is not data ------------------------------------------------------------
def test_search_finds_a_dependency_thirty_steps_back():
    """The target is the input 30 steps back: only dt_past >= 30 can see it.

    The input is white noise, so nothing in the last 10 steps predicts it; a
    window of 30 ends exactly at the value needed (the first valid step,
    which the backward direction of a bidirectional LSTM reads last). The
    first 29 rows of every fold are padded: if padding were read as data
    those rows would still be fitted, but the score would not reach this.
    """
    lag, n = 30, 500
    x = np.random.default_rng(0).normal(size=n)
    y = np.zeros(n)
    y[lag - 1 :] = x[: n - lag + 1]  # y[t + 1] = x[t + 1 - 30]
    X_rows, Y = future_targets(x.reshape(-1, 1), y, dt_futu=1)
    pipe = Pipeline(
        [
            ("window", SlidingWindowTransformer()),
            (
                "lstm",
                LSTMRegressor(
                    architecture="bidirectional",
                    n_neurons=16,
                    max_epochs=15,
                    lr=2e-2,
                    batch_size=32,
                    device="cpu",
                    random_state=0,
                ),
            ),
        ]
    )
    search = GridSearchCV(
        pipe, {"window__dt_past": [10, 30]}, cv=TimeSeriesSplit(n_splits=2, gap=1)
    ).fit(X_rows, Y)
    short, long = search.cv_results_["mean_test_score"]
    print(f"R^2 with dt_past=10: {short:.3f}, dt_past=30: {long:.3f}")
    assert search.best_params_ == {"window__dt_past": 30}
    assert short < 0.1  # the past 10 steps carry no information
    assert long > 0.5 and long - short > 0.4


# -- classification ---------------------------------------------------------------
def _regimes(n=400, seed=0):
    """A series that switches between a slow and a fast sine; label = regime."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(rng.permutation(np.arange(n // 40) % 2), 40)
    speed = np.where(labels == 1, 1.5, 0.2)
    x = np.sin(np.cumsum(speed)) + 0.05 * rng.normal(size=n)
    return x.reshape(-1, 1), np.where(labels == 1, "fast", "slow")


def test_classifier_grid_search_in_a_pipeline():
    X, labels = _regimes()
    pipe = Pipeline(
        [
            ("window", SlidingWindowTransformer()),
            (
                "lstm",
                LSTMClassifier(
                    n_neurons=8,
                    max_epochs=20,
                    lr=2e-2,
                    lr_schedule=None,
                    dropout=0.0,
                    batch_size=16,
                    device="cpu",
                    random_state=0,
                ),
            ),
        ]
    )
    search = GridSearchCV(
        pipe,
        {"window__dt_past": [1, 8]},
        cv=TimeSeriesSplit(n_splits=2),
        scoring="accuracy",
    ).fit(X, labels)
    scores = search.cv_results_["mean_test_score"]
    assert np.all(np.isfinite(scores))
    # One value cannot tell a slow sine from a fast one; eight values can.
    assert search.best_params_["window__dt_past"] == 8
    assert search.best_score_ > 0.8
    assert set(search.predict(X[:20])) <= {"fast", "slow"}
    assert search.predict_proba(X[:20]).shape == (20, 2)


def test_classifier_cross_validate_on_sequences():
    # Sequence classification as in the course: 3-D windows, one label each.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 12, 2))
    y = np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")
    clf = LSTMClassifier(
        n_neurons=6, max_epochs=10, lr=2e-2, batch_size=16, device="cpu", random_state=0
    )
    result = cross_validate(
        clf,
        X,
        y,
        cv=StratifiedKFold(n_splits=3),
        scoring=["accuracy", "neg_log_loss"],
    )
    assert np.all(result["test_neg_log_loss"] < 0)
    assert result["test_accuracy"].mean() > 0.7
