#!/usr/bin/env python3
"""Settings that the mains share on every TensorFlow line: seeding (with
an optional thread count, for runs that repeat to the last digit), the
number of epochs (the spec's, or EPOCHS from the environment), and
running several training steps per call into TensorFlow, with XLA where
it is chosen (speed_up). The project's tools and tests also take another
seed than the mains' 0 from SEED (tools_seed)."""

import signal
import threading

import numpy as np
import tensorflow as tf

from helpers import settings, variables


def seed(value=0):
    """Seeds numpy and TensorFlow as the spec's mains do, on any line.

    TF 1.x takes tf.set_random_seed, which TF 2 removed; TF 2 and Keras 3
    take keras.utils.set_random_seed, which also seeds Keras 3's own
    generator. Where THREADS is set, TensorFlow runs on that many
    threads; the order of its sums, and so the last digits of a run,
    depend on it (TF 1.12 prints the spec's convolutional log on one).
    """
    threads = variables.get('THREADS')
    if hasattr(tf.keras.utils, 'set_random_seed'):
        use_threads()
        tf.keras.utils.set_random_seed(value)
    else:
        np.random.seed(value)
        tf.set_random_seed(value)
        if threads:
            tf.keras.backend.set_session(tf.Session(config=tf.ConfigProto(
                intra_op_parallelism_threads=threads,
                inter_op_parallelism_threads=threads)))


def use_threads():
    """TF 2 and Keras 3: where THREADS is set, has TensorFlow run its two
    pools on that many threads. TF 2 takes them once, before its first
    op, so the helpers package calls this as it imports TensorFlow (a
    process that ran ops first could not set them any more); calling it
    again changes nothing. TF 1.x takes them per session, which seed()
    makes."""
    threads = variables.get('THREADS')
    if threads and hasattr(tf.keras.utils, 'set_random_seed'):
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)


def speed_up(model):
    """Has model run STEPS_PER_CALL training (and validation) steps per
    call from Python into TensorFlow, 47 by default (235 steps of 256
    digits make an epoch: five calls), where the line allows it.

    The dense models spend a large part of a step in Keras's per-step
    Python, not in arithmetic; TF 2 and Keras 3 can run several steps in
    one call (Keras's steps_per_execution), which leaves the layers, the
    loss, the optimizer and the order of the batches as they were. The
    setting is made after compile, so the exercise modules stay as the
    spec has them. On Keras 3 the dense models are also compiled with
    XLA (helpers.settings.xla says where and why). TF 1.x runs a step as
    one session call already and has no such setting: there model is
    left unchanged. Returns the steps per call in effect (1: one step
    per call). On every line, a Ctrl-C then stops fit between two calls
    (stop_between_steps).
    """
    stop_between_steps(model)
    steps = variables.get('STEPS_PER_CALL')
    if hasattr(model, '_configure_steps_per_execution'):
        # Keras 2 (TF 2.x up to 2.15) sets it in compile() only; this is
        # the method compile() calls with it
        model._configure_steps_per_execution(steps)
    elif hasattr(model, 'steps_per_execution'):
        # Keras 3 keeps it in a plain attribute, read when fit() starts;
        # XLA likewise, where helpers.settings chooses it for the model
        model.steps_per_execution = steps
        if settings.xla(model):
            model.jit_compile = True
    else:
        return 1
    return steps


def stop_between_steps(model):
    """Has a Ctrl-C during model.fit stop it between two calls into
    TensorFlow, with the KeyboardInterrupt Python would raise, and not
    wherever the signal lands. A second Ctrl-C stops it at once.

    Why: on TF 2.21, a Ctrl-C that lands while fit starts an epoch (as
    TensorFlow makes the epoch's data iterator) sometimes kills the
    process with glibc's "corrupted size vs. prev_size" or a
    segmentation fault (3 runs in 90 on the family 26 EPYC, a Ctrl-C
    sent as the second epoch began),
    instead of raising KeyboardInterrupt. So while fit runs, SIGINT only
    notes the request (StopBetweenSteps.asked), and the callback raises
    KeyboardInterrupt at the next step's end (every STEPS_PER_CALL steps)
    or epoch's end. Where SIGINT is not Python's own (ignored, or handled
    by the caller) or fit runs off the main thread, fit is left as is.
    """
    fit = model.fit

    def fit_stopping_between_steps(*args, **kwargs):
        """model.fit, a Ctrl-C stopping it between two steps."""
        if signal.getsignal(signal.SIGINT) is not \
                signal.default_int_handler or \
                threading.current_thread() is not threading.main_thread():
            return fit(*args, **kwargs)
        stopper = StopBetweenSteps()
        kwargs['callbacks'] = list(kwargs.get('callbacks') or []) + \
            [stopper]
        signal.signal(signal.SIGINT, stopper.asked)
        try:
            return fit(*args, **kwargs)
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
    model.fit = fit_stopping_between_steps


class StopBetweenSteps(tf.keras.callbacks.Callback):
    """Raises KeyboardInterrupt at the first step's or epoch's end after
    a Ctrl-C (stop_between_steps)."""

    def __init__(self):
        """Nothing asked yet."""
        super(StopBetweenSteps, self).__init__()
        self.stop = False

    def asked(self, number, frame):
        """The SIGINT handler: notes the first Ctrl-C, raises at once on
        the second."""
        if self.stop:
            raise KeyboardInterrupt
        self.stop = True

    def between(self, *args, **kwargs):
        """Raises KeyboardInterrupt where a Ctrl-C was noted."""
        if self.stop:
            raise KeyboardInterrupt
    on_batch_end = on_train_batch_end = on_test_batch_end = between
    on_epoch_begin = on_epoch_end = between


def tools_seed():
    """Returns SEED from the environment as an int >= 0, 0 (the mains'
    seed) where it is unset or empty: the seed that the report, the
    sweep, the benchmark, the explorer and the tests that train start
    from. The mains always seed 0, as the spec's do; another seed shows
    which of a run's figures hold for any seed (docs/testing.md)."""
    return variables.get('SEED')


def epochs(default):
    """Returns the EPOCHS environment variable as a positive int, or
    default where it is unset or empty."""
    return variables.get('EPOCHS') or default
