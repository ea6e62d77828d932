"""A Keras-style layer table for :class:`~sklstm.networks.SequenceNetwork`."""

from torch import nn

from .conv import TimeDistributedConvFront

__all__ = ["NetworkSummary", "layer_table"]


def _count(module):
    return sum(p.numel() for p in module.parameters())


def _lstm_rows(stack, n_steps):
    rows = []
    n_layers = len(stack.layers)
    for index, layer in enumerate(stack.layers):
        fused = isinstance(layer, nn.LSTM)
        bidirectional = layer.bidirectional
        directions = 2 if bidirectional else 1
        hidden = layer.hidden_size
        activation = "tanh" if fused else layer.activation
        kind = "LSTM" if activation == "tanh" else f"LSTM({activation})"
        if bidirectional:
            kind = f"Bidirectional({kind})"
        last = index == n_layers - 1
        shape = (
            (None, directions * hidden)
            if last
            else (None, n_steps, directions * hidden)
        )
        params = _count(layer)
        # Keras has one bias vector per gate; PyTorch has two (b_ih and b_hh).
        keras = params - 4 * hidden * directions
        rows.append((f"lstm_{index}", kind, shape, params, keras))
    return rows


def layer_table(network):
    """Describe each layer: name, type, output shape and parameter counts.

    Parameters
    ----------
    network : SequenceNetwork
        The network to describe.

    Returns
    -------
    rows : list of tuple
        ``(name, kind, output_shape, params, keras_params)`` per layer; the
        batch axis is ``None`` as in Keras. ``keras_params`` is what Keras
        reports for the same layer: PyTorch's LSTM keeps two bias vectors per
        gate (``b_ih`` and ``b_hh``) where Keras keeps one, so each LSTM layer
        and direction has ``4 * units`` more parameters in PyTorch.

    Examples
    --------
    >>> from sklstm.networks import SequenceNetwork, layer_table
    >>> net = SequenceNetwork(
    ...     3, 12, 2, [4, 4], ["tanh", "relu"], front="conv", conv_filters=8
    ... )
    >>> for row in layer_table(net):
    ...     print(row)
    ('conv1d', 'Conv1D', (None, 10, 8), 80, 80)
    ('max_pooling1d', 'MaxPooling1D', (None, 5, 8), 0, 0)
    ('lstm_0', 'LSTM', (None, 5, 4), 224, 208)
    ('lstm_1', 'LSTM(relu)', (None, 4), 160, 144)
    ('dense', 'Dense', (None, 2), 10, 10)
    """
    rows = []
    n_steps = network.n_steps
    front = network.front
    if isinstance(front, TimeDistributedConvFront):
        inner = front.inner
        n_sub, sub_steps = front.n_subsequences, front.subsequence_steps
        conv_steps = sub_steps - inner.kernel_size + 1
        filters = inner.output_size
        conv_params = _count(inner.conv)
        rows += [
            (
                "time_distributed",
                "TimeDistributed(Conv1D)",
                (None, n_sub, conv_steps, filters),
                conv_params,
                conv_params,
            ),
            (
                "time_distributed_1",
                "TimeDistributed(MaxPooling1D)",
                (None, n_sub, front.pooled_steps, filters),
                0,
                0,
            ),
            (
                "time_distributed_2",
                "TimeDistributed(Flatten)",
                (None, n_sub, front.output_size),
                0,
                0,
            ),
        ]
        n_steps = n_sub
    elif front is not None:
        conv_steps = n_steps - front.kernel_size + 1
        conv_params = _count(front.conv)
        n_steps = front.output_steps(n_steps)
        rows += [
            (
                "conv1d",
                "Conv1D",
                (None, conv_steps, front.output_size),
                conv_params,
                conv_params,
            ),
            ("max_pooling1d", "MaxPooling1D", (None, n_steps, front.output_size), 0, 0),
        ]
    rows += _lstm_rows(network.lstm, n_steps)
    head = _count(network.head)
    rows.append(("dense", "Dense", (None, network.head.out_features), head, head))
    return rows


class NetworkSummary:
    """A Keras-style layer table: layer, output shape, parameters, totals.

    ``str()`` (and the notebook display) renders the table.

    Parameters
    ----------
    rows : list of tuple
        Output of :func:`layer_table`.
    title : str, default="Model"
        Heading of the table.

    Attributes
    ----------
    rows : list of tuple
        ``(name, kind, output_shape, params, keras_params)`` per layer.
    total_params : int
        Parameters of the PyTorch network (all trainable).
    keras_params : int
        What Keras reports for the same layers (one LSTM bias per gate).

    Examples
    --------
    >>> from sklstm.networks import NetworkSummary, SequenceNetwork, layer_table
    >>> net = SequenceNetwork(3, 6, 1, hidden_sizes=[4], activations=["tanh"])
    >>> summary = NetworkSummary(layer_table(net))
    >>> summary.total_params, summary.keras_params
    (149, 133)
    >>> print(summary)  # doctest: +NORMALIZE_WHITESPACE
    Model
    ===================================================
    Layer (type)   Output Shape  Param #  Keras Param #
    ===================================================
    lstm_0 (LSTM)  (None, 4)         144            128
    dense (Dense)  (None, 1)           5              5
    ===================================================
    Total params: 149 (0.00 MB as float32), all trainable
    Keras-equivalent params: 133 (PyTorch's LSTM keeps two bias vectors per
    gate, Keras one: 16 more here)
    """

    def __init__(self, rows, title="Model"):
        self.rows = rows
        self.title = title
        self.total_params = sum(row[3] for row in rows)
        self.keras_params = sum(row[4] for row in rows)

    def __str__(self):
        header = ("Layer (type)", "Output Shape", "Param #", "Keras Param #")
        lines = [
            (f"{name} ({kind})", str(shape), f"{params:,}", f"{keras:,}")
            for name, kind, shape, params, keras in self.rows
        ]
        widths = [max(len(row[i]) for row in [header, *lines]) for i in range(4)]

        def fmt(row):
            return "  ".join(
                cell.ljust(w) if i < 2 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(row, widths))
            )

        rule = "=" * (sum(widths) + 6)
        extra = self.total_params - self.keras_params
        out = [
            self.title,
            rule,
            fmt(header),
            rule,
            *(fmt(line) for line in lines),
            rule,
        ]
        out.append(
            f"Total params: {self.total_params:,} "
            f"({self.total_params * 4 / 2**20:.2f} MB as float32), all trainable"
        )
        out.append(
            f"Keras-equivalent params: {self.keras_params:,} (PyTorch's LSTM keeps "
            f"two bias vectors per gate, Keras one: {extra:,} more here)"
        )
        return "\n".join(out)

    def __repr__(self):
        return str(self)
