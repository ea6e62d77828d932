"""Initial weights: Keras' defaults (the default) and PyTorch's."""

import math

import pytest
import torch
from torch import nn

from sklstm.networks import ActivationLSTM, SequenceNetwork
from sklstm.networks.init import initialise_, keras_init_, pytorch_init_

# Every kind of LSTM layer sklstm builds: fused, bidirectional, stacked with
# relu cells (step by step), behind both CNN fronts.
NETWORKS = {
    "vanilla": dict(hidden_sizes=(40,), activations=("tanh",)),
    "bidirectional": dict(
        hidden_sizes=(40,), activations=("tanh",), bidirectional=True
    ),
    "stacked-relu": dict(
        hidden_sizes=(20, 40, 20), activations=("tanh", "relu", "relu")
    ),
    "bidirectional-relu": dict(
        hidden_sizes=(20, 20), activations=("relu", "tanh"), bidirectional=True
    ),
    "cnn-lstm": dict(hidden_sizes=(40,), activations=("tanh",), front="conv"),
    "cnn-lstm-td": dict(
        hidden_sizes=(40,), activations=("tanh",), front="conv-td", n_subsequences=2
    ),
}


def _network(settings, **kwargs):
    return SequenceNetwork(3, 20, 8, conv_filters=16, **settings, **kwargs)


def _lstm_tensors(network):
    """Yield ``(name, tensor, hidden)`` of every LSTM parameter."""
    for layer in network.modules():
        if isinstance(layer, (nn.LSTM, ActivationLSTM)):
            for name, parameter in layer.named_parameters():
                yield name, parameter.detach(), layer.hidden_size


def _glorot_bound(weight):
    fan_out, fan_in = weight.shape[0], weight[0].numel()
    receptive = weight[0, 0].numel()  # kernel width of a convolution, else 1
    return math.sqrt(6 / (fan_in + fan_out * receptive))


@pytest.mark.parametrize("settings", NETWORKS.values(), ids=NETWORKS)
def test_recurrent_kernels_are_orthogonal_as_keras_draws_them(settings):
    net = _network(settings)
    n_checked = 0
    for name, weight, hidden in _lstm_tensors(net):
        if name.startswith("weight_hh"):
            # Keras' recurrent kernel (units, 4 units) has orthonormal rows;
            # PyTorch's weight_hh is its transpose: orthonormal columns.
            assert weight.shape == (4 * hidden, hidden)
            gram = weight.T @ weight
            torch.testing.assert_close(gram, torch.eye(hidden), atol=1e-5, rtol=0)
            n_checked += 1
    assert n_checked == sum(
        2 if settings.get("bidirectional") else 1 for _ in settings["hidden_sizes"]
    )


@pytest.mark.parametrize("settings", NETWORKS.values(), ids=NETWORKS)
def test_biases_are_zero_but_the_forget_gate_is_one(settings):
    net = _network(settings)
    for name, bias, hidden in _lstm_tensors(net):
        if name.startswith("bias_ih"):
            gates = bias.view(4, hidden)  # input, forget, cell, output
            assert torch.equal(gates[1], torch.ones(hidden))
            assert torch.equal(gates[[0, 2, 3]], torch.zeros(3, hidden))
        elif name.startswith("bias_hh"):
            # Keras has one bias; the second PyTorch one starts at zero.
            assert torch.equal(bias, torch.zeros_like(bias))
    assert torch.equal(net.head.bias.detach(), torch.zeros(8))


@pytest.mark.parametrize("settings", NETWORKS.values(), ids=NETWORKS)
def test_input_dense_and_conv_kernels_are_glorot_uniform(settings):
    net = _network(settings)
    kernels = [w for name, w, _ in _lstm_tensors(net) if name.startswith("weight_ih")]
    kernels.append(net.head.weight.detach())
    for conv in (m for m in net.modules() if isinstance(m, nn.Conv1d)):
        kernels.append(conv.weight.detach())
        assert torch.equal(conv.bias.detach(), torch.zeros_like(conv.bias))
    for weight in kernels:
        bound = _glorot_bound(weight)
        assert weight.abs().max() <= bound
        # U(-a, a): variance a^2 / 3; the largest value reaches close to a.
        n = weight.numel()
        assert weight.abs().max() >= bound * (1 - 10 / n)
        variance = weight.pow(2).mean().item()
        assert variance == pytest.approx(bound**2 / 3, rel=8 / math.sqrt(n))


def test_glorot_variance_is_estimated_tightly_on_a_big_kernel():
    # Guards the tolerance above: on 64k weights the variance is within 2 %.
    lstm = keras_init_(nn.LSTM(100, 160), torch.Generator().manual_seed(0))
    weight = lstm.weight_ih_l0.detach()
    bound = math.sqrt(6 / (100 + 640))
    assert weight.pow(2).mean().item() == pytest.approx(bound**2 / 3, rel=0.02)
    assert weight.mean().item() == pytest.approx(0, abs=0.01 * bound)


def test_relu_cell_and_fused_layer_get_the_same_weights_from_one_stream():
    fused = keras_init_(nn.LSTM(3, 5), torch.Generator().manual_seed(1))
    cell = keras_init_(ActivationLSTM(3, 5, "relu"), torch.Generator().manual_seed(1))
    for (name, a), (_, b) in zip(fused.named_parameters(), cell.named_parameters()):
        assert torch.equal(a, b), name


def test_pytorch_scheme_is_one_parameter_away():
    net = _network(NETWORKS["vanilla"], init="pytorch")
    hidden = 40
    bound = 1 / math.sqrt(hidden)
    for name, tensor, _ in _lstm_tensors(net):
        assert tensor.abs().max() <= bound
        # Every tensor, both biases included, is U(-1/sqrt(h), 1/sqrt(h)).
        assert tensor.abs().max() >= 0.8 * bound, name
    lstm = net.lstm.layers[0]
    forget = lstm.bias_ih_l0.detach().view(4, hidden)[1]
    assert forget.mean().abs() < 0.05  # no forget bias of one
    head_bound = 1 / math.sqrt(net.head.in_features)
    assert net.head.bias.abs().max() <= head_bound
    assert net.head.bias.abs().max() > 0


@pytest.mark.parametrize("scheme", ["keras", "pytorch"])
def test_a_generator_owns_the_random_stream(scheme):
    def draw(seed):
        net = _network(NETWORKS["stacked-relu"])
        return initialise_(net, scheme, torch.Generator().manual_seed(seed))

    state = torch.get_rng_state()
    first, again, other = draw(0), draw(0), draw(1)
    # Building the network draws from the global stream; initialising with a
    # generator does not, so the same seed gives the same weights.
    torch.set_rng_state(state)
    for (name, a), (_, b), (_, c) in zip(
        first.named_parameters(), again.named_parameters(), other.named_parameters()
    ):
        assert torch.equal(a, b), name
        if name.startswith("weight"):
            assert not torch.equal(a, c), name


def test_the_global_stream_is_used_without_a_generator():
    torch.manual_seed(3)
    a = pytorch_init_(nn.Linear(4, 2)).weight.detach().clone()
    torch.manual_seed(3)
    b = pytorch_init_(nn.Linear(4, 2)).weight.detach().clone()
    torch.manual_seed(4)
    c = pytorch_init_(nn.Linear(4, 2)).weight.detach().clone()
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_torch_orthogonal_is_the_keras_construction_transposed():
    # Keras' Orthogonal on shape (units, 4 units): QR of a (4 units, units)
    # normal matrix, columns signed by diag(R), transposed. PyTorch's weight_hh
    # is Keras' kernel transposed, so from the same normal draws it must equal
    # q itself: torch.nn.init.orthogonal_ performs that very construction.
    hidden = 6
    generator = torch.Generator().manual_seed(0)
    normal = torch.randn(4 * hidden, hidden, generator=generator)
    q, r = torch.linalg.qr(normal)
    q = q * torch.sign(torch.diagonal(r))
    lstm = nn.LSTM(2, hidden)
    generator = torch.Generator().manual_seed(0)
    nn.init.orthogonal_(lstm.weight_hh_l0, generator=generator)
    torch.testing.assert_close(lstm.weight_hh_l0.detach(), q)
