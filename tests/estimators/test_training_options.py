"""init, lr_schedule and callbacks: exact under resume, warm_start, partial_fit."""

import copy

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError
from skorch.callbacks import Callback, EpochScoring

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor

rng = np.random.default_rng(0)
X = rng.normal(size=(48, 6, 2))
y = rng.normal(size=(48, 3))
labels = np.where(X[:, 0, 0] > 0, "up", "down")
# Dropout and shuffling: resuming must carry on both random streams.
PARAMS = dict(n_neurons=6, batch_size=16, dropout=0.3, random_state=0, device="cpu")
# Patience 1 and a 50 % threshold: the plateau schedule lowers the rate
# within 4 epochs (on the training loss).
PLATEAU = dict(lr_schedule="plateau", n_iter_no_change=3, lr=0.05, tol=0.5)


def _same_run(a, b):
    np.testing.assert_array_equal(a.predict(X), b.predict(X))
    for key in ("train_loss", "lr"):
        np.testing.assert_array_equal(a.history_[:, key], b.history_[:, key])


# -- init ----------------------------------------------------------------------------
def test_init_keras_is_the_default_and_pytorch_one_parameter_away():
    keras = LSTMRegressor(**PARAMS, max_epochs=1).fit(X, y)
    torch_init = LSTMRegressor(**PARAMS, max_epochs=1, init="pytorch").fit(X, y)
    assert keras.init == "keras"
    lstm = keras.net_.module_.lstm.layers[0]
    # After one epoch at a small lr, b_hh is still near zero (Keras) or not.
    assert float(lstm.bias_hh_l0.detach().abs().max()) < 0.05
    other = torch_init.net_.module_.lstm.layers[0]
    assert float(other.bias_hh_l0.detach().abs().max()) > 0.1


def test_unknown_init_is_refused_before_training():
    with pytest.raises(InvalidParameterError, match="'init' parameter"):
        LSTMRegressor(init="glorot").fit(X, y)


# -- schedules: exact under checkpoint-resume, warm_start and partial_fit ------------
@pytest.mark.parametrize(
    "schedule",
    [{"lr_schedule": "cosine"}, PLATEAU, {**PLATEAU, "early_stopping": True}],
    ids=["cosine", "plateau", "plateau-early-stopping"],
)
def test_a_resumed_checkpoint_equals_an_uninterrupted_run(tmp_path, schedule):
    full = LSTMRegressor(**PARAMS, **schedule, max_epochs=4).fit(X, y)
    assert len(set(full.history_[:, "lr"])) > 1  # the rate did change
    LSTMRegressor(
        **PARAMS, **schedule, max_epochs=4, checkpoint_dir=tmp_path, checkpoint_every=2
    ).fit(X, y)
    resumed = sklstm.load(tmp_path / "epoch_0002")
    resumed.set_params(warm_start=True, max_epochs=2, checkpoint_dir=None).fit(X, y)
    _same_run(resumed, full)


def test_plateau_is_exact_under_warm_start_and_partial_fit():
    full = LSTMRegressor(**PARAMS, **PLATEAU, max_epochs=4).fit(X, y)
    assert full.history_[-1, "lr"] < full.history_[0, "lr"]
    warm = LSTMRegressor(**PARAMS, **PLATEAU, max_epochs=2).fit(X, y)
    warm.set_params(warm_start=True).fit(X, y)
    _same_run(warm, full)
    inc = LSTMRegressor(**PARAMS, **PLATEAU)
    for _ in range(4):
        inc.partial_fit(X, y)
    _same_run(inc, full)


def test_cosine_over_partial_fit_calls_equals_fit():
    full = LSTMRegressor(**PARAMS, lr_schedule="cosine", max_epochs=4).fit(X, y)
    inc = LSTMRegressor(**PARAMS, lr_schedule="cosine", max_epochs=4)
    for _ in range(4):
        inc.partial_fit(X, y)
    _same_run(inc, full)


def test_cosine_warm_start_after_a_finished_fit_restarts_the_cycle():
    reg = LSTMRegressor(**PARAMS, lr_schedule="cosine", max_epochs=3).fit(X, y)
    reg.set_params(warm_start=True).fit(X, y)
    rates = reg.history_[:, "lr"]
    assert rates[3] == rates[0] == reg.lr
    assert rates[:3] == rates[3:]


def test_a_classifier_resumes_exactly_with_a_schedule(tmp_path):
    params = dict(PARAMS, lr_schedule="cosine")
    full = LSTMClassifier(**params, max_epochs=4).fit(X, labels)
    half = LSTMClassifier(**params, max_epochs=4).partial_fit(
        X, labels, classes=["down", "up"]
    )
    half.partial_fit(X, labels)
    resumed = sklstm.load(half.save(tmp_path / "half.zip"))
    resumed.set_params(warm_start=True, max_epochs=2).fit(X, labels)
    np.testing.assert_array_equal(resumed.predict_proba(X), full.predict_proba(X))


# -- user callbacks -------------------------------------------------------------------
class CountEpochs(Callback):
    def initialize(self):
        self.epochs_ = 0
        return self

    def on_epoch_end(self, net, **kwargs):
        self.epochs_ += 1
        net.history.record("counted", self.epochs_)


def test_user_callbacks_run_and_are_not_mutated():
    counter = CountEpochs()
    scoring = EpochScoring("neg_mean_absolute_error", on_train=True, name="train_mae")
    passed = [counter, scoring]
    before = copy.deepcopy(passed)
    reg = LSTMRegressor(**PARAMS, max_epochs=3, callbacks=passed).fit(X, y)
    assert reg.history_[:, "counted"] == [1, 2, 3]
    assert all(np.isfinite(reg.history_[:, "train_mae"]))
    assert reg.callbacks is passed and not hasattr(counter, "epochs_")
    assert vars(scoring).keys() == vars(before[1]).keys()
    # The same run with and without a callback that only reads: same weights.
    plain = LSTMRegressor(**PARAMS, max_epochs=3).fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), plain.predict(X))
    # clone (GridSearchCV, cross_val_score) works with callbacks.
    assert clone(reg).fit(X, y).history_[:, "counted"] == [1, 2, 3]


def test_save_refuses_callbacks_and_says_how(tmp_path):
    reg = LSTMRegressor(**PARAMS, max_epochs=1, callbacks=[CountEpochs()]).fit(X, y)
    with pytest.raises(TypeError, match=r"callbacks=.*cannot be saved") as error:
        reg.save(tmp_path / "model.zip")
    assert "set_params(callbacks=None)" in str(error.value)
    # The fix works, and the callbacks can be passed again on resume.
    path = reg.set_params(callbacks=None).save(tmp_path / "model.zip")
    resumed = sklstm.load(path)
    resumed.set_params(warm_start=True, callbacks=[CountEpochs()]).fit(X, y)
    assert resumed.history_[:, "counted"] == [1, 1]  # a new callback, counting anew


def test_checkpoints_with_callbacks_are_refused_before_training(tmp_path):
    reg = LSTMRegressor(
        **PARAMS, max_epochs=2, callbacks=[CountEpochs()], checkpoint_dir=tmp_path
    )
    with pytest.raises(TypeError, match="checkpoint_dir cannot be combined"):
        reg.fit(X, y)
    assert not hasattr(reg, "net_") and list(tmp_path.iterdir()) == []


def test_an_empty_callback_list_saves(tmp_path):
    reg = LSTMRegressor(**PARAMS, max_epochs=1, callbacks=[]).fit(X, y)
    assert sklstm.load(reg.save(tmp_path / "m.zip")).callbacks == []
