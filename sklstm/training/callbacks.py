"""A skorch callback that stops a diverging run with a clear error."""

import math
import warnings

import torch
from skorch.callbacks import Callback

__all__ = ["DivergenceWarning", "FiniteLoss", "TrainingDivergedError"]

#: An epoch loss this many times the best earlier one is called divergence.
GROWTH_LIMIT = 1e3


class DivergenceWarning(RuntimeWarning):
    """The training loss grew by orders of magnitude: training is diverging."""


class TrainingDivergedError(FloatingPointError):
    """The training loss became NaN or infinite, so training was stopped."""


class FiniteLoss(Callback):
    """Stop training once an epoch's loss is not finite; warn when it explodes.

    A finite loss :data:`GROWTH_LIMIT` times above the best earlier epoch,
    or above the loss of a constant prediction (the targets' mean for
    regression, uniform class probabilities for classification), gets a
    :class:`DivergenceWarning`: a model that does a thousand times worse than
    predicting a constant is not learning.

    The epoch's mean losses are already on the host (skorch records them per
    batch), so this adds no device synchronisation.

    Examples
    --------
    >>> from sklstm.training.callbacks import FiniteLoss
    >>> FiniteLoss()
    FiniteLoss()
    """

    reference_loss = None

    def on_train_begin(self, net, X=None, **kwargs):
        self.reference_loss = _constant_prediction_loss(net, getattr(X, "y", None))

    def on_epoch_end(self, net, **kwargs):
        # skorch's History is a list of dicts: read it as one. Its generic
        # history[:, key] indexing is far slower, and a long run would pay
        # for it at every epoch.
        rows = list(net.history)
        record = rows[-1]
        loss = record.get("train_loss", math.nan)  # NaN: nothing to compare
        best = min(
            (row["train_loss"] for row in rows[:-1] if "train_loss" in row),
            default=math.inf,
        )
        if self.reference_loss is not None and math.isfinite(self.reference_loss):
            best = min(best, self.reference_loss)
        if math.isfinite(loss) and loss > GROWTH_LIMIT * best > 0:
            warnings.warn(
                f"The train loss is {loss:.3g} at epoch {record['epoch']}, more than "
                f"{GROWTH_LIMIT:g} times {best:.3g} (an earlier epoch's, or a "
                "constant prediction's): training is diverging. Lower the learning "
                "rate (lr), clip gradients (gradient_clip), or scale the inputs and "
                "targets.",
                DivergenceWarning,
                stacklevel=2,
            )
        for key in ("train_loss", "valid_loss"):
            loss = record.get(key)
            if loss is not None and not math.isfinite(loss):
                raise TrainingDivergedError(
                    f"Training diverged: the {key.replace('_', ' ')} became {loss} "
                    f"at epoch {record['epoch']}. Lower the learning rate (lr), "
                    "clip gradients (e.g. gradient_clip=1.0), or scale the inputs "
                    "and targets (e.g. StandardScaler or MinMaxScaler)."
                )

    def __repr__(self):
        return "FiniteLoss()"


def _constant_prediction_loss(net, y):
    """The loss of always predicting the targets' mean, or uniform classes."""
    if y is None or len(y) == 0:
        return None
    if not y.is_floating_point():  # class codes: cross-entropy of uniform guesses
        return math.log(max(2, int(y.max()) + 1))
    with torch.no_grad():
        constant = y.float().mean(dim=0, keepdim=True).expand_as(y)
        return float(net.criterion_(constant, y))
