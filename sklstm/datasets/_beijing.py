"""Hourly PM2.5 pollution and weather in Beijing, 2010-2014 (Liang et al.)."""

import gzip
import io
from importlib import resources

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

__all__ = ["load_beijing_pm25"]

_DATA_FILE = "beijing_pm25.csv.gz"
_TARGET = "pm2.5"
_WEATHER = ["DEWP", "TEMP", "PRES", "Iws", "Is", "Ir"]
_WIND_DIRECTIONS = ["NE", "NW", "SE", "cv"]
_DTYPES = {
    "No": "int32", "year": "int16", "month": "int8", "day": "int8", "hour": "int8",
    "pm2.5": "float64", "DEWP": "float64", "TEMP": "float64", "PRES": "float64",
    "cbwd": pd.CategoricalDtype(_WIND_DIRECTIONS), "Iws": "float64",
    "Is": "float64", "Ir": "float64",
}  # fmt: skip

_FILL = ("interpolate", "drop", None)
_WIND = ("onehot", "category", "drop")

DESCR = """\
Beijing PM2.5 data (UCI)
========================

43,824 hourly rows, 2010-01-01 00:00 to 2014-12-31 23:00 (local time), of
PM2.5 concentration measured at the US embassy in Beijing, with weather from
Beijing Capital International Airport:

- pm2.5: PM2.5 concentration (ug/m^3); 2,067 values are missing (NA) in 214
  gaps, the first 24 hours among them, the longest 155 hours.
- DEWP: dew point (degrees C).
- TEMP: temperature (degrees C).
- PRES: pressure (hPa).
- cbwd: combined wind direction, NE, NW, SE or cv (calm and variable).
- Iws: cumulated wind speed (m/s).
- Is: cumulated hours of snow.
- Ir: cumulated hours of rain.

Source: UCI Machine Learning Repository, "Beijing PM2.5 Data". Liang, X.,
Zou, T., Guo, B., Li, S., Zhang, H., Zhang, S., Huang, H. and Chen, S. X.
(2015), "Assessing Beijing's PM2.5 pollution: severity, weather impact, APEC
and winter heating", Proceedings of the Royal Society A 471: 20150257.
Licence: Creative Commons Attribution 4.0 International (CC BY 4.0).
Shipped gzip-compressed inside sklstm, otherwise unchanged.
"""


def _check_option(name, value, allowed):
    """Raise a ValueError naming ``name`` unless ``value`` is in ``allowed``."""
    if (value is None or isinstance(value, str)) and value in allowed:
        return
    options = ", ".join(repr(option) for option in allowed)
    raise ValueError(f"{name} must be one of {options}; got {name}={value!r}.")


def _read_csv():
    """The raw file as a DataFrame on an hourly ``DatetimeIndex``."""
    packed = resources.files(__package__).joinpath("data", _DATA_FILE).read_bytes()
    frame = pd.read_csv(
        io.BytesIO(gzip.decompress(packed)),
        dtype=_DTYPES,
        na_values={_TARGET: ["NA"]},
        keep_default_na=False,
    )
    if frame["cbwd"].isna().any():
        raise ValueError(f"{_DATA_FILE}: unknown wind direction in 'cbwd'.")
    stamps = pd.to_datetime(frame[["year", "month", "day", "hour"]])
    # freq="h" checks that the rows are exactly one hour apart.
    frame.index = pd.DatetimeIndex(stamps, name="datetime", freq="h")
    return frame.loc[:, [_TARGET, *_WEATHER, "cbwd"]].copy()


def load_beijing_pm25(*, fill_missing="interpolate", wind="onehot", as_frame=True):
    """Load hourly PM2.5 pollution and weather in Beijing, 2010-2014.

    The UCI *Beijing PM2.5 Data*: 43,824 hourly measurements of the PM2.5
    concentration at the US embassy in Beijing, with dew point, temperature,
    pressure, wind and precipitation. The course forecasts the next hours'
    ``pm2.5`` from the previous hours of every column. The data set is
    shipped inside the package: nothing is downloaded.

    Parameters
    ----------
    fill_missing : {"interpolate", "drop"} or None, default="interpolate"
        What to do with the 2,067 missing ``pm2.5`` values (the other
        columns have none).

        - ``"interpolate"``: fill each gap linearly in time between the
          readings on either side of it (``Series.interpolate(method="time")``);
          the first 24 hours, missing before the first reading, take that
          first reading (back-fill).
        - ``"drop"``: remove the rows without a reading; the index then skips
          those hours and has no frequency.
        - None: keep them as NaN.

    wind : {"onehot", "category", "drop"}, default="onehot"
        How to give the combined wind direction ``cbwd`` (``NE``, ``NW``,
        ``SE``, or ``cv`` for calm and variable).

        - ``"onehot"``: four float columns ``cbwd_NE``, ``cbwd_NW``,
          ``cbwd_SE``, ``cbwd_cv`` of 0.0 and 1.0, so that every column is
          numeric.
        - ``"category"``: one column ``cbwd`` of categorical dtype.
        - ``"drop"``: no wind direction column.

    as_frame : bool, default=True
        If True, return the DataFrame; if False, a Bunch that also
        separates the target and describes the data.

    Returns
    -------
    frame : pandas.DataFrame
        If `as_frame` is True. One row per hour (43,824 rows, fewer with
        ``fill_missing="drop"``), on a ``DatetimeIndex`` named
        ``"datetime"`` from 2010-01-01 00:00 to 2014-12-31 23:00 with
        frequency ``"h"``. The columns, all float64 but ``cbwd``, are
        ``pm2.5`` (PM2.5 concentration, µg/m³), ``DEWP`` (dew point, °C),
        ``TEMP`` (temperature, °C), ``PRES`` (pressure, hPa), ``Iws``
        (cumulated wind speed, m/s), ``Is`` and ``Ir`` (cumulated hours of
        snow and of rain), then the wind direction column(s) as `wind`
        says: 11 columns with the defaults.
    data : :class:`~sklearn.utils.Bunch`
        If `as_frame` is False. Dictionary-like object with the attributes:

        data : pandas.DataFrame
            The DataFrame above, ``pm2.5`` included: past pollution is an
            input of the forecast.
        target : pandas.Series
            Its ``pm2.5`` column, not shifted: windowing (for instance
            :func:`sklstm.future_targets`) turns it into future targets.
        feature_names : list of str
            The columns of ``data``.
        target_names : list of str
            ``["pm2.5"]``.
        DESCR : str
            Description of the data set: columns, units, missing values,
            provenance and licence.

    Raises
    ------
    ValueError
        If `fill_missing`, `wind` or `as_frame` is not one of the allowed
        values.

    See Also
    --------
    load_splice : The other real data set, DNA splice junctions.

    Notes
    -----
    ``pm2.5`` misses 2,067 hourly values in 214 gaps: the first 24 hours
    (2010-01-01), one of 155 hours and many of a few hours. The index is
    built from the ``year``, ``month``, ``day`` and ``hour`` columns of the
    file, which are then dropped, as is its row number ``No``.

    Source: UCI Machine Learning Repository, "Beijing PM2.5 Data", from
    X. Liang, T. Zou, B. Guo, S. Li, H. Zhang, S. Zhang, H. Huang and
    S. X. Chen (2015), "Assessing Beijing's PM2.5 pollution: severity,
    weather impact, APEC and winter heating", *Proceedings of the Royal
    Society A* 471: 20150257. Licensed under CC BY 4.0; the file is shipped
    as published, only gzip-compressed.

    Examples
    --------
    >>> from sklstm.datasets import load_beijing_pm25
    >>> frame = load_beijing_pm25()
    >>> frame.shape
    (43824, 11)
    >>> list(frame.columns[:7])
    ['pm2.5', 'DEWP', 'TEMP', 'PRES', 'Iws', 'Is', 'Ir']
    >>> str(frame.index[0]), str(frame.index[-1]), frame.index.freqstr
    ('2010-01-01 00:00:00', '2014-12-31 23:00:00', 'h')
    >>> int(load_beijing_pm25(fill_missing=None)["pm2.5"].isna().sum())
    2067
    >>> bunch = load_beijing_pm25(wind="category", as_frame=False)
    >>> bunch.target.name, bunch.feature_names[-1]
    ('pm2.5', 'cbwd')
    """
    _check_option("fill_missing", fill_missing, _FILL)
    _check_option("wind", wind, _WIND)
    if not isinstance(as_frame, (bool, np.bool_)):
        raise ValueError(f"as_frame must be True or False; got as_frame={as_frame!r}.")
    frame = _read_csv()
    if fill_missing == "interpolate":
        frame[_TARGET] = frame[_TARGET].interpolate(method="time").bfill()
    elif fill_missing == "drop":
        frame = frame.dropna(subset=[_TARGET])
    if wind == "onehot":
        dummies = pd.get_dummies(frame["cbwd"], prefix="cbwd", dtype="float64")
        frame = pd.concat([frame.drop(columns="cbwd"), dummies], axis=1)
    elif wind == "drop":
        frame = frame.drop(columns="cbwd")
    if as_frame:
        return frame
    return Bunch(
        data=frame,
        target=frame[_TARGET],
        feature_names=list(frame.columns),
        target_names=[_TARGET],
        DESCR=DESCR,
    )
