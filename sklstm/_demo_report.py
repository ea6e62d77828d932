"""The demo's comparison: test MAE per horizon step, and what it says."""

import numpy as np

__all__ = ["mae_table", "verdict"]


def mae_table(Y_test, forecasts, units):
    """Return the MAE table (a row per horizon step, then the mean) and the errors.

    Parameters
    ----------
    Y_test : ndarray of shape (n, dt_futu)
    forecasts : dict of str to ndarray of shape (n, dt_futu)
        Forecasts by model name, the LSTM's first.
    units : str
        Units of the target, for the title.

    Returns
    -------
    table : str
    errors : dict of str to ndarray of shape (dt_futu,)
        MAE per step, by model name.
    """
    names = list(forecasts)
    errors = {
        name: np.abs(pred - Y_test).mean(axis=0) for name, pred in forecasts.items()
    }
    width = max(len(name) for name in names) + 2
    header = "hours ahead".ljust(12) + "".join(name.rjust(width) for name in names)
    lines = [f"Test MAE of PM2.5 ({units})", header, "-" * len(header)]
    for h in range(Y_test.shape[1]):
        cells = "".join(f"{errors[name][h]:{width}.2f}" for name in names)
        lines.append(f"{h + 1:<12d}" + cells)
    lines.append("-" * len(header))
    means = "".join(f"{errors[n].mean():{width}.2f}" for n in names)
    lines.append("mean".ljust(12) + means)
    return "\n".join(lines), errors


def verdict(errors, model="LSTM"):
    """Say which baselines ``model`` beats on the mean, and every hour it loses.

    Parameters
    ----------
    errors : dict of str to ndarray of shape (dt_futu,)
        MAE per step, by model name (from :func:`mae_table`).
    model : str, default="LSTM"

    Returns
    -------
    text : str

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm._demo_report import verdict
    >>> verdict({"LSTM": np.array([2.0, 3.0]), "ridge": np.array([1.0, 5.0])})
    'Over the 2-hour horizon the LSTM beats ridge. It loses to ridge at hour 1.'
    """
    ours = errors[model]
    others = {name: e for name, e in errors.items() if name != model}
    beaten = [name for name, e in others.items() if ours.mean() < e.mean()]
    unbeaten = [name for name in others if name not in beaten]
    text = f"Over the {len(ours)}-hour horizon the {model}"
    if beaten:
        text += f" beats {', '.join(beaten)}"
    if unbeaten:
        text += f"{';' if beaten else ''} does not beat {', '.join(unbeaten)}"
    losses = []
    for name in beaten:  # the mean hides the hours where it still loses
        hours = [str(h + 1) for h in np.flatnonzero(others[name] < ours)]
        if hours:
            label = "hour" if len(hours) == 1 else "hours"
            losses.append(f"{name} at {label} {', '.join(hours)}")
    if losses:
        text += f". It loses to {'; '.join(losses)}"
    return text + "."
