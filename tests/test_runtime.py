#!/usr/bin/env python3
"""support.runtime: seeding repeats random draws on every line, and
EPOCHS overrides the spec's epochs only with a positive integer."""
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from conftest import ROOT, TF_VERSION
from support import runtime


def draws():
    """Returns a numpy draw and a TensorFlow draw."""
    if TF_VERSION < (2, 0):
        tensor = tf.random_uniform((3,))
        with tf.Session() as session:
            return np.random.rand(3), session.run(tensor)
    return np.random.rand(3), tf.random.uniform((3,)).numpy()


def test_seed_repeats_numpy_and_tensorflow_draws():
    """The same seed gives the same draws, another seed others."""
    runtime.seed(0)
    first = draws()
    tf.keras.backend.clear_session()
    runtime.seed(0)
    second = draws()
    tf.keras.backend.clear_session()
    runtime.seed(1)
    third = draws()
    for a, b, c in zip(first, second, third):
        np.testing.assert_array_equal(a, b)
        assert not np.allclose(a, c)


@pytest.mark.parametrize('value, expected', [
    (None, 50), ('', 50), ('1', 1), (' 7 ', 7)])
def test_epochs_reads_the_environment(monkeypatch, value, expected):
    """Unset or empty: the default; otherwise the number."""
    if value is None:
        monkeypatch.delenv('EPOCHS', raising=False)
    else:
        monkeypatch.setenv('EPOCHS', value)
    assert runtime.epochs(50) == expected


@pytest.mark.parametrize('value', ['0', '-3', '1.5', 'many'])
def test_epochs_rejects_what_is_not_a_positive_integer(monkeypatch, value):
    """A clear ValueError naming EPOCHS."""
    monkeypatch.setenv('EPOCHS', value)
    with pytest.raises(ValueError) as info:
        runtime.epochs(50)
    assert 'EPOCHS' in str(info.value)


def test_threads_sets_tensorflow_thread_pools():
    """THREADS=1 leaves TensorFlow one thread per pool, on any line."""
    script = '\n'.join([
        'import tensorflow as tf',
        'from support import runtime',
        'runtime.seed(0)',
        'if hasattr(tf, "set_random_seed"):',
        '    config = tf.keras.backend.get_session()._config',
        '    print(config.intra_op_parallelism_threads,',
        '          config.inter_op_parallelism_threads)',
        'else:',
        '    print(tf.config.threading.get_intra_op_parallelism_threads(),',
        '          tf.config.threading.get_inter_op_parallelism_threads())'])
    env = dict(os.environ, THREADS='1', TF_CPP_MIN_LOG_LEVEL='3')
    output = subprocess.check_output([sys.executable, '-c', script],
                                     cwd=ROOT, env=env,
                                     universal_newlines=True)
    assert output.split()[-2:] == ['1', '1']
