"""Bad input fails before any training, with a message that names the fix.

One home for every bad-input case of the estimators, windows and transformer:
X of the wrong kind or shape, NaN and inf, empty and too-short data, y of the
wrong shape, classes, continuing training on other data, and hyperparameters.
"""

from unittest import mock

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from sklstm import (
    LSTMClassifier,
    LSTMRegressor,
    SlidingWindowTransformer,
    future_targets,
    sliding_windows,
)

FAST = dict(n_neurons=4, max_epochs=1, batch_size=8, random_state=0, device="cpu")
rng = np.random.default_rng(0)
X3 = rng.normal(size=(20, 6, 2))
y = rng.normal(size=20)
labels = np.where(X3[:, 0, 0] > 0, "up", "down")
ESTIMATORS = [(LSTMRegressor, y), (LSTMClassifier, labels)]


@pytest.fixture
def no_training():
    """Fail the test if skorch's training loop starts."""
    with mock.patch("skorch.NeuralNet.fit_loop", side_effect=AssertionError("trained")):
        yield


# -- X of the wrong kind -----------------------------------------------------------
@pytest.mark.parametrize("Estimator, target", ESTIMATORS)
@pytest.mark.parametrize(
    "X, error, match",
    [
        (X3 > 0, TypeError, r"boolean.*X\.astype\(float\)"),
        (X3.astype(str), TypeError, r"text.*X\.astype\(float\)"),
        (X3.astype("datetime64[s]"), TypeError, "text or dates"),
        (X3 + 1j, ValueError, "Complex data not supported.*two channels"),
    ],
    ids=["bool", "str", "datetime", "complex"],
)
def test_non_real_X(Estimator, target, X, error, match, no_training):
    with pytest.raises(error, match=match):
        Estimator(**FAST).fit(X, target)


def test_object_X_of_numbers_is_accepted_but_not_of_words(no_training):
    X = X3.astype(object)
    X[0, 0, 0] = "many"
    with pytest.raises(TypeError, match=r"dtype object.*'many'.*astype\(float\)"):
        LSTMRegressor(**FAST).fit(X, y)


def test_object_X_of_numbers_trains():
    reg = LSTMRegressor(**FAST).fit(X3.astype(object), y)
    np.testing.assert_array_equal(reg.predict(X3.astype(object)), reg.predict(X3))


def test_bool_X_at_predict():
    reg = LSTMRegressor(**FAST).fit(X3, y)
    with pytest.raises(TypeError, match="boolean"):
        reg.predict(X3 > 0)


def test_bool_series_in_sliding_windows():
    with pytest.raises(TypeError, match=r"X is boolean.*astype\(float\)"):
        sliding_windows(np.ones(30, dtype=bool), dt_past=3, dt_futu=2)
    with pytest.raises(TypeError, match="X must hold numbers"):
        sliding_windows(np.arange(30).astype(str), dt_past=3, dt_futu=2)


# -- X of the wrong shape, NaN and inf ----------------------------------------------
@pytest.mark.parametrize(
    "X, match",
    [
        (rng.normal(size=20), "Expected 2D array"),
        (rng.normal(size=(20, 6, 2, 1)), "n_windows, n_steps, n_channels"),
    ],
)
def test_wrong_number_of_dimensions(X, match, no_training):
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**FAST).fit(X, y)


@pytest.mark.parametrize(
    "where, match",
    [
        ((0, 3, 0), "some but not all channels"),
        ((0, 3, slice(None)), "NaN after the first valid time step"),
        ((0, slice(None), slice(None)), "all NaN"),
    ],
)
def test_nan_that_is_not_left_padding(where, match, no_training):
    X = X3.copy()
    X[where] = np.nan
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**FAST).fit(X, y)


def test_nan_in_2d_X_and_inf_anywhere(no_training):
    X2 = X3[:, :, 0].copy()
    X2[0, 0] = np.nan
    with pytest.raises(ValueError, match="Missing values are not supported"):
        LSTMRegressor(**FAST).fit(X2, y)
    X = X3.copy()
    X[3, 2, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        LSTMRegressor(**FAST).fit(X, y)


def test_nan_or_inf_in_y(no_training):
    for bad in (np.nan, np.inf):
        y_bad = y.copy()
        y_bad[4] = bad
        with pytest.raises(ValueError, match="y"):
            LSTMRegressor(**FAST).fit(X3, y_bad)


def test_channels_and_time_steps_at_predict():
    reg = LSTMRegressor(**FAST).fit(X3, y)
    with pytest.raises(ValueError, match="3 channels .* fitted with 2"):
        reg.predict(rng.normal(size=(5, 6, 3)))
    with pytest.raises(ValueError, match="dt_past used in fit"):
        reg.predict(rng.normal(size=(5, 7, 2)))
    with pytest.raises(ValueError, match="2-D, which reads as one channel"):
        reg.predict(rng.normal(size=(5, 6)))


# -- empty input -------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape, match",
    [
        ((0, 6, 2), "0 sample"),
        ((20, 0, 2), "0 time steps.*dt_past >= 1"),
        ((20, 6, 0), "0 channels"),
    ],
)
def test_empty_X(shape, match, no_training):
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**FAST).fit(np.empty(shape), np.zeros(shape[0]))


# -- a series too short for its windows ---------------------------------------------
def test_series_shorter_than_dt_past_plus_dt_futu():
    with pytest.raises(ValueError, match=r"dt_past \+ dt_futu = 8 is longer"):
        sliding_windows(np.arange(7.0), dt_past=5, dt_futu=3)
    with pytest.raises(ValueError, match="dt_futu=7 leaves no rows"):
        future_targets(np.arange(7.0), dt_futu=7)
    with pytest.raises(ValueError, match=r"dt_past=9 is longer than the data"):
        SlidingWindowTransformer(dt_past=9).fit(np.arange(7.0).reshape(-1, 1))


def test_series_with_no_rows():
    with pytest.raises(ValueError, match="longer than the series"):
        sliding_windows(np.array([]), dt_past=1, dt_futu=1)


# -- y of the wrong length or shape --------------------------------------------------
@pytest.mark.parametrize("Estimator, target", ESTIMATORS)
def test_y_of_the_wrong_length(Estimator, target, no_training):
    with pytest.raises(
        ValueError, match=r"inconsistent numbers of samples: \[20, 12\]"
    ):
        Estimator(**FAST).fit(X3, target[:12])


@pytest.mark.parametrize(
    "Estimator, target, match",
    [
        (LSTMRegressor, np.zeros((20, 2, 2, 2)), r"\(n, dt_futu, n_targets\)"),
        (LSTMClassifier, np.zeros((20, 2)), "1d array"),
    ],
)
def test_y_of_the_wrong_shape(Estimator, target, match, no_training):
    with pytest.raises(ValueError, match=match):
        Estimator(**FAST).fit(X3, target)


def test_text_y_for_a_regressor(no_training):
    with pytest.raises(ValueError, match="could not convert string to float"):
        LSTMRegressor(**FAST).fit(X3, labels)


# -- classes -----------------------------------------------------------------------
def test_a_single_class(no_training):
    with pytest.raises(ValueError, match="only 1 class.*at least 2"):
        LSTMClassifier(**FAST).fit(X3, np.full(20, "up"))


def test_continuous_y_for_a_classifier(no_training):
    with pytest.raises(ValueError, match="Unknown label type"):
        LSTMClassifier(**FAST).fit(X3, y)


def test_score_with_labels_never_seen_in_fit():
    clf = LSTMClassifier(**FAST).fit(X3, labels)
    unseen = labels.astype(object)
    unseen[:3] = "sideways"
    with pytest.raises(ValueError, match=r"not in classes_.*\['sideways'\]"):
        clf.score(X3, unseen)
    assert 0 <= clf.score(X3, labels) <= 1


def test_partial_fit_labels_outside_classes(no_training):
    with pytest.raises(ValueError, match=r"\['up'\].*drop those rows"):
        LSTMClassifier(**FAST).partial_fit(X3, labels, classes=["down", "flat"])


def test_partial_fit_first_call_needs_classes(no_training):
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        LSTMClassifier(**FAST).partial_fit(X3, labels)


def test_partial_fit_with_balanced_class_weight(no_training):
    clf = LSTMClassifier(**FAST, class_weight="balanced")
    with pytest.raises(ValueError, match="class_weight='balanced'.*dict"):
        clf.partial_fit(X3, labels, classes=["down", "up"])


# -- continuing training on different data -------------------------------------------
def test_warm_start_on_data_of_another_shape():
    reg = LSTMRegressor(**FAST, warm_start=True).fit(X3, y)
    with mock.patch("skorch.NeuralNet.fit_loop", side_effect=AssertionError("trained")):
        with pytest.raises(ValueError, match="3 channels .* fitted with 2"):
            reg.fit(rng.normal(size=(20, 6, 3)), y)
        with pytest.raises(ValueError, match="dt_past used in fit"):
            reg.partial_fit(rng.normal(size=(20, 5, 2)), y)
        with pytest.raises(ValueError, match=r"rows of shape \(2,\).*same shape"):
            reg.fit(X3, np.zeros((20, 2)))
        with pytest.raises(ValueError, match="architecture parameters changed"):
            reg.set_params(n_neurons=5).fit(X3, y)


# -- hyperparameters ---------------------------------------------------------------
@pytest.mark.parametrize(
    "params, match",
    [
        ({"architecture": "transformer"}, "'architecture' parameter"),
        ({"activation": "swish"}, "'activation' parameter"),
        (
            {
                "architecture": "stacked",
                "n_neurons": (4, 4),
                "activation": ("tanh", "mish"),
            },
            "'mish' is not a known activation",
        ),
        (
            {"architecture": "stacked", "n_neurons": (4, 4), "activation": ("tanh",)},
            "gives 1 activations but there are 2",
        ),
        ({"n_neurons": 0}, "'n_neurons' parameter"),
        ({"architecture": "stacked", "n_neurons": (4, 0)}, "at least 1 in every layer"),
        ({"n_neurons": (4, 4)}, "use architecture='stacked'"),
        ({"dropout": 1.5}, "'dropout' parameter"),
        ({"architecture": "cnn-lstm-td", "n_subsequences": 4}, "divisible by"),
        ({"architecture": "cnn-lstm", "conv_kernel_size": 6}, "use a longer dt_past"),
        ({"optimizer": "adagrad"}, "'optimizer' parameter"),
        ({"device": "tpu"}, "device='tpu' is not understood"),
        ({"batch_size": 0}, "'batch_size' parameter"),
        ({"max_epochs": -1}, "'max_epochs' parameter"),
        ({"lr": 0.0}, "'lr' parameter"),
        ({"lr": -0.1}, "'lr' parameter"),
        ({"conv_filters": 0}, "'conv_filters' parameter"),
        ({"pool_size": -2}, "'pool_size' parameter"),
        ({"n_subsequences": 0}, "'n_subsequences' parameter"),
        ({"validation_fraction": 0.0}, "'validation_fraction' parameter"),
        ({"n_iter_no_change": 0}, "'n_iter_no_change' parameter"),
        ({"gradient_clip": 0.0}, "'gradient_clip' parameter"),
        ({"checkpoint_every": 0}, "'checkpoint_every' parameter"),
        ({"architecture": "stacked", "n_neurons": ()}, "non-empty tuple"),
        ({"loss": "rmse"}, "'loss' parameter"),
        ({"deterministic": "yes"}, "'deterministic' parameter"),
        ({"warm_start": 1}, "'warm_start' parameter"),
        ({"optimizer": int}, "'optimizer' parameter .* got optimizer=int"),
        ({"optimizer": dict}, "torch.optim.Optimizer subclass"),
        ({"callbacks": ["not a callback"]}, r"'callbacks' parameter .*callbacks\[0\]"),
        ({"callbacks": [("name", 3)]}, r"callbacks\[0\] is \('name', 3\)"),
    ],
)
def test_invalid_hyperparameters(params, match, no_training):
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**{**FAST, **params}).fit(X3, y)


def test_unknown_class_weight(no_training):
    with pytest.raises(ValueError, match="'class_weight' parameter"):
        LSTMClassifier(**FAST, class_weight="equal").fit(X3, labels)


@pytest.mark.parametrize("dt_past", [0, -2])
def test_window_lengths_below_one(dt_past):
    with pytest.raises(ValueError, match="dt_past must be at least 1"):
        sliding_windows(np.arange(30.0), dt_past=dt_past, dt_futu=2)
    with pytest.raises(ValueError, match="'dt_past' parameter"):
        SlidingWindowTransformer(dt_past=dt_past).fit(np.ones((30, 1)))


def test_cuda_asked_for_where_there_is_none(no_training):
    with mock.patch.object(torch.cuda, "is_available", return_value=False):
        for device in ("cuda", "cuda:1"):
            with pytest.raises(ValueError, match="no CUDA device.*device='auto'"):
                LSTMClassifier(**{**FAST, "device": device}).fit(X3, y > 0)


@pytest.mark.parametrize(
    "callbacks",
    [
        [Callback()],
        [Callback],
        [("named", Callback())],
        [["named", Callback()]],  # skorch takes a list pair too
    ],
)
def test_every_callback_form_skorch_takes_is_accepted(callbacks):
    LSTMRegressor(**{**FAST, "callbacks": callbacks}).fit(X3, y)
