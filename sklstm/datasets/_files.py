"""Open the data files shipped inside the package."""

import gzip
from importlib import resources

__all__ = ["open_data_file"]


def open_data_file(name):
    """Open the gzip-compressed data file ``name`` for reading as text."""
    path = resources.files(__package__).joinpath("data", name)
    return gzip.open(path.open("rb"), mode="rt", encoding="ascii")
