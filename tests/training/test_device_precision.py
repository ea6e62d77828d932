"""precision="bf16": the fused LSTM's dtype, no process-wide switch, and old
GPUs refused (issue 14, item 4; torch.cuda mocked where needed)."""

import threading
from unittest import mock

import numpy as np
import pytest
import torch

from sklstm import LSTMRegressor
from sklstm.training import precision as precision_module
from sklstm.training.precision import FusedLSTMPrecision, autocast, check_precision
from tests.training._fake_cuda import fake_cuda


def _lstm_output_dtype(lstm, context):
    with context:
        return lstm(torch.randn(3, 4, 2))[0].dtype


def test_fused_lstm_runs_in_the_dtype_asked_for_with_float32_gradients():
    lstm = torch.nn.LSTM(2, 5, batch_first=True)
    x = torch.randn(3, 4, 2)
    with (
        torch.autocast("cpu", dtype=torch.bfloat16),
        FusedLSTMPrecision(torch.bfloat16, "cpu"),
    ):
        out, (h, c) = lstm(x)
        # Also packed sequences (padded windows) take this path.
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            x, torch.tensor([4, 2, 1]), batch_first=True, enforce_sorted=False
        )
        packed_out, _ = lstm(packed)
    assert out.dtype == h.dtype == packed_out.data.dtype == torch.bfloat16
    out.float().sum().backward()
    assert all(
        p.grad is not None and p.grad.dtype == torch.float32 for p in lstm.parameters()
    )
    assert all(p.dtype == torch.float32 for p in lstm.parameters())


def test_the_mode_stays_out_of_the_way_without_autocast():
    lstm = torch.nn.LSTM(2, 5, batch_first=True)
    with (
        torch.autocast("cpu", enabled=False),
        FusedLSTMPrecision(torch.bfloat16, "cpu"),
    ):
        assert lstm(torch.randn(3, 4, 2))[0].dtype == torch.float32


@pytest.mark.parametrize(
    "cudnn, lstm_dtype",
    [(91300, torch.bfloat16), (91002, torch.float32), (None, torch.float32)],
)
def test_cuda_bf16_takes_the_lstm_out_of_float16_autocast(cudnn, lstm_dtype):
    # PyTorch's AutocastRNN.cpp casts the cuDNN LSTM to float16 whatever the
    # autocast dtype: on CUDA the LSTM runs under the mode, in bfloat16 where
    # cuDNN's RNN takes it (9.13+), else in float32 (still on cuDNN).
    with (
        mock.patch.object(torch.backends.cudnn, "version", return_value=cudnn),
        mock.patch.object(precision_module, "_mixed") as mixed,
    ):
        autocast(torch.device("cuda", 1), "bf16")
        mixed.assert_called_once_with("cuda", torch.bfloat16, lstm_dtype)
        autocast("cuda:0", "float32")
        assert mixed.call_count == 1  # float32: no autocast at all


def test_cpu_without_avx512_bf16_keeps_onednn_and_runs_the_lstm_in_float32():
    lstm = torch.nn.LSTM(2, 5, batch_first=True)
    seen = []
    lstm.register_forward_hook(lambda *a: seen.append(torch.backends.mkldnn.enabled))
    with mock.patch.object(precision_module, "_cpu_has_bf16", return_value=False):
        assert _lstm_output_dtype(lstm, autocast("cpu", "bf16")) == torch.float32
    assert seen == [True]  # oneDNN was never switched off for the process


def test_the_lstm_precision_is_per_thread():
    lstm = torch.nn.LSTM(2, 5, batch_first=True)
    inside, other = threading.Event(), {}

    def elsewhere():
        inside.wait()
        # Another thread's plain bf16 autocast is not affected by our mode.
        other["dtype"] = _lstm_output_dtype(
            lstm, torch.autocast("cpu", dtype=torch.bfloat16)
        )

    thread = threading.Thread(target=elsewhere)
    thread.start()
    with (
        mock.patch.object(precision_module, "_cpu_has_bf16", return_value=False),
        autocast("cpu", "bf16"),
    ):
        mine = lstm(torch.randn(3, 4, 2))[0].dtype
        inside.set()
        thread.join()
    assert mine == torch.float32
    assert other["dtype"] == torch.bfloat16


def test_bf16_training_without_avx512_bf16_leaves_onednn_on():
    X = np.random.default_rng(0).normal(size=(32, 6, 1))
    y = X[:, -1, 0]
    params = dict(n_neurons=4, max_epochs=2, batch_size=8, random_state=0)
    with mock.patch.object(precision_module, "_cpu_has_bf16", return_value=False):
        reg = LSTMRegressor(**params, precision="bf16").fit(X, y)
        pred = reg.predict(X)
    assert torch.backends.mkldnn.enabled
    assert np.isfinite(pred).all()


@pytest.mark.parametrize(
    "capability, ok", [((7, 5), False), ((8, 0), True), ((9, 0), True)]
)
def test_bf16_is_refused_on_gpus_without_native_bfloat16(capability, ok):
    with fake_cuda(n_devices=2, capability=capability):
        check_precision("float32", "cuda:1")
        check_precision("bf16", "cpu")
        if ok:
            check_precision("bf16", "cuda:1")
        else:
            with pytest.raises(ValueError, match="precision='bf16'.*cuda:1.*float32"):
                check_precision("bf16", "cuda:1")


def test_old_gpu_bf16_fails_before_training():
    X = np.zeros((8, 3, 1))
    with (
        fake_cuda(n_devices=1, capability=(6, 1)),
        pytest.raises(ValueError, match="precision='bf16'"),
    ):
        LSTMRegressor(n_neurons=2, device="cuda", precision="bf16").fit(X, X[:, 0, 0])
