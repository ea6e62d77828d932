"""Pipelines saved and loaded without code: sklstm's format plus skops (class 7)."""

import json
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import skops.io
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import TransformedTargetRegressor
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler

import sklstm
from sklstm import LSTMClassifier, LSTMRegressor, SlidingWindowTransformer, TargetScaler
from sklstm.persistence import ModelFileError

rng = np.random.default_rng(0)
series = rng.normal(size=(48, 2)).cumsum(axis=0)
X_rows = series[:-3]
Y = np.stack([series[i + 1 : i + 4, 0] for i in range(len(X_rows))])
labels = np.where(Y[:, 0] > X_rows[:, 0], "up", "down")
# Both columns as targets: (n, dt_futu, n_targets).
Y3 = np.stack([series[i + 1 : i + 4] for i in range(len(X_rows))])
LSTM = dict(n_neurons=3, max_epochs=2, batch_size=8, random_state=0, device="cpu")


def _forecaster():
    return Pipeline(
        [
            ("scale", MinMaxScaler()),
            ("window", SlidingWindowTransformer(dt_past=4)),
            ("lstm", LSTMRegressor(**LSTM)),
        ]
    )


class _Custom(TransformerMixin, BaseEstimator):
    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return X


def _fitted(kind):
    if kind == "pipeline":
        return _forecaster().fit(X_rows, Y)
    if kind == "classifier pipeline":
        pipe = Pipeline(
            [
                ("scale", StandardScaler()),
                ("pca", PCA(n_components=2)),
                ("window", SlidingWindowTransformer(dt_past=3)),
                ("lstm", LSTMClassifier(**LSTM)),
            ]
        )
        return pipe.fit(X_rows, labels)
    if kind == "target-scaled pipeline":
        ttr = TransformedTargetRegressor(_forecaster(), transformer=StandardScaler())
        return ttr.fit(X_rows, Y)
    if kind == "several targets, TargetScaler(MinMaxScaler())":
        scaler = TargetScaler(MinMaxScaler())
        return TransformedTargetRegressor(_forecaster(), transformer=scaler).fit(
            X_rows, Y3
        )
    if kind == "several targets, TargetScaler()":
        ttr = TransformedTargetRegressor(_forecaster(), transformer=TargetScaler())
        return ttr.fit(X_rows, Y3)
    if kind == "identity target regressor":
        return TransformedTargetRegressor(_forecaster()).fit(X_rows, Y)
    if kind == "nested with passthrough":
        inner = Pipeline([("none", "passthrough"), ("scale", MinMaxScaler())])
        pipe = Pipeline([("pre", inner), ("window", SlidingWindowTransformer(3))])
        return Pipeline([*pipe.steps, ("lstm", LSTMRegressor(**LSTM))]).fit(X_rows, Y)
    if kind == "best_estimator_ of a search":
        search = GridSearchCV(
            _forecaster(), {"window__dt_past": [2, 4]}, cv=TimeSeriesSplit(2)
        )
        return search.fit(X_rows, Y).best_estimator_
    raise AssertionError(kind)


KINDS = [
    "pipeline",
    "classifier pipeline",
    "target-scaled pipeline",
    "several targets, TargetScaler(MinMaxScaler())",
    "several targets, TargetScaler()",
    "identity target regressor",
    "nested with passthrough",
    "best_estimator_ of a search",
]


def _outputs(model):
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X_rows)
    return model.predict(X_rows)


@pytest.mark.parametrize("target", ["model", "model.zip"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_fitted_pipeline_round_trips_without_code(kind, target, tmp_path):
    model = _fitted(kind)
    path = sklstm.save(model, tmp_path / target)
    forbidden = AssertionError("unpickling while loading")
    with (
        mock.patch("pickle.loads", side_effect=forbidden),
        mock.patch("pickle.load", side_effect=forbidden),
        mock.patch("torch.load", side_effect=forbidden),
    ):
        loaded = sklstm.load(path)
    assert type(loaded) is type(model)
    assert repr(loaded) == repr(model)
    np.testing.assert_array_equal(_outputs(loaded), _outputs(model))
    if hasattr(model, "classes_"):
        np.testing.assert_array_equal(loaded.predict(X_rows), model.predict(X_rows))


def test_a_loaded_pipeline_refits_and_resumes(tmp_path):
    model = _fitted("pipeline")
    loaded = sklstm.load(sklstm.save(model, tmp_path / "m"))
    loaded.set_params(lstm__warm_start=True).fit(X_rows, Y)
    model.set_params(lstm__warm_start=True).fit(X_rows, Y)
    np.testing.assert_array_equal(loaded.predict(X_rows), model.predict(X_rows))


def _search():
    return GridSearchCV(_forecaster(), {"window__dt_past": [2]}, cv=TimeSeriesSplit(2))


REFUSED = {
    "a GridSearchCV itself": (lambda: _search().fit(X_rows, Y), "best_estimator_"),
    "a step of an unknown class": (
        lambda: Pipeline([("c", _Custom()), ("lstm", LSTMRegressor(**LSTM))]).fit(
            X_rows[:, None, :], Y
        ),
        "untrusted types",
    ),
    "a function transformer with a lambda": (
        lambda: Pipeline(
            [
                ("f", FunctionTransformer(lambda x: x)),
                ("w", SlidingWindowTransformer(2)),
            ]
        ).fit(X_rows),
        "untrusted types",
    ),
    "a target regressor with func": (
        lambda: TransformedTargetRegressor(
            _forecaster(), func=np.log1p, inverse_func=np.expm1, check_inverse=False
        ).fit(X_rows, np.abs(Y)),
        "func/inverse_func",
    ),
    "a pipeline with memory": (
        lambda: Pipeline(
            [("w", SlidingWindowTransformer(2))], memory=tempfile.gettempdir()
        ).fit(X_rows),
        "memory",
    ),
    "an LSTM inside a FeatureUnion": (
        lambda: Pipeline(
            [("u", FeatureUnion([("s", StandardScaler()), ("m", MinMaxScaler())]))]
        ).set_params(u__m=_forecaster()),
        "inside",
    ),
    "a plain object": (lambda: object(), "Cannot save a object"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_what_cannot_be_saved_safely_is_refused_before_writing(case, tmp_path):
    make, message = REFUSED[case]
    with pytest.raises(TypeError, match=message):
        sklstm.save(make(), tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


def test_an_unfitted_pipeline_is_refused(tmp_path):
    with pytest.raises(NotFittedError):
        sklstm.save(_forecaster(), tmp_path / "m")
    assert list(tmp_path.iterdir()) == []


# -- hostile pipeline files -----------------------------------------------------------
@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    model = _fitted("target-scaled pipeline")
    return sklstm.save(model, tmp_path_factory.mktemp("p") / "model")


def _copy(saved, tmp):
    return Path(shutil.copytree(saved, Path(tmp) / "model"))


def test_a_skops_step_with_an_untrusted_type_is_refused(saved, tmp_path):
    path = _copy(saved, tmp_path)
    (path / "steps" / "0.skops").write_bytes(skops.io.dumps(_Custom().fit(None)))
    with pytest.raises(ModelFileError, match="cannot be loaded safely"):
        sklstm.load(path)


def test_a_skops_step_that_is_a_zip_bomb_is_refused(saved, tmp_path):
    import zipfile

    path = _copy(saved, tmp_path)
    with zipfile.ZipFile(path / "steps" / "0.skops", "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("schema.json", "w") as stream:
            for _ in range(8):
                stream.write(bytes(2**20))
    with pytest.raises(ModelFileError, match="zip bomb"):
        sklstm.load(path)


@pytest.mark.parametrize(
    "node",
    [
        {"kind": "sklstm", "estimator": "LSTMRegressor", "folder": "../../etc/"},
        {"kind": "skops", "file": "/etc/passwd"},
        {"kind": "os.system"},
        {"kind": "sklstm", "estimator": "LSTMClassifier", "folder": "steps/0/"},
        {"kind": "Pipeline", "steps": []},
        {"kind": "SlidingWindowTransformer", "dt_past": 0, "n_features_in_": 2},
        {
            "kind": "TargetScaler",
            "scaler": {"kind": "os.system"},
            "n_targets_": 1,
            "n_features_in_": 3,
        },
        {
            "kind": "TargetScaler",
            "scaler": {"kind": "passthrough"},
            "n_targets_": "1",
            "n_features_in_": 3,
        },
    ],
)
def test_a_malformed_pipeline_json_is_refused(saved, tmp_path, node):
    path = _copy(saved, tmp_path)
    meta = json.loads((path / "pipeline.json").read_text())
    meta["root"]["regressor"]["steps"][2][1] = node
    (path / "pipeline.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError):
        sklstm.load(path)


_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 2**40)
    | st.text(max_size=10)
    | st.sampled_from(
        [
            "Pipeline",
            "sklstm",
            "skops",
            "passthrough",
            "TargetScaler",
            "steps/0/",
            "steps/1.skops",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["kind", "steps", "file", "x"]), children)
    ),
    max_leaves=8,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, (dict, list)):
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            yield from _paths(value, (*prefix, key))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_edit_of_pipeline_json_loads_or_is_refused(saved, data):
    meta = json.loads((Path(saved) / "pipeline.json").read_text())
    path = data.draw(st.sampled_from(list(_paths(meta))[1:]), label="path")
    value = data.draw(_values, label="value")
    parent = meta
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    with tempfile.TemporaryDirectory() as tmp:
        model_path = _copy(saved, tmp)
        (model_path / "pipeline.json").write_text(json.dumps(meta))
        try:
            model = sklstm.load(model_path)
        except ModelFileError:
            return
        model.predict(X_rows)  # what loads is a working model


def test_a_target_scaler_inconsistent_with_its_scaler_is_refused(tmp_path):
    model = _fitted("several targets, TargetScaler()")
    path = sklstm.save(model, tmp_path / "model")
    meta = json.loads((path / "pipeline.json").read_text())
    assert meta["root"]["transformer"]["n_targets_"] == 2
    meta["root"]["transformer"]["n_targets_"] = 3
    (path / "pipeline.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFileError, match="scaler fitted on 2"):
        sklstm.load(path)
