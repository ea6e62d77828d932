"""fit, partial_fit and warm starts are transactions; fits own their random streams.

Issue 12, classes 1 (a failed call changes nothing), 3 (Ctrl-C) and 6
(threads). Each failure is injected at every point of a fit, for a fresh
refit, a warm start and ``partial_fit``, so a new failing path of the same
kind is caught too.
"""

import threading
from unittest import mock

import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV

from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.networks import dropout_generator
from sklstm.training import FastNeuralNet, TrainingDivergedError, TrainingInterrupted
from tests._signals import press_ctrl_c

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 5, 2))
y = rng.normal(size=(40, 3))
labels = np.where(X[:, 0, 0] > 0, "up", "down")
# A constant rate, so that the first epochs of a long fit equal a short fit.
PARAMS = dict(
    n_neurons=4,
    batch_size=16,
    dropout=0.3,
    lr_schedule=None,
    random_state=0,
    device="cpu",
)


def fingerprint(est):
    """Everything a fit may change, in a form that compares exactly."""
    state = {}
    params = est.get_params(deep=False)
    for key, value in est.__dict__.items():
        if key in ("net_", "history_") or key in params:
            continue
        if isinstance(value, np.ndarray):
            state[key] = (value.dtype.str, value.shape, value.tolist())
        else:
            state[key] = repr(value)
    if hasattr(est, "net_"):
        net = est.net_
        state["net_id"] = id(net)
        state["history"] = repr(list(net.history))
        state["history_is_net_history"] = est.history_ is net.history
        state["weights"] = [
            (k, v.detach().clone()) for k, v in net.module_.state_dict().items()
        ]
        optimizer = net.optimizer_.state_dict()
        state["optimizer"] = [
            (i, k, v.clone() if torch.is_tensor(v) else v)
            for i, entries in optimizer["state"].items()
            for k, v in entries.items()
        ]
        state["param_groups"] = repr(optimizer["param_groups"])
        state["shuffle"] = net.iterator_train__generator.get_state()
        state["dropout"] = dropout_generator(net.module_).get_state()
        state["net_params"] = (net.lr, net.batch_size)
    return state


def assert_unchanged(before, after):
    assert before.keys() == after.keys()
    for key in before:
        a, b = before[key], after[key]
        if key in ("weights", "optimizer"):
            assert len(a) == len(b), key
            for left, right in zip(a, b):
                assert left[:-1] == right[:-1], key
                assert (
                    torch.equal(left[-1], right[-1])
                    if torch.is_tensor(left[-1])
                    else left[-1] == right[-1]
                ), (key, left[:-1])
        elif torch.is_tensor(a):
            assert torch.equal(a, b), key
        else:
            assert a == b, key


def _fitted(Estimator=LSTMRegressor, target=y):
    return Estimator(**PARAMS, max_epochs=2).fit(X, target)


# -- every point of a fit ------------------------------------------------------------
HOOKS = ["on_train_begin", "on_epoch_begin", "on_batch_end", "on_epoch_end"]
MODES = ["refit", "warm_start", "partial_fit"]


class Boom(RuntimeError):
    pass


def _call(est, mode, target=y):
    if mode == "refit":
        return est.set_params(max_epochs=3).fit(X, target)
    if mode == "warm_start":
        return est.set_params(warm_start=True, max_epochs=3).fit(X, target)
    return est.partial_fit(X, target)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("hook", HOOKS)
def test_an_error_anywhere_in_a_fit_changes_nothing(mode, hook):
    est = _fitted()
    before = fingerprint(est)
    original = getattr(FastNeuralNet, hook)
    fail_at = 1 if hook == "on_train_begin" or mode == "partial_fit" else 2
    calls = {"n": 0}

    def fail_once(net, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise Boom
        return original(net, *args, **kwargs)

    with mock.patch.object(FastNeuralNet, hook, fail_once), pytest.raises(Boom):
        _call(est, mode)
    assert_unchanged(before, fingerprint(est))
    # ...and the estimator still works: the same call now succeeds.
    _call(est, mode)


@pytest.mark.parametrize(
    "mode, change, error",
    [
        ("refit", dict(X=np.where(X > 1, np.nan, X)), ValueError),
        ("refit", dict(params={"device": "cuda:7"}), ValueError),
        ("refit", dict(params={"max_epochs": True}), ValueError),
        ("refit", dict(X=X * 1e39), ValueError),
        ("warm_start", dict(X=X[:, :, :1].tolist()), ValueError),
        ("warm_start", dict(y=y[:, :2]), ValueError),
        ("warm_start", dict(y=y * 1e30), TrainingDivergedError),
        ("partial_fit", dict(y=y * 1e30), TrainingDivergedError),
        ("partial_fit", dict(X=np.concatenate([X, X], axis=2)), ValueError),
    ],
    ids=[
        "nan-in-X",
        "missing-cuda",
        "bool-max_epochs",
        "float32-overflow",
        "wrong-channels-list",
        "wrong-target-shape",
        "diverging-warm-start",
        "diverging-partial-fit",
        "partial-fit-wrong-channels",
    ],
)
def test_a_rejected_or_failed_call_changes_nothing(mode, change, error):
    est = _fitted()
    before = fingerprint(est)
    est_params = est.get_params()
    est.set_params(**change.get("params", {}))
    scaled_up = "y" in change and np.abs(change["y"]).max() > 1e4
    with pytest.raises(error), pytest.warns(UserWarning) if scaled_up else _no_op():
        data = change.get("X", X), change.get("y", y)
        if mode == "refit":
            est.fit(*data)
        elif mode == "warm_start":
            est.set_params(warm_start=True).fit(*data)
        else:
            est.partial_fit(*data)
    est.set_params(**est_params)
    assert_unchanged(before, fingerprint(est))


class _no_op:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_refused_refit_of_a_classifier_keeps_its_classes():
    clf = _fitted(LSTMClassifier, labels)
    before = fingerprint(clf)
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(np.where(X > 1, np.nan, X), np.where(labels == "up", "A", "B"))
    assert_unchanged(before, fingerprint(clf))
    np.testing.assert_array_equal(clf.classes_, ["down", "up"])


# -- Ctrl-C ------------------------------------------------------------------------
def _sigint_in_epoch(epoch):
    def on_batch_end(net, **kwargs):
        if len(net.history) == epoch and len(net.history[-1]["batches"]) == 1:
            press_ctrl_c()

    return on_batch_end


@pytest.mark.parametrize("mode", MODES)
def test_ctrl_c_in_the_first_epoch_changes_nothing(mode):
    est = _fitted()
    before = fingerprint(est)
    # A refit starts a new history; the others continue the current one.
    first_new_epoch = 1 if mode == "refit" else len(est.history_) + 1
    with (
        mock.patch.object(
            FastNeuralNet, "on_batch_end", side_effect=_sigint_in_epoch(first_new_epoch)
        ),
        pytest.raises(TrainingInterrupted) as interruption,
    ):
        _call(est, mode)
    assert interruption.value.completed_epochs == 0
    assert_unchanged(before, fingerprint(est))


def test_ctrl_c_keeps_complete_epochs_and_training_can_go_on():
    est = LSTMRegressor(**PARAMS, max_epochs=6)
    with (
        mock.patch.object(
            FastNeuralNet, "on_batch_end", side_effect=_sigint_in_epoch(3)
        ),
        pytest.raises(TrainingInterrupted),
    ):
        est.fit(X, y)
    assert len(est.history_) == 2
    # The two kept epochs are exactly those of an uninterrupted run...
    two = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    np.testing.assert_array_equal(est.predict(X), two.predict(X))
    # ...and it continues exactly like one.
    est.set_params(warm_start=True, max_epochs=4).fit(X, y)
    six = LSTMRegressor(**PARAMS, max_epochs=6).fit(X, y)
    np.testing.assert_array_equal(est.predict(X), six.predict(X))


def test_ctrl_c_stops_a_grid_search_instead_of_scoring_a_cut_fit():
    search = GridSearchCV(
        LSTMRegressor(**PARAMS, max_epochs=3), {"n_neurons": [3, 4]}, cv=2
    )
    with (
        mock.patch.object(
            FastNeuralNet, "on_batch_end", side_effect=_sigint_in_epoch(2)
        ),
        pytest.raises(KeyboardInterrupt),
    ):
        search.fit(X, y)
    assert not hasattr(search, "cv_results_")


def test_early_stopping_still_ends_training_normally():
    est = LSTMRegressor(
        **PARAMS, max_epochs=30, early_stopping=True, n_iter_no_change=1, tol=0.9
    ).fit(X, y)
    assert len(est.history_) < 30


# -- threads -----------------------------------------------------------------------
def _in_threads(functions):
    results = [None] * len(functions)

    def run(index):
        results[index] = functions[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(functions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fits_with_dropout_in_threads_repeat_serial_fits():
    def fit(seed):
        return lambda: (
            LSTMRegressor(**{**PARAMS, "random_state": seed}, max_epochs=3)
            .fit(X, y)
            .predict(X)
        )

    serial = [fit(seed)() for seed in (0, 1, 2)]
    threaded = _in_threads([fit(seed) for seed in (0, 1, 2)])
    for alone, together in zip(serial, threaded):
        np.testing.assert_array_equal(alone, together)


def test_predicting_while_the_same_estimator_trains_changes_neither():
    base = _fitted()
    reference = (
        LSTMRegressor(**PARAMS, max_epochs=2)
        .fit(X, y)
        .set_params(warm_start=True, max_epochs=4)
        .fit(X, y)
        .predict(X)
    )
    expected_before = base.predict(X)
    done = threading.Event()
    seen = []

    def keep_predicting():
        while True:  # at least once, however fast the fit
            seen.append(base.predict(X[:4]))
            if done.is_set():
                break

    predictor = threading.Thread(target=keep_predicting)
    predictor.start()
    try:
        base.set_params(warm_start=True, max_epochs=4).fit(X, y)
    finally:
        done.set()
        predictor.join()
    np.testing.assert_array_equal(base.predict(X), reference)
    assert seen and all(np.all(np.isfinite(p)) for p in seen)
    assert not np.array_equal(expected_before, reference)


def test_fit_and_predict_leave_the_global_random_stream_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    est = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    est.predict(X)
    assert torch.equal(torch.rand(3), expected)


def test_a_failed_warm_start_keeps_the_early_stopping_state():
    est = LSTMRegressor(
        **PARAMS, max_epochs=3, early_stopping=True, n_iter_no_change=50
    ).fit(X, y)
    stopping = dict(est.net_.callbacks_)["ResumableEarlyStopping"]
    before = (stopping.misses_, stopping.best_epoch_, stopping.dynamic_threshold_)
    original = FastNeuralNet.on_epoch_begin
    calls = {"n": 0}

    def fail_in_the_third_new_epoch(net, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # early stopping has seen two more epochs by now
            raise Boom
        return original(net, *args, **kwargs)

    with (
        mock.patch.object(FastNeuralNet, "on_epoch_begin", fail_in_the_third_new_epoch),
        pytest.raises(Boom),
    ):
        est.set_params(warm_start=True, lr=0.5).fit(X, y)
    after = (stopping.misses_, stopping.best_epoch_, stopping.dynamic_threshold_)
    assert after == before
