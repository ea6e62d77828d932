"""Order of the gallery examples: the course first, then the real data sets."""

__all__ = ["ExampleOrder"]

ORDER = (
    "plot_lecture11_univariate.py",
    "plot_lecture11_multivariate.py",
    "plot_lecture12_architectures.py",
    "plot_grid_search.py",
    "plot_splice_classification.py",
    "plot_beijing_pm25.py",
)


class ExampleOrder:
    """sphinx-gallery ``within_subsection_order`` key: listed files first.

    Examples not listed in ``ORDER`` follow, sorted by file name, so a new
    example appears without editing this list.

    Parameters
    ----------
    src_dir : str
        The gallery's source folder (unused; sphinx-gallery passes it).
    """

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        """Return the sort key of ``filename``."""
        position = ORDER.index(filename) if filename in ORDER else len(ORDER)
        return (position, filename)
