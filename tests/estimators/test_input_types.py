"""Inputs that look valid but are not, refused before training (issue 12, class 2)."""

import warnings
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from skorch.history import History

from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.training import DivergenceWarning, FiniteLoss

rng = np.random.default_rng(0)
X = rng.normal(size=(30, 4, 2))
y = rng.normal(size=(30, 2))
labels = np.where(X[:, 0, 0] > 0, "up", "down")
FAST = dict(n_neurons=3, max_epochs=1, batch_size=16, random_state=0, device="cpu")


def _no_training():
    """Fail the test if training starts: every check must come before it."""
    return mock.patch(
        "sklstm.estimators.base.run_epochs",
        side_effect=AssertionError("training started"),
    )


@pytest.mark.parametrize(
    "Estimator, target", [(LSTMRegressor, y), (LSTMClassifier, labels)]
)
@pytest.mark.parametrize("where", ["fit", "predict"])
@pytest.mark.parametrize("layout", ["dense", "window-view"])
def test_values_beyond_float32_are_refused(Estimator, target, where, layout):
    big = X.copy()
    big[3, 1, 0] = 1e39  # finite in float64, infinite in float32
    if layout == "window-view":
        series = np.concatenate([X[:, 0, :], X[-1, 1:, :]])
        series[5, 0] = -1e39
        big = np.lib.stride_tricks.sliding_window_view(series, 4, axis=0)
        big = big.transpose(0, 2, 1)
    est = Estimator(**FAST)
    if where == "predict":
        est.fit(X, target)
        with pytest.raises(ValueError, match="beyond float32's range"):
            est.predict(big)
    else:
        with _no_training(), pytest.raises(ValueError, match="beyond float32's range"):
            est.fit(big, target)


def test_targets_beyond_float32_are_refused():
    with _no_training(), pytest.raises(ValueError, match=r"y has values up to .*e\+39"):
        LSTMRegressor(**FAST).fit(X, y * 1e39)


def test_large_targets_get_advice_to_scale_them():
    with pytest.warns(UserWarning, match="Scale the targets"):
        LSTMRegressor(**FAST).fit(X, y * 1e6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LSTMRegressor(**FAST).fit(X, y * 100)


@pytest.mark.parametrize(
    "name", ["max_epochs", "batch_size", "n_neurons", "n_subsequences"]
)
def test_booleans_are_not_integers(name):
    est = LSTMRegressor(**FAST).set_params(**{name: True})
    with (
        _no_training(),
        pytest.raises(ValueError, match=f"'{name}' parameter.*not a boolean"),
    ):
        est.fit(X, y)


@pytest.mark.parametrize(
    "column, match",
    [
        (pd.Categorical(["a", "b"] * 15), "categorical"),
        (pd.array(["a", "b"] * 15, dtype="string"), "text or dates"),
    ],
    ids=["categorical", "string-dtype"],
)
def test_non_numeric_dataframe_columns_are_refused(column, match):
    frame = pd.DataFrame({"step0": X[:, 0, 0], "step1": column})
    with _no_training(), pytest.raises(TypeError, match=match):
        LSTMRegressor(**FAST).fit(frame, y[:, 0])


def test_a_3d_list_with_other_channels_at_predict():
    reg = LSTMRegressor(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="has 1 channels.*fitted with 2"):
        reg.predict(X[:, :, :1].tolist())


def test_mixed_label_types_are_refused():
    mixed = ["a", 1] * 15
    with (
        _no_training(),
        pytest.raises(TypeError, match="mixes labels of different types"),
    ):
        LSTMClassifier(**FAST).fit(X, mixed)


def test_nullable_integer_labels_stay_integers():
    series = pd.Series(np.where(labels == "up", 7, 3), dtype="Int64")
    clf = LSTMClassifier(**FAST).fit(X, series)
    assert clf.classes_.dtype.kind == "i"
    assert clf.predict(X).dtype.kind == "i"


@pytest.mark.parametrize("missing", [pd.NA, None, np.nan], ids=["pd.NA", "None", "nan"])
def test_missing_labels_are_refused(missing):
    target = pd.Series(labels, dtype=object)
    target[4] = missing
    with _no_training(), pytest.raises(ValueError, match="missing labels"):
        LSTMClassifier(**FAST).fit(X, target)


@pytest.mark.parametrize("weight", [-1.0, np.inf, np.nan])
def test_class_weights_must_be_finite_and_not_negative(weight):
    clf = LSTMClassifier(**FAST, class_weight={"up": 1.0, "down": weight})
    with _no_training(), pytest.raises(ValueError, match="finite number >= 0"):
        clf.fit(X, labels)


def test_partial_fit_names_a_label_missing_from_classes():
    clf = LSTMClassifier(**FAST)
    with _no_training(), pytest.raises(ValueError, match="not in classes_.*'up'"):
        clf.partial_fit(X, labels, classes=["down", "sideways"])


def test_a_loss_that_grows_by_orders_of_magnitude_warns():
    net = mock.Mock(history=History())
    for epoch, loss in enumerate([0.5, 0.4, 900.0], start=1):
        net.history.new_epoch()
        net.history.record("epoch", epoch)
        net.history.record("train_loss", loss)
        if loss < 100:
            FiniteLoss().on_epoch_end(net)
    with pytest.warns(DivergenceWarning, match="is 900 at epoch 3.*times 0.4"):
        FiniteLoss().on_epoch_end(net)


def test_adam_with_a_huge_learning_rate_does_not_train_silently():
    with pytest.warns(DivergenceWarning):
        LSTMRegressor(**{**FAST, "max_epochs": 6}, lr=1e6).fit(X, y)
