#!/usr/bin/env python3
"""helpers.data: the shipped MNIST file is Keras' MNIST, and a missing or
damaged file is reported clearly."""
import shutil

import numpy as np
import pytest

from helpers import data


def test_load_data_returns_keras_mnist():
    """Shapes, dtypes and facts of the original database, in order."""
    (x_train, y_train), (x_test, y_test) = data.load_data()
    assert (x_train.shape, x_test.shape) == ((60000, 28, 28), (10000, 28, 28))
    assert (y_train.shape, y_test.shape) == ((60000,), (10000,))
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == \
        {np.dtype('uint8')}
    assert list(np.bincount(y_test)) == [980, 1135, 1032, 1010, 982, 892,
                                         958, 1028, 974, 1009]
    assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(y_test[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert round(float(x_train.mean()) / 255, 4) == 0.1307


def test_missing_file_says_so(tmpdir):
    """A missing file raises FileNotFoundError naming it and the fix."""
    path = str(tmpdir.join('mnist.npz'))
    with pytest.raises(FileNotFoundError) as info:
        data.load_data(path)
    assert path in str(info.value) and 'git checkout' in str(info.value)


def test_truncated_file_is_damaged(tmpdir):
    """A file cut short raises ValueError saying it is damaged."""
    path = str(tmpdir.join('mnist.npz'))
    with open(data.PATH, 'rb') as whole, open(path, 'wb') as part:
        part.write(whole.read(100000))
    with pytest.raises(ValueError) as info:
        data.load_data(path)
    assert 'damaged' in str(info.value)


def test_changed_array_is_damaged(tmpdir):
    """One changed pixel fails the checksum of its array."""
    (x_train, y_train), (x_test, y_test) = data.load_data()
    x_test = x_test.copy()
    x_test[0, 0, 0] += 1
    path = str(tmpdir.join('mnist.npz'))
    np.savez(path, x_train=x_train, y_train=y_train, x_test=x_test,
             y_test=y_test)
    with pytest.raises(ValueError) as info:
        data.load_data(path)
    assert 'x_test' in str(info.value)


def test_file_without_an_array_is_damaged(tmpdir):
    """A .npz that lacks one of the four arrays is damaged too."""
    path = str(tmpdir.join('mnist.npz'))
    shutil.copy(data.PATH, path)
    np.savez(path, x_train=np.zeros(3))
    with pytest.raises(ValueError) as info:
        data.load_data(path)
    assert 'damaged' in str(info.value)
