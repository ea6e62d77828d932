import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from sklstm import LSTMRegressor, sliding_windows  # noqa: E402
from sklstm.plotting import (  # noqa: E402
    plot_forecast,
    plot_grid_search,
    plot_history,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def axes():
    return plt.subplots()[1]


def test_plot_history_train_only(axes):
    history = [{"epoch": e, "train_loss": 1.0 / e} for e in range(1, 6)]
    ax = plot_history(history, ax=axes)
    assert ax is axes
    assert len(ax.get_lines()) == 1
    np.testing.assert_allclose(
        ax.get_lines()[0].get_ydata(), [1, 0.5, 1 / 3, 0.25, 0.2]
    )
    assert ax.get_xlabel() == "epoch"


def test_plot_history_with_validation(axes):
    history = [
        {"epoch": e, "train_loss": 1.0 / e, "valid_loss": 2.0 / e} for e in (1, 2, 3)
    ]
    ax = plot_history(history, ax=axes)
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["train", "validation"]


def test_plot_history_of_fitted_estimator(axes):
    X, Y = sliding_windows(np.sin(np.arange(60) / 3), dt_past=5, dt_futu=2)
    reg = LSTMRegressor(
        n_neurons=4, max_epochs=3, early_stopping=True, random_state=0
    ).fit(X, Y)
    ax = plot_history(reg, ax=axes)
    train, valid = ax.get_lines()[:2]
    assert len(train.get_ydata()) == len(reg.history_) == 3
    np.testing.assert_allclose(valid.get_ydata(), reg.history_[:, "valid_loss"])


def test_plot_history_rejects_other_objects():
    with pytest.raises(TypeError, match="history_"):
        plot_history(Ridge())
    with pytest.raises(ValueError, match="train_loss"):
        plot_history([])


def test_plot_forecast_one_step(axes):
    Y = np.arange(20.0).reshape(10, 2)
    ax = plot_forecast(Y, Y + 1, ax=axes, horizon_step=2)
    truth, forecast = ax.get_lines()
    # Step 2 of row i is the value at index[i + 1].
    np.testing.assert_array_equal(truth.get_xdata(), np.arange(1, 10))
    np.testing.assert_array_equal(truth.get_ydata(), Y[:9, 1])
    np.testing.assert_array_equal(forecast.get_ydata(), Y[:9, 1] + 1)


def test_plot_forecast_whole_horizon(axes):
    rng = np.random.default_rng(0)
    Y, Y_pred = rng.normal(size=(30, 4)), rng.normal(size=(30, 4))
    ax = plot_forecast(Y, Y_pred, ax=axes)
    truth, *steps = ax.get_lines()
    assert truth.get_label() == "truth" and len(steps) == 4
    np.testing.assert_array_equal(truth.get_ydata(), Y[:, 0])
    for h, line in enumerate(steps, start=1):
        # Each step's forecast is drawn at the time it predicts.
        assert line.get_label() == f"forecast, {h} step{'s' if h > 1 else ''} ahead"
        np.testing.assert_array_equal(line.get_xdata(), np.arange(h - 1, 30))
        np.testing.assert_array_equal(line.get_ydata(), Y_pred[: 30 - h + 1, h - 1])


def test_plot_forecast_1d_with_index(axes):
    index = np.arange("2024-01-01", "2024-01-11", dtype="datetime64[D]")
    truth, forecast = plot_forecast(
        np.arange(10.0), np.arange(10.0) + 0.5, ax=axes, index=index
    ).get_lines()
    for line, expected in [(truth, np.arange(10.0)), (forecast, np.arange(10.0) + 0.5)]:
        np.testing.assert_array_equal(line.get_xdata(), index)
        np.testing.assert_array_equal(line.get_ydata(), expected)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"horizon_step": 3}, "horizon_step"),
        ({"horizon_step": 0}, "horizon_step"),
        ({"index": np.arange(3)}, "index"),
    ],
)
def test_plot_forecast_rejects_bad_arguments(kwargs, match):
    Y = np.zeros((5, 2))
    with pytest.raises(ValueError, match=match):
        plot_forecast(Y, Y, **kwargs)


def test_plot_forecast_rejects_shape_mismatch():
    with pytest.raises(ValueError, match="same shape"):
        plot_forecast(np.zeros((5, 2)), np.zeros((5, 3)))


@pytest.fixture(scope="module")
def search():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    grid = {
        "alpha": [0.1, 1.0, 10.0],
        "fit_intercept": [True, False],
        "solver": ["auto", "svd"],
    }
    return GridSearchCV(Ridge(), grid, cv=3).fit(X, y)


def test_plot_grid_search_heatmap(search, axes):
    ax = plot_grid_search(search, "alpha", "fit_intercept", ax=axes)
    (image,) = ax.get_images()
    scores = image.get_array()
    assert scores.shape == (2, 3)
    # "solver" varies too: each cell shows the best score over it.
    results = search.cv_results_
    cell = (results["param_alpha"] == 1.0) & (results["param_fit_intercept"] == False)  # noqa: E712
    assert scores[1, 1] == pytest.approx(results["mean_test_score"][cell].max())
    assert len(ax.texts) == 6
    assert ax.get_xlabel() == "alpha"


def test_plot_grid_search_rejects_unknown_parameter(search):
    with pytest.raises(ValueError, match="not a parameter.*alpha"):
        plot_grid_search(search, "alpha", "n_neurons")


def test_plot_grid_search_needs_fitted_search():
    with pytest.raises(ValueError, match="fitted"):
        plot_grid_search(GridSearchCV(Ridge(), {"alpha": [1.0]}), "alpha", "alpha")


def test_missing_matplotlib_message(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    with pytest.raises(ImportError, match=r"sklstm\[plotting\]"):
        plot_history([{"train_loss": 1.0}])
