"""Validation data for early stopping: the most recent rows, never a shuffle."""

__all__ = ["TailSplit", "check_split_size"]


def check_split_size(n, gap):
    """Refuse ``n`` rows if they leave none to train on after the gap.

    Called by :class:`TailSplit` and, before any training starts, by the
    estimators, so the rule and its message live in one place.
    """
    if n < gap + 2:
        left_out = f", {gap} left out between training and validation" if gap else ""
        raise ValueError(
            f"early_stopping=True needs at least {gap + 2} windows (one to train "
            f"on{left_out}, one to validate on); got {n}. Pass more data or set "
            "early_stopping=False."
        )


class TailSplit:
    """Hold out the last ``fraction`` of the rows (a skorch ``train_split``).

    Training rows come first in time, so validating on the last ones
    measures what early stopping should measure, forecasting the future,
    and no validation row lies before a training row. ``gap`` rows between
    the two are used for neither: a row's targets are the ``dt_futu`` steps
    after it, so without a gap of ``dt_futu - 1`` the last training rows
    would be trained on values the first validation rows are scored on.

    Parameters
    ----------
    fraction : float
        Share of rows, in (0, 1), used for validation; at least one row is
        held out, and fewer than the share when that is what keeps a row
        to train on after the gap.
    gap : int, default=0
        Rows left out between the training rows and the validation rows.
    """

    def __init__(self, fraction, gap=0):
        self.fraction = fraction
        self.gap = gap

    def __call__(self, dataset, y=None, **fit_params):
        n = len(dataset)
        check_split_size(n, self.gap)
        n_valid = min(max(1, round(n * self.fraction)), n - 1 - self.gap)
        n_train = n - n_valid - self.gap
        return dataset.subset(slice(0, n_train)), dataset.subset(slice(n - n_valid, n))

    def __repr__(self):
        return f"TailSplit(fraction={self.fraction!r}, gap={self.gap!r})"
