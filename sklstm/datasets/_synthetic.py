"""The course's synthetic series (Lectures 11 and 12)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_course_series", "make_course_multivariate", "make_course_long_series"]


def _check_noise(noise):
    if not isinstance(noise, Real) or noise < 0:
        raise ValueError(f"noise must be a number >= 0, got noise={noise!r}.")


def make_course_series(*, noise=0.1, random_state=None):
    """The univariate series of Lecture 11.

    ``t = arange(-50, 10, 0.25)`` and
    ``y = sin(t) + noise * N(0, 1) + exp((t + 20) * 0.05)``: a sine on a
    growing exponential trend, 240 steps.

    Parameters
    ----------
    noise : float, default=0.1
        Standard deviation of the Gaussian noise.
    random_state : int, RandomState instance or None, default=None
        Seeds the noise.

    Returns
    -------
    t : ndarray of shape (240,)
    y : ndarray of shape (240,)

    Examples
    --------
    >>> from sklstm.datasets import make_course_series
    >>> t, y = make_course_series(random_state=0)
    >>> t.shape, y.shape
    ((240,), (240,))
    """
    _check_noise(noise)
    rng = check_random_state(random_state)
    t = np.arange(-50, 10, 0.25)
    y = np.sin(t) + noise * rng.standard_normal(t.size) + np.exp((t + 20) * 0.05)
    return t, y


def make_course_multivariate(*, noise=0.1, random_state=None):
    """Two inputs and two targets on the course's time grid (Lecture 11).

    On ``t = arange(-50, 10, 0.25)``::

        x1 = sin(t) + exp((t + 20) * 0.05) + noise * N(0, 1)
        x2 = cos(0.5 * t) + 0.02 * t + noise * N(0, 1)
        y1 = x1 + 0.5 * x2
        y2 = x1 * x2

    so each target needs both inputs.

    Parameters
    ----------
    noise : float, default=0.1
        Standard deviation of the Gaussian noise on each input.
    random_state : int, RandomState instance or None, default=None
        Seeds the noise.

    Returns
    -------
    t : ndarray of shape (240,)
    X : ndarray of shape (240, 2)
        The inputs ``x1``, ``x2``.
    Y : ndarray of shape (240, 2)
        The targets ``y1``, ``y2``.

    Examples
    --------
    >>> from sklstm.datasets import make_course_multivariate
    >>> t, X, Y = make_course_multivariate(random_state=0)
    >>> X.shape, Y.shape
    ((240, 2), (240, 2))
    """
    _check_noise(noise)
    rng = check_random_state(random_state)
    t = np.arange(-50, 10, 0.25)
    x1 = np.sin(t) + np.exp((t + 20) * 0.05) + noise * rng.standard_normal(t.size)
    x2 = np.cos(0.5 * t) + 0.02 * t + noise * rng.standard_normal(t.size)
    X = np.column_stack([x1, x2])
    Y = np.column_stack([x1 + 0.5 * x2, x1 * x2])
    return t, X, Y


def make_course_long_series(*, n_samples=2000, noise=0.3, random_state=None):
    """Lecture 12's longer, noisier series.

    ``t = -50 + 0.25 * arange(n_samples)`` and
    ``y = sin(t) + noise * N(0, 1) + exp((t + 20) * 0.05 * 240 / n_samples)``:
    the Lecture 11 formula over a longer grid, the trend's rate scaled so it
    grows as much over the whole series as over the 240 steps of Lecture 11
    (it would otherwise explode), with three times the noise.

    Parameters
    ----------
    n_samples : int, default=2000
        Number of time steps.
    noise : float, default=0.3
        Standard deviation of the Gaussian noise.
    random_state : int, RandomState instance or None, default=None
        Seeds the noise.

    Returns
    -------
    t : ndarray of shape (n_samples,)
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> from sklstm.datasets import make_course_long_series
    >>> t, y = make_course_long_series(n_samples=500, random_state=0)
    >>> y.shape
    (500,)
    """
    _check_noise(noise)
    if (
        isinstance(n_samples, bool)
        or not isinstance(n_samples, Integral)
        or n_samples < 1
    ):
        raise ValueError(
            f"n_samples must be an integer >= 1, got n_samples={n_samples!r}."
        )
    rng = check_random_state(random_state)
    t = -50 + 0.25 * np.arange(n_samples)
    rate = 0.05 * 240 / n_samples
    y = np.sin(t) + noise * rng.standard_normal(n_samples) + np.exp((t + 20) * rate)
    return t, y
