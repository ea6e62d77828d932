"""A skorch callback that stops a diverging run with a clear error."""

import math

from skorch.callbacks import Callback

__all__ = ["TrainingDivergedError", "FiniteLoss"]


class TrainingDivergedError(FloatingPointError):
    """The training loss became NaN or infinite, so training was stopped."""


class FiniteLoss(Callback):
    """Stop training with a clear error once an epoch's loss is not finite.

    The epoch's mean losses are already on the host (skorch records them per
    batch), so this adds no device synchronisation.

    Examples
    --------
    >>> from sklstm.training.callbacks import FiniteLoss
    >>> FiniteLoss()
    FiniteLoss()
    """

    def on_epoch_end(self, net, **kwargs):
        record = net.history[-1]
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
