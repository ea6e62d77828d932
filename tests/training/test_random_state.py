"""The fit's own dropout stream: new, continued, or restarted when it cannot go on."""

import pytest
import torch

from sklstm.training import dropout_stream, stream_state


def test_a_stream_continues_from_its_saved_state():
    stream = dropout_stream("cpu", seed=3)
    torch.rand(4, generator=stream)
    saved = stream_state(stream)
    expected = torch.rand(4, generator=stream)
    assert torch.equal(
        torch.rand(4, generator=dropout_stream("cpu", state=saved)), expected
    )


def test_a_state_from_another_device_type_restarts_the_stream_with_a_warning():
    # A CUDA (Philox) generator's state is 16 bytes; a CPU generator refuses it.
    cuda_like = {"dropout": torch.zeros(16, dtype=torch.uint8)}
    with pytest.warns(UserWarning, match="another device type"):
        stream = dropout_stream("cpu", state=cuda_like)
    assert torch.equal(
        torch.rand(4, generator=stream),
        torch.rand(4, generator=torch.Generator().manual_seed(0)),
    )
