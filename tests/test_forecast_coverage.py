"""Honest intervals on real data: Beijing PM2.5's test period (slow)."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "forecast_coverage.py"


@pytest.mark.slow
def test_90_percent_interval_covers_85_to_95_percent_at_every_step(capsys):
    spec = importlib.util.spec_from_file_location("forecast_coverage", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    static, rolling = module.main([])  # the demo's split and model, 6 hours ahead
    with capsys.disabled():
        print("\n" + capsys.readouterr().out)
    assert static.shape == rolling.shape == (6,)
    for coverage in (static, rolling):
        assert np.all((coverage >= 0.85) & (coverage <= 0.95)), coverage
