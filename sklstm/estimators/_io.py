"""``sklstm.save`` and ``sklstm.load``: estimators to files and back, no pickle."""

from ..persistence import ModelFileError, decode_params, read_record
from ..training import load_device
from .classifier import LSTMClassifier
from .regressor import LSTMRegressor

__all__ = ["load_model", "save_model"]

_ESTIMATORS = {cls.__name__: cls for cls in (LSTMRegressor, LSTMClassifier)}


def save_model(estimator, path, *, training_state=True):
    """Save a fitted estimator as JSON and safetensors files (no pickle).

    The files appear whole or not at all: they are written under a
    temporary name and renamed into place.

    Parameters
    ----------
    estimator : LSTMRegressor or LSTMClassifier
        A fitted estimator whose parameters are JSON data (``optimizer`` a
        name, not a class).
    path : str or path-like
        A directory (created if needed), or a file name ending in ``.zip``
        for a single file.
    training_state : bool, default=True
        Also save the optimizer state and random streams, so that
        ``warm_start=True`` continues exactly where training stopped. About
        twice the size of the weights for Adam.

    Returns
    -------
    path : pathlib.Path
        Where the model was written.

    Raises
    ------
    TypeError
        If a parameter, or a class label, cannot be stored as JSON, or the
        object is not an sklstm estimator.

    See Also
    --------
    load_model : Load it back.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sklstm import LSTMClassifier, load, save
    >>> X = np.random.default_rng(0).normal(size=(20, 5, 2))
    >>> clf = LSTMClassifier(n_neurons=4, max_epochs=1, random_state=0)
    >>> clf = clf.fit(X, X[:, 0, 0] > 0)
    >>> path = save(clf, os.path.join(tempfile.mkdtemp(), "clf"))
    >>> sorted(p.name for p in path.iterdir())  # doctest: +NORMALIZE_WHITESPACE
    ['fitted.json', 'history.json', 'params.json', 'training.json',
     'training.safetensors', 'weights.safetensors']
    >>> load(path).classes_
    array([False,  True])
    """
    if type(estimator).__name__ not in _ESTIMATORS:
        raise TypeError(
            f"Cannot save a {type(estimator).__name__}; only {sorted(_ESTIMATORS)} "
            "can be."
        )
    return estimator.save(path, training_state=training_state)


def load_model(path, *, device=None):
    """Load an estimator saved by :func:`save_model`, running no code from the file.

    Parameters
    ----------
    path : str or path-like
        The directory or ``.zip`` file written by :func:`save_model` (or a
        checkpoint ``checkpoint_dir/epoch_NNNN``).
    device : str, torch.device or list, default=None
        Where to put the model (``"cpu"``, ``"cuda:N"``, ``"auto"``...); it
        also becomes the estimator's ``device`` parameter. None: the saved
        ``device`` parameter when that device exists here, else the best
        available device (as ``"auto"`` picks it) with a warning, e.g. for a
        model saved on ``cuda:1`` and loaded where there is one GPU.

    Returns
    -------
    estimator : LSTMRegressor or LSTMClassifier
        Fitted, on the device chosen as described for ``device``. When
        the training state was saved, ``set_params(warm_start=True).fit``
        continues training exactly where it stopped.

    Raises
    ------
    sklstm.persistence.ModelFileError
        A :class:`ValueError`: the files are of another format version,
        incomplete, truncated, corrupt or inconsistent.

    Examples
    --------
    >>> import numpy as np, os, tempfile
    >>> from sklstm import LSTMRegressor, load, save
    >>> X = np.random.default_rng(0).normal(size=(20, 5, 1))
    >>> reg = LSTMRegressor(n_neurons=4, max_epochs=1, random_state=0)
    >>> reg = reg.fit(X, X[:, -1, 0])
    >>> path = save(reg, os.path.join(tempfile.mkdtemp(), "reg.zip"))
    >>> bool(np.array_equal(load(path).predict(X), reg.predict(X)))
    True
    """
    record = read_record(path)
    cls = _ESTIMATORS.get(record.estimator)
    if cls is None:
        raise ModelFileError(
            f"{path} names an unknown estimator {record.estimator!r}; sklstm loads "
            f"{sorted(_ESTIMATORS)}."
        )
    saved = decode_params(record.params).get("device", "auto")
    estimator = cls._from_record(record, load_device(saved, device))
    if device is not None:
        estimator.device = device
    return estimator
