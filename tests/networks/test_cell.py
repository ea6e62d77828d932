import numpy as np
import pytest
import torch
from torch import nn

from sklstm.networks import ActivationLSTM, LSTMStack

ACTS = {
    "tanh": np.tanh,
    "relu": lambda v: np.maximum(v, 0.0),
    "linear": lambda v: v,
    "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
}


def keras_lstm_reference(x, W_ih, W_hh, b, activation, reverse=False):
    """Keras' LSTM equations written out in NumPy, one sample at a time.

    Gate order i, f, c, o; ``activation`` on the candidate and on the cell
    state, sigmoid on the gates.
    """
    act = ACTS[activation]
    sig = ACTS["sigmoid"]
    n_hidden = W_hh.shape[1]
    outputs = []
    for sample in x:
        h = np.zeros(n_hidden)
        c = np.zeros(n_hidden)
        steps = sample[::-1] if reverse else sample
        hs = []
        for x_t in steps:
            z = W_ih @ x_t + W_hh @ h + b
            i, f, g, o = np.split(z, 4)
            c = sig(f) * c + sig(i) * act(g)
            h = sig(o) * act(c)
            hs.append(h)
        outputs.append(hs[::-1] if reverse else hs)
    return np.array(outputs)


def params(layer, suffix=""):
    get = lambda name: getattr(layer, f"{name}_l0{suffix}").detach().double().numpy()  # noqa: E731
    return get("weight_ih"), get("weight_hh"), get("bias_ih") + get("bias_hh")


@pytest.mark.parametrize("activation", ["relu", "linear", "tanh", "sigmoid"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_activation_cell_matches_an_independent_reference(activation, bidirectional):
    layer = ActivationLSTM(3, 5, activation, bidirectional=bidirectional).double()
    x = torch.randn(4, 7, 3, dtype=torch.float64)
    output, last = layer(x)
    expected = keras_lstm_reference(x.numpy(), *params(layer), activation)
    np.testing.assert_allclose(output[..., :5].detach().numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(last[:, :5].detach().numpy(), expected[:, -1])
    if bidirectional:
        backward = keras_lstm_reference(
            x.numpy(), *params(layer, "_reverse"), activation, reverse=True
        )
        np.testing.assert_allclose(
            output[..., 5:].detach().numpy(), backward, rtol=1e-10
        )
        np.testing.assert_allclose(last[:, 5:].detach().numpy(), backward[:, 0])


def test_tanh_cell_equals_torch_lstm_with_the_same_weights():
    fused = nn.LSTM(3, 4, batch_first=True, bidirectional=True)
    cell = ActivationLSTM(3, 4, "tanh", bidirectional=True)
    cell.load_state_dict(fused.state_dict())
    x = torch.randn(2, 6, 3)
    np.testing.assert_allclose(
        cell(x)[0].detach().numpy(), fused(x)[0].detach().numpy(), atol=1e-6
    )


@pytest.mark.parametrize(
    "activations", [("tanh", "tanh"), ("relu", "tanh"), ("tanh", "relu")]
)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_left_padding_is_skipped_not_read(activations, bidirectional):
    """A padded window gives exactly what its unpadded part gives alone."""
    stack = LSTMStack(2, (4, 3), activations, bidirectional=bidirectional).eval()
    x = torch.randn(3, 8, 2)
    lengths = torch.tensor([8, 5, 1])
    padded = x.clone()
    for row, length in enumerate(lengths):
        # Garbage in the padding must not matter once lengths say it is padding.
        padded[row, : 8 - length] = 0.0
    out = stack(padded, lengths)
    for row, length in enumerate(lengths):
        alone = stack(x[row : row + 1, 8 - length :])
        np.testing.assert_allclose(
            out[row].detach().numpy(), alone[0].detach().numpy(), atol=1e-6
        )


def test_zero_length_sequences_give_a_zero_state():
    stack = LSTMStack(2, (4,), ("tanh",)).eval()
    out = stack(torch.zeros(2, 5, 2), torch.tensor([0, 5]))
    assert torch.all(out[0] == 0)
