import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from sklstm import SlidingWindowTransformer


def test_rows_are_kept_and_short_histories_padded_on_the_left():
    X = np.arange(12.0).reshape(6, 2)
    windows = SlidingWindowTransformer(dt_past=3).fit_transform(X)
    assert windows.shape == (6, 3, 2)
    assert np.isnan(windows[0, :2]).all() and np.isnan(windows[1, :1]).all()
    for t in range(6):
        start = max(0, t - 2)
        np.testing.assert_array_equal(
            windows[t, 3 - (t + 1 - start) :], X[start : t + 1]
        )


def test_output_is_a_view_whose_memory_does_not_grow_with_dt_past():
    X = np.random.default_rng(0).normal(size=(1000, 3))
    small = SlidingWindowTransformer(dt_past=2).fit_transform(X)
    large = SlidingWindowTransformer(dt_past=500).fit_transform(X)
    assert large.shape == (1000, 500, 3)
    assert not large.flags.writeable

    def owned_bytes(view):
        while view.base is not None:
            view = view.base
        return view.nbytes

    # One padded copy of X: (1000 + 499) rows, not 500 copies of each row.
    assert owned_bytes(large) == (1000 + 499) * 3 * 8
    assert owned_bytes(small) == (1000 + 1) * 3 * 8


def test_dataframes_and_clone():
    frame = pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5.0)})
    transformer = SlidingWindowTransformer(dt_past=2).fit(frame)
    assert list(transformer.feature_names_in_) == ["a", "b"]
    assert transformer.transform(frame).shape == (5, 2, 2)
    assert clone(transformer).get_params() == {"dt_past": 2}


def test_errors_name_the_parameter():
    with pytest.raises(ValueError, match="dt_past"):
        SlidingWindowTransformer(dt_past=0).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match=r"dt_past=10 is longer than the data"):
        SlidingWindowTransformer(dt_past=10).fit(np.ones((5, 1)))
    with pytest.raises(ValueError, match="NaN"):
        SlidingWindowTransformer(dt_past=2).fit(np.array([[1.0], [np.nan], [2.0]]))
    fitted = SlidingWindowTransformer(dt_past=2).fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="features"):
        fitted.transform(np.ones((5, 3)))
