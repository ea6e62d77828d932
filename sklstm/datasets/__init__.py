"""Data sets shipped with sklstm, and the course's synthetic series.

Two real data sets from the UCI Machine Learning Repository (CC BY 4.0) are
inside the package, gzip-compressed; nothing is ever downloaded:

- :func:`load_splice`: primate DNA splice junctions, 3,190 sequences of 60
  bases in 3 classes (sequence classification).
- :func:`load_beijing_pm25`: hourly PM2.5 pollution and weather in Beijing,
  2010-2014 (multivariate forecasting).

The generators rebuild the synthetic series of the lectures, with the noise
seeded by ``random_state``:

- :func:`make_course_series`: the univariate series of Lecture 11.
- :func:`make_course_multivariate`: two inputs and two targets on its grid.
- :func:`make_course_long_series`: the longer, noisier series of Lecture 12.
"""

from ._beijing import load_beijing_pm25
from ._splice import load_splice
from ._synthetic import (
    make_course_long_series,
    make_course_multivariate,
    make_course_series,
)

__all__ = [
    "load_beijing_pm25",
    "load_splice",
    "make_course_long_series",
    "make_course_multivariate",
    "make_course_series",
]
