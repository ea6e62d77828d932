"""What ``pipeline.json`` may hold: the tree of a saved pipeline's steps."""

import re

from .schema import (
    _TARGETS,
    _dict,
    _fail,
    _int,
    _list,
    _string,
    check_feature_names,
)

__all__ = ["check_pipeline"]

_NODE_KINDS = {
    "Pipeline": ("steps",),
    "TransformedTargetRegressor": ("regressor", "transformer", "training_dim"),
    "sklstm": ("estimator", "folder"),
    "SlidingWindowTransformer": ("dt_past", "n_features_in_"),
    "TargetScaler": ("scaler", "n_targets_", "n_features_in_"),
    "skops": ("file",),
    "passthrough": (),
}
_FOLDER = re.compile(r"^steps/\d{1,4}/$")
_SKOPS_FILE = re.compile(r"^steps/\d{1,4}\.skops$")


def _check_node(node, where, depth, seen):
    if depth > 16:
        _fail(where, "pipelines nested too deeply")
    _dict(node, where, ("kind",))
    kind = node["kind"]
    if not isinstance(kind, str) or kind not in _NODE_KINDS:
        _fail(f"{where}.kind", f"{kind!r:.60} is not a kind of step sklstm saves")
    _dict(node, where, _NODE_KINDS[kind])
    if kind == "Pipeline":
        steps = _list(node["steps"], f"{where}.steps", 100)
        if not steps:
            _fail(f"{where}.steps", "no steps")
        names = set()
        for index, step in enumerate(steps):
            if not isinstance(step, list) or len(step) != 2:
                _fail(f"{where}.steps[{index}]", "not a [name, step] pair")
            name = _string(step[0], f"{where}.steps[{index}]", 200)
            if name in names or "__" in name or not name:
                _fail(f"{where}.steps[{index}]", f"step name {name!r:.60} not allowed")
            names.add(name)
            _check_node(step[1], f"{where}.steps[{index}]", depth + 1, seen)
        if not isinstance(node.get("verbose", False), bool):
            _fail(f"{where}.verbose", "not a boolean")
    elif kind == "TransformedTargetRegressor":
        _check_node(node["regressor"], f"{where}.regressor", depth + 1, seen)
        _check_node(node["transformer"], f"{where}.transformer", depth + 1, seen)
        # The targets' number of axes: 3 for (n, dt_futu, n_targets).
        _int(node["training_dim"], f"{where}.training_dim", 1, 3)
        for key in ("check_inverse", "transformer_given"):
            if not isinstance(node.get(key, True), bool):
                _fail(f"{where}.{key}", "not a boolean")
    elif kind == "sklstm":
        if not isinstance(node["estimator"], str) or node["estimator"] not in _TARGETS:
            _fail(f"{where}.estimator", f"{node['estimator']!r:.60} is not sklstm's")
        _unique_file(node["folder"], _FOLDER, f"{where}.folder", seen)
    elif kind == "SlidingWindowTransformer":
        _int(node["dt_past"], f"{where}.dt_past")
        _int(node["n_features_in_"], f"{where}.n_features_in_")
        column = node.get("series_column")
        if column is not None and not isinstance(column, (int, str)):
            _fail(f"{where}.series_column", "not a column number or name")
        if isinstance(column, str):
            _string(column, f"{where}.series_column", 200)
        if node.get("short_history", "warn") not in ("warn", "raise", "ignore"):
            _fail(f"{where}.short_history", "not 'warn', 'raise' or 'ignore'")
        check_feature_names(node, where)
    elif kind == "TargetScaler":
        _check_node(node["scaler"], f"{where}.scaler", depth + 1, seen)
        _int(node["n_targets_"], f"{where}.n_targets_")
        _int(node["n_features_in_"], f"{where}.n_features_in_")
        if not isinstance(node.get("scaler_given", True), bool):
            _fail(f"{where}.scaler_given", "not a boolean")
    elif kind == "skops":
        _unique_file(node["file"], _SKOPS_FILE, f"{where}.file", seen)


def _unique_file(name, pattern, where, seen):
    if not isinstance(name, str) or not pattern.match(name) or name in seen:
        _fail(where, f"{name!r:.60} is not a step file name sklstm writes")
    seen.add(name)


def check_pipeline(data, where="pipeline.json"):
    """Check ``pipeline.json``: the tree of steps, and the files they name.

    Returns
    -------
    data : dict
        ``{"root": node}``; each node has a ``kind`` (``"Pipeline"``,
        ``"TransformedTargetRegressor"``, ``"sklstm"``,
        ``"SlidingWindowTransformer"``, ``"TargetScaler"``, ``"skops"`` or
        ``"passthrough"``) and
        the fields of that kind. Every file name is one sklstm writes
        (``steps/N/`` or ``steps/N.skops``) and is named once.
    """
    _dict(data, where, ("root",))
    _check_node(data["root"], f"{where}.root", 0, set())
    return data
