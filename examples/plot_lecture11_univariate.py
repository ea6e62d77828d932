"""
================================================
Lecture 11: forecast 8 steps of a series from 20
================================================

The course's first LSTM: a noisy sine on a growing trend, 20 past steps in,
8 future steps out, ``LSTM(400) -> Dense(8)`` trained with Adam on the mean
squared error, batch size 128.

Settings: the course's network, ``n_neurons=400`` and ``max_epochs=200``
(a few minutes on a CPU). With ``SKLSTM_DOCS_FAST=1`` (the documentation
build in CI) the network has 32 units and trains for 40 epochs at a higher
learning rate, so the example runs in seconds; the forecasts are then rougher.
"""

# %%
# Settings
# --------
import os

FAST = os.environ.get("SKLSTM_DOCS_FAST") == "1"
DT_PAST, DT_FUTU = 20, 8
N_NEURONS = 32 if FAST else 400
MAX_EPOCHS = 40 if FAST else 200
LR = 5e-3 if FAST else 1e-3  # Keras' Adam default in the full run

# %%
# The series and its windows
# --------------------------
# :func:`~sklstm.datasets.make_course_series` is the notebook's series,
# ``sin(t) + 0.1 N(0, 1) + exp((t + 20) / 20)`` on 240 steps.
# :func:`~sklstm.sliding_windows` is the course's ``prepare_data``: window
# ``i`` holds steps ``i .. i + 19`` and its target steps ``i + 20 .. i + 27``.

from sklstm import LSTMRegressor, sliding_windows
from sklstm.datasets import make_course_series

t, y = make_course_series(random_state=0)
X, Y = sliding_windows(y, dt_past=DT_PAST, dt_futu=DT_FUTU)
print(f"series {y.shape} -> X {X.shape}, Y {Y.shape}")

# %%
# Split in time order: the first 80 % of the windows train, the rest test.
#
# The trend carries the test period above every value seen in training, and
# an LSTM does not extrapolate levels it never saw. So the network learns
# *changes*: :class:`~sklstm.ChangeFromLastRegressor` takes each window and
# its targets relative to the window's last value (scaled by the spread of
# the training changes) and adds the last value back to the forecast.
# Nothing about the test period is used to fit.
cut = int(0.8 * len(X))
X_train, Y_train, X_test, Y_test = X[:cut], Y[:cut], X[cut:], Y[cut:]

# %%
# The network
# -----------
# ``summary()`` before fitting shows the network ``fit`` will build, with
# both parameter counts: Keras' (the slides' 643,200 + 3,208 for 400 units)
# and PyTorch's, which has one more bias vector per LSTM gate.
reg = LSTMRegressor(
    n_neurons=N_NEURONS,
    batch_size=128,
    max_epochs=MAX_EPOCHS,
    lr=LR,
    random_state=0,
)
print(reg.summary(input_shape=(DT_PAST, 1), n_outputs=DT_FUTU))  # this run's
print()
course = LSTMRegressor(n_neurons=400)  # the slides' network, for comparison
print(course.summary(input_shape=(DT_PAST, 1), n_outputs=DT_FUTU))

# %%
# Train and forecast
# ------------------
from sklstm import ChangeFromLastRegressor

model = ChangeFromLastRegressor(reg).fit(X_train, Y_train)
Y_pred = model.predict(X_test)
print("predictions:", Y_pred.shape, "(TestX.shape[0], dt_futu)")

# %%
# Against the yardsticks
# ----------------------
# Persistence repeats the last observed value for all 8 steps; the ridge
# autoregression is a linear model of the same 20 past values, trained on
# the same changes. Both take the same windows as the LSTM.
from sklearn.metrics import mean_absolute_error

from sklstm import LinearAutoRegressor, PersistenceRegressor

baselines = {
    "persistence": PersistenceRegressor(),
    "ridge AR on changes": ChangeFromLastRegressor(LinearAutoRegressor()),
}
print(f"test MAE  {'LSTM on changes':20s} {mean_absolute_error(Y_test, Y_pred):.3f}")
for name, baseline in baselines.items():
    baseline_pred = baseline.fit(X_train, Y_train).predict(X_test)
    print(f"test MAE  {name:20s} {mean_absolute_error(Y_test, baseline_pred):.3f}")

# %%
# The LSTM on changes beats both yardsticks at the docs-build budget (test
# MAE 0.271 against 0.320 for the ridge and 0.654 for persistence). The
# course's settings (400 units, 200 epochs:
# ``SKLSTM_DOCS_FAST=0 python examples/plot_lecture11_univariate.py``, 27 s
# on a 2-core CPU) give 0.305: still ahead of both, and the larger network
# does not do better on 168 training windows.

# %%
# Forecasts against the truth
# ---------------------------
# Left: the series and the LSTM's forecasts 1 and 8 steps ahead on the test
# period. Right: the loss per epoch.
import matplotlib.pyplot as plt

from sklstm.plotting import plot_forecast, plot_history

fig, (ax_series, ax_loss) = plt.subplots(
    1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [2, 1]}
)
ax_series.plot(t, y, color="0.75", label="series")
first_future = t[DT_PAST + cut : DT_PAST + cut + len(Y_test)]
plot_forecast(Y_test, Y_pred, ax=ax_series, index=first_future, horizon_step=1)
ax_series.plot(
    first_future[DT_FUTU - 1 :],
    Y_pred[: len(Y_test) - DT_FUTU + 1, -1],
    color="C3",
    linewidth=1,
    label=f"forecast, {DT_FUTU} steps ahead",
)
ax_series.set_xlabel("t")
ax_series.set_title("Test period: forecasts vs truth")
ax_series.legend(fontsize="small", loc="upper left")
plot_history(model.regressor_, ax=ax_loss)
ax_loss.set_yscale("log")
fig.tight_layout()
plt.show()
