"""Learning-rate schedules: rates from the history alone."""

import math

import pytest
import torch
from skorch import NeuralNet
from skorch.history import History

from sklstm.training import CosineSchedule, PlateauSchedule, make_lr_schedule


def _net(schedule, max_epochs, lr=0.1, **kwargs):
    return NeuralNet(
        torch.nn.Linear(1, 1),
        torch.nn.MSELoss,
        lr=lr,
        max_epochs=max_epochs,
        train_split=None,
        callbacks=[("lr_schedule", schedule)],
        verbose=0,
        **kwargs,
    )


X, y = torch.linspace(-1, 1, 16).unsqueeze(1), torch.zeros(16, 1)


def test_cosine_follows_the_formula_and_reaches_the_optimizer():
    seen = []

    class Spy(torch.optim.SGD):
        def step(self, closure=None):
            seen.append(self.param_groups[0]["lr"])
            return super().step(closure)

    net = _net(CosineSchedule(), 5, optimizer=Spy, batch_size=16).fit(X, y)
    expected = [0.1 * (1 + math.cos(math.pi * k / 5)) / 2 for k in range(5)]
    assert net.history[:, "lr"] == pytest.approx(expected)
    assert seen == pytest.approx(expected)  # one batch per epoch
    assert net.history[:, "lr_cycle_epoch"] == [1, 2, 3, 4, 5]


def test_cosine_finishes_an_interrupted_cycle_then_restarts():
    net = _net(CosineSchedule(), 6)
    net.fit(X, y)
    full = net.history[:, "lr"]
    # Resume after 2 epochs with a different max_epochs: the cycle of 6 goes on.
    resumed = _net(CosineSchedule(), 6).fit(X, y, epochs=2)
    resumed.set_params(max_epochs=3)
    resumed.partial_fit(X, y, epochs=4)
    assert resumed.history[:, "lr"] == full
    # A cycle that has ended starts again (warm restart), now of 3 epochs.
    resumed.partial_fit(X, y, epochs=3)
    assert resumed.history[-3:, "lr"] == pytest.approx([0.1, 0.075, 0.025])


def _rows(losses, key="train_loss"):
    return [{key: loss} for loss in losses]


class _Lr:
    lr = 1.0


def test_plateau_replays_reduce_on_plateau():
    losses = [5.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0]
    schedule = PlateauSchedule(patience=2, factor=0.5)
    rates = [schedule.rate(_Lr(), _rows(losses[:k])) for k in range(len(losses) + 1)]
    # torch's ReduceLROnPlateau fed the same losses gives the same rates.
    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=1.0)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, patience=2, factor=0.5, threshold=1e-4
    )
    expected = [1.0]
    for loss in losses:
        scheduler.step(loss)
        expected.append(optimizer.param_groups[0]["lr"])
    assert rates == expected
    assert rates[-1] < 1.0


def test_plateau_prefers_the_validation_loss():
    schedule = PlateauSchedule(patience=0)
    rows = [
        {"train_loss": 3.0, "valid_loss": 1.0},
        {"train_loss": 2.0, "valid_loss": 1.0},  # train improves, valid does not
    ]
    assert schedule.rate(_Lr(), rows) == 0.5
    assert schedule.rate(_Lr(), [{"train_loss": 3.0}, {"train_loss": 2.0}]) == 1.0


def test_plateau_skips_an_epoch_interrupted_before_its_loss():
    history = History()
    for loss in (2.0, 2.0):
        history.new_epoch()
        history.record("train_loss", loss)
    history.new_epoch()  # interrupted: no loss
    assert PlateauSchedule(patience=0).rate(_Lr(), list(history)) == 0.5


def test_make_lr_schedule():
    plateau = make_lr_schedule("plateau", n_iter_no_change=10, tol=1e-3)
    assert (plateau.patience, plateau.threshold) == (5, 1e-3)
    assert make_lr_schedule("plateau", n_iter_no_change=1).patience == 1
    assert isinstance(make_lr_schedule("cosine"), CosineSchedule)
    with pytest.raises(ValueError, match="lr_schedule='step'"):
        make_lr_schedule("step")
