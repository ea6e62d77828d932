import numpy as np
import pytest
import torch
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping

from sklstm import LSTMClassifier, LSTMRegressor
from sklstm.networks import SequenceNetwork
from sklstm.training import (
    BatchIterator,
    FastNeuralNet,
    TailSplit,
    autocast,
    dataset_from_arrays,
)
from sklstm.training.loop import PrecisionNeuralNet
from sklstm.training.staging import keep_on_host

N_WINDOWS, BATCH = 40, 8  # five training batches per epoch


def _dataset():
    rng = np.random.default_rng(0)
    windows = rng.normal(size=(N_WINDOWS, 6, 2)).astype(np.float32)
    y = windows[:, -1, :1] + 0.1 * windows.sum(axis=(1, 2))[:, None]
    return dataset_from_arrays(windows=windows, y=y.astype(np.float32))


def _net(cls, callbacks=(), max_epochs=3, **kwargs):
    kwargs.setdefault("train_split", None)
    kwargs.setdefault("optimizer", torch.optim.Adam)
    torch.manual_seed(0)
    module = SequenceNetwork(2, 6, 1, hidden_sizes=(4,), activations=("tanh",))
    return cls(
        module=module,
        criterion=torch.nn.MSELoss,
        lr=0.01,
        max_epochs=max_epochs,
        batch_size=BATCH,
        iterator_train=BatchIterator,
        iterator_train__shuffle=True,
        iterator_train__generator=torch.Generator().manual_seed(0),
        iterator_valid=BatchIterator,
        callbacks=list(callbacks),
        verbose=0,
        **kwargs,
    ).initialize()


def _batch_losses(net, key="train_loss"):
    return [[b[key] for b in row["batches"] if key in b] for row in net.history]


@pytest.mark.parametrize("cls", [FastNeuralNet, PrecisionNeuralNet])
def test_fast_loop_trains_exactly_like_skorch(cls):
    slow = _net(NeuralNet).fit(_dataset(), None)
    fast = _net(cls).fit(_dataset(), None)
    for (name, a), (_, b) in zip(
        slow.module_.named_parameters(), fast.module_.named_parameters()
    ):
        assert torch.equal(a, b), name
    assert _batch_losses(fast) == _batch_losses(slow)
    assert [len(row) for row in _batch_losses(fast)] == [5, 5, 5]
    assert fast.history[:, "train_loss"] == slow.history[:, "train_loss"]
    assert fast.history[:, "train_batch_count"] == [5, 5, 5]
    sizes = [b["train_batch_size"] for b in fast.history[-1]["batches"]]
    assert sizes == [BATCH] * 5


def test_validation_losses_are_recorded_like_skorch():
    kwargs = {"train_split": TailSplit(0.25)}
    slow = _net(NeuralNet, **kwargs).fit(_dataset(), None)
    fast = _net(FastNeuralNet, **kwargs).fit(_dataset(), None)
    assert _batch_losses(fast, "valid_loss") == _batch_losses(slow, "valid_loss")
    assert fast.history[:, "valid_loss"] == slow.history[:, "valid_loss"]


class EpochSpy(Callback):
    def initialize(self):
        self.seen = []
        return self

    def on_epoch_end(self, net, **kwargs):
        self.seen.append([b["train_loss"] for b in net.history[-1]["batches"]])


def test_epoch_callbacks_see_the_batch_losses():
    spy = EpochSpy()
    net = _net(FastNeuralNet, callbacks=[spy]).fit(_dataset(), None)
    assert spy.seen == _batch_losses(net)
    assert all(isinstance(v, float) for row in spy.seen for v in row)


def test_early_stopping_still_stops():
    # No relative improvement of 1e6 is possible: stop after patience epochs.
    stopper = EarlyStopping(patience=2, threshold=1e6, threshold_mode="rel")
    net = _net(
        FastNeuralNet,
        callbacks=[stopper],
        max_epochs=20,
        train_split=TailSplit(0.25),
    ).fit(_dataset(), None)
    assert len(net.history) == 3


class BatchCounter(Callback):
    def initialize(self):
        self.batches = 0
        return self

    def on_batch_end(self, net, **kwargs):
        self.batches += 1


def test_batch_callbacks_fall_back_to_skorchs_loop(monkeypatch):
    counter = BatchCounter()
    net = _net(FastNeuralNet, callbacks=[counter], max_epochs=2)
    assert net._batch_hooks_needed()
    fast_steps = []
    monkeypatch.setattr(net, "_fast_train_step", lambda *a, **k: fast_steps.append(1))
    net.fit(_dataset(), None)
    assert counter.batches == 10 and not fast_steps
    assert _batch_losses(net) == _batch_losses(
        _net(NeuralNet, max_epochs=2).fit(_dataset(), None)
    )


class GradCounter(Callback):
    def initialize(self):
        self.calls = 0
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        self.calls += len(list(named_parameters)) > 0


def test_gradient_callbacks_keep_the_fast_loop():
    counter = GradCounter()
    net = _net(FastNeuralNet, callbacks=[counter], max_epochs=2)
    assert not net._batch_hooks_needed() and net._grad_hooks_needed()
    net.fit(_dataset(), None)
    assert counter.calls == 10
    # Clipping acts inside the fast loop exactly as in skorch's.
    clip = [GradientNormClipping(gradient_clip_value=1e-3)]
    slow = _net(NeuralNet, callbacks=clip).fit(_dataset(), None)
    clip = [GradientNormClipping(gradient_clip_value=1e-3)]
    fast = _net(FastNeuralNet, callbacks=clip).fit(_dataset(), None)
    for a, b in zip(slow.module_.parameters(), fast.module_.parameters()):
        assert torch.equal(a, b)


def test_bf16_trains_and_predicts_finite_values_on_cpu():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 5, 1))
    y = X[:, -1, 0]
    reg = LSTMRegressor(
        n_neurons=4, max_epochs=2, precision="bf16", device="cpu", random_state=0
    )
    prediction = reg.fit(X, y).predict(X)
    assert prediction.shape == (30,) and np.isfinite(prediction).all()
    assert reg.net_.precision == "bf16"
    assert all(np.isfinite(reg.history_[:, "train_loss"]))
    clf = LSTMClassifier(n_neurons=4, max_epochs=1, precision="bf16", random_state=0)
    proba = clf.fit(X, y > 0).predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


def test_bf16_autocast_reaches_the_network():
    net = _net(FastNeuralNet, precision="bf16")
    seen = []
    net.module_.head.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    net.partial_fit(_dataset(), None, epochs=1)
    assert set(seen) == {torch.bfloat16}


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="precision='fp8'"):
        autocast("cpu", "fp8")
    with pytest.raises(ValueError, match="precision"):
        LSTMRegressor(precision="fp16").fit(np.zeros((4, 3, 1)), np.zeros(4))


def _free(free_bytes):
    calls = []

    def mem_get_info(device):
        calls.append(device)
        return free_bytes, 2 * free_bytes

    return mem_get_info, calls


def test_data_stays_on_host_only_when_it_does_not_fit_the_device():
    mem_get_info, calls = _free(1000)
    assert not keep_on_host(499, "cuda", mem_get_info=mem_get_info)
    assert keep_on_host(501, "cuda:1", mem_get_info=mem_get_info)
    assert keep_on_host(301, "cuda", fraction=0.3, mem_get_info=mem_get_info)
    assert calls[1] == torch.device("cuda:1")
    # The CPU never asks about device memory.
    assert not keep_on_host(10**15, "cpu", mem_get_info=mem_get_info)
    assert len(calls) == 3


def test_dataset_stays_on_device_for_cpu():
    dataset = _dataset()
    assert dataset.device is None and not dataset.windows.is_pinned()


@pytest.mark.gpu
def test_too_large_data_stays_on_host_and_batches_move_to_cuda(monkeypatch):
    windows = np.zeros((64, 5, 1), np.float32)
    # Only the mocked driver counts: not what PyTorch's cache holds from earlier tests.
    monkeypatch.setattr(torch.cuda, "memory_reserved", torch.cuda.memory_allocated)
    tiny, _ = _free(100)
    dataset = dataset_from_arrays(
        windows=windows, y=np.zeros(64, np.float32), device="cuda", mem_get_info=tiny
    )
    # Pageable data; each batch goes through a pinned staging buffer.
    assert dataset.windows.device.type == "cpu" and dataset.staging is not None
    x, y = dataset.batch(torch.tensor([3, 1, 2]))
    assert x.device.type == "cuda" and y.device.type == "cuda"
    roomy, _ = _free(10**12)
    dataset = dataset_from_arrays(windows=windows, device="cuda", mem_get_info=roomy)
    assert dataset.windows.device.type == "cuda" and dataset.device is None


def test_lbfgs_trains_through_skorchs_closure_like_skorch():
    """LBFGS re-evaluates the loss inside ``step``: skorch's own loop runs it."""
    slow, fast = (
        _net(cls, max_epochs=2, optimizer=torch.optim.LBFGS, optimizer__max_iter=2).fit(
            _dataset(), None
        )
        for cls in (NeuralNet, FastNeuralNet)
    )
    for (name, a), (_, b) in zip(
        slow.module_.named_parameters(), fast.module_.named_parameters()
    ):
        assert torch.equal(a, b), name


class _LengthsSpy(torch.nn.Module):
    """Records the ``lengths`` object each forward pass receives."""

    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(2, 1)
        self.seen = []

    def forward(self, x, lengths=None):
        self.seen.append(lengths)
        return self.linear(x[:, -1])


@pytest.mark.parametrize("cls", [FastNeuralNet, PrecisionNeuralNet])
def test_lengths_reach_the_module_without_a_device_copy(cls, monkeypatch):
    # skorch's to_tensor moves every tensor of a dict batch to the net's
    # device; for the lengths that would mean a device-to-host copy (a sync)
    # per padded batch on a GPU. Record what goes through it instead.
    import skorch.net

    sent = []
    real = skorch.net.to_tensor

    def spy(x, device, **kwargs):
        sent.append(x)
        return real(x, device, **kwargs)

    monkeypatch.setattr(skorch.net, "to_tensor", spy)
    net = cls(_LengthsSpy, torch.nn.MSELoss, max_epochs=1, train_split=None)
    net.initialize()
    lengths = torch.tensor([3, 1])
    batch = {"x": torch.randn(2, 3, 2), "lengths": lengths}
    net.infer(batch)
    assert net.module_.seen[0] is lengths
    # The spy did see the batch's windows, so the next check means something.
    assert any(
        item is batch["x"] or (isinstance(item, dict) and item.get("x") is batch["x"])
        for item in sent
    )
    assert all(
        not (isinstance(item, dict) and "lengths" in item) and item is not lengths
        for item in sent
    )
    assert set(batch) == {"x", "lengths"}  # the caller's dict is untouched


def test_lengths_given_twice_are_refused():
    net = PrecisionNeuralNet(_LengthsSpy, torch.nn.MSELoss, train_split=None)
    net.initialize()
    batch = {"x": torch.randn(2, 3, 2), "lengths": torch.tensor([3, 1])}
    with pytest.raises(ValueError, match="lengths came both"):
        net.infer(batch, lengths=torch.tensor([3, 3]))


def test_a_snapshot_is_a_deep_copy_the_next_epoch_cannot_change():
    from sklstm.training.run import NetSnapshot

    net = _net(FastNeuralNet, max_epochs=1).fit(_dataset(), None)
    before = NetSnapshot(net)
    snapshot = before.optimizer
    moments = net.optimizer_.state_dict()["state"][0]["exp_avg"].clone()
    assert torch.equal(snapshot["state"][0]["exp_avg"], moments)
    assert type(snapshot["param_groups"][0]["betas"]) is tuple
    weights = {k: v.clone() for k, v in net.module_.state_dict().items()}
    net.partial_fit(_dataset(), None)  # changes the weights and Adam's moments in place
    changed = net.optimizer_.state_dict()["state"][0]["exp_avg"]
    assert not torch.equal(snapshot["state"][0]["exp_avg"], changed)
    before.restore(net)
    for key, value in net.module_.state_dict().items():
        assert torch.equal(value, weights[key])
    assert torch.equal(net.optimizer_.state_dict()["state"][0]["exp_avg"], moments)
    assert len(net.history) == 1
