"""The course's synthetic series (Lectures 11 and 12)."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_course_long_series", "make_course_multivariate", "make_course_series"]

_START, _STOP, _STEP = -50, 10, 0.25  # the course grid: 240 steps
_RATE = 0.05  # growth rate of the exponential trend on that grid


def _check_noise(noise):
    """Raise a ValueError unless ``noise`` is a finite real number >= 0."""
    if (
        isinstance(noise, bool)
        or not isinstance(noise, Real)
        or not np.isfinite(noise)
        or noise < 0
    ):
        raise ValueError(f"noise must be a finite number >= 0; got noise={noise!r}.")


def _check_n_samples(n_samples):
    """Raise a ValueError unless ``n_samples`` is an integer >= 1."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, Integral):
        raise ValueError(f"n_samples must be an integer; got n_samples={n_samples!r}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1; got n_samples={n_samples!r}.")


def make_course_series(*, noise=0.1, random_state=None):
    """Generate the univariate series of Lecture 11.

    A sine wave on a growing exponential trend, with Gaussian noise, over
    240 time steps: the series the course forecasts with an LSTM.

    Parameters
    ----------
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to every value; 0
        gives the exact formula.
    random_state : int, RandomState instance or None, default=None
        Seeds the noise. Pass an int for the same series at every call.

    Returns
    -------
    t : ndarray of shape (240,)
        The time grid, ``numpy.arange(-50, 10, 0.25)``.
    y : ndarray of shape (240,)
        The series.

    Raises
    ------
    ValueError
        If `noise` is negative or not a finite number.

    See Also
    --------
    make_course_multivariate : Two inputs and two targets on the same grid.
    make_course_long_series : The longer, noisier series of Lecture 12.

    Notes
    -----
    With ``rng = sklearn.utils.check_random_state(random_state)``::

        t = np.arange(-50, 10, 0.25)
        y = np.sin(t) + noise * rng.standard_normal(t.size) + np.exp((t + 20) * 0.05)

    These are the lecture's grid and formula, with the noise drawn from
    ``rng`` so that `random_state` makes the series reproducible.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.datasets import make_course_series
    >>> t, y = make_course_series(random_state=0)
    >>> t.shape, y.shape
    ((240,), (240,))
    >>> t[:3]
    array([-50.  , -49.75, -49.5 ])
    >>> t, y = make_course_series(noise=0.0)
    >>> bool(np.allclose(y, np.sin(t) + np.exp((t + 20) * 0.05)))
    True
    """
    _check_noise(noise)
    rng = check_random_state(random_state)
    t = np.arange(_START, _STOP, _STEP)
    y = np.sin(t) + noise * rng.standard_normal(t.size) + np.exp((t + 20) * _RATE)
    return t, y


def make_course_multivariate(*, noise=0.1, random_state=None):
    """Generate two inputs and two targets on the grid of Lecture 11.

    The multivariate counterpart of :func:`make_course_series`: each target
    is a function of both inputs at the same time step, so a model that
    reads only one input cannot predict either target.

    Parameters
    ----------
    noise : float, default=0.1
        Standard deviation of the Gaussian noise added to each input; the
        targets are computed from the noisy inputs.
    random_state : int, RandomState instance or None, default=None
        Seeds the noise. Pass an int for the same series at every call.

    Returns
    -------
    t : ndarray of shape (240,)
        The time grid, ``numpy.arange(-50, 10, 0.25)``.
    X : ndarray of shape (240, 2)
        The inputs, columns ``x1`` and ``x2``.
    Y : ndarray of shape (240, 2)
        The targets, columns ``y1`` and ``y2``.

    Raises
    ------
    ValueError
        If `noise` is negative or not a finite number.

    See Also
    --------
    make_course_series : The univariate series, which is ``x1``.

    Notes
    -----
    With ``rng = sklearn.utils.check_random_state(random_state)``, on
    ``t = np.arange(-50, 10, 0.25)``::

        x1 = np.sin(t) + np.exp((t + 20) * 0.05) + noise * rng.standard_normal(240)
        x2 = np.cos(0.5 * t) + 0.02 * t + noise * rng.standard_normal(240)
        y1 = x1 + 0.5 * x2
        y2 = x1 * x2

    ``x1`` is the course series (with the same noise draws as
    :func:`make_course_series` for the same `random_state`), ``x2`` a slower
    cosine on a linear trend; ``y1`` is a weighted sum and ``y2`` a product.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm.datasets import make_course_multivariate
    >>> t, X, Y = make_course_multivariate(random_state=0)
    >>> X.shape, Y.shape
    ((240, 2), (240, 2))
    >>> bool(np.allclose(Y[:, 1], X[:, 0] * X[:, 1]))
    True
    """
    _check_noise(noise)
    rng = check_random_state(random_state)
    t = np.arange(_START, _STOP, _STEP)
    x1 = np.sin(t) + np.exp((t + 20) * _RATE) + noise * rng.standard_normal(t.size)
    x2 = np.cos(0.5 * t) + 0.02 * t + noise * rng.standard_normal(t.size)
    X = np.column_stack([x1, x2])
    Y = np.column_stack([x1 + 0.5 * x2, x1 * x2])
    return t, X, Y


def make_course_long_series(*, n_samples=2000, noise=0.3, random_state=None):
    """Generate the longer, noisier series of Lecture 12.

    The formula of :func:`make_course_series` over `n_samples` steps of the
    same size (0.25) from ``t = -50``, with three times the noise by
    default, and the trend's growth rate scaled by ``240 / n_samples`` so
    that the exponential does not explode on a long grid.

    Parameters
    ----------
    n_samples : int, default=2000
        Number of time steps.
    noise : float, default=0.3
        Standard deviation of the Gaussian noise added to every value.
    random_state : int, RandomState instance or None, default=None
        Seeds the noise. Pass an int for the same series at every call.

    Returns
    -------
    t : ndarray of shape (n_samples,)
        The time grid, ``-50 + 0.25 * numpy.arange(n_samples)``.
    y : ndarray of shape (n_samples,)
        The series.

    Raises
    ------
    ValueError
        If `n_samples` is not an integer >= 1, or `noise` is negative or not
        a finite number.

    See Also
    --------
    make_course_series : The 240-step series of Lecture 11.

    Notes
    -----
    With ``rng = sklearn.utils.check_random_state(random_state)``::

        t = -50 + 0.25 * np.arange(n_samples)
        rate = 0.05 * 240 / n_samples
        y = np.sin(t) + noise * rng.standard_normal(n_samples) + np.exp((t + 20) * rate)

    Whatever `n_samples`, the trend's exponent grows by about 3 over the
    whole series, as over the 240 steps of Lecture 11: with the default
    2,000 steps the trend rises from about 0.8 to about 17, where the
    unscaled rate would reach ``exp(23.5)``, about 1.6e10. With
    ``n_samples=240`` the series is that of :func:`make_course_series`
    (up to rounding) with this `noise`.

    Examples
    --------
    >>> from sklstm.datasets import make_course_long_series
    >>> t, y = make_course_long_series(random_state=0)
    >>> t.shape, y.shape
    ((2000,), (2000,))
    >>> float(t[0]), float(t[-1])
    (-50.0, 449.75)
    """
    _check_n_samples(n_samples)
    _check_noise(noise)
    rng = check_random_state(random_state)
    t = _START + _STEP * np.arange(n_samples)
    rate = _RATE * 240 / n_samples
    y = np.sin(t) + noise * rng.standard_normal(n_samples) + np.exp((t + 20) * rate)
    return t, y
