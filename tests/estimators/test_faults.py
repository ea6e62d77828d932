"""Faults during training: divergence, interruption, checkpoints and resuming."""

from unittest import mock

import numpy as np
import pytest
from skorch.history import History

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.training import (
    FastNeuralNet,
    FiniteLoss,
    TrainingDivergedError,
    TrainingInterrupted,
)
from tests._signals import press_ctrl_c

rng = np.random.default_rng(0)
X = rng.normal(size=(48, 6, 2))
y = rng.normal(size=(48, 3))
labels = np.where(X[:, 0, 0] > 0, "up", "down")
# Dropout and shuffling: resuming must carry on both random streams.
# A constant rate: fit(4) equals fit(2) then a warm-started fit(2), and
# partial_fit equals fit epoch by epoch whatever max_epochs is. With a
# schedule the same holds for a resumed checkpoint (test_training_options).
PARAMS = dict(
    n_neurons=6,
    batch_size=16,
    dropout=0.3,
    random_state=0,
    device="cpu",
    lr_schedule=None,
)


# -- divergence --------------------------------------------------------------------
@pytest.mark.parametrize(
    "params, target, value",
    [
        ({"activation": "relu", "optimizer": "sgd", "lr": 10.0}, y * 100, "nan"),
        ({}, y * 1e30, "inf"),  # finite in float64, overflows float32 in the loss
    ],
    ids=["huge-lr-relu", "float32-overflow"],
)
def test_a_diverging_loss_stops_training(params, target, value):
    reg = LSTMRegressor(**{**PARAMS, "max_epochs": 5, **params})
    with pytest.raises(TrainingDivergedError, match=rf"became {value} at epoch \d"):
        reg.fit(X, target)
    # No model that predicts NaN is left behind.
    assert not hasattr(reg, "net_")


def test_divergence_message_gives_advice():
    reg = LSTMRegressor(**PARAMS, max_epochs=2)
    with pytest.raises(FloatingPointError) as error:
        reg.fit(X, y * 1e30)
    message = str(error.value)
    for advice in ("learning rate (lr)", "gradient_clip", "StandardScaler"):
        assert advice in message


def test_finite_loss_checks_the_validation_loss_too():
    net = mock.Mock(history=History())
    net.history.new_epoch()
    net.history.record("epoch", 3)
    net.history.record("train_loss", 0.5)
    net.history.record("valid_loss", float("nan"))
    with pytest.raises(TrainingDivergedError, match="valid loss became nan at epoch 3"):
        FiniteLoss().on_epoch_end(net)


def test_a_diverged_epoch_is_never_checkpointed(tmp_path):
    reg = LSTMRegressor(**PARAMS, max_epochs=3, checkpoint_dir=tmp_path)
    with pytest.raises(TrainingDivergedError):
        reg.fit(X, y * 1e30)
    assert list(tmp_path.iterdir()) == []


# -- KeyboardInterrupt -------------------------------------------------------------
def _ctrl_c_in_epoch_3(net, **kwargs):
    # A real SIGINT, as the terminal sends it, in the middle of epoch 3.
    if len(net.history) == 3 and len(net.history[-1]["batches"]) == 1:
        press_ctrl_c()


@pytest.mark.parametrize(
    "Estimator, target", [(LSTMRegressor, y), (LSTMClassifier, labels)]
)
def test_ctrl_c_keeps_the_complete_epochs_and_stops(Estimator, target):
    est = Estimator(**PARAMS, max_epochs=10)
    with (
        mock.patch.object(
            FastNeuralNet, "on_batch_end", side_effect=_ctrl_c_in_epoch_3, create=True
        ),
        pytest.raises(TrainingInterrupted) as interruption,
    ):
        est.fit(X, target)
    assert interruption.value.completed_epochs == 2
    assert isinstance(interruption.value, KeyboardInterrupt)
    assert len(est.history_) == 2
    assert est.net_.history is est.history_
    assert np.all(np.isfinite(est.history_[:, "train_loss"]))
    if Estimator is LSTMClassifier:
        assert np.all(np.isfinite(est.predict_proba(X)))
    else:
        assert np.all(np.isfinite(est.predict(X)))


# -- warm start, partial_fit, checkpoints: bitwise like an uninterrupted run ---------
@pytest.fixture(scope="module")
def four_epochs():
    return LSTMRegressor(**PARAMS, max_epochs=4).fit(X, y)


def test_warm_start_continues_exactly(four_epochs):
    reg = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    first_half = reg.predict(X)
    reg.set_params(warm_start=True).fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), four_epochs.predict(X))
    assert len(reg.history_) == 4
    assert not np.array_equal(first_half, reg.predict(X))


def test_without_warm_start_fit_starts_over():
    reg = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    before = reg.predict(X)
    reg.fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), before)
    assert len(reg.history_) == 2


def test_partial_fit_is_one_epoch_of_fit():
    reg = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    inc = LSTMRegressor(**PARAMS).partial_fit(X, y).partial_fit(X, y)
    np.testing.assert_array_equal(inc.predict(X), reg.predict(X))
    assert len(inc.history_) == 2


def test_classifier_partial_fit_is_one_epoch_of_fit():
    clf = LSTMClassifier(**PARAMS, max_epochs=2).fit(X, labels)
    inc = LSTMClassifier(**PARAMS).partial_fit(X, labels, classes=["up", "down"])
    inc.partial_fit(X[:10], labels[:10])  # later chunks may miss a class
    inc2 = LSTMClassifier(**PARAMS).partial_fit(X, labels, classes=["down", "up"])
    inc2.partial_fit(X, labels)
    np.testing.assert_array_equal(inc2.predict_proba(X), clf.predict_proba(X))
    assert list(inc.classes_) == ["down", "up"]


def test_checkpoints_every_n_epochs_and_resume(tmp_path, four_epochs):
    reg = LSTMRegressor(
        **PARAMS, max_epochs=4, checkpoint_dir=tmp_path, checkpoint_every=2
    )
    reg.fit(X, y)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_0002", "epoch_0004"]
    np.testing.assert_array_equal(reg.predict(X), four_epochs.predict(X))
    # A crash after epoch 2: resume from the checkpoint, in a fresh estimator.
    resumed = sklstm.load(tmp_path / "epoch_0002")
    assert len(resumed.history_) == 2
    resumed.set_params(warm_start=True, max_epochs=2, checkpoint_dir=None).fit(X, y)
    np.testing.assert_array_equal(resumed.predict(X), four_epochs.predict(X))
    np.testing.assert_array_equal(
        resumed.history_[:, "train_loss"], four_epochs.history_[:, "train_loss"]
    )
    final = sklstm.load(tmp_path / "epoch_0004")
    np.testing.assert_array_equal(final.predict(X), four_epochs.predict(X))


def test_resume_from_a_saved_classifier(tmp_path):
    full = LSTMClassifier(**PARAMS, max_epochs=4).fit(X, labels)
    half = LSTMClassifier(**PARAMS, max_epochs=2).fit(X, labels)
    resumed = sklstm.load(half.save(tmp_path / "half.zip"))
    resumed.set_params(warm_start=True).fit(X, labels)
    np.testing.assert_array_equal(resumed.predict_proba(X), full.predict_proba(X))
