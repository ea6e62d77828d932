import numpy as np
import pytest

from sklstm.datasets import load_splice
from sklstm.datasets._splice import IUPAC, _onehot_table

THIRD = np.float32(1 / 3)
# (sequence name, position, code, expected "uniform" row on A, C, G, T)
AMBIGUOUS_BASES = [
    ("HUMALPI1-DONOR-42", 19, "n", [0.25, 0.25, 0.25, 0.25]),
    ("HUMMHB27B-ACCEPTOR-1202", 0, "d", [THIRD, 0, THIRD, THIRD]),
    ("HUMSPRO-ACCEPTOR-2841", 34, "r", [0.5, 0, 0.5, 0]),
    ("HUMSPRO-ACCEPTOR-3195", 35, "s", [0, 0.5, 0.5, 0]),
]


@pytest.fixture(scope="module")
def splice():
    return load_splice()


def _row(bunch, name):
    (index,) = np.flatnonzero(bunch.names == name)
    return index


def test_shapes_dtypes_and_metadata(splice):
    assert splice.data.shape == (3190, 60, 4) and splice.data.dtype == np.float32
    assert splice.target.shape == splice.names.shape == (3190,)
    assert splice.feature_names == ["A", "C", "G", "T"]
    assert list(splice.target_names) == ["EI", "IE", "N"]
    assert splice.names[0] == "ATRINS-DONOR-521"
    for text in ("CC BY 4.0", "Towell", "767", "768", "1655"):
        assert text in splice.DESCR


def test_labels_are_strings_with_the_published_class_counts(splice):
    assert splice.target.dtype.kind == "U"
    assert all(isinstance(label, str) for label in splice.target.tolist())
    labels, counts = np.unique(splice.target, return_counts=True)
    assert dict(zip(labels.tolist(), counts.tolist())) == {
        "EI": 767,
        "IE": 768,
        "N": 1655,
    }


def test_return_X_y_matches_the_bunch(splice):
    X, y = load_splice(return_X_y=True)
    np.testing.assert_array_equal(X, splice.data)
    np.testing.assert_array_equal(y, splice.target)


def test_first_sequence_is_read_in_order(splice):
    # >EI|ATRINS-DONOR-521 starts "ccagctgcat".
    expected = np.eye(4, dtype=np.float32)[[1, 1, 0, 2, 1, 3, 2, 1, 0, 3]]
    np.testing.assert_array_equal(splice.data[0, :10], expected)


def test_uniform_rows_sum_to_one(splice):
    np.testing.assert_allclose(splice.data.sum(axis=2), 1.0, rtol=1e-6)
    # Only the 60 ambiguous bases are not one-hot.
    assert np.sum(splice.data.max(axis=2) < 1) == 60


@pytest.mark.parametrize(("name", "position", "code", "expected"), AMBIGUOUS_BASES)
def test_each_ambiguity_mode_on_a_known_base(splice, name, position, code, expected):
    index = _row(splice, name)
    np.testing.assert_allclose(splice.data[index, position], expected, rtol=1e-6)

    zero = load_splice(ambiguous="zero")
    np.testing.assert_array_equal(zero.data[index, position], 0.0)
    certain = splice.data[index].max(axis=1) == 1  # the a, c, g, t bases
    np.testing.assert_array_equal(
        zero.data[index, certain], splice.data[index, certain]
    )
    np.testing.assert_array_equal(zero.data[index, ~certain], 0.0)

    integers = load_splice(encoding="integer")
    assert integers.data[index, position] == -1

    dropped = load_splice(ambiguous="drop")
    assert name not in dropped.names


def test_uniform_table_covers_every_iupac_code():
    table = _onehot_table("uniform")
    zero = _onehot_table("zero")
    expected = {
        "b": "CGT", "d": "AGT", "h": "ACT", "v": "ACG", "n": "ACGT",
        "s": "CG", "w": "AT", "r": "AG", "y": "CT", "k": "GT", "m": "AC",
    }  # fmt: skip
    assert {code: IUPAC[code] for code in expected} == expected
    for code, bases in expected.items():
        row = [1 / len(bases) if base in bases else 0.0 for base in "ACGT"]
        np.testing.assert_allclose(table[ord(code)], row, rtol=1e-6)
        np.testing.assert_array_equal(zero[ord(code)], 0.0)
    for code, base in zip("acgt", np.eye(4)):
        np.testing.assert_array_equal(table[ord(code)], base)
        np.testing.assert_array_equal(zero[ord(code)], base)


def test_zero_mode_zeroes_exactly_the_ambiguous_bases():
    zero = load_splice(ambiguous="zero").data
    sums = zero.sum(axis=2)
    assert np.sum(sums == 0) == 60 and np.all((sums == 0) | (sums == 1))
    assert np.sum(np.any(sums == 0, axis=1)) == 15


def test_drop_mode_removes_the_15_ambiguous_sequences():
    X, y = load_splice(ambiguous="drop", return_X_y=True)
    assert X.shape == (3175, 60, 4) and y.shape == (3175,)
    np.testing.assert_array_equal(X.max(axis=2), 1.0)
    labels, counts = np.unique(y, return_counts=True)
    assert dict(zip(labels.tolist(), counts.tolist())) == {
        "EI": 762,
        "IE": 765,
        "N": 1648,
    }
    integers = load_splice(encoding="integer", ambiguous="drop").data
    assert integers.shape == (3175, 60) and integers.min() == 0


def test_integer_encoding_agrees_with_onehot(splice):
    integers = load_splice(encoding="integer")
    X = integers.data
    assert X.shape == (3190, 60) and X.dtype == np.int64
    assert set(np.unique(X).tolist()) == {-1, 0, 1, 2, 3}
    assert np.sum(X == -1) == 60
    known = X >= 0
    np.testing.assert_array_equal(np.eye(4)[X[known]], splice.data[known])
    np.testing.assert_array_equal(integers.target, splice.target)
    np.testing.assert_array_equal(
        load_splice(encoding="integer", ambiguous="zero").data, X
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"encoding": "kmer"}, r"encoding must be one of 'onehot', 'integer'"),
        ({"encoding": None}, "encoding"),
        (
            {"ambiguous": "random"},
            r"ambiguous must be one of 'uniform', 'zero', 'drop'",
        ),
        ({"ambiguous": ["zero"]}, "ambiguous"),
    ],
)
def test_bad_arguments_name_the_parameter_and_the_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_splice(**kwargs)
