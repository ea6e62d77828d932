import pytest
import torch

from sklstm.networks import (
    ConvFront,
    SequenceNetwork,
    TimeDistributedConvFront,
    layer_table,
)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"bidirectional": True},
        {"hidden_sizes": (4, 6, 4), "activations": ("tanh", "relu", "relu")},
        {"front": "conv"},
        {"front": "conv-td", "n_subsequences": 2},
    ],
)
def test_output_shape_with_and_without_padding(kwargs):
    settings = {"hidden_sizes": (4,), "activations": ("tanh",), **kwargs}
    net = SequenceNetwork(3, 12, 5, conv_filters=4, **settings)
    x = torch.randn(6, 12, 3)
    assert net(x).shape == (6, 5)
    assert net(x, torch.tensor([12, 11, 9, 6, 3, 1])).shape == (6, 5)


def test_conv_front_lengths_follow_left_padding():
    front = ConvFront(1, 2, kernel_size=3, pool_size=2)
    # 10 steps -> 8 conv outputs -> 4 pooled steps.
    lengths = front.output_lengths(torch.tensor([10, 9, 6, 3, 2]), 10)
    assert lengths.tolist() == [4, 3, 2, 0, 0]


def test_time_distributed_front_counts_whole_subsequences():
    front = TimeDistributedConvFront(1, 12, 2, 3, 2, n_subsequences=3)
    _, lengths = front(torch.randn(3, 12, 1), torch.tensor([12, 9, 3]))
    assert lengths.tolist() == [3, 2, 0]


# The Keras parameter counts on the course's slides (DESIGN.md section 1).
COURSE = [
    (
        "vanilla",
        dict(hidden_sizes=(400,), activations=("tanh",)),
        (20, 1, 8),
        [643_200, 3_208],
    ),
    (
        "bidirectional",
        dict(hidden_sizes=(400,), activations=("tanh",), bidirectional=True),
        (20, 1, 8),
        [1_286_400, 6_408],
    ),
    (
        "stacked",
        dict(hidden_sizes=(400, 800, 400), activations=("tanh", "relu", "relu")),
        (20, 1, 8),
        [643_200, 3_843_200, 1_921_600, 3_208],
    ),
    (
        "cnn-lstm-td",
        dict(hidden_sizes=(400,), activations=("tanh",), front="conv-td"),
        (20, 1, 8),
        [256, 0, 0, 1_563_200, 3_208],
    ),
    (
        "cnn-lstm classifier",
        dict(hidden_sizes=(100,), activations=("tanh",), front="conv"),
        (500, 4, 3),
        [832, 0, 66_000, 303],
    ),
]


@pytest.mark.parametrize(
    "name, settings, shape, keras", COURSE, ids=[c[0] for c in COURSE]
)
def test_course_parameter_counts(name, settings, shape, keras):
    n_steps, n_channels, n_outputs = shape
    net = SequenceNetwork(n_channels, n_steps, n_outputs, **settings)
    rows = layer_table(net)
    assert [row[4] for row in rows] == keras
    total = sum(p.numel() for p in net.parameters())
    assert sum(row[3] for row in rows) == total
    # PyTorch keeps b_ih and b_hh: 4 * units more per LSTM layer and direction.
    directions = 2 if settings.get("bidirectional") else 1
    assert total - sum(keras) == sum(
        4 * h * directions for h in settings["hidden_sizes"]
    )


def test_course_output_shapes():
    net = SequenceNetwork(1, 20, 8, (400,), ("tanh",), front="conv-td")
    shapes = [row[2] for row in layer_table(net)]
    assert shapes == [
        (None, 1, 18, 64),
        (None, 1, 9, 64),
        (None, 1, 576),
        (None, 400),
        (None, 8),
    ]
    stacked = SequenceNetwork(1, 20, 8, (400, 800, 400), ("tanh", "relu", "relu"))
    assert [row[2] for row in layer_table(stacked)] == [
        (None, 20, 400),
        (None, 20, 800),
        (None, 400),
        (None, 8),
    ]
