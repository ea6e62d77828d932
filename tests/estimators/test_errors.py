"""Bad input fails before any training, with a message that names the fix."""

from unittest import mock

import numpy as np
import pytest
import torch

from sklstm import LSTMClassifier, LSTMRegressor

FAST = dict(n_neurons=4, max_epochs=1, random_state=0)
rng = np.random.default_rng(0)
X3 = rng.normal(size=(20, 6, 2))
y = rng.normal(size=20)


@pytest.fixture
def no_training():
    """Fail the test if skorch's training loop starts."""
    with mock.patch("skorch.NeuralNet.fit_loop", side_effect=AssertionError("trained")):
        yield


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
    ],
)
def test_invalid_hyperparameters(params, match, no_training):
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**{**FAST, **params}).fit(X3, y)


def test_cuda_asked_for_where_there_is_none(no_training):
    with mock.patch.object(torch.cuda, "is_available", return_value=False):
        for device in ("cuda", "cuda:1"):
            with pytest.raises(ValueError, match="no CUDA device.*device='auto'"):
                LSTMClassifier(**FAST, device=device).fit(X3, y > 0)
