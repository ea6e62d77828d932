"""Large data on the host (issue 14, item 8): free memory counts PyTorch's
cache, batches are gathered straight into reused pinned buffers, and running
out of page-locked or device memory falls back with a warning."""

from unittest import mock

import numpy as np
import pytest
import torch

from sklstm import SlidingWindowTransformer
from sklstm.estimators._inputs import inspect_windows
from sklstm.training import BatchIterator, dataset_from_arrays
from sklstm.training.staging import PinnedStaging, free_device_memory, keep_on_host


class FakeEvent:
    def __init__(self, log):
        self.log = log
        self.synchronized = False

    def synchronize(self):
        self.synchronized = True
        self.log.append("sync")


def _staging(log, pin=lambda t: t):
    def copy(buffer, device):
        log.append("copy")
        return buffer.clone()  # stands in for the device copy

    def event(device):
        log.append("record")
        return FakeEvent(log)

    return PinnedStaging("cuda:0", pin=pin, copy=copy, event=event)


def test_free_memory_counts_what_pytorchs_cache_holds_unused():
    with (
        mock.patch.object(torch.cuda, "memory_reserved", return_value=600),
        mock.patch.object(torch.cuda, "memory_allocated", return_value=100),
    ):
        assert free_device_memory("cuda:0", mem_get_info=lambda d: (1000, 4000)) == 1500
        # 1400 bytes fit in half of 1000 + 500 cached, not in half of 1000.
        assert not keep_on_host(700, "cuda:0", mem_get_info=lambda d: (1000, 4000))
        assert keep_on_host(800, "cuda:0", mem_get_info=lambda d: (1000, 4000))


def test_batches_gathered_into_two_reused_buffers():
    log, pinned = [], []
    staging = _staging(log, pin=lambda t: pinned.append(t.numel()) or t)
    source = torch.arange(40.0).reshape(20, 2)
    for rows in (torch.tensor([3, 1]), torch.tensor([5, 0]), slice(4, 6), slice(0, 1)):
        np.testing.assert_array_equal(staging.gather("x", source, rows), source[rows])
    # Two buffers (pinned once each), reused; a buffer is refilled only once
    # the event recorded after its last copy has completed.
    assert pinned == [4, 4]
    assert log == ["copy", "record", "copy", "record"] + [
        "sync",
        "copy",
        "record",
        "sync",
        "copy",
        "record",
    ]
    big = staging.gather("x", source, torch.arange(10))  # a larger batch: regrow
    np.testing.assert_array_equal(big, source[:10])
    assert pinned == [4, 4, 20]


def test_pinning_failure_falls_back_to_pageable_memory_with_a_warning():
    def no_pinned_memory(tensor):
        raise RuntimeError("CUDA error: out of memory (cudaHostAlloc)")

    staging = PinnedStaging("cpu", pin=no_pinned_memory)
    source = torch.arange(12.0).reshape(6, 2)
    with pytest.warns(RuntimeWarning, match="Page-locked.*ordinary memory"):
        first = staging.gather("x", source, torch.tensor([4, 2]))
    np.testing.assert_array_equal(first, source[[4, 2]])
    assert not staging.pinned


@pytest.mark.parametrize("padded", [False, True])
def test_staged_batches_equal_device_batches(padded):
    series = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    if padded:
        X = SlidingWindowTransformer(dt_past=6).fit_transform(series)
    else:
        X = np.lib.stride_tricks.sliding_window_view(series, 6, axis=0)
        X = X.transpose(0, 2, 1)
    windows = inspect_windows(X)
    kwargs = dict(
        windows=windows.dense,
        series=windows.series,
        n_steps=windows.n_steps,
        lengths=windows.lengths,
        y=np.arange(len(X), dtype=np.float32),
    )
    direct = dataset_from_arrays(**kwargs)
    host = dataset_from_arrays(**kwargs)
    host.device = "cuda:0"
    host.staging = _staging([])
    for shuffle in (False, True):
        batches = [
            list(BatchIterator(d, 7, shuffle, torch.Generator().manual_seed(0)))
            for d in (direct, host)
        ]
        assert len(batches[0]) == len(batches[1]) > 1
        for (xa, ya), (xb, yb) in zip(*batches):
            if isinstance(xa, dict):
                assert torch.equal(xa["lengths"], xb["lengths"])
                xa, xb = xa["x"], xb["x"]
            assert torch.equal(xa, xb) and torch.equal(ya, yb)


def test_device_out_of_memory_keeps_the_data_on_the_host():
    windows = np.zeros((16, 4, 1), np.float32)
    roomy = lambda device: (10**12, 10**12)  # noqa: E731
    real_to = torch.Tensor.to

    def to(self, *args, **kwargs):
        if args and str(args[0]).startswith("cuda"):
            raise torch.cuda.OutOfMemoryError("CUDA out of memory.")
        return real_to(self, *args, **kwargs)

    with (
        mock.patch.object(torch.Tensor, "to", to),
        pytest.warns(RuntimeWarning, match="does not fit on cuda:0.*host memory"),
    ):
        dataset = dataset_from_arrays(
            windows=windows, device="cuda:0", mem_get_info=roomy
        )
    assert dataset.windows.device.type == "cpu"
    assert dataset.device == "cuda:0" and dataset.staging is not None
