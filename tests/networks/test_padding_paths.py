"""The unpacked padding path equals the packed-sequence reference, values and gradients.

``LSTMStack`` runs padded batches through one fused, unpacked call per layer
(see ``sklstm.networks.recurrent._run_fused``). The reference here is the
``pack_padded_sequence`` implementation it replaced, which skips padding by
construction; both must be the same function of the weights.
"""

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from sklstm.networks import LSTMStack, SequenceNetwork, masking
from sklstm.networks.masking import PaddedBatch, roll_padding, valid_step_mask


def _packed_layer(layer, x, lengths, mask):
    right_padded = roll_padding(x, lengths, to="right")
    packed = pack_padded_sequence(
        right_padded, lengths.clamp(min=1), batch_first=True, enforce_sorted=False
    )
    packed_output, (h_n, _) = layer(packed)
    output, _ = pad_packed_sequence(
        packed_output, batch_first=True, total_length=x.shape[1]
    )
    output = roll_padding(output, lengths, to="left") * mask.unsqueeze(-1)
    last = torch.cat(list(h_n), dim=1) * (lengths > 0).unsqueeze(1)
    return output, last


def packed_stack(stack, x, lengths):
    """The former ``LSTMStack.forward``: every fused layer packed."""
    mask = valid_step_mask(lengths, x.shape[1])
    for index, layer in enumerate(stack.layers):
        if index > 0:
            x = stack.dropout(x)
        if isinstance(layer, nn.LSTM):
            x, last = _packed_layer(layer, x, lengths, mask)
        else:
            x, last = layer(x, mask)
    return last


def packed_network(net, x, lengths):
    if net.front is not None:
        x, lengths = net.front(x, lengths)
    return net.head(net.dropout(packed_stack(net.lstm, x, lengths)))


def _left_padded(batch, steps, channels, lengths, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, steps, channels, generator=generator)
    return x * valid_step_mask(lengths, steps).unsqueeze(-1)


def _outputs_and_grads(module, forward, x):
    module.zero_grad()
    x = x.clone().requires_grad_(True)
    out = forward(x)
    # A loss that weighs every output differently, so no gradient cancels.
    weights = torch.linspace(-1, 2, out.numel()).reshape(out.shape)
    (out * weights).sum().backward()
    grads = {name: p.grad.clone() for name, p in module.named_parameters()}
    return out.detach(), x.grad.clone(), grads


def assert_same_function(module, new, reference, x):
    out, x_grad, grads = _outputs_and_grads(module, new, x)
    ref_out, ref_x_grad, ref_grads = _outputs_and_grads(module, reference, x)
    torch.testing.assert_close(out, ref_out, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(x_grad, ref_x_grad, rtol=1e-5, atol=1e-6)
    assert grads.keys() == ref_grads.keys()
    for name, grad in grads.items():
        torch.testing.assert_close(
            grad, ref_grads[name], rtol=1e-5, atol=1e-6, msg=lambda m, n=name: n + m
        )


# Full rows, padded rows of several lengths, a row that is all padding.
LENGTHS = torch.tensor([12, 12, 7, 12, 1, 3, 0, 12, 11, 7])

STACKS = {
    "vanilla": dict(hidden_sizes=[5], activations=["tanh"]),
    "bidirectional": dict(hidden_sizes=[5], activations=["tanh"], bidirectional=True),
    "stacked-relu": dict(hidden_sizes=[5, 4, 3], activations=["tanh", "relu", "tanh"]),
    "stacked-bidirectional-relu": dict(
        hidden_sizes=[4, 3, 3], activations=["tanh", "tanh", "relu"], bidirectional=True
    ),
}


@pytest.mark.parametrize("table_max_steps", [0, masking.TABLE_MAX_STEPS])
@pytest.mark.parametrize("name", sorted(STACKS))
def test_stack_matches_packed_reference(name, table_max_steps, monkeypatch):
    # 0: windows too long for the cached per-length table (built per batch).
    monkeypatch.setattr(masking, "TABLE_MAX_STEPS", table_max_steps)
    torch.manual_seed(0)
    stack = LSTMStack(2, **STACKS[name])
    x = _left_padded(len(LENGTHS), 12, 2, LENGTHS)
    assert_same_function(
        stack,
        lambda x: stack(x, LENGTHS),
        lambda x: packed_stack(stack, x, LENGTHS),
        x,
    )


@pytest.mark.parametrize(
    "front, extra",
    [("conv", {}), ("conv-td", {"n_subsequences": 3})],
)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_cnn_fronts_match_packed_reference(front, extra, bidirectional):
    torch.manual_seed(0)
    net = SequenceNetwork(
        3,
        12,
        2,
        [4, 3],
        ["tanh", "relu"],
        bidirectional=bidirectional,
        front=front,
        conv_filters=6,
        conv_kernel_size=2,
        pool_size=2,
        **extra,
    )
    x = _left_padded(len(LENGTHS), 12, 3, LENGTHS, seed=1)
    assert_same_function(
        net,
        lambda x: net(x, LENGTHS),
        lambda x: packed_network(net, x, LENGTHS),
        x,
    )


def test_unpadded_batch_with_lengths_is_the_plain_forward():
    """Lengths that pad nothing take the plain path: bitwise the same output."""
    torch.manual_seed(0)
    stack = LSTMStack(2, [5, 4], ["tanh", "tanh"], bidirectional=True)
    x = torch.randn(4, 6, 2)
    assert torch.equal(stack(x, torch.full((4,), 6)), stack(x))


@pytest.mark.parametrize("bidirectional", [False, True])
def test_garbage_in_padding_is_never_read(bidirectional):
    """Values on padded steps change nothing: they are skipped, not zero inputs."""
    torch.manual_seed(0)
    stack = LSTMStack(2, [5, 3], ["tanh", "tanh"], bidirectional=bidirectional)
    clean = _left_padded(len(LENGTHS), 12, 2, LENGTHS)
    noisy = clean + 5 * (~valid_step_mask(LENGTHS, 12)).unsqueeze(-1)
    torch.testing.assert_close(stack(noisy, LENGTHS), stack(clean, LENGTHS))


@pytest.mark.parametrize("bidirectional", [False, True])
def test_host_lengths_are_never_copied_back(monkeypatch, bidirectional):
    """Lengths given on the host need no device-to-host copy (a GPU sync).

    ``pack_padded_sequence`` wanted CPU lengths, so the packed path called
    ``lengths.cpu()`` before every layer; on a GPU each call waits for it.
    """
    torch.manual_seed(0)
    stack = LSTMStack(2, [5, 3], ["tanh", "tanh"], bidirectional=bidirectional)
    x = _left_padded(len(LENGTHS), 12, 2, LENGTHS)

    def no_copy(self, *args, **kwargs):
        raise AssertionError("Tensor.cpu() called in the forward pass")

    monkeypatch.setattr(torch.Tensor, "cpu", no_copy)
    assert stack(x, LENGTHS).shape == (len(LENGTHS), 3 * (1 + bidirectional))


@pytest.mark.parametrize("table_max_steps", [0, masking.TABLE_MAX_STEPS])
def test_gather_indices_follow_their_definition(table_max_steps, monkeypatch):
    monkeypatch.setattr(masking, "TABLE_MAX_STEPS", table_max_steps)
    n = 7
    lengths = torch.tensor([7, 0, 1, 3, 6])
    batch = PaddedBatch(lengths, n, torch.device("cpu"))
    steps = torch.arange(n)[None, :]
    right = (steps + (n - lengths)[:, None]) % n
    assert torch.equal(batch.to_right[..., 0], right)
    assert torch.equal(batch.to_left[..., 0], (steps + lengths[:, None]) % n)
    assert batch.last_step.tolist() == [6, 0, 0, 2, 5]
    assert batch.first_step.tolist() == [0, 6, 6, 4, 1]
