"""Early stopping whose state is part of the training state, so resuming is exact."""

import math

import torch
from skorch.callbacks import EarlyStopping

__all__ = ["ResumableEarlyStopping"]


class ResumableEarlyStopping(EarlyStopping):
    """skorch's :class:`~skorch.callbacks.EarlyStopping`, carried across fits and files.

    skorch resets the count of epochs without improvement, the best score
    and the best weights at the start of every fit, and keeps them only in
    memory. Here they carry on when training continues (``warm_start``,
    ``partial_fit``), and :func:`~sklstm.training.export_training_state`
    saves them with a checkpoint, so that a run resumed from a checkpoint
    stops at the same epoch, with the same weights, as one never
    interrupted. After a run that early stopping ended, the next fit starts
    with a fresh ``patience`` (and the same best score).

    Examples
    --------
    >>> from sklstm.training.early_stopping import ResumableEarlyStopping
    >>> ResumableEarlyStopping(patience=3).patience
    3
    """

    def __getstate__(self):
        # skorch drops the best weights from a pickle; a fit resumed after
        # unpickling would then end on its last weights instead of the best
        # ones. They are kept as NumPy arrays with their torch dtype (NumPy
        # has no bfloat16): no device to map when a model trained on CUDA is
        # unpickled on a machine without one.
        state = super().__getstate__()
        weights = self.__dict__.get("best_model_weights_")
        if weights is not None:
            state["best_model_weights_"] = {
                key: _to_numpy(value) for key, value in weights.items()
            }
        return state

    def __setstate__(self, state):
        weights = state.get("best_model_weights_")
        if weights is not None:
            weights = {key: _from_numpy(*value) for key, value in weights.items()}
            state = {**state, "best_model_weights_": weights}
        self.__dict__.update(state)

    def on_train_begin(self, net, **kwargs):
        if getattr(self, "dynamic_threshold_", None) is None:  # never trained
            super().on_train_begin(net, **kwargs)
        elif self.misses_ >= self.patience:
            self.misses_ = 0

    def export_state(self):
        """Return ``(info, arrays)``: the counters as JSON data, the best weights."""
        if getattr(self, "dynamic_threshold_", None) is None:
            return {}, {}
        threshold = float(self.dynamic_threshold_)
        info = {
            "misses": int(self.misses_),
            "threshold": threshold if math.isfinite(threshold) else None,
            "best_epoch": int(self.best_epoch_),
        }
        weights = self.best_model_weights_ or {}
        return info, {key: value.detach() for key, value in weights.items()}

    def restore_state(self, net, info, arrays):
        """Check the state of :meth:`export_state` against ``net``; return a restorer.

        Raises
        ------
        ValueError
            If the counters are not in range, or the best weights do not fit
            the network.
        """
        if not isinstance(info, dict):
            raise ValueError("early stopping: its state is not a JSON object")
        if not info:
            return lambda: None
        misses, threshold, best = (
            info.get(k) for k in ("misses", "threshold", "best_epoch")
        )
        n_epochs = len(net.history)
        if not (
            isinstance(misses, int) and 0 <= misses <= max(self.patience, n_epochs)
        ):
            raise ValueError(f"early stopping: misses={misses!r:.40} out of range")
        if not (isinstance(best, int) and 0 <= best <= n_epochs):
            raise ValueError(f"early stopping: best_epoch={best!r:.40} out of range")
        if threshold is not None and not isinstance(threshold, (int, float)):
            raise ValueError("early stopping: threshold is not a number")
        expected = {k: (v.shape, v.dtype) for k, v in net.module_.state_dict().items()}
        if arrays and {k: (v.shape, v.dtype) for k, v in arrays.items()} != expected:
            raise ValueError("early stopping: the best weights do not fit the network")
        if threshold is None:
            threshold = math.inf if self.lower_is_better else -math.inf
        device = net.device

        def restore():
            self.misses_ = misses
            self.dynamic_threshold_ = float(threshold)
            self.best_epoch_ = best
            self.best_model_weights_ = (
                {k: torch.as_tensor(v).to(device) for k, v in arrays.items()}
                if arrays
                else None
            )

        return restore


def _to_numpy(tensor):
    """``(array, dtype name)`` of a tensor, on the host; bfloat16 as float32."""
    tensor = tensor.detach().cpu()
    dtype = str(tensor.dtype).removeprefix("torch.")
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.float()
    return tensor.numpy(), dtype


def _from_numpy(array, dtype):
    """The tensor :func:`_to_numpy` stored: a copy, so writable whatever the
    array (``joblib.load(..., mmap_mode="r")`` maps arrays read-only)."""
    return torch.tensor(array).to(getattr(torch, dtype))
