"""Plots of loss curves, forecasts and grid searches (needs matplotlib).

matplotlib is optional: it is imported only when a plot is drawn, and a
missing install raises an :class:`ImportError` that says how to get it
(``pip install sklstm[plotting]``).
"""

import numpy as np

__all__ = ["plot_forecast", "plot_grid_search", "plot_history"]


def _pyplot():
    """Return ``matplotlib.pyplot``, or explain how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "sklstm.plotting needs matplotlib; install it with "
            "`pip install sklstm[plotting]` (or `pip install matplotlib`)."
        ) from error
    return plt


def _axes(ax):
    """The given Axes, else pyplot's current one; checks matplotlib either way."""
    plt = _pyplot()
    return plt.gca() if ax is None else ax


def _history_records(estimator_or_history):
    """Return the per-epoch records (a list of dicts) of a history or estimator."""
    history = getattr(estimator_or_history, "history_", estimator_or_history)
    if hasattr(history, "to_list"):  # skorch.History
        history = history.to_list()
    if not isinstance(history, (list, tuple)) or not all(
        isinstance(record, dict) for record in history
    ):
        raise TypeError(
            "plot_history expects a fitted LSTMRegressor/LSTMClassifier (with "
            "history_), a skorch History or a list of per-epoch dicts, got "
            f"{type(estimator_or_history).__name__}."
        )
    if not history or "train_loss" not in history[0]:
        raise ValueError(
            "The history has no 'train_loss' records; fit the estimator first."
        )
    return history


def plot_history(estimator_or_history, ax=None):
    """Plot the training (and validation) loss per epoch.

    Parameters
    ----------
    estimator_or_history : estimator, skorch.History or list of dict
        A fitted :class:`~sklstm.LSTMRegressor` or
        :class:`~sklstm.LSTMClassifier` (its ``history_`` is used), a
        :class:`skorch.History`, or a list of per-epoch dicts with a
        ``"train_loss"`` key and, optionally, ``"valid_loss"``.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    ax : matplotlib.axes.Axes
        One line for the training loss, a second for the validation loss
        when the history has one (``early_stopping=True``), and a dotted
        vertical line at the best validation epoch when it is recorded.

    Examples
    --------
    >>> from sklstm.plotting import plot_history
    >>> history = [{"epoch": 1, "train_loss": 0.9, "valid_loss": 1.0},
    ...            {"epoch": 2, "train_loss": 0.5, "valid_loss": 0.7}]
    >>> ax = plot_history(history)  # doctest: +SKIP
    """
    records = _history_records(estimator_or_history)
    ax = _axes(ax)
    epochs = [record.get("epoch", i + 1) for i, record in enumerate(records)]
    ax.plot(epochs, [r["train_loss"] for r in records], marker=".", label="train")
    valid = [r.get("valid_loss") for r in records]
    if any(v is not None for v in valid):
        ax.plot(
            epochs,
            [np.nan if v is None else v for v in valid],
            marker=".",
            label="validation",
        )
        best = [i for i, r in enumerate(records) if r.get("valid_loss_best")]
        if best:
            ax.axvline(
                epochs[best[-1]],
                color="grey",
                linestyle=":",
                linewidth=1,
                label="best validation epoch",
            )
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("Loss per epoch")
    ax.legend()
    return ax


def _as_horizon_array(values, name):
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, np.newaxis]
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be (n_windows,) or (n_windows, dt_futu), got shape "
            f"{np.shape(values)}; for several targets pass one target, e.g. "
            f"{name}[:, :, 0]."
        )
    return array


def plot_forecast(y_true, y_pred, ax=None, *, index=None, horizon_step=None):
    """Plot forecasts against the truth, at one horizon step or all of them.

    Row ``i`` of ``y_true`` and ``y_pred`` holds the ``dt_futu`` values
    after one forecast origin (as from :func:`~sklstm.sliding_windows`);
    step ``h`` of row ``i`` is the value at time ``index[i + h - 1]``. Each
    forecast is drawn at the time it predicts, so the lines of different
    steps line up with the truth.

    Parameters
    ----------
    y_true : array-like of shape (n_windows,) or (n_windows, dt_futu)
        True future values.
    y_pred : array-like of the same shape as ``y_true``
        Forecasts, e.g. ``estimator.predict(X)``.
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; the current Axes when None.
    index : array-like of shape (n_windows,), default=None
        Time of each row's first future step (e.g. a DatetimeIndex);
        positions ``0, 1, ...`` when None.
    horizon_step : int, default=None
        Draw only the forecasts this many steps ahead (1 is the next step):
        two lines, truth and forecast. When None, draw the truth and one
        forecast line per step of the horizon (``1 + dt_futu`` lines).

    Returns
    -------
    ax : matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If the shapes differ, ``index`` has the wrong length or
        ``horizon_step`` is not in ``1, ..., dt_futu``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import sliding_windows
    >>> from sklstm.plotting import plot_forecast
    >>> _, Y = sliding_windows(np.sin(np.arange(50) / 4), dt_past=5, dt_futu=3)
    >>> Y_pred = 0.9 * Y
    >>> ax = plot_forecast(Y, Y_pred, horizon_step=3)  # doctest: +SKIP
    """
    true = _as_horizon_array(y_true, "y_true")
    pred = _as_horizon_array(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred must have the same shape, got {true.shape} and "
            f"{pred.shape}."
        )
    n, dt_futu = true.shape
    index = np.arange(n) if index is None else np.asarray(index)
    if len(index) != n:
        raise ValueError(
            f"index must have one entry per row of y_true ({n}), got {len(index)}."
        )
    if horizon_step is None:
        steps = range(1, dt_futu + 1)
    elif (
        isinstance(horizon_step, (int, np.integer))
        and 1 <= horizon_step <= dt_futu
        and not isinstance(horizon_step, bool)
    ):
        steps = [int(horizon_step)]
    else:
        raise ValueError(
            f"horizon_step must be an integer in 1..{dt_futu} (the columns of "
            f"y_true) or None, got horizon_step={horizon_step!r}."
        )
    ax = _axes(ax)
    first = steps[0]
    # Row i's step h is the value at index[i + h - 1]: shift by h - 1 rows.
    ax.plot(
        index[first - 1 :],
        true[: n - first + 1, first - 1],
        color="black",
        label="truth",
    )
    import matplotlib

    colors = matplotlib.colormaps["viridis"]
    for k, h in enumerate(steps):
        color = colors(k / max(len(steps) - 1, 1)) if len(steps) > 1 else "C1"
        ax.plot(
            index[h - 1 :],
            pred[: n - h + 1, h - 1],
            color=color,
            linewidth=1,
            label=f"forecast, {h} step{'s' if h > 1 else ''} ahead",
        )
    ax.set_xlabel("time")
    ax.set_ylabel("value")
    if horizon_step is None:
        ax.set_title(f"Forecasts 1 to {dt_futu} steps ahead")
    else:
        ax.set_title(
            f"Forecast {horizon_step} step{'s' if horizon_step > 1 else ''} ahead"
        )
    ax.legend(fontsize="small")
    return ax


def _param_values(results, name):
    """Return ``(key, values)`` of parameter ``name`` in ``cv_results_``."""
    key = name if name.startswith("param_") else f"param_{name}"
    if key not in results:
        known = sorted(k[len("param_") :] for k in results if k.startswith("param_"))
        raise ValueError(
            f"{name!r} is not a parameter of this search; choose from {known}."
        )
    return key, list(results[key])


def _unique(values):
    """Distinct values in order of appearance (works for unhashable ones too)."""
    unique = []
    for value in values:
        if not any(_same(value, u) for u in unique):
            unique.append(value)
    return unique


def _same(a, b):
    try:
        return bool(np.all(a == b)) and type(a) is type(b)
    except (TypeError, ValueError):
        return a is b


def plot_grid_search(search, x_param, y_param, ax=None):
    """Plot a fitted grid search's mean test score over two parameters.

    Parameters
    ----------
    search : GridSearchCV or RandomizedSearchCV
        A fitted search (it has ``cv_results_``).
    x_param, y_param : str
        Parameter names as in the grid, e.g. ``"lstm__n_neurons"`` (the
        ``"param_"`` prefix of ``cv_results_`` may be included).
    ax : matplotlib.axes.Axes, default=None
        Axes to draw on; the current Axes when None.

    Returns
    -------
    ax : matplotlib.axes.Axes
        A heatmap (one image) with each cell annotated with its score. When
        other parameters vary too, a cell shows the best mean score over
        them; combinations not tried are left blank.

    Raises
    ------
    ValueError
        If the search is not fitted or a parameter is not in its grid.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklstm.plotting import plot_grid_search
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    >>> grid = {"alpha": [0.1, 1.0], "fit_intercept": [True, False]}
    >>> search = GridSearchCV(Ridge(), grid, cv=3).fit(X, y)
    >>> ax = plot_grid_search(search, "alpha", "fit_intercept")  # doctest: +SKIP
    """
    results = getattr(search, "cv_results_", None)
    if results is None:
        raise ValueError(
            "plot_grid_search needs a fitted search (with cv_results_); call "
            "search.fit(X, y) first."
        )
    x_key, x_values = _param_values(results, x_param)
    y_key, y_values = _param_values(results, y_param)
    if x_key == y_key:
        raise ValueError(f"x_param and y_param must differ, both are {x_param!r}.")
    x_unique, y_unique = _unique(x_values), _unique(y_values)
    scores = np.full((len(y_unique), len(x_unique)), np.nan)
    for x, y, score in zip(x_values, y_values, results["mean_test_score"]):
        i = next(k for k, u in enumerate(y_unique) if _same(y, u))
        j = next(k for k, u in enumerate(x_unique) if _same(x, u))
        if np.isfinite(score) and not score <= scores[i, j]:
            scores[i, j] = score
    ax = _axes(ax)
    image = ax.imshow(scores, cmap="viridis", aspect="auto", origin="lower")
    finite = scores[np.isfinite(scores)]
    middle = (finite.min() + finite.max()) / 2 if finite.size else 0.0
    for (i, j), score in np.ndenumerate(scores):
        if np.isfinite(score):
            ax.text(
                j,
                i,
                f"{score:.3g}",
                ha="center",
                va="center",
                color="black" if score > middle else "white",
            )
    ax.set_xticks(range(len(x_unique)), [str(v) for v in x_unique])
    ax.set_yticks(range(len(y_unique)), [str(v) for v in y_unique])
    ax.set_xlabel(x_key[len("param_") :])
    ax.set_ylabel(y_key[len("param_") :])
    ax.set_title("Mean test score")
    ax.figure.colorbar(image, ax=ax)
    return ax
