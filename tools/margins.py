#!/usr/bin/env python3
"""What the tests that train measure, and the bounds they hold it to:
one place for the short runs of tests/test_<model>.py and for the spread
their bounds are set from.

A test that trains must hold for every seed and every CPU of this kind
(the last bits of a step differ between CPUs, and a path near an edge
goes another way), so its bound is set from the spread of many seeds,
with a margin, never from one seed's run. `make margins` prints that
spread on a line, under the settings to try (for example
TF_ENABLE_ONEDNN_OPTS=0 or =1, ONEDNN_MAX_CPU_ISA=AVX2, THREADS=1):

    make margins TF=2.15 [SEEDS=8]

It prints, per seed, what each test compares with its bound, and the
worst of each column with the bound beside it.
"""
import os
import sys

import numpy as np
from tensorflow import keras

from helpers import configurations, data, runtime, settings, versions
from tools import models, sparsity, speed, training

# The short runs: the model's arguments, the training digits, the epochs
# and the batch size. The convolutional model, slower an epoch, trains
# on fewer digits; the VAE's smaller hidden layer (256) keeps it quick.
SHORT_RUNS = {
    'vanilla': ((784, [128, 64], 32), 1024, 5, 64),
    'sparse': ((784, [128, 64], 32, None), 1024, 5, 64),
    'convolutional': (((28, 28, 1), [16, 8, 8], (4, 4, 8)), 512, 3, 32),
    'variational': ((784, [256], 2), 1024, 5, 64),
}
# the weak and the strong L1 of the sparse model's tests
WEAK, STRONG = 1e-6, 1e-2

# column: (the worst side, the bound the test asserts)
BOUNDS = {
    'vanilla ratio': (max, 0.6),
    'sparse 1e-6 ratio': (max, 0.8),
    'sparse 1e-2 ratio': (max, 0.8),
    'sparse zeros gap': (min, 0.25),
    'conv ratio': (max, 0.8),
    'vae ratio': (max, 0.6),
    'sweep zeros gap': (min, 0.1),
    'sweep units gap': (min, 3),
    # test_*.py's test_trained_it_beats_the_average_digit
    'vanilla vs average': (max, 0.8),
    'vanilla own digit': (max, 0.6),
    'sparse vs average': (max, 0.8),
    'sparse own digit': (max, 0.6),
    'conv vs average': (max, 0.8),
    'conv own digit': (max, 0.6),
    'vae vs average': (max, 0.95),
    'vae own digit': (max, 0.85),
}
# the columns' short names of the models
SHORT = {'vanilla': 'vanilla', 'sparse': 'sparse', 'convolutional': 'conv',
         'variational': 'vae'}


def bound(column):
    """Returns the bound that column's test asserts."""
    return BOUNDS[column][1]


def digits():
    """Returns (train, test): 1024 and 256 real MNIST digits as float32
    in [0, 1], shaped (n, 28, 28)."""
    (x_train, _), (x_test, _) = data.load_data()
    return (x_train[:1024].astype('float32') / 255.,
            x_test[:256].astype('float32') / 255.)


def arguments(name, lambtha=WEAK):
    """Returns the arguments of model name's short run (the sparse one
    with lambtha)."""
    given = SHORT_RUNS[name][0]
    return given[:3] + (lambtha,) if name == 'sparse' else given


def short_run(name, mnist, seed, lambtha=WEAK):
    """Trains model name (SHORT_RUNS) from seed on mnist's digits; returns
    (its loss on the held-out digits after training over the loss
    before, the share of zeros in their codes, whether the encoder's
    first kernel moved)."""
    _, count, epochs, batch_size = SHORT_RUNS[name]
    shape = configurations.configuration(name).shape
    train, test = mnist
    x_train, x_test = shape(train[:count]), shape(test)
    runtime.seed(seed)
    encoder, _, auto = models.build(name, arguments(name, lambtha))
    start = auto.evaluate(x_test, x_test, verbose=0)
    before = encoder.get_weights()[0].copy()
    auto.fit(x_train, x_train, epochs=epochs, batch_size=batch_size,
             verbose=0)
    code = encoder.predict(x_test)
    code = code[0] if isinstance(code, list) else code
    return (auto.evaluate(x_test, x_test, verbose=0) / start,
            float(np.mean(code == 0)),
            not np.allclose(before, encoder.get_weights()[0]))


def beside_the_average_digit(name, mnist, seed):
    """Trains model name's short run arguments from seed for 20 epochs of
    batches of 32 on 1024 real digits; returns two ratios on 256
    held-out digits that a model which ignores its input cannot bring
    below 1: its reconstructions' cross-entropy (per pixel) over that of
    the average training digit, the best output that ignores the input;
    and the mean squared distance of each reconstruction to its own digit
    over the mean to the other held-out digits."""
    shape = configurations.configuration(name).shape
    train, test = mnist
    x_train, x_test = train.reshape(-1, 784), test.reshape(-1, 784)
    runtime.seed(seed)
    _, _, auto = models.build(name, arguments(name))
    auto.fit(shape(x_train), shape(x_train), epochs=20, batch_size=32,
             verbose=0)
    reconstructed = auto.predict(shape(x_test), verbose=0).reshape(
        -1, 784)
    average = np.repeat(x_train.mean(axis=0, keepdims=True), len(x_test), 0)
    distances = np.sum((x_test[:, None, :] - reconstructed[None]) ** 2, -1)
    own = np.mean(np.diag(distances))
    others = (distances.sum() - np.trace(distances)) / \
        (len(x_test) * (len(x_test) - 1))
    return (cross_entropy(x_test, reconstructed) /
            cross_entropy(x_test, average), own / others)


def cross_entropy(x, output):
    """Returns the binary cross-entropy of output for targets x, averaged
    over the pixels and the digits, as Keras clips it."""
    output = np.clip(output.astype('float64'), 1e-7, 1 - 1e-7)
    return -np.mean(x * np.log(output) + (1 - x) * np.log(1 - output))


def measure(seed, mnist, sweep_digits):
    """Returns what every training test compares with its bound, trained
    from seed."""
    row = {}
    for name in ('vanilla', 'convolutional', 'variational'):
        keras.backend.clear_session()
        row[SHORT[name] + ' ratio'] = short_run(name, mnist, seed)[0]
    keras.backend.clear_session()
    weak = short_run('sparse', mnist, seed, WEAK)
    keras.backend.clear_session()
    strong = short_run('sparse', mnist, seed, STRONG)
    row['sparse 1e-6 ratio'], row['sparse 1e-2 ratio'] = weak[0], strong[0]
    row['sparse zeros gap'] = strong[1] - weak[1]
    # test_sparsity's sweep: 2 epochs on 512 digits, lambtha 0 and 1e-2
    os.environ['SEED'] = str(seed)
    none = sparsity.measure(0.0, sweep_digits, 2)
    strong = sparsity.measure(STRONG, sweep_digits, 2)
    row['sweep zeros gap'] = strong['zero_share'] - none['zero_share']
    row['sweep units gap'] = none['active_units'] - strong['active_units']
    for name in SHORT_RUNS:
        keras.backend.clear_session()
        row[SHORT[name] + ' vs average'], row[SHORT[name] + ' own digit'] = \
            beside_the_average_digit(name, mnist, seed)
    return row


def main(arguments):
    """Prints the table for seeds 0 to the number given (8 by default)."""
    seeds = int(arguments[0]) if arguments else 8
    print('TensorFlow {} on {}; variables set: {}'.format(
        versions.VERSION, speed.cpu(), settings.variables_set(
            ('SEED', 'THREADS', 'TF_ENABLE_ONEDNN_OPTS',
             'ONEDNN_MAX_CPU_ISA', 'XLA'))))
    mnist = digits()
    sweep_digits = training.load_digits(512)
    columns = list(BOUNDS)
    print('seed ' + ' '.join('{:>17}'.format(c) for c in columns))
    rows = []
    for seed in range(seeds):
        rows.append(measure(seed, mnist, sweep_digits))
        print('{:>4} '.format(seed) + ' '.join(
            '{:>17.3f}'.format(rows[-1][c]) for c in columns))
        sys.stdout.flush()
    print('worst' + ' '.join('{:>17.3f}'.format(
        BOUNDS[c][0](row[c] for row in rows)) for c in columns))
    print('bound' + ' '.join('{:>17}'.format(
        ('< ' if BOUNDS[c][0] is max else '> ') + str(bound(c)))
        for c in columns))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
