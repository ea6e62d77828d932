"""Files whole or not at all: saves and checkpoints under injected faults."""

import errno
import os
import zipfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.persistence import record_files, write_bundle
from sklstm.training import CheckpointWarning, TrainingInterrupted
from sklstm.training.loop import FastNeuralNet
from tests._signals import press_ctrl_c

rng = np.random.default_rng(0)
X = rng.normal(size=(30, 6, 2))
y = rng.normal(size=(30, 4))
PARAMS = dict(n_neurons=5, batch_size=8, random_state=0, device="cpu")


@pytest.fixture(scope="module")
def two_versions():
    """The files of the same model after 2 and after 3 epochs."""
    old = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    new = LSTMRegressor(**PARAMS, max_epochs=3).fit(X, y)
    return record_files(old._export_record()), record_files(new._export_record())


def _contents(path):
    path = Path(path)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    return {p.name: p.read_bytes() for p in path.iterdir()}


# Every call the writer makes that can fail or be interrupted.
_STEPS = [
    "os.replace",
    "os.fsync",
    "tempfile.mkstemp",
    "tempfile.mkdtemp",
    "zipfile.ZipFile.writestr",
    "sklstm.persistence.files.open",
]


def _resolve(step):
    if step == "sklstm.persistence.files.open":
        return open
    owner, _, name = step.rpartition(".")
    if owner == "zipfile.ZipFile":
        return getattr(zipfile.ZipFile, name)
    return getattr(__import__(owner), name)


def _inject(step, error=None, fail_at=None):
    """Patch ``step`` with a plain function that counts calls and fails at one."""
    original = _resolve(step)
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise error("injected")
        return original(*args, **kwargs)

    if step.startswith("zipfile.ZipFile."):
        patcher = mock.patch.object(zipfile.ZipFile, "writestr", new=wrapper)
    else:
        patcher = mock.patch(step, new=wrapper, create=True)
    return patcher, calls


@pytest.mark.parametrize("target", ["model", "model.zip"])
@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
@pytest.mark.parametrize("step", _STEPS)
def test_an_overwrite_interrupted_at_any_step_leaves_old_or_new(
    two_versions, tmp_path, target, error, step
):
    old, new = two_versions
    path = tmp_path / target
    write_bundle(path, old)
    patcher, calls = _inject(step)
    with patcher:
        write_bundle(path, new)
    n_calls = calls["n"]
    outcomes = set()
    for failing_call in range(1, n_calls + 1):
        write_bundle(path, old)
        patcher, _ = _inject(step, error, failing_call)
        with patcher:
            try:
                write_bundle(path, new)
                outcomes.add("new")
            except (KeyboardInterrupt, OSError):
                outcomes.add("failed")
        assert _contents(path) in (old, new), (step, failing_call)
        assert len(sklstm.load(path).history_) in (2, 3)
        # Nothing is left behind but the model itself.
        assert [p.name for p in tmp_path.iterdir()] == [target], (step, failing_call)
    assert n_calls == 0 or "failed" in outcomes


# -- checkpoint_dir: checked before any epoch ---------------------------------------
def _no_epoch_may_run():
    return mock.patch.object(
        FastNeuralNet,
        "run_single_epoch",
        side_effect=AssertionError("an epoch ran"),
    )


@pytest.mark.parametrize(
    "make_dir, message",
    [
        (lambda tmp: "", "names no directory"),
        (lambda tmp: (tmp / "a_file").write_text("x") and tmp / "a_file", "is a file"),
        (lambda tmp: tmp / "a_file" / "below", "cannot be written"),
    ],
)
def test_a_bad_checkpoint_dir_is_refused_before_training(tmp_path, make_dir, message):
    (tmp_path / "a_file").write_text("x")
    reg = LSTMRegressor(**PARAMS, max_epochs=2, checkpoint_dir=make_dir(tmp_path))
    with _no_epoch_may_run(), pytest.raises(ValueError, match=message):
        reg.fit(X, y)
    assert not hasattr(reg, "net_")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_a_read_only_checkpoint_dir_is_refused_before_training(tmp_path):
    denied = PermissionError(errno.EACCES, "Permission denied")
    reg = LSTMRegressor(**PARAMS, max_epochs=2, checkpoint_dir=tmp_path)
    with (
        _no_epoch_may_run(),
        mock.patch("tempfile.mkstemp", side_effect=denied),
        pytest.raises(ValueError, match="cannot be written.*Permission denied"),
    ):
        reg.fit(X, y)


def test_a_failed_refit_keeps_the_fitted_model(tmp_path):
    reg = LSTMRegressor(**PARAMS, max_epochs=2).fit(X, y)
    before = reg.predict(X)
    reg.set_params(checkpoint_dir="")
    with pytest.raises(ValueError, match="checkpoint_dir"):
        reg.fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), before)


def test_a_new_fit_refuses_another_runs_checkpoints(tmp_path):
    LSTMRegressor(**PARAMS, max_epochs=2, checkpoint_dir=tmp_path).fit(X, y)
    again = LSTMRegressor(**PARAMS, max_epochs=1, checkpoint_dir=tmp_path)
    with _no_epoch_may_run(), pytest.raises(ValueError, match="another run"):
        again.fit(X, y)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_0001", "epoch_0002"]


def test_resuming_refuses_later_epochs_and_continues_the_schedule(tmp_path):
    full = LSTMRegressor(**PARAMS, max_epochs=4, checkpoint_dir=tmp_path).fit(X, y)
    resumed = sklstm.load(tmp_path / "epoch_0002")
    assert resumed.checkpoint_dir is None  # never the file's choice
    resumed.set_params(warm_start=True, checkpoint_dir=tmp_path, max_epochs=2)
    later = "epoch_0003 ... epoch_0004"
    with _no_epoch_may_run(), pytest.raises(ValueError, match=later):
        resumed.fit(X, y)
    assert len(resumed.history_) == 2
    for name in ("epoch_0003", "epoch_0004"):
        for file in (tmp_path / name).iterdir():
            file.unlink()
        (tmp_path / name).rmdir()
    resumed.fit(X, y)  # the loaded model checkpoints into the directory it is given
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"epoch_000{i}" for i in (1, 2, 3, 4)
    ]
    np.testing.assert_array_equal(resumed.predict(X), full.predict(X))
    np.testing.assert_array_equal(
        sklstm.load(tmp_path / "epoch_0004").predict(X), full.predict(X)
    )


# -- a failed checkpoint never costs the model ----------------------------------------
def _writing(directory, name):
    """Whether checkpoint ``name`` is being written (its temporary folder exists)."""
    return any(p.name.startswith(f".{name}.") for p in directory.iterdir())


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_full_disk_warns_and_keeps_training(tmp_path, code):
    reference = LSTMRegressor(**PARAMS, max_epochs=3).fit(X, y)
    real_fsync = os.fsync

    def disk_full_in_epoch_2(fd):
        if _writing(tmp_path, "epoch_0002"):
            raise OSError(code, os.strerror(code))
        return real_fsync(fd)

    reg = LSTMRegressor(**PARAMS, max_epochs=3, checkpoint_dir=tmp_path)
    with (
        mock.patch("os.fsync", side_effect=disk_full_in_epoch_2),
        pytest.warns(CheckpointWarning, match="epoch_0002 could not be written"),
    ):
        reg.fit(X, y)
    np.testing.assert_array_equal(reg.predict(X), reference.predict(X))
    assert len(reg.history_) == 3
    # The failed checkpoint left nothing, not even a temporary file.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_0001", "epoch_0003"]


def test_ctrl_c_while_a_checkpoint_is_written_leaves_no_partial_checkpoint(tmp_path):
    real_fsync = os.fsync
    calls = {"n": 0}

    def ctrl_c_in_second_checkpoint(fd):
        if _writing(tmp_path, "epoch_0002"):
            calls["n"] += 1
            if calls["n"] == 3:  # the third of its six files
                press_ctrl_c()
        return real_fsync(fd)

    reg = LSTMClassifier(**PARAMS, max_epochs=4, checkpoint_dir=tmp_path)
    with (
        mock.patch("os.fsync", side_effect=ctrl_c_in_second_checkpoint),
        pytest.raises(TrainingInterrupted),
    ):
        reg.fit(X, X[:, 0, 0] > 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["epoch_0001"]
    assert len(sklstm.load(tmp_path / "epoch_0001").history_) == 1


# -- early stopping resumes exactly --------------------------------------------------
ES = dict(
    PARAMS, early_stopping=True, n_iter_no_change=2, tol=0.01, lr=0.01, max_epochs=30
)


def _trajectory(est):
    return [(r["epoch"], r["train_loss"], r["valid_loss"]) for r in est.history_]


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory):
    directory = tmp_path_factory.mktemp("es")
    est = LSTMRegressor(**ES, checkpoint_dir=directory).fit(X, y)
    # Improves for 8 epochs, then misses twice: stops at 10 and keeps epoch 8.
    assert len(est.history_) < ES["max_epochs"], "early stopping must stop this run"
    assert len(est.history_) >= 5, "and have misses to carry across a checkpoint"
    return est, directory


def test_early_stopping_resumes_bit_identically_from_every_checkpoint(stopped_run):
    full, directory = stopped_run
    n_epochs = len(full.history_)
    for k in range(1, n_epochs):
        resumed = sklstm.load(directory / f"epoch_{k:04d}")
        resumed.set_params(warm_start=True, max_epochs=ES["max_epochs"] - k)
        resumed.fit(X, y)
        assert _trajectory(resumed) == _trajectory(full), k
        np.testing.assert_array_equal(resumed.predict(X), full.predict(X))
        for a, b in zip(
            resumed.net_.module_.state_dict().values(),
            full.net_.module_.state_dict().values(),
        ):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_early_stopping_state_travels_with_the_checkpoint(stopped_run):
    full, directory = stopped_run
    last = len(full.history_) - 1
    loaded = sklstm.load(directory / f"epoch_{last:04d}")
    callback = dict(loaded.net_.callbacks_)["ResumableEarlyStopping"]
    assert callback.misses_ >= 1
    assert callback.best_model_weights_ is not None
    assert callback.best_epoch_ < last + 1
