"""Data sets shipped with sklstm, and the course's synthetic series.

Nothing is downloaded: the real data sets (UCI splice junctions and Beijing
PM2.5, both CC BY 4.0) are inside the package, gzip-compressed.
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
