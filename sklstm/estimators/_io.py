"""``sklstm.save`` and ``sklstm.load``: estimators to files and back, no pickle."""

from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import Pipeline

from ..persistence import BundleReader, ModelFileError, record_from_bundle, write_bundle
from ..training import load_device
from ._pipeline_io import SUPPORTED_STEPS, pipeline_files, pipeline_from_bundle
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
    if type(estimator).__name__ in _ESTIMATORS:
        return estimator.save(path, training_state=training_state)
    if isinstance(estimator, (Pipeline, TransformedTargetRegressor)):
        files = pipeline_files(estimator, training_state=training_state)
        return write_bundle(path, files)
    hint = ""
    if hasattr(estimator, "best_estimator_"):
        hint = " For a search, save its best_estimator_."
    raise TypeError(
        f"Cannot save a {type(estimator).__name__}; sklstm.save takes "
        f"{sorted(_ESTIMATORS)} or a fitted Pipeline or TransformedTargetRegressor "
        f"of {SUPPORTED_STEPS}.{hint}"
    )


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
    reader = BundleReader(path)
    if "pipeline.json" in reader.names:

        def step_device(cls, record):
            return _record_device(cls, record, device)

        return pipeline_from_bundle(reader, _ESTIMATORS, step_device)
    record = record_from_bundle(reader)
    cls = _ESTIMATORS.get(record.estimator)
    if cls is None:
        raise ModelFileError(
            f"{path} names an unknown estimator {record.estimator!r}; sklstm loads "
            f"{sorted(_ESTIMATORS)}."
        )
    estimator = cls._from_record(record, _record_device(cls, record, device))
    if device is not None:
        estimator.device = device
    return estimator


def _record_device(cls, record, device=None):
    """The device to load ``record`` on, after checking its parameters."""
    # Parameters first (a ModelFileError for any the estimator refuses),
    # then the device they name.
    saved_device = cls._unfitted_from_record(record).device
    try:
        return load_device(saved_device, device)
    except ValueError as error:
        if device is not None:  # the caller's choice, not the file's fault
            raise
        raise ModelFileError(
            f"The saved model names a device this machine cannot use ({error})."
        ) from None
