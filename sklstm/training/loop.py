"""A skorch ``NeuralNet`` whose epochs wait for the device once, not per batch.

skorch's loop does per batch: notify ``on_batch_begin``/``on_batch_end`` on
every callback, ``loss.item()`` (a host-device synchronisation on a GPU),
``history.record_batch`` twice, ``module.train()`` (a walk over all
submodules) and an optimizer closure with ``on_grad_computed``. For small
LSTMs this bookkeeping is a visible share of the epoch, and on a GPU the
per-batch ``.item()`` stops the host from queueing the next batch while the
device still works.

:class:`FastNeuralNet` keeps skorch's API, callbacks and history: the batch
losses stay on the device during the epoch and are copied to the host in one
transfer at its end, then written into ``history[-1]["batches"]`` exactly as
skorch writes them, before any ``on_epoch_end`` callback runs. Callbacks that
need every batch (anything overriding ``on_batch_begin`` or ``on_batch_end``,
e.g. ``ProgressBar``, ``EpochScoring``, ``LRScheduler(step_every="batch")``)
make the net fall back to skorch's own per-batch loop for that epoch.
"""

from collections.abc import Mapping

import torch
from skorch import NeuralNet
from skorch.callbacks import Callback
from skorch.dataset import get_len, unpack_data
from skorch.utils import TeeGenerator

from .precision import PRECISIONS, autocast

__all__ = ["PRECISIONS", "FastNeuralNet", "PrecisionNeuralNet", "autocast"]

_BATCH_HOOKS = ("on_batch_begin", "on_batch_end")


def _overrides(obj, name, base):
    return getattr(type(obj), name, None) is not getattr(base, name, None)


class PrecisionNeuralNet(NeuralNet):
    """:class:`skorch.NeuralNet` whose forward passes run under ``precision``.

    skorch's own training loop, extended through its public ``infer`` only.

    Parameters
    ----------
    module, criterion
        As in :class:`skorch.NeuralNet`.
    precision : {"float32", "bf16"}, default="float32"
        Run the forward pass under :func:`autocast`; with ``"bf16"`` the
        outputs are cast back to float32, so the loss is computed in float32
        (as autocast does for losses).
    **kwargs
        Any other :class:`skorch.NeuralNet` parameter.
    """

    # skorch pickles the attributes under these prefixes in a stream that it
    # loads with a map_location, so that a CUDA-trained net unpickles where
    # CUDA is missing; its own list covers module_, criterion_ and optimizer_
    # only. ``module`` and ``criterion`` are the very objects those were built
    # from: pickled with the rest, their CUDA tensors would not load on a
    # CPU-only machine, and ``module`` would come back as a second copy of
    # ``module_``. (Early stopping pickles its best weights as NumPy arrays.)
    cuda_dependent_attributes_ = ["module", "criterion"]

    def __init__(self, module, criterion, precision="float32", **kwargs):
        super().__init__(module, criterion, **kwargs)
        self.precision = precision

    def __setstate__(self, state):
        super().__setstate__(state)
        # A net pickled before these prefixes existed carries skorch's own
        # list as an instance attribute: extend it, so that saving it again
        # gives a pickle that loads without CUDA.
        missing = [
            p
            for p in type(self).cuda_dependent_attributes_
            if p not in self.cuda_dependent_attributes_
        ]
        if missing:
            self.cuda_dependent_attributes_ = self.cuda_dependent_attributes_ + missing

    def infer(self, x, **fit_params):
        """skorch's ``infer`` under :func:`autocast`; float32 outputs.

        A batch's ``lengths`` go to the module as they are, not through
        skorch's ``to_tensor``: that would copy them to the device, and the
        network, which reads them on the host to find the padded rows, would
        then wait for the device on every padded batch.
        """
        if isinstance(x, Mapping) and "lengths" in x:
            if "lengths" in fit_params:
                raise ValueError(
                    "lengths came both with the batch and as a fit parameter; "
                    "pass them once."
                )
            fit_params = {**fit_params, "lengths": x["lengths"]}
            rest = {key: value for key, value in x.items() if key != "lengths"}
            # A lone window tensor takes skorch's plain (cheaper) path.
            x = rest["x"] if rest.keys() == {"x"} else rest
        if PRECISIONS.get(self.precision, 0) is None:
            return super().infer(x, **fit_params)
        with autocast(self.device, self.precision):
            y_pred = super().infer(x, **fit_params)
        return y_pred.float()


class FastNeuralNet(PrecisionNeuralNet):
    """:class:`PrecisionNeuralNet` with one host synchronisation per epoch.

    Same parameters as :class:`skorch.NeuralNet`, plus ``precision``. The
    trained weights and the recorded losses are those of skorch's loop; only
    when the losses reach the host changes. It overrides skorch's public
    ``run_single_epoch`` and uses only public skorch API (``optimizer_``,
    ``notify``, ``history``); ``tests/training/test_loop.py`` checks it
    against skorch's loop, bit for bit, for the skorch range that
    ``pyproject.toml`` allows.

    Parameters
    ----------
    module, criterion
        As in :class:`skorch.NeuralNet`.
    precision : {"float32", "bf16"}, default="float32"
        As in :class:`PrecisionNeuralNet`.
    **kwargs
        Any other :class:`skorch.NeuralNet` parameter.

    Examples
    --------
    >>> import torch
    >>> from sklstm.training.loop import FastNeuralNet
    >>> net = FastNeuralNet(
    ...     torch.nn.Linear(3, 1), torch.nn.MSELoss, max_epochs=2, batch_size=8,
    ...     train_split=None, verbose=0,
    ... )
    >>> X, y = torch.randn(20, 3), torch.randn(20, 1)
    >>> [round(b["train_batch_size"]) for b in net.fit(X, y).history[-1]["batches"]]
    [8, 8, 4]
    """

    # -- which loop ----------------------------------------------------------
    def _batch_hooks_needed(self):
        """True when a callback (or the net) must see every batch."""
        if any(_overrides(self, name, NeuralNet) for name in _BATCH_HOOKS):
            return True
        return any(
            _overrides(cb, name, Callback)
            for _, cb in self.callbacks_
            for name in _BATCH_HOOKS
        )

    def _grad_hooks_needed(self):
        return _overrides(self, "on_grad_computed", NeuralNet) or any(
            _overrides(cb, "on_grad_computed", Callback) for _, cb in self.callbacks_
        )

    def _own_loop_fits(self, training):
        """Whether this epoch can run here rather than in skorch's loop.

        skorch's loop is kept for callbacks that need every batch, for
        optimizers that re-evaluate the loss (LBFGS, through skorch's
        closure) and for any optimizer set-up other than one ``optimizer_``.
        """
        if self._batch_hooks_needed():
            return False
        if not training:
            return True
        optimizer = getattr(self, "optimizer_", None)
        return isinstance(optimizer, torch.optim.Optimizer) and not isinstance(
            optimizer, torch.optim.LBFGS
        )

    def _set_mode(self, training):
        self.module_.train(training)
        self.criterion_.train(training)

    # -- steps ---------------------------------------------------------------
    def _fast_train_step(self, batch, grad_hooks, **fit_params):
        Xi, yi = unpack_data(batch)
        self.optimizer_.zero_grad()
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        if grad_hooks:
            self.notify(
                "on_grad_computed",
                named_parameters=TeeGenerator(self.get_all_learnable_params()),
                batch=batch,
                training=True,
            )
        self.optimizer_.step()
        return loss

    # -- the epoch -------------------------------------------------------------
    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        """Run one epoch; sync the losses once at its end (see the class notes)."""
        if iterator is None:
            return
        if not self._own_loop_fits(training):
            super().run_single_epoch(iterator, training, prefix, step_fn, **fit_params)
            return
        self._set_mode(training)
        grad_hooks = training and self._grad_hooks_needed()
        losses, sizes = [], []
        for batch in iterator:
            if training:
                loss = self._fast_train_step(batch, grad_hooks, **fit_params)
            else:
                loss = step_fn(batch, **fit_params)["loss"]
            losses.append(loss.detach())
            Xi, yi = unpack_data(batch)
            sizes.append(len(yi) if isinstance(yi, torch.Tensor) else get_len(Xi))
        # The one host-device synchronisation of the epoch.
        values = torch.stack(losses).float().cpu().tolist() if losses else []
        for value, size in zip(values, sizes):
            self.history.new_batch()
            self.history.record_batch(prefix + "_loss", value)
            self.history.record_batch(prefix + "_batch_size", size)
        self.history.record(prefix + "_batch_count", len(values))
