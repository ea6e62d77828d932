"""The UCI splice-junction DNA sequences, one-hot encoded."""

import numpy as np
from sklearn.utils import Bunch

from ._files import open_data_file

__all__ = ["load_splice"]

BASES = "ACGT"

# IUPAC codes: the bases each letter allows.
IUPAC = {
    "a": "A", "c": "C", "g": "G", "t": "T",
    "r": "AG", "y": "CT", "s": "CG", "w": "AT", "k": "GT", "m": "AC",
    "b": "CGT", "d": "AGT", "h": "ACT", "v": "ACG", "n": "ACGT",
}  # fmt: skip

_ENCODINGS = ("onehot", "integer")
_AMBIGUOUS = ("uniform", "zero", "drop")

DESCR = """UCI splice-junction gene sequences (primate DNA)
-------------------------------------------------
3,190 sequences of 60 bases around a splice junction, in three classes:
EI (exon/intron boundary, donor, 767), IE (intron/exon boundary, acceptor,
768) and N (neither, 1,655). 15 sequences contain IUPAC ambiguity codes
(n, d, r, s).

Source: UCI Machine Learning Repository, "Molecular Biology (Splice-junction
Gene Sequences)", Towell, Noordewier & Shavlik. Licence: CC BY 4.0.
"""


def _read_fasta():
    names, labels, sequences = [], [], []
    with open_data_file("splice_junctions.fasta.gz") as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(">"):
                label, _, name = line[1:].partition("|")
                labels.append(label)
                names.append(name)
                sequences.append("")
            elif line:
                sequences[-1] += line.lower()
    return np.array(names), np.array(labels), sequences


def _letter_table(ambiguous):
    """Rows of 4 weights (A, C, G, T) for every IUPAC letter."""
    table = {}
    for letter, allowed in IUPAC.items():
        row = np.zeros(4, dtype=np.float32)
        if len(allowed) == 1 or ambiguous == "uniform":
            row[[BASES.index(b) for b in allowed]] = 1.0 / len(allowed)
        table[letter] = row
    return table


def load_splice(*, encoding="onehot", ambiguous="uniform", return_X_y=False):
    """Load the UCI splice-junction DNA data set (3 classes, 60 bases each).

    Parameters
    ----------
    encoding : {"onehot", "integer"}, default="onehot"
        ``"onehot"``: ``X`` has shape ``(n, 60, 4)``, channels A, C, G, T, as
        the course's one-hot DNA input. ``"integer"``: ``X`` has shape
        ``(n, 60)`` with A=0, C=1, G=2, T=3 and -1 for an ambiguity code.
    ambiguous : {"uniform", "zero", "drop"}, default="uniform"
        What to do with IUPAC ambiguity codes (``n`` = any base, ``d`` = A/G/T,
        ``r`` = A/G, ``s`` = C/G, ...): ``"uniform"`` spreads the one-hot weight
        evenly over the bases the code allows (``n`` -> 0.25 each, ``r`` -> 0.5
        on A and G); ``"zero"`` writes an all-zero row; ``"drop"`` removes the
        15 sequences that contain any code (3,175 remain). With
        ``encoding="integer"`` codes are -1 unless dropped.
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``data`` (X), ``target`` (y: str labels ``"EI"``, ``"IE"``, ``"N"``),
        ``names`` (sequence ids), ``feature_names`` (``["A", "C", "G", "T"]``),
        ``target_names`` (sorted classes) and ``DESCR``.
    (X, y) : tuple
        When ``return_X_y`` is True.

    Notes
    -----
    Shipped with the package (gzip-compressed); nothing is downloaded.
    Source: UCI Machine Learning Repository, "Molecular Biology
    (Splice-junction Gene Sequences)", Towell, Noordewier & Shavlik, CC BY 4.0.
    The rows are sorted by class: shuffle (or stratify) before splitting.

    Examples
    --------
    >>> from sklstm.datasets import load_splice
    >>> X, y = load_splice(return_X_y=True)
    >>> X.shape, y[:2]
    ((3190, 60, 4), array(['EI', 'EI'], dtype='<U2'))
    """
    if encoding not in _ENCODINGS:
        raise ValueError(f"encoding={encoding!r} is not one of {_ENCODINGS}.")
    if ambiguous not in _AMBIGUOUS:
        raise ValueError(f"ambiguous={ambiguous!r} is not one of {_AMBIGUOUS}.")
    names, labels, sequences = _read_fasta()
    letters = np.array([list(s) for s in sequences])
    if ambiguous == "drop":
        keep = np.isin(letters, list("acgt")).all(axis=1)
        names, labels, letters = names[keep], labels[keep], letters[keep]
    if encoding == "integer":
        X = np.full(letters.shape, -1, dtype=np.int64)
        for code, base in enumerate("acgt"):
            X[letters == base] = code
    else:
        table = _letter_table(ambiguous)
        X = np.zeros((*letters.shape, 4), dtype=np.float32)
        for letter, row in table.items():
            X[letters == letter] = row
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
