"""Untrusted files: every malformed model is a ModelFileError, before allocating."""

import json
import shutil
import tempfile
import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import safetensors.torch
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.persistence import MAX_BYTES, ModelFileError

rng = np.random.default_rng(0)
X = rng.normal(size=(12, 5, 2))
y = rng.normal(size=(12, 3))
labels = np.where(X[:, 0, 0] > 0, "up", "down")
PARAMS = dict(n_neurons=3, max_epochs=2, batch_size=4, random_state=0, device="cpu")


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    root = tmp_path_factory.mktemp("saved")
    reg = LSTMRegressor(**PARAMS).fit(X, y)
    clf = LSTMClassifier(**PARAMS, early_stopping=True).fit(X, labels)
    return {"regressor": reg.save(root / "reg"), "classifier": clf.save(root / "clf")}


def _copy(source, target):
    shutil.copytree(source, target)
    return Path(target)


def _edit_json(path, name, change):
    data = json.loads((path / name).read_text())
    result = change(data)
    (path / name).write_text(json.dumps(data if result is None else result))


def _edit_tensors(path, name, change):
    tensors = safetensors.torch.load_file(path / name)
    change(tensors)
    safetensors.torch.save_file(tensors, path / name)


def _check_consistent(model):
    """A model that loads must predict with the shapes its attributes promise."""
    window = np.zeros((2, model.n_features_in_, model.n_channels_in_))
    if hasattr(model, "classes_"):
        assert set(model.predict(window)) <= set(model.classes_)
        assert model.predict_proba(window).shape == (2, len(model.classes_))
    else:
        assert model.predict(window).shape == (2, *model.target_shape_)


def _first_param_key(tensors):
    return next(k for k in tensors if k.startswith("optimizer/") and "exp_avg" in k)


# name, which model, file, edit: each must give a ModelFileError at load.
CASES = {
    "label dtype <U50000000": (
        "classifier",
        "fitted.json",
        lambda d: d["classes_"].update(dtype="<U50000000"),
    ),
    "label dtype of Python objects": (
        "classifier",
        "fitted.json",
        lambda d: d["classes_"].update(dtype="|V8"),
    ),
    "a label that does not fit its dtype": (
        "classifier",
        "fitted.json",
        lambda d: d["classes_"].update(values=["down", "upwards"], dtype="<U4"),
    ),
    "more classes than outputs": (
        "classifier",
        "fitted.json",
        lambda d: d["classes_"].update(values=["a", "b", "c"]),
    ),
    "unsorted classes": (
        "classifier",
        "fitted.json",
        lambda d: d["classes_"].update(values=["up", "down"]),
    ),
    "negative class weight": (
        "classifier",
        "fitted.json",
        lambda d: d.update(class_weights=[1.0, -1.0]),
    ),
    "n_outputs inconsistent with target_shape_": (
        "regressor",
        "fitted.json",
        lambda d: d.update(n_outputs=4),
    ),
    "target_shape_ inconsistent with the weights": (
        "regressor",
        "fitted.json",
        lambda d: d.update(target_shape_=[4], n_outputs=4),
    ),
    "n_channels_in_ inconsistent with the weights": (
        "regressor",
        "fitted.json",
        lambda d: d.update(n_channels_in_=3),
    ),
    "n_features_in_ of zero": (
        "regressor",
        "fitted.json",
        lambda d: d.update(n_features_in_=0),
    ),
    "n_features_in_ as a string": (
        "regressor",
        "fitted.json",
        lambda d: d.update(n_features_in_="5"),
    ),
    "n_features_in_ of 10**12": (
        "regressor",
        "fitted.json",
        lambda d: d.update(n_features_in_=10**12),
    ),
    "feature names of the wrong length": (
        "regressor",
        "fitted.json",
        lambda d: d.update(feature_names_in_={"values": ["a"], "dtype": "|O"}),
    ),
    "format_version true": (
        "regressor",
        "fitted.json",
        lambda d: d.update(format_version=True),
    ),
    "fitted.json a list": ("regressor", "fitted.json", lambda d: [d]),
    "unknown estimator": (
        "regressor",
        "params.json",
        lambda d: d.update(estimator="os.system"),
    ),
    "unknown parameter": (
        "regressor",
        "params.json",
        lambda d: d["params"].update(evil=1),
    ),
    "parameter out of range": (
        "regressor",
        "params.json",
        lambda d: d["params"].update(n_neurons=-3),
    ),
    "parameter of the wrong type": (
        "regressor",
        "params.json",
        lambda d: d["params"].update(lr="fast"),
    ),
    "architecture that does not fit the weights": (
        "regressor",
        "params.json",
        lambda d: d["params"].update(n_neurons=4),
    ),
    "a million-layer stack": (
        "regressor",
        "params.json",
        lambda d: d["params"].update(n_neurons=[3] * 100_000),
    ),
    "params not a dict": ("regressor", "params.json", lambda d: d.update(params=[1])),
    "history a dict": ("regressor", "history.json", lambda d: {"epoch": 1}),
    "history epochs out of order": (
        "regressor",
        "history.json",
        lambda d: d.reverse(),
    ),
    "history with a nested value": (
        "regressor",
        "history.json",
        lambda d: d[0].update(train_loss={"a": 1}),
    ),
    "history with batches of lists": (
        "regressor",
        "history.json",
        lambda d: d[0].update(batches=[[1, 2]]),
    ),
    "optimizer groups of other parameters": (
        "regressor",
        "training.json",
        lambda d: d["param_groups"][0].update(params=[0, 1]),
    ),
    "optimizer setting unknown to the optimizer": (
        "regressor",
        "training.json",
        lambda d: d["param_groups"][0].update(evil=1),
    ),
    "optimizer state key that is not an index": (
        "regressor",
        "training.json",
        lambda d: d["state"].update(x={}),
    ),
    "early stopping counter out of range": (
        "classifier",
        "training.json",
        lambda d: d["callbacks"]["ResumableEarlyStopping"].update(misses=10**6),
    ),
    "optimizer state of the wrong shape": (
        "regressor",
        "training.safetensors",
        lambda t: t.update({_first_param_key(t): torch.zeros(7, 7)}),
    ),
    "a random stream of the wrong size": (
        "regressor",
        "training.safetensors",
        lambda t: t.update({"rng/shuffle": torch.zeros(3, dtype=torch.uint8)}),
    ),
    "an unexpected tensor": (
        "regressor",
        "training.safetensors",
        lambda t: t.update({"code/evil": torch.zeros(1)}),
    ),
    "weights in float64": (
        "regressor",
        "weights.safetensors",
        lambda t: t.update({k: v.double() for k, v in t.items()}),
    ),
    "a missing weight": (
        "regressor",
        "weights.safetensors",
        lambda t: t.pop(next(iter(t))),
    ),
    # Found by the property test below: a value in place of an object.
    "early stopping's state not an object": (
        "classifier",
        "training.json",
        lambda d: d["callbacks"].update(ResumableEarlyStopping=True),
    ),
    "callbacks in the parameters": (
        "classifier",
        "params.json",
        lambda d: d["params"].update(callbacks=[False]),
    ),
    "callbacks' state not an object": (
        "classifier",
        "training.json",
        lambda d: d.update(callbacks=True),
    ),
    "best weights of the wrong shape": (
        "classifier",
        "training.safetensors",
        lambda t: t.update(
            {k: torch.zeros(1) for k in list(t) if k.startswith("callback/")}
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_file_is_refused_at_load(saved, tmp_path, case):
    kind, name, change = CASES[case]
    path = _copy(saved[kind], tmp_path / "model")
    if name.endswith(".json"):
        _edit_json(path, name, change)
    else:
        _edit_tensors(path, name, change)
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError):
            sklstm.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20, f"{case}: {peak} bytes allocated"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' + "9" * 10_000 + "}",
        '{"a": NaN',
        "\xff\xfe",
    ],
    ids=["deeply nested", "a 10000-digit integer", "truncated", "not UTF-8"],
)
@pytest.mark.parametrize("name", ["fitted.json", "params.json", "history.json"])
def test_unparseable_json_is_refused(saved, tmp_path, text, name):
    path = _copy(saved["regressor"], tmp_path / "model")
    (path / name).write_bytes(text.encode("latin-1"))
    with pytest.raises(ModelFileError, match=name):
        sklstm.load(path)


def test_a_file_over_its_size_bound_is_refused_unread(saved, tmp_path):
    path = _copy(saved["regressor"], tmp_path / "model")
    with (
        mock.patch.dict(MAX_BYTES, {"history.json": 10}),
        mock.patch("json.loads", wraps=json.loads) as parse,
        pytest.raises(ModelFileError, match="history.json.*more than the 10"),
    ):
        sklstm.load(path)
    assert parse.call_count == 2  # fitted.json and params.json, not history.json


def test_a_large_directory_is_not_walked(tmp_path):
    for index in range(9000):
        (tmp_path / f"f{index}").touch()
    with pytest.raises(ModelFileError, match="not an sklstm model"):
        sklstm.load(tmp_path)


def test_symbolic_links_are_not_followed(saved, tmp_path):
    path = _copy(saved["regressor"], tmp_path / "model")
    (path / "history.json").unlink()
    (path / "history.json").symlink_to(Path(saved["regressor"]) / "history.json")
    with pytest.raises(ModelFileError, match="history.json"):
        sklstm.load(path)


def test_a_zip_bomb_is_refused_before_inflating(saved, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in Path(saved["regressor"]).iterdir():
            archive.write(file, file.name)
        with archive.open("extra.bin", "w") as stream:
            for _ in range(48):
                stream.write(bytes(2**20))
    assert bomb.stat().st_size < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match="zip bomb"):
            sklstm.load(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20


def test_a_stored_checkpoint_dir_never_chooses_where_to_write(saved, tmp_path):
    path = _copy(saved["regressor"], tmp_path / "model")
    elsewhere = tmp_path / "written-by-the-file"
    _edit_json(
        path, "params.json", lambda d: d["params"].update(checkpoint_dir=str(elsewhere))
    )
    model = sklstm.load(path)
    assert model.checkpoint_dir is None
    model.set_params(warm_start=True, max_epochs=1).fit(X, y)
    assert not elsewhere.exists()


# -- property-based: any edit of any JSON file loads consistently or is refused --------
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["<U50000000", "|O", "<f8", "<i8", "|b1", "down", "__tuple__"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=12,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:6]):
            yield from _paths(value, (*prefix, index))


def _mutate(data, path, action, value):
    if not path:
        return value
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if action == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
@pytest.mark.parametrize("kind", ["regressor", "classifier"])
@pytest.mark.parametrize(
    "name", ["fitted.json", "params.json", "history.json", "training.json"]
)
def test_any_edit_of_a_json_file_loads_consistently_or_is_refused(
    saved, kind, name, data
):
    original = json.loads((Path(saved[kind]) / name).read_text())
    paths = list(_paths(original))
    edits = data.draw(st.integers(1, 3), label="edits")
    for _ in range(edits):
        path = data.draw(st.sampled_from(paths), label="path")
        action = data.draw(st.sampled_from(["replace", "delete"]), label="action")
        value = data.draw(_json_values, label="value")
        try:
            original = _mutate(original, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # that path is gone after an earlier edit
        paths = list(_paths(original))
    with tempfile.TemporaryDirectory() as tmp:
        model_path = _copy(saved[kind], Path(tmp) / "model")
        (model_path / name).write_text(json.dumps(original))
        tracemalloc.start()
        try:
            model = sklstm.load(model_path)
        except ModelFileError:
            model = None
        finally:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        assert peak < 50 * 2**20
        if model is not None:
            _check_consistent(model)
