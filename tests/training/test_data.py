import numpy as np
import pytest
import torch

from sklstm import SlidingWindowTransformer
from sklstm.estimators._inputs import inspect_windows
from sklstm.training import BatchIterator, TailSplit, dataset_from_arrays


def test_tail_split_holds_out_the_latest_rows():
    dataset = dataset_from_arrays(windows=np.zeros((10, 3, 1), np.float32))
    train, valid = TailSplit(0.3)(dataset)
    assert train.rows.tolist() == list(range(7))
    assert valid.rows.tolist() == [7, 8, 9]
    # Subsets of subsets keep the original positions.
    assert train.subset(slice(5, 7)).rows.tolist() == [5, 6]


def test_tail_split_leaves_a_gap_between_training_and_validation_rows():
    dataset = dataset_from_arrays(windows=np.zeros((10, 3, 1), np.float32))
    train, valid = TailSplit(0.3, gap=2)(dataset)
    assert train.rows.tolist() == list(range(5))
    assert valid.rows.tolist() == [7, 8, 9]
    with pytest.raises(ValueError, match="at least 11 windows"):
        TailSplit(0.3, gap=9)(dataset)
    # At the minimum, the validation share shrinks to keep a row to train on.
    train, valid = TailSplit(0.3, gap=8)(dataset)
    assert train.rows.tolist() == [0]
    assert valid.rows.tolist() == [9]


def test_batches_cover_every_window_once_per_epoch():
    windows = np.arange(30, dtype=np.float32).reshape(10, 3, 1)
    dataset = dataset_from_arrays(windows=windows, y=np.arange(10, dtype=np.float32))
    batches = list(
        BatchIterator(
            dataset,
            batch_size=4,
            shuffle=True,
            generator=torch.Generator().manual_seed(0),
        )
    )
    assert [len(y) for _, y in batches] == [4, 4, 2]
    seen = torch.cat([y for _, y in batches]).tolist()
    assert sorted(seen) == list(range(10)) and seen != list(range(10))
    for x, y in batches:
        np.testing.assert_array_equal(x[:, 0, 0].numpy(), 3 * y.numpy())


def test_strided_windows_are_gathered_from_the_series_not_copied():
    series = np.random.default_rng(0).normal(size=(50, 2))
    view = SlidingWindowTransformer(dt_past=7).fit_transform(series)
    windows = inspect_windows(view)
    assert windows.dense is None and windows.series.shape == (56, 2)
    assert windows.lengths.tolist()[:8] == [1, 2, 3, 4, 5, 6, 7, 7]
    dataset = dataset_from_arrays(
        series=windows.series, n_steps=7, lengths=windows.lengths
    )
    expected = np.nan_to_num(view.astype(np.float32))
    for positions in (slice(0, 50), torch.tensor([49, 0, 13])):
        X, _ = dataset.batch(positions)
        np.testing.assert_array_equal(X["x"].numpy(), expected[positions])
        np.testing.assert_array_equal(
            X["lengths"].numpy(),
            windows.lengths[np.asarray(positions)]
            if not isinstance(positions, slice)
            else windows.lengths,
        )


def test_batches_without_padded_rows_come_as_plain_windows():
    # Only batches holding a padded row carry lengths to the network; the
    # rest take the unpadded path, as if the data had no padding.
    view = SlidingWindowTransformer(dt_past=4).fit_transform(np.arange(12.0)[:, None])
    windows = inspect_windows(view)
    dataset = dataset_from_arrays(
        series=windows.series, n_steps=4, lengths=windows.lengths
    )
    padded, _ = dataset.batch(torch.tensor([0, 5, 9]))
    assert padded["lengths"].tolist() == [1, 4, 4]
    plain, _ = dataset.batch(torch.tensor([3, 5, 9]))
    assert isinstance(plain, torch.Tensor)
    np.testing.assert_array_equal(plain.numpy(), view[[3, 5, 9]].astype(np.float32))
