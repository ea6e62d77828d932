import numpy as np
import pytest

from sklstm import LSTMClassifier

FAST = dict(n_neurons=8, max_epochs=2, batch_size=32, random_state=0, conv_filters=4)


def motif_sequences(n=300, n_steps=30, seed=0):
    """One-hot sequences of 4 letters; the class is which motif they contain."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 4, size=(n, n_steps))
    y = rng.integers(0, 3, size=n)
    motifs = np.array([[0, 0, 1, 1], [2, 3, 2, 3], [3, 3, 3, 0]])
    starts = rng.integers(0, n_steps - 4, size=n)
    for row in range(n):
        codes[row, starts[row] : starts[row] + 4] = motifs[y[row]]
    X = np.eye(4, dtype=np.float32)[codes]
    labels = np.array(["alpha", "beta", "gamma"])[y]
    return X, labels


@pytest.mark.parametrize(
    "architecture", ["vanilla", "bidirectional", "stacked", "cnn-lstm", "cnn-lstm-td"]
)
def test_every_architecture_classifies(architecture):
    X, y = motif_sequences(60)
    clf = LSTMClassifier(**FAST, architecture=architecture, n_subsequences=3).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert set(clf.predict(X)) <= set(clf.classes_)


def test_beats_chance_by_a_wide_margin():
    X, y = motif_sequences(600)
    clf = LSTMClassifier(
        architecture="cnn-lstm",
        n_neurons=16,
        conv_filters=16,
        max_epochs=30,
        lr=0.01,
        batch_size=32,
        random_state=0,
    ).fit(X[:450], y[:450])
    accuracy = clf.score(X[450:], y[450:])
    assert accuracy > 0.75, accuracy  # chance is about 1/3


def test_labels_of_any_type_and_proba_follows_classes():
    X, y = motif_sequences(60)
    for labels in (
        y,
        # Integer labels (not hash(v): string hashes change from run to run).
        np.array([{"alpha": 10, "beta": 13, "gamma": 16}[v] for v in y]),
        np.array([v == "beta" for v in y]),
    ):
        clf = LSTMClassifier(**FAST).fit(X, labels)
        np.testing.assert_array_equal(clf.classes_, np.unique(labels))
        proba = clf.predict_proba(X)
        np.testing.assert_array_equal(
            clf.predict(X), clf.classes_[proba.argmax(axis=1)]
        )


def test_class_weight_changes_the_loss():
    X, y = motif_sequences(60)
    plain = LSTMClassifier(**FAST).fit(X, y)
    balanced = LSTMClassifier(**FAST, class_weight="balanced").fit(X, y)
    weighted = LSTMClassifier(
        **FAST, class_weight={"alpha": 5.0, "beta": 1.0, "gamma": 1.0}
    )
    weighted.fit(X, y)
    assert weighted.net_.criterion_.weight.tolist() == [5.0, 1.0, 1.0]
    counts = np.unique(y, return_counts=True)[1]
    np.testing.assert_allclose(
        balanced.net_.criterion_.weight.numpy(), len(y) / (3 * counts), rtol=1e-6
    )
    assert plain.net_.criterion_.weight.tolist() == [1.0, 1.0, 1.0]
