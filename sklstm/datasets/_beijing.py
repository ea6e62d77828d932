"""Hourly PM2.5 pollution and weather in Beijing, 2010-2014."""

import pandas as pd

from ._files import open_data_file

__all__ = ["load_beijing_pm25"]

_FILL = ("interpolate", "drop", None)
_WIND = ("onehot", "category", "drop")
_DTYPES = {
    "year": "int16", "month": "int8", "day": "int8", "hour": "int8",
    "pm2.5": "float64", "DEWP": "float64", "TEMP": "float64", "PRES": "float64",
    "cbwd": "category", "Iws": "float64", "Is": "float64", "Ir": "float64",
}  # fmt: skip


def load_beijing_pm25(*, fill_missing="interpolate", wind="onehot"):
    """Load hourly PM2.5 at the US embassy in Beijing with weather, 2010-2014.

    Parameters
    ----------
    fill_missing : {"interpolate", "drop", None}, default="interpolate"
        The 2,067 missing ``pm2.5`` values: ``"interpolate"`` fills gaps
        linearly in time, and the first 24 hours (missing before the first
        reading) with that first reading; ``"drop"`` removes those rows (the
        index then has gaps); None keeps NaN.
    wind : {"onehot", "category", "drop"}, default="onehot"
        The combined wind direction ``cbwd`` (NE, NW, SE and ``cv`` for calm
        and variable): ``"onehot"`` gives float columns ``cbwd_NE``,
        ``cbwd_NW``, ``cbwd_SE``, ``cbwd_cv``; ``"category"`` keeps one
        categorical column; ``"drop"`` removes it.

    Returns
    -------
    frame : pandas.DataFrame
        43,824 hourly rows (fewer with ``"drop"``), indexed by a
        ``DatetimeIndex`` named ``datetime`` (frequency ``"h"`` unless rows
        were dropped); columns ``pm2.5`` (µg/m³),
        ``DEWP`` (dew point, °C), ``TEMP`` (°C), ``PRES`` (hPa), ``Iws``
        (cumulated wind speed, m/s), ``Is`` and ``Ir`` (cumulated hours of snow
        and rain), then the wind columns.

    Notes
    -----
    Shipped with the package (gzip-compressed); nothing is downloaded.
    Source: UCI Machine Learning Repository, "Beijing PM2.5 Data", Liang, X.
    et al. (2015), "Assessing Beijing's PM2.5 pollution: severity, weather
    impact, APEC and winter heating", Proc. R. Soc. A 471: 20150257.
    CC BY 4.0.

    Examples
    --------
    >>> from sklstm.datasets import load_beijing_pm25
    >>> frame = load_beijing_pm25()
    >>> frame.shape
    (43824, 11)
    >>> str(frame.index[0]), str(frame.index[-1])
    ('2010-01-01 00:00:00', '2014-12-31 23:00:00')
    """
    if fill_missing not in _FILL:
        raise ValueError(f"fill_missing={fill_missing!r} is not one of {_FILL}.")
    if wind not in _WIND:
        raise ValueError(f"wind={wind!r} is not one of {_WIND}.")
    with open_data_file("beijing_pm25.csv.gz") as handle:
        frame = pd.read_csv(handle, dtype=_DTYPES, na_values=["NA"]).drop(columns="No")
    frame.index = pd.DatetimeIndex(
        pd.to_datetime(frame[["year", "month", "day", "hour"]]),
        name="datetime",
        freq="h",
    )
    frame = frame.drop(columns=["year", "month", "day", "hour"])
    if fill_missing == "interpolate":
        frame["pm2.5"] = frame["pm2.5"].interpolate(method="time").bfill()
    elif fill_missing == "drop":
        frame = frame.dropna(subset=["pm2.5"])
    if wind == "onehot":
        dummies = pd.get_dummies(frame["cbwd"], prefix="cbwd", dtype=float)
        frame = pd.concat([frame.drop(columns="cbwd"), dummies], axis=1)
    elif wind == "drop":
        frame = frame.drop(columns="cbwd")
    return frame
