import numpy as np
import pandas as pd
import pytest

from sklstm.datasets import load_beijing_pm25

WEATHER = ["pm2.5", "DEWP", "TEMP", "PRES", "Iws", "Is", "Ir"]
ONEHOT = ["cbwd_NE", "cbwd_NW", "cbwd_SE", "cbwd_cv"]
N_HOURS = 43824
N_MISSING = 2067


@pytest.fixture(scope="module")
def frame():
    return load_beijing_pm25()


@pytest.fixture(scope="module")
def raw():
    return load_beijing_pm25(fill_missing=None, wind="category")


def test_hourly_monotonic_index(frame):
    index = frame.index
    assert isinstance(index, pd.DatetimeIndex) and index.name == "datetime"
    assert len(index) == N_HOURS and index.is_monotonic_increasing and index.is_unique
    assert index[0] == pd.Timestamp("2010-01-01 00:00")
    assert index[-1] == pd.Timestamp("2014-12-31 23:00")
    assert index.freqstr == "h"
    assert ((index[1:] - index[:-1]) == pd.Timedelta(hours=1)).all()


def test_default_columns_are_numeric_without_nan(frame):
    assert list(frame.columns) == WEATHER + ONEHOT
    assert (frame.dtypes == np.float64).all()
    assert not frame.isna().any().any()
    first = frame.iloc[24]  # 2010-01-02 00:00, the first reading
    assert first["pm2.5"] == 129.0 and first["DEWP"] == -16.0
    assert first["PRES"] == 1020.0 and first["cbwd_SE"] == 1.0


def test_none_keeps_the_missing_values(raw):
    assert list(raw.columns) == [*WEATHER, "cbwd"]
    assert raw["pm2.5"].isna().sum() == N_MISSING
    assert raw["pm2.5"].iloc[:24].isna().all()
    assert not raw.drop(columns="pm2.5").isna().any().any()


def test_interpolate_fills_gaps_linearly_and_back_fills_the_start(frame, raw):
    filled, original = frame["pm2.5"], raw["pm2.5"]
    observed = original.notna()
    np.testing.assert_array_equal(filled[observed], original[observed])
    assert (filled.iloc[:24] == original.iloc[24]).all()
    # The gap after 2010-01-23 16:00 (22.0) up to 2010-01-26 12:00 (88.0).
    start, stop = pd.Timestamp("2010-01-23 16:00"), pd.Timestamp("2010-01-26 12:00")
    assert original[start] == 22.0 and original[stop] == 88.0
    assert original[start:stop].iloc[1:-1].isna().all()
    hours = (filled[start:stop].index - start) / pd.Timedelta(hours=1)
    expected = 22.0 + (88.0 - 22.0) * hours / ((stop - start) / pd.Timedelta(hours=1))
    np.testing.assert_allclose(filled[start:stop], expected)


def test_drop_removes_rows_and_keeps_the_gaps(frame):
    dropped = load_beijing_pm25(fill_missing="drop")
    assert len(dropped) == N_HOURS - N_MISSING
    assert not dropped.isna().any().any()
    assert dropped.index.is_monotonic_increasing and dropped.index.freq is None
    assert dropped.index[0] == pd.Timestamp("2010-01-02 00:00")
    assert dropped.index.isin(frame.index).all()


def test_wind_encodings(frame, raw):
    np.testing.assert_array_equal(frame[ONEHOT].sum(axis=1), 1.0)
    assert isinstance(raw["cbwd"].dtype, pd.CategoricalDtype)
    assert list(raw["cbwd"].cat.categories) == ["NE", "NW", "SE", "cv"]
    assert raw["cbwd"].value_counts().to_dict() == {
        "SE": 15290,
        "NW": 14150,
        "cv": 9387,
        "NE": 4997,
    }
    for direction in ["NE", "NW", "SE", "cv"]:
        np.testing.assert_array_equal(
            frame[f"cbwd_{direction}"], (raw["cbwd"] == direction).astype(float)
        )
    dropped = load_beijing_pm25(wind="drop")
    assert list(dropped.columns) == WEATHER


def test_bunch_when_not_as_frame(frame):
    bunch = load_beijing_pm25(as_frame=False)
    assert bunch.data.equals(frame) and list(bunch.data.columns) == list(frame.columns)
    assert isinstance(bunch.target, pd.Series) and bunch.target.name == "pm2.5"
    assert bunch.target.equals(frame["pm2.5"])
    assert bunch.feature_names == WEATHER + ONEHOT
    assert bunch.target_names == ["pm2.5"]
    assert "CC BY 4.0" in bunch.DESCR and "Liang" in bunch.DESCR


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fill_missing": "mean"}, r"fill_missing must be one of 'interpolate'"),
        ({"fill_missing": 0}, "fill_missing"),
        ({"wind": "degrees"}, r"wind must be one of 'onehot', 'category', 'drop'"),
        ({"wind": None}, "wind"),
        ({"as_frame": "yes"}, "as_frame"),
    ],
)
def test_bad_arguments_name_the_parameter_and_the_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_beijing_pm25(**kwargs)
