"""
================================
Classifying DNA splice junctions
================================

Lecture 12's classification task on real DNA: the UCI splice-junction data
(shipped with ``sklstm``), 60 one-hot bases per sequence, three classes
(``EI`` donor, ``IE`` acceptor, ``N`` neither). We compare an LSTM, a
bidirectional LSTM and two CNN-LSTMs on a stratified 80/20 split, and show
the confusion matrix of the best.

Settings: 64 units, 30 epochs on the full training set (the CNN-LSTM is
bidirectional with 64 filters of width 7 and dropout 0.3; the TimeDistributed
CNN-LSTM cuts each sequence into 6 subsequences of 10 bases, has 100 units,
dropout 0.3 and batches of 32, and reaches about 0.95-0.96 test accuracy, see
``benchmarks/splice_accuracy.py``). With ``SKLSTM_DOCS_FAST=1`` (the
documentation build in CI): 16 units, 16 filters, 10 epochs, learning rate
5e-3 for the plain LSTMs and 1,500 training sequences, so accuracies are
lower.
"""

# %%
import os

import numpy as np
from sklearn.model_selection import train_test_split

from sklstm import LSTMClassifier
from sklstm.datasets import load_splice

FAST = os.environ.get("SKLSTM_DOCS_FAST") == "1"
N_NEURONS = 16 if FAST else 64
CONV_FILTERS = 16 if FAST else 64
MAX_EPOCHS = 10 if FAST else 30
LR = 5e-3 if FAST else 1e-3  # of the two plain LSTMs
N_TRAIN = 1500 if FAST else None  # None: the whole training split

# %%
# The data are sorted by class: split with stratification, and shuffle the
# training rows (with a fixed seed) so that every batch mixes the classes.
data = load_splice()
print(data.DESCR.splitlines()[0], data.data.shape)
X_train, X_test, y_train, y_test = train_test_split(
    data.data, data.target, test_size=0.2, stratify=data.target, random_state=0
)
order = np.random.default_rng(0).permutation(len(X_train))[:N_TRAIN]
X_train, y_train = X_train[order], y_train[order]
print(f"train {X_train.shape}, test {X_test.shape}")

# %%
# Three networks
# --------------
COMMON = {"n_neurons": N_NEURONS, "max_epochs": MAX_EPOCHS, "random_state": 0}
models = {
    "LSTM": LSTMClassifier(lr=LR, **COMMON),
    "bidirectional LSTM": LSTMClassifier(architecture="bidirectional", lr=LR, **COMMON),
    "CNN-LSTM": LSTMClassifier(
        architecture="cnn-lstm",
        conv_filters=CONV_FILTERS,
        conv_kernel_size=7,
        dropout=0.3,
        lr=2e-3,
        **COMMON,
    ),
    # Conv1D -> MaxPool -> Flatten on each 10-base subsequence keeps where a
    # motif sits inside it; the LSTM then reads the 6 subsequences in order.
    "CNN-LSTM (TimeDistributed)": LSTMClassifier(
        architecture="cnn-lstm-td",
        n_subsequences=6,
        conv_filters=CONV_FILTERS,
        dropout=0.3,
        batch_size=32,
        **{**COMMON, "n_neurons": N_NEURONS if FAST else 100},
    ),
}
scores = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    scores[name] = model.score(X_test, y_test)
    print(f"{name:28s} test accuracy {scores[name]:.3f}")

# %%
# The yardsticks
# --------------
# Always answering the most frequent class, and a logistic regression on the
# flattened one-hot sequence (60 bases x 4 channels), trained on the same
# rows.
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

flat_train = X_train.reshape(len(X_train), -1)
flat_test = X_test.reshape(len(X_test), -1)
yardsticks = {
    "majority class": DummyClassifier(strategy="most_frequent"),
    "logistic regression": LogisticRegression(max_iter=2000),
}
for name, model in yardsticks.items():
    model.fit(flat_train, y_train)
    scores[name] = model.score(flat_test, y_test)
    print(f"{name:28s} test accuracy {scores[name]:.3f}")

# %%
# At the docs-build budget (``SKLSTM_DOCS_FAST=1``) every network beats always
# answering ``N``, but none beats the logistic regression on the flattened
# bases (compare the printed accuracies). That yardstick is strong: with the
# full settings
# (``SKLSTM_DOCS_FAST=0 python examples/plot_splice_classification.py``, 56 s
# on a 2-core CPU) it scores 0.951 on the whole training split, and only the
# TimeDistributed CNN-LSTM beats it (0.956); the CNN-LSTM (0.936), the
# bidirectional LSTM (0.845) and the LSTM (0.818) do not.

# %%
# The best model's mistakes
# -------------------------
import matplotlib.pyplot as plt
from sklearn.metrics import ConfusionMatrixDisplay

networks = {name: scores[name] for name in models}
best = max(networks, key=networks.get)
fig, (ax_bar, ax_cm) = plt.subplots(1, 2, figsize=(11, 4.2))
colors = ["C0" if name in models else "0.6" for name in scores]
ax_bar.barh(list(scores), list(scores.values()), color=colors)
ax_bar.set_xlim(0, 1)
ax_bar.set_xlabel("test accuracy")
ax_bar.invert_yaxis()
ConfusionMatrixDisplay.from_estimator(
    models[best], X_test, y_test, ax=ax_cm, colorbar=False
)
ax_cm.set_title(f"{best}: accuracy {scores[best]:.3f}")
fig.tight_layout()
plt.show()
