"""Saving and loading: pickle, joblib, and the code-free safetensors format."""

import io
import json
import pickle
import subprocess
import sys
import textwrap
import zipfile
from unittest import mock

import joblib
import numpy as np
import pytest
import torch

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor
from sklstm import load as load_model
from sklstm import save as save_model
from sklstm.persistence import FORMAT_VERSION

rng = np.random.default_rng(0)
X = rng.normal(size=(30, 6, 2))
y = rng.normal(size=(30, 4, 2))
PARAMS = dict(n_neurons=5, max_epochs=2, batch_size=8, random_state=0, device="cpu")


@pytest.fixture(scope="module")
def regressor():
    return LSTMRegressor(**PARAMS).fit(X, y)


@pytest.fixture(scope="module")
def classifier():
    return LSTMClassifier(**PARAMS).fit(X, np.where(X[:, 0, 0] > 0, "up", "down"))


def _outputs(est):
    return est.predict_proba(X) if hasattr(est, "classes_") else est.predict(X)


@pytest.mark.parametrize("name", ["regressor", "classifier"])
def test_pickle_and_joblib_round_trips(name, request, tmp_path):
    est = request.getfixturevalue(name)
    unpickled = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(_outputs(unpickled), _outputs(est))
    joblib.dump(est, tmp_path / "est.joblib")
    np.testing.assert_array_equal(
        _outputs(joblib.load(tmp_path / "est.joblib")), _outputs(est)
    )


@pytest.mark.parametrize("name", ["regressor", "classifier"])
@pytest.mark.parametrize("target", ["model", "model.zip"])
def test_save_and_load_give_identical_predictions(name, target, request, tmp_path):
    est = request.getfixturevalue(name)
    path = est.save(tmp_path / target)
    loaded = sklstm.load(path)
    assert type(loaded) is type(est)
    assert loaded.get_params() == est.get_params()
    np.testing.assert_array_equal(_outputs(loaded), _outputs(est))
    assert loaded.n_features_in_ == 6 and loaded.n_channels_in_ == 2
    np.testing.assert_array_equal(
        loaded.history_[:, "train_loss"], est.history_[:, "train_loss"]
    )
    if name == "classifier":
        np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
        assert loaded.classes_.dtype == est.classes_.dtype
    else:
        assert loaded.predict(X).shape == (30, 4, 2)


def test_loading_runs_no_pickle(regressor, tmp_path):
    path = regressor.save(tmp_path / "model.zip")
    forbidden = AssertionError("unpickling while loading")
    with (
        mock.patch("pickle.loads", side_effect=forbidden),
        mock.patch("pickle.load", side_effect=forbidden),
        mock.patch("torch.load", side_effect=forbidden),
    ):
        loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(X), regressor.predict(X))
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert {"params.json", "fitted.json", "weights.safetensors"} <= names
    assert not any(name.endswith((".pkl", ".pt", ".pickle")) for name in names)


def test_saved_files_carry_the_versions(regressor, tmp_path):
    path = save_model(regressor, tmp_path / "m", training_state=False)
    fitted = json.loads((path / "fitted.json").read_text())
    assert fitted["format_version"] == FORMAT_VERSION
    assert fitted["sklstm_version"] == sklstm.__version__
    assert fitted["torch_version"] == torch.__version__
    assert not (path / "training.safetensors").exists()


def test_parameters_of_every_json_kind_round_trip(tmp_path):
    labels = np.array([3, 7, 3, 7, 9] * 6)
    clf = LSTMClassifier(
        architecture="stacked",
        activation=("tanh", "relu"),
        class_weight={3: 1.0, 7: 2.0, 9: 0.5},
        **{**PARAMS, "max_epochs": 1, "n_neurons": (4, 3)},
    ).fit(X, labels)
    loaded = sklstm.load(clf.save(tmp_path / "m"))
    assert loaded.n_neurons == (4, 3)
    assert loaded.activation == ("tanh", "relu")
    assert loaded.class_weight == {3: 1.0, 7: 2.0, 9: 0.5}
    assert loaded.classes_.dtype == labels.dtype
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_an_optimizer_class_cannot_be_saved(tmp_path):
    reg = LSTMRegressor(**{**PARAMS, "max_epochs": 1}, optimizer=torch.optim.Adam)
    reg.fit(X, y)
    with pytest.raises(TypeError, match="optimizer=Adam is a class.*'adam'"):
        reg.save(tmp_path / "m")


def test_an_unfitted_estimator_cannot_be_saved(tmp_path):
    with pytest.raises(ValueError, match="not fitted yet"):
        LSTMRegressor().save(tmp_path / "m")


# -- bad files -------------------------------------------------------------------
def test_an_incompatible_format_version(regressor, tmp_path):
    path = regressor.save(tmp_path / "m")
    fitted = json.loads((path / "fitted.json").read_text())
    fitted["format_version"] = FORMAT_VERSION + 1
    (path / "fitted.json").write_text(json.dumps(fitted))
    with pytest.raises(ValueError, match="format version 2 .* reads format version 1"):
        sklstm.load(path)


def test_a_truncated_zip_file(regressor, tmp_path):
    path = regressor.save(tmp_path / "m.zip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated or corrupt"):
        sklstm.load(path)


def test_a_truncated_weights_file(regressor, tmp_path):
    path = regressor.save(tmp_path / "m")
    weights = path / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    with pytest.raises(ValueError, match="weights.safetensors .* truncated or corrupt"):
        sklstm.load(path)


def test_corrupt_files(regressor, tmp_path):
    path = regressor.save(tmp_path / "m")
    (path / "weights.safetensors").write_bytes(b"\x00" * 64)
    with pytest.raises(ValueError, match="not a valid safetensors file"):
        sklstm.load(path)
    (path / "fitted.json").write_text('{"format_version": 1, "n_feat')
    with pytest.raises(ValueError, match="fitted.json .* not valid JSON"):
        sklstm.load(path)
    not_zip = tmp_path / "model.zip"
    not_zip.write_bytes(b"this is not a zip file")
    with pytest.raises(ValueError, match="not a readable sklstm model"):
        sklstm.load(not_zip)


def test_missing_files_and_paths(regressor, tmp_path):
    path = regressor.save(tmp_path / "m")
    (path / "weights.safetensors").unlink()
    with pytest.raises(ValueError, match=r"\['weights.safetensors'\] missing"):
        sklstm.load(path)
    with pytest.raises(FileNotFoundError):
        sklstm.load(tmp_path / "nowhere")


def test_weights_that_do_not_fit_the_parameters(regressor, tmp_path):
    path = regressor.save(tmp_path / "m")
    params = json.loads((path / "params.json").read_text())
    params["params"]["n_neurons"] = 7
    (path / "params.json").write_text(json.dumps(params))
    with pytest.raises(ValueError, match="do not fit the network"):
        sklstm.load(path)


# -- CUDA -> CPU -----------------------------------------------------------------
def test_a_cuda_model_loads_on_a_cpu_only_machine(regressor, tmp_path):
    # The file of a model trained with device="cuda" differs only in that
    # parameter: weights are always stored on the CPU.
    path = regressor.save(tmp_path / "m")
    params = json.loads((path / "params.json").read_text())
    params["params"]["device"] = "cuda"
    (path / "params.json").write_text(json.dumps(params))
    with (
        mock.patch.object(torch.cuda, "is_available", return_value=False),
        pytest.warns(UserWarning, match="does not exist here.*loaded on 'cpu'"),
    ):
        loaded = sklstm.load(path)
    assert loaded.net_.device == "cpu"
    np.testing.assert_array_equal(loaded.predict(X), regressor.predict(X))


class _TensorSpotter(pickle.Pickler):
    """A pickler that records the weights (floating-point tensors) and the
    random generators it writes itself, not those inside skorch's separately
    pickled, device-mapped blob of bytes."""

    def __init__(self):
        super().__init__(io.BytesIO(), protocol=pickle.HIGHEST_PROTOCOL)
        self.weights, self.generators = [], []

    def persistent_id(self, obj):  # called for every object pickled
        if isinstance(obj, torch.Tensor) and obj.is_floating_point():
            self.weights.append(tuple(obj.shape))
        if isinstance(obj, torch.Generator):
            self.generators.append(obj.device.type)
        return None  # pickle it as usual


@pytest.mark.parametrize(
    "est",
    [
        LSTMRegressor(**PARAMS),
        LSTMRegressor(**PARAMS, early_stopping=True, dropout=0.2),  # best weights
        LSTMClassifier(**PARAMS, architecture="cnn-lstm", n_subsequences=2),
    ],
    ids=["regressor", "early-stopping", "classifier"],
)
def test_every_tensor_is_pickled_where_skorch_maps_its_device(est):
    # A CUDA tensor pickled outside skorch's device-mapped stream cannot be
    # unpickled where CUDA is missing (joblib.load of a GPU-trained model on a
    # laptop): tests/test_gpu.py and the gpu test below check that on a GPU.
    target = y if isinstance(est, LSTMRegressor) else (y[:, 0, 0] > 0)
    est.fit(X, target)
    spotter = _TensorSpotter()
    spotter.dump(est)
    assert spotter.weights == []
    assert set(spotter.generators) <= {"cpu"}  # the batch order: always on the CPU
    loaded = pickle.loads(pickle.dumps(est))
    assert loaded.net_.module is loaded.net_.module_  # one network, not two copies
    np.testing.assert_array_equal(
        loaded.predict(X).astype(float), est.predict(X).astype(float)
    )


def test_an_unpickled_model_resumes_early_stopping_with_its_best_weights():
    # Seed 9: the best epoch comes early, so the resumed fit ends by restoring
    # the best weights of the first fit (which skorch leaves out of a pickle).
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(60, 6, 2)).astype(np.float32)
    target = rng.normal(size=(60, 2)).astype(np.float32)
    params = dict(
        n_neurons=5, max_epochs=3, batch_size=8, random_state=9, device="cpu",
        early_stopping=True, n_iter_no_change=10, lr=0.05, lr_schedule=None,
    )  # fmt: skip
    uninterrupted = LSTMRegressor(**params).fit(windows, target)
    unpickled = pickle.loads(pickle.dumps(uninterrupted))
    for est in (uninterrupted, unpickled):
        est.set_params(warm_start=True).fit(windows, target)
    stopping = dict(uninterrupted.net_.callbacks_)["ResumableEarlyStopping"]
    assert stopping.best_epoch_ <= 3  # the case this test is about
    np.testing.assert_array_equal(
        unpickled.predict(windows), uninterrupted.predict(windows)
    )


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16, torch.int64])
def test_early_stopping_pickles_best_weights_of_any_dtype_writable(dtype, tmp_path):
    from sklstm.training.early_stopping import ResumableEarlyStopping

    stopping = ResumableEarlyStopping()
    weights = {"w": torch.arange(6, dtype=dtype).reshape(2, 3)}
    stopping.best_model_weights_ = weights
    joblib.dump(stopping, tmp_path / "s.joblib")
    for loaded in (
        pickle.loads(pickle.dumps(stopping)),
        joblib.load(tmp_path / "s.joblib", mmap_mode="r"),  # read-only arrays
    ):
        value = loaded.best_model_weights_["w"]
        assert value.dtype == dtype and torch.equal(value, weights["w"])
        value.add_(1)  # writable: a copy, not the mapped file


def test_a_net_pickled_before_the_module_prefixes_gains_them_when_loaded():
    reg = LSTMRegressor(**PARAMS).fit(X, y)
    reg.net_.cuda_dependent_attributes_ = ["module_", "criterion_", "optimizer_"]
    loaded = pickle.loads(pickle.dumps(reg))
    assert {"module", "criterion"} <= set(loaded.net_.cuda_dependent_attributes_)
    spotter = _TensorSpotter()
    spotter.dump(loaded)
    assert spotter.weights == []


@pytest.mark.gpu
def test_a_model_trained_on_cuda_loads_with_cuda_hidden(tmp_path):
    # Early stopping: its best weights travel in the pickle too.
    reg = LSTMRegressor(**{**PARAMS, "device": "cuda", "early_stopping": True})
    reg.fit(X, y)
    expected = reg.predict(X)
    joblib.dump(reg, tmp_path / "reg.joblib")
    reg.save(tmp_path / "reg.zip")
    np.save(tmp_path / "X.npy", X)
    script = textwrap.dedent(
        f"""
        import warnings, joblib, numpy as np, torch, sklstm
        assert not torch.cuda.is_available()
        X = np.load({str(tmp_path / "X.npy")!r})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reg = joblib.load({str(tmp_path / "reg.joblib")!r})
            a = reg.predict(X)
            b = sklstm.load({str(tmp_path / "reg.zip")!r}).predict(X)
        np.save({str(tmp_path / "a.npy")!r}, a)
        np.save({str(tmp_path / "b.npy")!r}, b)
        stopping = dict(reg.net_.callbacks_)["ResumableEarlyStopping"]
        assert stopping.best_model_weights_["head.bias"].device.type == "cpu"
        # Training continues on the CPU (net_.device is torch.device("cpu")).
        y = np.zeros((len(X), 4, 2))
        reg.partial_fit(X, y)
        reg.set_params(warm_start=True, max_epochs=1).fit(X, y)
        """
    )
    env = {**__import__("os").environ, "CUDA_VISIBLE_DEVICES": ""}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    # CPU float32 against CUDA, where cuDNN's LSTM may use TF32 (PyTorch's
    # default): the tolerance of tests/test_gpu.py.
    np.testing.assert_allclose(np.load(tmp_path / "a.npy"), expected, atol=1e-3)
    np.testing.assert_allclose(np.load(tmp_path / "b.npy"), expected, atol=1e-3)
