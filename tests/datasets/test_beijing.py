import numpy as np
import pandas as pd
import pytest

from sklstm.datasets import load_beijing_pm25


def test_hourly_index_and_columns():
    frame = load_beijing_pm25()
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.name == "datetime"
    assert frame.index[0] == pd.Timestamp("2010-01-01 00:00")
    assert frame.index[-1] == pd.Timestamp("2014-12-31 23:00")
    assert len(frame) == 43824 and frame.index.freqstr == "h"
    assert (np.diff(frame.index) == pd.Timedelta(hours=1)).all()
    assert list(frame.columns) == [
        "pm2.5", "DEWP", "TEMP", "PRES", "Iws", "Is", "Ir",
        "cbwd_NE", "cbwd_NW", "cbwd_SE", "cbwd_cv",
    ]  # fmt: skip
    assert not frame.isna().any().any()
    np.testing.assert_array_equal(frame.filter(like="cbwd_").sum(axis=1), 1.0)


def test_missing_values_options():
    raw = load_beijing_pm25(fill_missing=None)
    assert raw["pm2.5"].isna().sum() == 2067
    assert raw["pm2.5"].iloc[:24].isna().all()
    filled = load_beijing_pm25()
    assert (filled["pm2.5"].iloc[:24] == raw["pm2.5"].iloc[24]).all()
    observed = raw["pm2.5"].notna()
    np.testing.assert_array_equal(filled["pm2.5"][observed], raw["pm2.5"][observed])
    dropped = load_beijing_pm25(fill_missing="drop")
    assert len(dropped) == 43824 - 2067


def test_wind_options():
    category = load_beijing_pm25(wind="category")
    assert isinstance(category["cbwd"].dtype, pd.CategoricalDtype)
    assert set(category["cbwd"].cat.categories) == {"NE", "NW", "SE", "cv"}
    assert "cbwd" not in load_beijing_pm25(wind="drop").columns


@pytest.mark.parametrize("kwargs", [{"fill_missing": "mean"}, {"wind": "degrees"}])
def test_bad_arguments_name_the_parameter(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        load_beijing_pm25(**kwargs)
