#!/usr/bin/env python3
"""Training a configuration as its main does: a fresh session, the seed
0 (or SEED, helpers.runtime.tools_seed), the exercise module's model,
several steps per call where the line allows it, batches of 256 shuffled
digits and the test set for validation. The report, the sparsity
sweep, the benchmark and the explorer all train this way; the report and
the explorer also save what they train, with progress and time left."""
import sys

import numpy as np
import tensorflow as tf

from helpers import configurations, data, runtime, versions
from tools import models, speed

# the mains' batch size, the spec's
BATCH_SIZE = configurations.BATCH_SIZE


def load_digits(subset=None):
    """Returns (x_train, x_test, y_test), floats in [0, 1], flat (n, 784),
    prepared as the mains prepare them; the first subset digits of each
    set where subset is given."""
    (x_train, _), (x_test, y_test) = data.load_data()
    if subset:
        x_train, x_test, y_test = (x_train[:subset], x_test[:subset],
                                   y_test[:subset])
    return (x_train.reshape(-1, 784).astype('float32') / 255.,
            x_test.reshape(-1, 784).astype('float32') / 255., y_test)


def train(name, x_train, x_test, epochs, callbacks=(), arguments=None):
    """Trains model name (with the main's arguments, or arguments) on
    x_train for epochs, validating on x_test, both flat (n, 784).

    Returns encoder, decoder, auto and the training steps per call into
    TensorFlow that were in effect.
    """
    configuration = configurations.configuration(name)
    tf.keras.backend.clear_session()
    runtime.seed(runtime.tools_seed())
    encoder, decoder, auto = models.build(name, arguments)
    steps_per_call = runtime.speed_up(auto)
    train_images = configuration.shape(x_train)
    test_images = configuration.shape(x_test)
    auto.fit(train_images, train_images, epochs=epochs,
             batch_size=BATCH_SIZE, shuffle=True, verbose=0,
             validation_data=(test_images, test_images),
             callbacks=list(callbacks))
    return encoder, decoder, auto, steps_per_call


# Seconds per epoch seen on 2 cores of the AVX-512 EPYC (TF 1.15), to tell
# the time left before a model has run an epoch of its own
PRIOR_SECONDS = {'vanilla': 2.5, 'sparse': 2.7, 'convolutional': 40.0,
                 'variational': 5.0}


class Progress(object):
    """Prints, after every epoch, the model, the epoch, its losses and the
    time left in the whole run."""

    def __init__(self, plan, done):
        """plan: [(model, epochs)] in order; done: the models skipped."""
        self.plan = [(name, epochs) for name, epochs in plan
                     if name not in done]
        self.measured = {}
        self.scale = 1.0

    def time_left(self, name, epochs_done):
        """Returns the seconds the run still needs, reckoned from the
        current model's own epochs and, for the models after it, the
        seconds seen before (scaled to the subset)."""
        left, after = 0.0, False
        for model, epochs in self.plan:
            seconds = self.measured.get(model,
                                        PRIOR_SECONDS[model] * self.scale)
            if model == name:
                left += seconds * (epochs - epochs_done)
                after = True
            elif after:
                left += seconds * epochs
        return left

    def callback(self, name, epochs):
        """Returns the on_epoch function for model name."""
        def on_epoch(done, timer):
            """Prints one line for the epoch just done."""
            self.measured[name] = float(np.median(timer.seconds))
            left = self.time_left(name, done)
            print('[{}] {} epoch {}/{}: loss {:.4f}, val_loss {:.4f}, '
                  '{:.1f} s; about {:.0f} min left'.format(
                      versions.LINE, name, done, epochs, timer.loss[-1],
                      timer.val_loss[-1], timer.seconds[-1], left / 60))
            sys.stdout.flush()
        return on_epoch


def train_and_save(name, epochs, digits, progress, store, callbacks=()):
    """Trains model name as its main does, showing progress, with
    callbacks too, and saves its weights in store; returns encoder,
    decoder, auto, the epoch timer and the training steps per call."""
    x_train, x_test, _ = digits
    timer = speed.EpochTimer(progress.callback(name, epochs))
    encoder, decoder, auto, steps_per_call = train(
        name, x_train, x_test, epochs, [timer] + list(callbacks))
    models.save(name, auto, {
        'model': name, 'line': versions.LINE, 'epochs': epochs,
        'train_samples': len(x_train), 'loss': timer.loss[-1],
        'val_loss': timer.val_loss[-1],
        'arguments': repr(configurations.configuration(name).arguments)},
        store)
    return encoder, decoder, auto, timer, steps_per_call
