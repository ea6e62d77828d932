"""scikit-learn's own estimator checks on every public estimator."""

import pytest
from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklstm import (
    ChangeFromLastRegressor,
    ConformalForecaster,
    LinearAutoRegressor,
    LSTMClassifier,
    LSTMRegressor,
    PersistenceRegressor,
    SeasonalNaiveRegressor,
    SlidingWindowTransformer,
    TargetScaler,
)

# Tiny, fast settings; enough epochs and a high learning rate for the checks
# that require a reasonable fit on scikit-learn's small toy problems.
TINY = dict(n_neurons=8, max_epochs=40, lr=0.05, batch_size=32, random_state=0)

ESTIMATORS = [
    LSTMRegressor(**TINY),
    LSTMClassifier(**TINY),
    SlidingWindowTransformer(dt_past=3),
    TargetScaler(),
    ConformalForecaster(Ridge()),
    PersistenceRegressor(),
    SeasonalNaiveRegressor(),
    SeasonalNaiveRegressor(season=1),
    LinearAutoRegressor(),
    ChangeFromLastRegressor(LinearAutoRegressor()),
    ChangeFromLastRegressor(LSTMRegressor(**TINY)),
]

# Every expected failure, with its reason. The goal for the estimators is none.
EXPECTED_FAILED_CHECKS = {
    "SlidingWindowTransformer": {
        "check_methods_subset_invariance": (
            "each output row is the window of rows before it, so the output for "
            "a subset of rows is not the subset of the output"
        ),
        "check_methods_sample_order_invariance": (
            "windows follow time order: reordering rows changes every window"
        ),
    },
}


def expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


# scikit-learn's toy data with lr=0.05 makes the change-from-last LSTM diverge
# now and then: the warning is right, and not what these checks test.
@pytest.mark.filterwarnings("ignore::sklstm.training.DivergenceWarning")
@parametrize_with_checks(ESTIMATORS, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
