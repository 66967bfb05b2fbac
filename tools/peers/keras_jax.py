#!/usr/bin/env python3
"""A peer for `make bench PEERS=1`: the spec's four models as a Keras 3
user writes them on the JAX backend, trained as the mains train ours
(batch 256, shuffled, the test digits validated each epoch): a warm-up
epoch, then BENCH_EPOCHS timed. Same layers as ours; the VAE adds its
KL term from the sampling layer (add_loss), the way Keras 3's own
examples do, so its encoder runs once per batch. Run by .venv/peer-jax's
Python (`make bench PEERS=1` makes it)."""
import os
import time

os.environ['KERAS_BACKEND'] = 'jax'

import keras  # noqa: E402
from keras import layers, ops  # noqa: E402

import common  # noqa: E402


def dense_autoencoder(lambtha=None):
    """784 -> 128 -> 64 -> 32 and back, relu, sigmoid output; an L1
    penalty on the code where lambtha is given (the sparse model)."""
    regularizer = keras.regularizers.l1(lambtha) if lambtha else None
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(128, activation='relu')(inputs)
    x = layers.Dense(64, activation='relu')(x)
    code = layers.Dense(32, activation='relu',
                        activity_regularizer=regularizer)(x)
    encoder = keras.Model(inputs, code)
    latent = keras.Input(shape=(32,))
    x = layers.Dense(64, activation='relu')(latent)
    x = layers.Dense(128, activation='relu')(x)
    decoder = keras.Model(latent, layers.Dense(784, activation='sigmoid')(x))
    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return auto


def convolutional_autoencoder():
    """28x28x1 -> 4x4x8 with 3x3 convolutions (16, 8, 8) and max pooling,
    and back with convolutions and upsampling."""
    inputs = keras.Input(shape=(28, 28, 1))
    x = inputs
    for filters in (16, 8, 8):
        x = layers.Conv2D(filters, 3, padding='same', activation='relu')(x)
        x = layers.MaxPooling2D(2, padding='same')(x)
    encoder = keras.Model(inputs, x)
    latent = keras.Input(shape=(4, 4, 8))
    x = latent
    for filters, padding in ((8, 'same'), (8, 'same'), (16, 'valid')):
        x = layers.Conv2D(filters, 3, padding=padding, activation='relu')(x)
        x = layers.UpSampling2D(2)(x)
    outputs = layers.Conv2D(1, 3, padding='same', activation='sigmoid')(x)
    decoder = keras.Model(latent, outputs)
    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return auto


class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * epsilon; adds the KL divergence of
    N(mean, exp(log_var)) from N(0, I) to the model's loss."""

    def __init__(self):
        """A layer with its own random seed."""
        super().__init__()
        self.seed = keras.random.SeedGenerator(0)

    def call(self, inputs):
        """Returns z for (mean, log_var), adding the batch's mean KL."""
        mean, log_var = inputs
        kl = -0.5 * ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var),
                            axis=-1)
        self.add_loss(ops.mean(kl))
        epsilon = keras.random.normal(ops.shape(mean), seed=self.seed)
        return mean + ops.exp(0.5 * log_var) * epsilon


def reconstruction_loss(x, x_decoded):
    """The binary cross-entropy of each digit, summed over its pixels."""
    return ops.sum(ops.binary_crossentropy(x, x_decoded), axis=-1)


def variational_autoencoder():
    """784 -> 512 -> a 2-d mean and log variance -> z, and z -> 512 ->
    784."""
    inputs = keras.Input(shape=(784,))
    x = layers.Dense(512, activation='relu')(inputs)
    mean = layers.Dense(2)(x)
    log_var = layers.Dense(2)(x)
    z = Sampling()([mean, log_var])
    encoder = keras.Model(inputs, [z, mean, log_var])
    latent = keras.Input(shape=(2,))
    x = layers.Dense(512, activation='relu')(latent)
    decoder = keras.Model(latent, layers.Dense(784, activation='sigmoid')(x))
    auto = keras.Model(inputs, decoder(encoder(inputs)[0]))
    auto.compile(optimizer='adam', loss=reconstruction_loss)
    return auto


class EpochTimer(keras.callbacks.Callback):
    """Keeps each epoch's seconds, its validation pass included."""

    def on_train_begin(self, logs=None):
        """Starts with no epochs."""
        self.seconds, self.loss = [], []

    def on_epoch_begin(self, epoch, logs=None):
        """Starts the epoch's clock."""
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        """Keeps the epoch's seconds and loss."""
        self.seconds.append(time.perf_counter() - self.started)
        self.loss.append(logs['loss'])


BUILDERS = {'vanilla': dense_autoencoder,
            'sparse': lambda: dense_autoencoder(common.LAMBTHA),
            'convolutional': convolutional_autoencoder,
            'variational': variational_autoencoder}


def main():
    """Trains and times the four models, printing a line for each."""
    x_train, x_test = common.digits()
    keras.utils.set_random_seed(0)
    for name in common.MODELS:
        auto = BUILDERS[name]()
        shape = (-1, 28, 28, 1) if name == 'convolutional' else (-1, 784)
        train, test = x_train.reshape(shape), x_test.reshape(shape)
        timer = EpochTimer()
        auto.fit(train, train, epochs=1 + common.epochs(),
                 batch_size=common.BATCH_SIZE, shuffle=True, verbose=0,
                 validation_data=(test, test), callbacks=[timer])
        common.report('Keras 3 on JAX', 'Keras {}, JAX {}'.format(
            keras.__version__, __import__('jax').__version__), name,
            timer.seconds, timer.loss[-1], auto.count_params())


if __name__ == '__main__':
    main()
