"""The UCI splice-junction DNA sequences (Towell, Noordewier & Shavlik)."""

import gzip
from importlib import resources

import numpy as np
from sklearn.utils import Bunch

__all__ = ["load_splice"]

_DATA_FILE = "splice_junctions.fasta.gz"
_LENGTH = 60
BASES = "ACGT"

# IUPAC nucleotide codes (lower case, as in the file): the bases each allows.
IUPAC = {
    "a": "A", "c": "C", "g": "G", "t": "T",
    "r": "AG", "y": "CT", "s": "CG", "w": "AT", "k": "GT", "m": "AC",
    "b": "CGT", "d": "AGT", "h": "ACT", "v": "ACG", "n": "ACGT",
}  # fmt: skip

_ENCODINGS = ("onehot", "integer")
_AMBIGUOUS = ("uniform", "zero", "drop")

DESCR = """\
UCI splice-junction gene sequences (primate DNA)
================================================

3,190 DNA sequences of 60 bases centred on a possible splice junction, in
three classes:

====== =============================================== =====
class  meaning                                         count
====== =============================================== =====
EI     exon/intron boundary (donor site)                 767
IE     intron/exon boundary (acceptor site)              768
N      neither                                          1655
====== =============================================== =====

Bases are a, c, g, t. 15 sequences (5 EI, 3 IE, 7 N) also hold IUPAC
ambiguity codes: n (any base) 56 times, d (A/G/T) twice, r (A/G) and s (C/G)
once each. The rows are sorted by class. 185 rows repeat the sequence of an
earlier row; one sequence appears both as IE and as N.

Source: UCI Machine Learning Repository, "Molecular Biology (Splice-junction
Gene Sequences)", G. Towell, M. Noordewier and J. Shavlik.
Licence: Creative Commons Attribution 4.0 International (CC BY 4.0).
Shipped gzip-compressed inside sklstm, otherwise unchanged.
"""


def _check_option(name, value, allowed):
    """Raise a ValueError naming ``name`` unless ``value`` is in ``allowed``."""
    if isinstance(value, str) and value in allowed:
        return
    options = ", ".join(repr(option) for option in allowed)
    raise ValueError(f"{name} must be one of {options}; got {name}={value!r}.")


def _read_fasta():
    """Names, labels and letters (uint8 codes, shape (n, 60)) of the file."""
    packed = resources.files(__package__).joinpath("data", _DATA_FILE).read_bytes()
    text = gzip.decompress(packed).decode("ascii")
    names, labels, sequences = [], [], []
    for record in text.split(">")[1:]:
        header, _, body = record.partition("\n")
        label, _, name = header.strip().partition("|")
        labels.append(label)
        names.append(name)
        sequences.append("".join(body.split()).lower())
    if any(len(sequence) != _LENGTH for sequence in sequences):
        raise ValueError(f"{_DATA_FILE}: every sequence must have {_LENGTH} bases.")
    letters = np.frombuffer("".join(sequences).encode("ascii"), dtype=np.uint8)
    letters = letters.reshape(len(sequences), _LENGTH)
    known = np.zeros(256, dtype=bool)
    known[[ord(letter) for letter in IUPAC]] = True
    if not known[letters].all():
        raise ValueError(f"{_DATA_FILE}: letters outside the IUPAC code.")
    return np.array(names), np.array(labels), letters


def _onehot_table(ambiguous):
    """Weights on A, C, G, T (shape (256, 4)) for every byte of a letter."""
    table = np.zeros((256, 4), dtype=np.float32)
    for letter, allowed in IUPAC.items():
        if len(allowed) == 1 or ambiguous == "uniform":
            columns = [BASES.index(base) for base in allowed]
            table[ord(letter), columns] = 1.0 / len(allowed)
    return table


def _integer_table():
    """Codes A=0, C=1, G=2, T=3 and -1 for everything else, shape (256,)."""
    table = np.full(256, -1, dtype=np.int64)
    for code, base in enumerate(BASES.lower()):
        table[ord(base)] = code
    return table


def load_splice(*, encoding="onehot", ambiguous="uniform", return_X_y=False):
    """Load the UCI splice-junction DNA sequences (3 classes, 60 bases each).

    Each sample is a primate DNA sequence of 60 bases; the task is to tell
    whether its middle holds an exon/intron boundary (``"EI"``), an
    intron/exon boundary (``"IE"``) or neither (``"N"``). The data set is
    shipped inside the package: nothing is downloaded.

    Parameters
    ----------
    encoding : {"onehot", "integer"}, default="onehot"
        How the bases are encoded.

        - ``"onehot"``: ``X`` is float32 of shape ``(n_sequences, 60, 4)``,
          one channel per base in the order A, C, G, T: a sequence of 60
          time steps with 4 features, ready for an LSTM.
        - ``"integer"``: ``X`` is int64 of shape ``(n_sequences, 60)``, with
          A=0, C=1, G=2, T=3, and -1 for every ambiguity code (whatever
          `ambiguous` says, unless it is ``"drop"``).

    ambiguous : {"uniform", "zero", "drop"}, default="uniform"
        What to do with the IUPAC ambiguity codes, letters that stand for
        several possible bases (the table is in the Notes). With
        ``encoding="onehot"``:

        - ``"uniform"``: spread the weight evenly over the bases the code
          allows, so every row still sums to 1: ``n`` (any base) gives 1/4 on
          each channel, ``d`` (A, G or T) 1/3 on A, G and T, ``r`` (A or G)
          1/2 on A and G, ``s`` (C or G) 1/2 on C and G.
        - ``"zero"``: an all-zero row (the base is unknown).
        - ``"drop"``: remove every sequence that holds a code: 15 sequences
          (5 ``"EI"``, 3 ``"IE"``, 7 ``"N"``), leaving 3,175.

        With ``encoding="integer"``, ``"uniform"`` and ``"zero"`` both give
        -1 and ``"drop"`` removes the same 15 sequences.
    return_X_y : bool, default=False
        If True, return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes:

        data : ndarray of shape (n_sequences, 60, 4) or (n_sequences, 60)
            The encoded sequences, ``X``; float32 one-hot or int64 codes.
        target : ndarray of shape (n_sequences,)
            The labels, ``y``, as strings (``"EI"``, ``"IE"`` or ``"N"``).
        names : ndarray of shape (n_sequences,)
            The sequence identifiers of the original file, such as
            ``"ATRINS-DONOR-521"``. They are not unique: 12 records appear
            twice.
        feature_names : list of str
            The one-hot channels, ``["A", "C", "G", "T"]``.
        target_names : ndarray of shape (3,)
            The sorted classes, ``["EI", "IE", "N"]``.
        DESCR : str
            Description of the data set: classes, counts, provenance and
            licence.

    (X, y) : tuple of two ndarrays
        ``data.data`` and ``data.target``, if `return_X_y` is True.

    Raises
    ------
    ValueError
        If `encoding` or `ambiguous` is not one of the allowed values.

    See Also
    --------
    load_beijing_pm25 : The other real data set, hourly PM2.5 in Beijing.

    Notes
    -----
    The 3,190 sequences hold 767 ``"EI"`` (donor sites), 768 ``"IE"``
    (acceptor sites) and 1,655 ``"N"``. **The rows are sorted by class**:
    shuffle them, or split with ``train_test_split(..., stratify=y)``, before
    training. 185 rows repeat the sequence of an earlier row (one sequence
    appears both as ``"IE"`` and as ``"N"``), so a random split puts some
    identical sequences on both sides.

    Bases are ``a``, ``c``, ``g``, ``t``; 15 sequences also hold IUPAC
    ambiguity codes, ``n`` 56 times (41 of them in one sequence,
    ``HUMALPI1-DONOR-42``), ``d`` twice, ``r`` and ``s`` once each. Every
    IUPAC nucleotide code is understood, with ``"uniform"`` weights:

    ======== ============= ======== ============= ======== =============
    code     bases         code     bases         code     bases
    ======== ============= ======== ============= ======== =============
    ``r``    A, G          ``k``    G, T          ``d``    A, G, T
    ``y``    C, T          ``m``    A, C          ``h``    A, C, T
    ``s``    C, G          ``b``    C, G, T       ``v``    A, C, G
    ``w``    A, T          ``n``    A, C, G, T
    ======== ============= ======== ============= ======== =============

    Source: UCI Machine Learning Repository, "Molecular Biology
    (Splice-junction Gene Sequences)", G. Towell, M. Noordewier and
    J. Shavlik; licensed under CC BY 4.0. The file is shipped as published,
    only gzip-compressed.

    Examples
    --------
    >>> from sklstm.datasets import load_splice
    >>> X, y = load_splice(return_X_y=True)
    >>> X.shape, X.dtype
    ((3190, 60, 4), dtype('float32'))
    >>> y[:2]
    array(['EI', 'EI'], dtype='<U2')
    >>> splice = load_splice(encoding="integer", ambiguous="drop")
    >>> splice.data.shape
    (3175, 60)
    >>> splice.data[0, :6], splice.feature_names
    (array([1, 1, 0, 2, 1, 3]), ['A', 'C', 'G', 'T'])
    """
    _check_option("encoding", encoding, _ENCODINGS)
    _check_option("ambiguous", ambiguous, _AMBIGUOUS)
    names, labels, letters = _read_fasta()
    if ambiguous == "drop":
        keep = (_integer_table()[letters] >= 0).all(axis=1)
        names, labels, letters = names[keep], labels[keep], letters[keep]
    if encoding == "integer":
        X = _integer_table()[letters]
    else:
        X = _onehot_table(ambiguous)[letters]
    if return_X_y:
        return X, labels
    return Bunch(
        data=X,
        target=labels,
        names=names,
        feature_names=list(BASES),
        target_names=np.unique(labels),
        DESCR=DESCR,
    )
