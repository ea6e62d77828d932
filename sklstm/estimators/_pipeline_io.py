"""Pipelines to files and back, running no code from the file.

A fitted :class:`~sklearn.pipeline.Pipeline` (or
:class:`~sklearn.compose.TransformedTargetRegressor`, nested in any way) is
saved as one bundle: ``pipeline.json`` describes the tree of steps;
sklstm's estimators are saved in their own format under ``steps/N/``;
:class:`~sklstm.SlidingWindowTransformer` by its parameter and fitted
attributes inside ``pipeline.json``; :class:`~sklstm.TargetScaler` by its
fitted attributes there and its fitted scaler as a step; every other
scikit-learn step with `skops <https://skops.readthedocs.io>`_ as
``steps/N.skops``, which loads
only the types skops trusts by default (scikit-learn's estimators, NumPy and
SciPy data), never arbitrary code. Anything else is refused before a byte is
written.
"""

from sklearn.base import BaseEstimator, clone
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .._version import __version__
from ..persistence import (
    MAX_BYTES,
    ModelFileError,
    array_from_json,
    array_to_json,
    check_archive_bytes,
    check_pipeline,
    read_json,
    record_files,
    record_from_bundle,
)
from ..target_scaling import TargetScaler
from ..transformers import SlidingWindowTransformer
from ._pipeline_checks import check_chain, check_role, plain
from .base import BaseLSTM

__all__ = ["SUPPORTED_STEPS", "pipeline_from_bundle", "pipeline_files"]

#: What :func:`sklstm.save` accepts inside a pipeline, for messages and docs.
SUPPORTED_STEPS = (
    "Pipeline, TransformedTargetRegressor (transformer, not func/inverse_func), "
    "LSTMRegressor, LSTMClassifier, SlidingWindowTransformer, TargetScaler, "
    "'passthrough', and "
    "scikit-learn estimators that skops saves with only its trusted types "
    "(scalers, encoders, PCA, linear models, ...)"
)


def _skops():
    try:
        import skops.io
    except ImportError:  # pragma: no cover - skops is a dependency
        raise ImportError(
            "Saving or loading a pipeline with scikit-learn steps needs skops "
            "(pip install skops)."
        ) from None
    return skops.io


def _refuse(where, why):
    raise TypeError(
        f"Cannot save {where}: {why}. sklstm.save supports {SUPPORTED_STEPS}; pickle "
        "the object instead (trusted files only)."
    )


class _Writer:
    """Turn a fitted tree of steps into ``pipeline.json`` nodes and files."""

    def __init__(self, training_state):
        self.training_state = training_state
        self.files = {}
        self.count = 0

    def _next(self):
        self.count += 1
        return self.count - 1

    def node(self, step, where):
        if step is None or (isinstance(step, str) and step == "passthrough"):
            return {"kind": "passthrough"}
        if isinstance(step, Pipeline):
            return self._pipeline(step, where)
        if isinstance(step, TransformedTargetRegressor):
            return self._target_regressor(step, where)
        if isinstance(step, BaseLSTM):
            return self._lstm(step, where)
        if isinstance(step, SlidingWindowTransformer):
            return self._windows(step, where)
        if isinstance(step, TargetScaler):
            return self._target_scaler(step, where)
        if isinstance(step, BaseEstimator):
            return self._skops(step, where)
        _refuse(where, f"a {type(step).__name__} is not a scikit-learn estimator")

    def _pipeline(self, pipe, where):
        if pipe.memory is not None:
            _refuse(where, "memory caching is set (a place to write is not saved)")
        if pipe.transform_input is not None:
            _refuse(where, "transform_input is set")
        steps = [
            [name, self.node(step, f"{where} step {name!r}")]
            for name, step in pipe.steps
        ]
        return {"kind": "Pipeline", "steps": steps, "verbose": bool(pipe.verbose)}

    def _target_regressor(self, ttr, where):
        if ttr.func is not None or ttr.inverse_func is not None:
            _refuse(where, "func/inverse_func are functions, i.e. code")
        check_is_fitted(ttr, "regressor_")
        return {
            "kind": "TransformedTargetRegressor",
            "regressor": self.node(ttr.regressor_, f"{where} regressor_"),
            "transformer": self.node(ttr.transformer_, f"{where} transformer_"),
            "transformer_given": ttr.transformer is not None,
            "check_inverse": bool(ttr.check_inverse),
            "training_dim": int(ttr._training_dim),
        }

    def _lstm(self, est, where):
        if not hasattr(est, "net_"):
            raise ValueError(f"{where}: this {type(est).__name__} is not fitted yet.")
        folder = f"steps/{self._next()}/"
        record = est._export_record(training_state=self.training_state)
        self.files.update(record_files(record, prefix=folder))
        return {"kind": "sklstm", "estimator": type(est).__name__, "folder": folder}

    def _windows(self, step, where):
        check_is_fitted(step)
        node = {
            "kind": "SlidingWindowTransformer",
            "dt_past": int(step.dt_past),
            "series_column": plain(step.series_column),
            "short_history": step.short_history,
            "n_features_in_": int(step.n_features_in_),
        }
        if hasattr(step, "feature_names_in_"):
            node["feature_names_in_"] = array_to_json(
                step.feature_names_in_, "feature_names_in_"
            )
        return node

    def _target_scaler(self, step, where):
        check_is_fitted(step)
        return {
            "kind": "TargetScaler",
            "scaler": self.node(step.scaler_, f"{where} scaler_"),
            "scaler_given": step.scaler is not None,
            "n_targets_": int(step.n_targets_),
            "n_features_in_": int(step.n_features_in_),
        }

    def _skops(self, step, where):
        inner = [
            type(v).__name__
            for v in step.get_params(deep=True).values()
            if isinstance(v, (BaseLSTM, SlidingWindowTransformer))
        ]
        if inner:
            _refuse(where, f"{type(step).__name__} holds {inner} inside")
        check_is_fitted(step)
        sio = _skops()
        data = sio.dumps(step, compression=8)
        untrusted = sio.get_untrusted_types(data=data)
        if untrusted:
            _refuse(where, f"loading it would need the untrusted types {untrusted}")
        name = f"steps/{self._next()}.skops"
        self.files[name] = data
        return {"kind": "skops", "file": name}


def pipeline_files(obj, *, training_state=True):
    """Return the files of a fitted pipeline, or raise before anything is written.

    Parameters
    ----------
    obj : Pipeline or TransformedTargetRegressor
        Fitted.
    training_state : bool, default=True
        Keep the sklstm estimators' optimizer state and random streams.

    Returns
    -------
    files : dict of str to bytes

    Raises
    ------
    TypeError
        A step that cannot be saved without code (see :data:`SUPPORTED_STEPS`).
    sklearn.exceptions.NotFittedError
        A step is not fitted.
    """
    import json

    writer = _Writer(training_state)
    root = writer.node(obj, type(obj).__name__)
    meta = {"format_version": 1, "sklstm_version": __version__, "root": root}
    writer.files["pipeline.json"] = json.dumps(meta, indent=1).encode()
    return writer.files


class _Reader:
    """Rebuild the tree of steps from checked ``pipeline.json`` nodes."""

    def __init__(self, reader, estimators, device_for):
        self.reader = reader
        self.estimators = estimators
        self.device_for = device_for

    def step(self, node):
        return getattr(self, "_" + node["kind"])(node)

    def _passthrough(self, node):
        return "passthrough"

    def _Pipeline(self, node):
        steps = [(name, self.step(child)) for name, child in node["steps"]]
        for name, step in steps[:-1]:
            check_role(step, ("transform",), f"Pipeline step {name!r}")
        check_chain(steps)
        try:
            return Pipeline(steps, verbose=node.get("verbose", False))
        except (TypeError, ValueError) as error:
            raise ModelFileError(
                f"pipeline.json: invalid Pipeline ({error})."
            ) from None

    def _TransformedTargetRegressor(self, node):
        regressor = self.step(node["regressor"])
        transformer = self.step(node["transformer"])
        check_role(regressor, ("predict",), "TransformedTargetRegressor regressor_")
        check_role(
            transformer,
            ("transform", "inverse_transform"),
            "TransformedTargetRegressor transformer_",
        )

        ttr = TransformedTargetRegressor(
            regressor=clone(regressor),
            transformer=clone(transformer) if node.get("transformer_given") else None,
            check_inverse=node.get("check_inverse", True),
        )
        ttr.regressor_ = regressor
        ttr.transformer_ = transformer
        ttr._training_dim = node["training_dim"]
        if hasattr(regressor, "feature_names_in_"):
            ttr.feature_names_in_ = regressor.feature_names_in_
        return ttr

    def _sklstm(self, node):
        record = record_from_bundle(self.reader, node["folder"])
        cls = self.estimators[node["estimator"]]
        if record.estimator != node["estimator"]:
            raise ModelFileError(
                f"pipeline.json names a {node['estimator']} in {node['folder']}, "
                f"which holds a {record.estimator}; the files are inconsistent."
            )
        return cls._from_record(record, self.device_for(cls, record))

    def _SlidingWindowTransformer(self, node):
        step = SlidingWindowTransformer(
            dt_past=node["dt_past"],
            series_column=node.get("series_column"),
            short_history=node.get("short_history", "warn"),
        )
        try:
            step._validate_params()
        except ValueError as error:
            raise ModelFileError(
                f"pipeline.json: the SlidingWindowTransformer's parameters are not "
                f"valid ({error})."
            ) from None
        step.n_features_in_ = node["n_features_in_"]
        if "feature_names_in_" in node:
            step.feature_names_in_ = array_from_json(node["feature_names_in_"])
        return step

    def _TargetScaler(self, node):
        scaler = self.step(node["scaler"])
        check_role(scaler, ("transform", "inverse_transform"), "TargetScaler scaler_")
        fitted_on = getattr(scaler, "n_features_in_", node["n_targets_"])
        if fitted_on != node["n_targets_"]:
            raise ModelFileError(
                f"pipeline.json: a TargetScaler of {node['n_targets_']} target(s) "
                f"holds a scaler fitted on {fitted_on}; the file is inconsistent."
            )
        step = TargetScaler(scaler=clone(scaler) if node.get("scaler_given") else None)
        step.scaler_ = scaler
        step.n_targets_ = node["n_targets_"]
        step.n_features_in_ = node["n_features_in_"]
        return step

    def _skops(self, node):
        name = node["file"]
        if name not in self.reader.names:
            raise ModelFileError(f"{self.reader.path}: {name} missing.")
        data = self.reader.read(name, MAX_BYTES["step.skops"])
        check_archive_bytes(
            data, f"{name} in {self.reader.path}", MAX_BYTES["step.skops"]
        )
        sio = _skops()
        try:
            step = sio.loads(data, trusted=[])
        except Exception as error:  # skops raises many kinds for a bad file
            raise ModelFileError(
                f"{name} in {self.reader.path} cannot be loaded safely "
                f"({type(error).__name__}: {str(error)[:300]}); only types skops "
                "trusts by default are loaded."
            ) from None
        if not isinstance(step, BaseEstimator):
            raise ModelFileError(f"{name} in {self.reader.path} holds no estimator.")
        return step


def pipeline_from_bundle(reader, estimators, device_for):
    """Rebuild the fitted pipeline in ``reader`` (which holds ``pipeline.json``).

    Parameters
    ----------
    reader : sklstm.persistence.BundleReader
        The open bundle.
    estimators : dict of str to class
        sklstm's estimator classes by name.
    device_for : callable
        ``device_for(cls, record)``: the torch device to load a record on.

    Returns
    -------
    pipeline : Pipeline or TransformedTargetRegressor

    Raises
    ------
    sklstm.persistence.ModelFileError
        For a malformed, inconsistent or unsafe file.
    """
    data = read_json(reader, "pipeline.json", MAX_BYTES["pipeline.json"])
    check_pipeline(data, f"{reader.path}: pipeline.json")
    if data.get("format_version") != 1 or isinstance(data.get("format_version"), bool):
        raise ModelFileError(
            f"{reader.path}: pipeline.json has format version "
            f"{data.get('format_version')!r:.40}; this sklstm reads version 1."
        )
    return _Reader(reader, estimators, device_for).step(data["root"])
