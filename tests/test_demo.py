import subprocess
import sys

import numpy as np
import pytest

from sklstm.demo import main

pytest.importorskip("matplotlib")


def test_fast_demo_writes_plots_and_report(tmp_path, capsys):
    code = main(["--fast", "--device", "cpu", "--output-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    for name in ("forecast.png", "loss.png"):
        path = tmp_path / name
        assert path.is_file()
        assert path.stat().st_size > 0
        assert str(path) in out
    # The report puts the LSTM next to the three yardsticks, with a verdict.
    assert "persistence" in out
    assert "seasonal naive" in out
    assert "ridge AR" in out
    assert "Test MAE" in out
    assert "Over the 6-hour horizon the LSTM" in out
    # The epoch table of verbose=1 and the model summary are shown.
    assert "train_loss" in out
    assert "Keras Param #" in out


def test_demo_baselines_are_the_naive_forecasts():
    from sklstm.demo import SEASON, _baselines
    from sklstm.windows import future_targets

    rng = np.random.default_rng(0)
    target = rng.normal(size=100).cumsum()
    rows = np.column_stack([target, rng.normal(size=100)])
    X_rows, Y = future_targets(rows, target, dt_futu=3)
    baselines = _baselines(dt_past=4, target_column=0)
    persistence = baselines["persistence"].fit(X_rows, Y).predict(X_rows)
    np.testing.assert_array_equal(persistence, np.repeat(target[:97, None], 3, 1))
    seasonal = baselines[f"seasonal naive ({SEASON} h)"].fit(X_rows, Y)
    t = 50  # forecast of t + h is the value at t + h - SEASON
    np.testing.assert_array_equal(
        seasonal.predict(X_rows)[t], target[t + 1 - SEASON : t + 4 - SEASON]
    )


def test_demo_creates_missing_output_dir(tmp_path, capsys):
    output_dir = tmp_path / "a" / "b"
    code = main(
        ["--fast", "--device", "cpu", "--dt-futu", "3", "--output-dir", output_dir]
    )
    assert code == 0
    assert (output_dir / "forecast.png").stat().st_size > 0
    assert "hours ahead" in capsys.readouterr().out


def test_help_lists_every_option(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--device",
        "--epochs",
        "--dt-past",
        "--dt-futu",
        "--architecture",
        "--neurons",
        "--output-dir",
        "--seed",
        "--fast",
    ):
        assert option in out


def test_bad_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--epochs", "0"])
    assert exit_info.value.code == 2
    assert "--epochs" in capsys.readouterr().err


def test_python_dash_m_entry_point():
    result = subprocess.run(
        [sys.executable, "-m", "sklstm", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "usage: python -m sklstm" in result.stdout


def test_verdict_names_the_hours_the_lstm_loses_despite_a_better_mean():
    from sklstm._demo_report import verdict

    errors = {
        "LSTM": np.array([11.26, 17.2, 22.7]),
        "persistence": np.array([11.27, 18.6, 24.7]),
        "ridge AR": np.array([11.15, 18.4, 24.0]),
        "seasonal": np.array([5.0, 6.0, 30.0]),
    }
    assert verdict(errors) == (
        "Over the 3-hour horizon the LSTM beats persistence, ridge AR; does not "
        "beat seasonal. It loses to ridge AR at hour 1."
    )
    errors["persistence"] = np.array([11.0, 17.0, 30.0])
    assert verdict(errors).endswith(
        "It loses to persistence at hours 1, 2; ridge AR at hour 1."
    )
