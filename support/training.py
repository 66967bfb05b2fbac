#!/usr/bin/env python3
"""Training a configuration as its main does: a fresh session, the seed
0 (or SEED, support.runtime.tools_seed), the exercise module's model,
several steps per call where the line allows it, batches of 256 shuffled
digits and the test set for validation. The report, the sparsity
sweep, the benchmark and the explorer all train this way."""
import tensorflow as tf

from support import data, models, runtime

BATCH_SIZE = 256


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
    spec = models.configuration(name)
    tf.keras.backend.clear_session()
    runtime.seed(runtime.tools_seed())
    encoder, decoder, auto = models.build(name, arguments)
    steps_per_call = runtime.speed_up(auto)
    train_images, test_images = spec.shape(x_train), spec.shape(x_test)
    auto.fit(train_images, train_images, epochs=epochs,
             batch_size=BATCH_SIZE, shuffle=True, verbose=0,
             validation_data=(test_images, test_images),
             callbacks=list(callbacks))
    return encoder, decoder, auto, steps_per_call
