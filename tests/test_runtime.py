#!/usr/bin/env python3
"""helpers.runtime: seeding repeats random draws on every line, EPOCHS
overrides the spec's epochs only with a positive integer, and SEED gives
the tools' seed only as an integer >= 0."""
import os
import signal
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from conftest import ROOT, SEED, STEPS_PER_CALL, TF_VERSION, load
from helpers import configurations, runtime, settings
from tools import models


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


@pytest.mark.parametrize('value, expected', [
    (None, 0), ('', 0), ('0', 0), ('3', 3)])
def test_tools_seed_reads_seed(monkeypatch, value, expected):
    """Unset or empty: 0, the mains' seed; otherwise the number."""
    if value is None:
        monkeypatch.delenv('SEED', raising=False)
    else:
        monkeypatch.setenv('SEED', value)
    assert runtime.tools_seed() == expected


@pytest.mark.parametrize('value', ['-1', '1.5', 'one'])
def test_tools_seed_rejects_what_is_not_a_whole_number(monkeypatch, value):
    """A clear ValueError naming SEED."""
    monkeypatch.setenv('SEED', value)
    with pytest.raises(ValueError) as info:
        runtime.tools_seed()
    assert 'SEED' in str(info.value)


def test_threads_sets_tensorflow_thread_pools():
    """THREADS=1 leaves TensorFlow one thread per pool, on any line, from
    the moment the helpers package is imported: seeding after TensorFlow
    has run ops (as the report and the tests do) works and keeps them."""
    script = '\n'.join([
        'import tensorflow as tf',
        'from helpers import runtime',
        'tf.keras.layers.Dense(1)(tf.ones((1, 1)))',
        'runtime.seed(0)',
        'tf.keras.backend.clear_session()',
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
                                     cwd=ROOT, env=env, timeout=300,
                                     universal_newlines=True)
    assert output.split()[-2:] == ['1', '1']


class BatchEnds(tf.keras.callbacks.Callback):
    """Counts the calls Keras makes at the end of a training batch: one
    per call into TensorFlow. on_batch_end is the name every line calls
    (TF 1.12 knows no other; later lines call it from
    on_train_batch_end)."""

    def __init__(self):
        """Starts at none."""
        super(BatchEnds, self).__init__()
        self.calls = 0

    def on_batch_end(self, batch, logs=None):
        """Counts one."""
        self.calls += 1


def train_vanilla(x_train, monkeypatch, steps_per_call):
    """Trains the spec's vanilla autoencoder for two epochs of 4 batches
    with STEPS_PER_CALL=steps_per_call (None: no speed_up); returns (its
    losses, Keras's batch-end calls, speed_up's answer)."""
    tf.keras.backend.clear_session()
    runtime.seed(SEED)
    _, _, auto = load('0-vanilla').autoencoder(784, [128, 64], 32)
    answer = None
    if steps_per_call is not None:
        monkeypatch.setenv('STEPS_PER_CALL', str(steps_per_call))
        answer = runtime.speed_up(auto)
    ends = BatchEnds()
    history = auto.fit(x_train, x_train, epochs=2, batch_size=256,
                       shuffle=True, verbose=0, callbacks=[ends])
    return history.history['loss'], ends.calls, answer


def test_speed_up_runs_steps_per_call_and_learns_the_same(mnist,
                                                          monkeypatch):
    """On TF 2 and Keras 3, four steps per call: one batch-end call per
    four steps and the same losses as one step per call (on Keras 3 also
    compiled with XLA, which learns the same); TF 1.x has no such setting
    and speed_up says 1."""
    x_train = mnist[0].reshape((-1, 784))
    plain_losses, plain_calls, _ = train_vanilla(x_train, monkeypatch, None)
    losses, calls, answer = train_vanilla(x_train, monkeypatch, 4)
    assert plain_calls == 8
    if TF_VERSION < (2, 0):
        assert answer == 1 and calls == 8
    else:
        assert answer == 4 and calls == 2
    np.testing.assert_allclose(losses, plain_losses, rtol=1e-4)
    assert losses[1] < losses[0]


@pytest.mark.parametrize('name', configurations.NAMES)
def test_speed_up_compiles_the_dense_models_with_xla_on_keras_3(
        name, monkeypatch):
    """On Keras 3 (TF 2.16 on), speed_up has XLA compile the vanilla and
    sparse models' steps, not the convolutional model's or the VAE's;
    XLA=0 leaves it off; TF 1.x and Keras 2 are left as compiled."""
    monkeypatch.delenv('XLA', raising=False)
    _, _, auto = models.build(name)
    runtime.speed_up(auto)
    dense = name in ('vanilla', 'sparse')
    assert settings.xla(auto) == dense
    if TF_VERSION >= (2, 16):
        assert auto.jit_compile is dense
    elif TF_VERSION >= (2, 0):
        assert not auto.jit_compile
    tf.keras.backend.clear_session()
    monkeypatch.setenv('XLA', '0')
    _, _, auto = models.build(name)
    runtime.speed_up(auto)
    assert not settings.xla(auto)
    if TF_VERSION >= (2, 0):
        assert not auto.jit_compile


def test_speed_up_defaults_to_47_and_rejects_bad_values(monkeypatch):
    """Unset: 47 steps per call (five calls an epoch) where the line has
    the setting; anything but a positive integer: ValueError naming
    STEPS_PER_CALL, before the model is touched."""
    _, _, auto = load('0-vanilla').autoencoder(784, [128, 64], 32)
    monkeypatch.delenv('STEPS_PER_CALL', raising=False)
    assert runtime.speed_up(auto) == STEPS_PER_CALL
    monkeypatch.setenv('STEPS_PER_CALL', '0')
    with pytest.raises(ValueError) as info:
        runtime.speed_up(auto)
    assert 'STEPS_PER_CALL' in str(info.value)


class CtrlC(tf.keras.callbacks.Callback):
    """Sends this process a SIGINT (a Ctrl-C) as the batch of at_call
    (counted from 0 over the whole fit) begins, and counts the batch ends
    after it."""

    def __init__(self, at_call):
        """Will press Ctrl-C before call at_call."""
        super(CtrlC, self).__init__()
        self.at_call, self.calls, self.after = at_call, 0, None

    def on_batch_begin(self, batch, logs=None):
        """Presses Ctrl-C before the call at_call."""
        if self.calls == self.at_call:
            self.after = 0
            os.kill(os.getpid(), signal.SIGINT)

    def on_batch_end(self, batch, logs=None):
        """Counts the call, and the calls ended since the Ctrl-C."""
        self.calls += 1
        if self.after is not None:
            self.after += 1


@pytest.fixture
def python_sigint():
    """SIGINT handled as Python handles it (KeyboardInterrupt), even where
    the suite runs in the background of a script; restored after."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_during_fit_stops_it_between_two_steps(
        mnist, monkeypatch, python_sigint):
    """A Ctrl-C as a step begins (the second epoch's first, where TF 2.21
    could abort as it made the epoch's iterator): that step runs to its
    end, then fit raises KeyboardInterrupt, and SIGINT is Python's own
    again, as it is after a fit that ends well."""
    x_train = mnist[0].reshape((-1, 784))
    monkeypatch.setenv('STEPS_PER_CALL', '2')
    _, _, auto = load('0-vanilla').autoencoder(784, [128, 64], 32)
    # 1024 digits: 4 steps an epoch, 2 calls on TF 2, 4 on TF 1.x
    calls = 4 // runtime.speed_up(auto)
    press = CtrlC(at_call=calls)
    with pytest.raises(KeyboardInterrupt):
        auto.fit(x_train, x_train, epochs=3, batch_size=256, verbose=0,
                 callbacks=[press])
    assert press.after == 1 and press.calls == calls + 1
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    auto.fit(x_train, x_train, epochs=1, batch_size=256, verbose=0)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_stops_fit_at_once():
    """The first Ctrl-C is noted, the second raises where it lands;
    noted, the next step's or epoch's end raises."""
    stopper = runtime.StopBetweenSteps()
    stopper.between(0)
    stopper.asked(signal.SIGINT, None)
    for end in (stopper.on_batch_end, stopper.on_test_batch_end,
                stopper.on_epoch_end, stopper.asked):
        with pytest.raises(KeyboardInterrupt):
            end(0, None)


def test_fit_leaves_a_sigint_it_does_not_own_alone(mnist, monkeypatch):
    """Where SIGINT is ignored (a script's background job), fit keeps it
    so, and a SIGINT neither stops nor interrupts it."""
    x_train = mnist[0][:512].reshape((-1, 784))
    _, _, auto = load('0-vanilla').autoencoder(784, [128, 64], 32)
    runtime.speed_up(auto)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        press = CtrlC(at_call=0)
        history = auto.fit(x_train, x_train, epochs=2, batch_size=256,
                           verbose=0, callbacks=[press])
        assert len(history.history['loss']) == 2
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)
