"""Turn the estimators' architecture parameters into network settings.

The ``architecture`` names are the lectures' and each has one meaning:

- ``"vanilla"``: one LSTM layer;
- ``"bidirectional"``: LSTM layers that read the window both ways (one
  layer, or one per entry of a tuple ``n_neurons``);
- ``"stacked"``: several one-way LSTM layers (a tuple ``n_neurons``, or the
  course's ``(n, 2n, n)`` for an integer ``n``);
- ``"cnn-lstm"`` and ``"cnn-lstm-td"``: a CNN front (over the window, or over
  each of ``n_subsequences`` parts: Keras' ``TimeDistributed``) before the
  LSTM layer(s).
"""

from numbers import Integral

from ..networks import ACTIVATIONS

__all__ = ["ARCHITECTURES", "network_settings", "uses_bidirectional_layers"]

ARCHITECTURES = ("vanilla", "bidirectional", "stacked", "cnn-lstm", "cnn-lstm-td")

_FRONTS = {"cnn-lstm": "conv", "cnn-lstm-td": "conv-td"}


def _layer_sizes(architecture, n_neurons):
    if isinstance(n_neurons, Integral) and not isinstance(n_neurons, bool):
        n = int(n_neurons)
        # The course's stack: LSTM(n) -> LSTM(2n) -> LSTM(n).
        sizes = (n, 2 * n, n) if architecture == "stacked" else (n,)
    else:
        sizes = tuple(n_neurons)
        if not sizes or not all(
            isinstance(s, Integral) and not isinstance(s, bool) for s in sizes
        ):
            raise ValueError(
                f"n_neurons must be a positive integer or a non-empty tuple of "
                f"them (one per LSTM layer), got n_neurons={n_neurons!r}."
            )
    if any(s < 1 for s in sizes):
        raise ValueError(
            f"n_neurons must be at least 1 in every layer, got n_neurons={n_neurons!r}."
        )
    if architecture == "vanilla" and len(sizes) > 1:
        raise ValueError(
            f"architecture='vanilla' has one LSTM layer but n_neurons={n_neurons!r} "
            f"gives {len(sizes)}; use architecture='stacked' (or 'bidirectional' for "
            "a bidirectional stack)."
        )
    return tuple(int(s) for s in sizes)


def _activations(activation, n_layers):
    if isinstance(activation, str):
        activations = (activation,) * n_layers
    else:
        activations = tuple(activation)
        if len(activations) != n_layers:
            raise ValueError(
                f"activation={activation!r} gives {len(activations)} activations "
                f"but there are {n_layers} LSTM layers (n_neurons); give one per "
                "layer, or a single string for all."
            )
    for name in activations:
        if name not in ACTIVATIONS:
            raise ValueError(
                f"activation={activation!r}: {name!r} is not a known activation; "
                f"choose from {sorted(ACTIVATIONS)}."
            )
    return activations


def uses_bidirectional_layers(architecture, bidirectional="deprecated"):
    """Whether the LSTM layers read both ways.

    ``bidirectional`` is the deprecated parameter (``"deprecated"`` when the
    user left it alone).
    """
    return architecture == "bidirectional" or bidirectional is True


def network_settings(estimator, n_steps):
    """Return the :class:`~sklstm.networks.SequenceNetwork` keyword arguments.

    Also checks that the windows are long enough for the CNN front.

    Parameters
    ----------
    estimator : LSTMRegressor or LSTMClassifier
        Supplies the architecture parameters.
    n_steps : int
        Time steps per window.

    Returns
    -------
    settings : dict
    """
    architecture = estimator.architecture
    sizes = _layer_sizes(architecture, estimator.n_neurons)
    front = _FRONTS.get(architecture)
    kernel, pool = estimator.conv_kernel_size, estimator.pool_size
    if front == "conv-td":
        if n_steps % estimator.n_subsequences:
            raise ValueError(
                f"architecture='cnn-lstm-td' cuts each window into n_subsequences="
                f"{estimator.n_subsequences} equal parts, but windows have {n_steps} "
                "time steps; choose dt_past divisible by n_subsequences."
            )
        steps_per_conv = n_steps // estimator.n_subsequences
    else:
        steps_per_conv = n_steps
    if front is not None and (steps_per_conv - kernel + 1) // pool < 1:
        raise ValueError(
            f"architecture={architecture!r} needs at least conv_kernel_size + "
            f"pool_size - 1 = {kernel + pool - 1} time steps per convolution but "
            f"gets {steps_per_conv}; use a longer dt_past or a smaller "
            "conv_kernel_size, pool_size or n_subsequences."
        )
    return {
        "hidden_sizes": sizes,
        "activations": _activations(estimator.activation, len(sizes)),
        "bidirectional": uses_bidirectional_layers(
            architecture, estimator.bidirectional
        ),
        "dropout": estimator.dropout,
        "front": front,
        "conv_filters": estimator.conv_filters,
        "conv_kernel_size": kernel,
        "pool_size": pool,
        "n_subsequences": estimator.n_subsequences if front == "conv-td" else 1,
    }
