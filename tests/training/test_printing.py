"""verbose=1 prints skorch's epoch table; ANSI colours only on a terminal."""

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from sklstm import LSTMRegressor
from sklstm.training.printing import EpochTable

ESC = "\x1b["
rng = np.random.default_rng(0)
X, y = rng.normal(size=(24, 5, 1)), rng.normal(size=24)


def _fit_and_capture(capsys, **params):
    LSTMRegressor(
        n_neurons=3, max_epochs=2, verbose=1, device="cpu", random_state=0, **params
    ).fit(X, y)
    return capsys.readouterr().out


def test_no_colour_codes_when_stdout_is_not_a_terminal(capsys):
    out = _fit_and_capture(capsys, early_stopping=True, validation_fraction=0.25)
    lines = out.splitlines()
    assert "train_loss" in lines[0] and "valid_loss" in lines[0]
    assert [line.split()[0] for line in lines[2:]] == ["1", "2"]
    assert ESC not in out


@pytest.mark.parametrize("no_color, coloured", [(None, True), ("1", False)])
def test_colours_on_a_terminal_unless_no_color(capsys, monkeypatch, no_color, coloured):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    out = _fit_and_capture(capsys)
    assert (ESC in out) is coloured  # the first epoch is the best one so far
    assert "train_loss" in out


def test_a_silent_fit_formats_no_table(capsys, monkeypatch):
    formatted = []
    table = EpochTable.table
    monkeypatch.setattr(
        EpochTable, "table", lambda self, row: formatted.append(row) or table(self, row)
    )
    LSTMRegressor(n_neurons=3, max_epochs=2, device="cpu", random_state=0).fit(X, y)
    assert formatted == [] and capsys.readouterr().out == ""
    assert "train_loss" in _fit_and_capture(capsys) and len(formatted) == 2


def test_a_sink_other_than_print_gets_every_row_even_when_silent():
    lines = []
    log = EpochTable(sink=lines.append).initialize()
    net = SimpleNamespace(verbose=0, history=[{"epoch": 1, "train_loss": 0.5}])
    log.on_epoch_end(net)
    assert len(lines) == 3 and "train_loss" in lines[0]  # header, rule, row
