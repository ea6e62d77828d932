import numpy as np
import pytest

from sklstm.datasets import (
    make_course_long_series,
    make_course_multivariate,
    make_course_series,
)

GENERATORS = [make_course_series, make_course_multivariate, make_course_long_series]


def test_course_series_exact_formula():
    t, y = make_course_series(noise=0.0)
    np.testing.assert_array_equal(t, np.arange(-50, 10, 0.25))
    assert t.shape == y.shape == (240,)
    np.testing.assert_allclose(y, np.sin(t) + np.exp((t + 20) * 0.05), rtol=1e-15)


def test_course_series_noise_is_seeded_gaussian():
    _, y = make_course_series(noise=0.5, random_state=42)
    t, clean = make_course_series(noise=0.0)
    expected = 0.5 * np.random.RandomState(42).standard_normal(240)
    np.testing.assert_allclose(y - clean, expected, atol=1e-12)


@pytest.mark.parametrize("make", GENERATORS)
def test_random_state_controls_the_noise(make):
    first, again, other = (
        make(random_state=0),
        make(random_state=0),
        make(random_state=1),
    )
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[-1], other[-1])
    np.testing.assert_array_equal(first[0], other[0])  # same time grid
    from_instance = make(random_state=np.random.RandomState(0))
    np.testing.assert_array_equal(from_instance[-1], first[-1])


@pytest.mark.parametrize("make", GENERATORS)
def test_outputs_are_finite_float_arrays(make):
    for array in make(random_state=0):
        assert isinstance(array, np.ndarray) and array.dtype == np.float64
        assert np.isfinite(array).all()


def test_multivariate_shapes_and_formula():
    t, X, Y = make_course_multivariate(noise=0.0)
    assert t.shape == (240,) and X.shape == (240, 2) and Y.shape == (240, 2)
    np.testing.assert_allclose(X[:, 0], np.sin(t) + np.exp((t + 20) * 0.05))
    np.testing.assert_allclose(X[:, 1], np.cos(0.5 * t) + 0.02 * t)
    np.testing.assert_allclose(Y[:, 0], X[:, 0] + 0.5 * X[:, 1])
    np.testing.assert_allclose(Y[:, 1], X[:, 0] * X[:, 1])


def test_multivariate_targets_use_both_noisy_inputs():
    _, X, Y = make_course_multivariate(noise=0.2, random_state=0)
    np.testing.assert_allclose(Y[:, 0], X[:, 0] + 0.5 * X[:, 1])
    np.testing.assert_allclose(Y[:, 1], X[:, 0] * X[:, 1])
    _, clean, _ = make_course_multivariate(noise=0.0)
    assert not np.allclose(X[:, 1], clean[:, 1])  # both inputs are noisy


def test_long_series_shape_grid_and_formula():
    t, y = make_course_long_series()
    assert t.shape == y.shape == (2000,)
    np.testing.assert_allclose(t, -50 + 0.25 * np.arange(2000))
    t, y = make_course_long_series(n_samples=1000, noise=0.0)
    rate = 0.05 * 240 / 1000
    np.testing.assert_allclose(y, np.sin(t) + np.exp((t + 20) * rate))
    assert make_course_long_series(n_samples=1)[0].tolist() == [-50.0]


def test_long_series_of_240_steps_is_the_course_series():
    t, y = make_course_long_series(n_samples=240, noise=0.1, random_state=3)
    t_course, y_course = make_course_series(noise=0.1, random_state=3)
    np.testing.assert_array_equal(t, t_course)
    np.testing.assert_allclose(y, y_course, rtol=1e-14)


def test_long_series_is_noisier_by_default():
    t, y = make_course_long_series(random_state=0)
    _, clean = make_course_long_series(noise=0.0)
    assert 0.25 < np.std(y - clean) < 0.35


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("noise", [-0.1, np.nan, np.inf, "0.1", None, True])
def test_bad_noise_names_the_parameter(make, noise):
    with pytest.raises(ValueError, match="noise"):
        make(noise=noise)


@pytest.mark.parametrize("n_samples", [0, -5, 2.5, "10", None, True])
def test_bad_n_samples_names_the_parameter(n_samples):
    with pytest.raises(ValueError, match="n_samples"):
        make_course_long_series(n_samples=n_samples)


def test_zero_noise_and_numpy_scalars_mean_what_python_numbers_mean():
    for a, b in zip(make_course_series(noise=0), make_course_series(noise=0.0)):
        np.testing.assert_array_equal(a, b)
    numpy_scalars = make_course_long_series(
        n_samples=np.int64(10), noise=np.float32(0.5), random_state=0
    )
    python_numbers = make_course_long_series(n_samples=10, noise=0.5, random_state=0)
    for a, b in zip(numpy_scalars, python_numbers):
        assert a.shape == (10,) and a.dtype == np.float64
        np.testing.assert_array_equal(a, b)
