"""Validation data for early stopping: the most recent rows, never a shuffle."""

__all__ = ["TailSplit"]


class TailSplit:
    """Hold out the last ``fraction`` of the rows (a skorch ``train_split``).

    Training rows come first in time, so validating on the last ones
    measures what early stopping should measure, forecasting the future,
    and no validation row lies before a training row.

    Parameters
    ----------
    fraction : float
        Share of rows, in (0, 1), used for validation; at least one row is
        held out and at least one kept.
    """

    def __init__(self, fraction):
        self.fraction = fraction

    def __call__(self, dataset, y=None, **fit_params):
        n = len(dataset)
        n_valid = min(max(1, round(n * self.fraction)), n - 1)
        return dataset.subset(slice(0, n - n_valid)), dataset.subset(
            slice(n - n_valid, n)
        )

    def __repr__(self):
        return f"TailSplit(fraction={self.fraction!r})"
