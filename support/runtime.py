#!/usr/bin/env python3
"""Settings that the mains share on every TensorFlow line: seeding (with
an optional thread count, for runs that repeat to the last digit), and
the number of epochs (the spec's, or EPOCHS from the environment)."""
import os

import numpy as np
import tensorflow as tf


def seed(value=0):
    """Seeds numpy and TensorFlow as the spec's mains do, on any line.

    TF 1.x takes tf.set_random_seed, which TF 2 removed; TF 2 and Keras 3
    take keras.utils.set_random_seed, which also seeds Keras 3's own
    generator. Where THREADS is set, TensorFlow runs on that many
    threads; the order of its sums, and so the last digits of a run,
    depend on it (TF 1.12 prints the spec's convolutional log on one).
    """
    threads = positive_int('THREADS', None)
    if hasattr(tf.keras.utils, 'set_random_seed'):
        if threads:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        tf.keras.utils.set_random_seed(value)
    else:
        np.random.seed(value)
        tf.set_random_seed(value)
        if threads:
            tf.keras.backend.set_session(tf.Session(config=tf.ConfigProto(
                intra_op_parallelism_threads=threads,
                inter_op_parallelism_threads=threads)))


def epochs(default):
    """Returns the EPOCHS environment variable as a positive int, or
    default where it is unset or empty."""
    return positive_int('EPOCHS', default)


def positive_int(variable, default):
    """Returns environment variable as a positive int, or default where
    it is unset or empty; raises ValueError naming it otherwise."""
    text = os.environ.get(variable, '').strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError('{} must be a positive integer, got {!r}'
                         .format(variable, text))
    return int(text)
