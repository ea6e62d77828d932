import numpy as np
import pytest

from sklstm.datasets import (
    make_course_long_series,
    make_course_multivariate,
    make_course_series,
)


def test_course_series_formula():
    t, y = make_course_series(noise=0.0)
    np.testing.assert_array_equal(t, np.arange(-50, 10, 0.25))
    np.testing.assert_allclose(y, np.sin(t) + np.exp((t + 20) * 0.05))


@pytest.mark.parametrize(
    "make", [make_course_series, make_course_multivariate, make_course_long_series]
)
def test_random_state_controls_the_noise(make):
    first, again, other = (
        make(random_state=0),
        make(random_state=0),
        make(random_state=1),
    )
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[-1], other[-1])


def test_multivariate_targets_use_both_inputs():
    _, X, Y = make_course_multivariate(noise=0.0)
    np.testing.assert_allclose(Y[:, 0], X[:, 0] + 0.5 * X[:, 1])
    np.testing.assert_allclose(Y[:, 1], X[:, 0] * X[:, 1])


def test_long_series_length_and_errors():
    t, y = make_course_long_series(n_samples=1000, random_state=0)
    assert t.shape == y.shape == (1000,) and np.isfinite(y).all()
    with pytest.raises(ValueError, match="n_samples"):
        make_course_long_series(n_samples=0)
    with pytest.raises(ValueError, match="noise"):
        make_course_series(noise=-1)
