import numpy as np
import pytest

from sklstm.datasets import load_splice


@pytest.fixture(scope="module")
def splice():
    return load_splice()


def test_shapes_labels_and_class_counts(splice):
    assert splice.data.shape == (3190, 60, 4) and splice.data.dtype == np.float32
    assert splice.target.dtype.kind == "U"
    labels, counts = np.unique(splice.target, return_counts=True)
    assert dict(zip(labels, counts)) == {"EI": 767, "IE": 768, "N": 1655}
    assert list(splice.target_names) == ["EI", "IE", "N"]
    assert splice.feature_names == ["A", "C", "G", "T"]
    assert "CC BY 4.0" in splice.DESCR


def test_uniform_spreads_ambiguity_codes(splice):
    np.testing.assert_allclose(splice.data.sum(axis=2), 1.0)
    rows = splice.data.reshape(-1, 4)
    # 56 'n' bases become 0.25 each; 'r' (A/G) and 's' (C/G) halves.
    assert np.sum(np.all(rows == 0.25, axis=1)) == 56
    assert np.sum(np.all(rows == [0.5, 0, 0.5, 0], axis=1)) == 1
    assert np.sum(np.all(rows == [0, 0.5, 0.5, 0], axis=1)) == 1
    third = np.float32(1 / 3)
    assert np.sum(np.all(rows == [third, 0, third, third], axis=1)) == 2


def test_zero_and_drop_and_integer_encodings(splice):
    zero = load_splice(ambiguous="zero").data
    assert np.sum(zero.sum(axis=2) == 0) == 60
    X, y = load_splice(ambiguous="drop", return_X_y=True)
    assert len(X) == len(y) == 3175
    integers = load_splice(encoding="integer").data
    assert integers.shape == (3190, 60) and np.sum(integers == -1) == 60
    np.testing.assert_array_equal(
        np.eye(4)[integers[integers >= 0]], splice.data[integers >= 0]
    )


@pytest.mark.parametrize("kwargs", [{"encoding": "kmer"}, {"ambiguous": "random"}])
def test_bad_arguments_name_the_parameter(kwargs):
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        load_splice(**kwargs)
