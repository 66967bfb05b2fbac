#!/usr/bin/env python3
"""How far from its bound each training test lands, over many seeds: the
spread that the bounds of those tests are set from, with a margin.

A test that trains must hold for every seed and every CPU of this kind
(the last bits of a step differ between CPUs, and a path near an edge
goes another way), so its bound is set from this spread, never from one
seed's run. Run it on a line, under the settings to try (for example
TF_ENABLE_ONEDNN_OPTS=0 or =1, ONEDNN_MAX_CPU_ISA=AVX2, THREADS=1):

    .venv/tf2.15/bin/python tests/margins.py [seeds, default 8]

It prints, per seed, what each test compares with its bound, and the
worst of each column with the bound beside it.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import conftest  # noqa: E402  (puts the repository on sys.path)
import test_convolutional  # noqa: E402
import test_sparse  # noqa: E402
import test_vanilla  # noqa: E402
import test_variational  # noqa: E402
from tools import sparsity, speed, training  # noqa: E402
from tensorflow import keras  # noqa: E402

# column: (what the test asserts, 'max' or 'min' is the worst side)
BOUNDS = {
    'vanilla ratio': ('< 0.6', max),
    'sparse 1e-6 ratio': ('< 0.8', max),
    'sparse 1e-2 ratio': ('< 0.8', max),
    'sparse zeros gap': ('> 0.25', min),
    'conv ratio': ('< 0.8', max),
    'vae ratio': ('< 0.6', max),
    'sweep zeros gap': ('> 0.1', min),
    'sweep units gap': ('> 3', min),
    # test_*.py's test_trained_it_beats_the_average_digit
    'vanilla vs average': ('< 0.8', max),
    'vanilla own digit': ('< 0.6', max),
    'sparse vs average': ('< 0.8', max),
    'sparse own digit': ('< 0.6', max),
    'conv vs average': ('< 0.8', max),
    'conv own digit': ('< 0.6', max),
    'vae vs average': ('< 0.95', max),
    'vae own digit': ('< 0.85', max),
}

# The models those tests train, with the shape of their input
BESIDE_THE_AVERAGE = {
    'vanilla': ('0-vanilla', (784, [128, 64], 32), (-1, 784)),
    'sparse': ('1-sparse', (784, [128, 64], 32, 1e-6), (-1, 784)),
    'conv': ('2-convolutional', ((28, 28, 1), [16, 8, 8], (4, 4, 8)),
             (-1, 28, 28, 1)),
    'vae': ('3-variational', (784, [256], 2), (-1, 784)),
}


def measure(seed, mnist, sweep_digits):
    """Returns what every training test compares with its bound, trained
    from seed."""
    row = {}
    keras.backend.clear_session()
    row['vanilla ratio'] = test_vanilla.held_out_ratio(mnist, seed)
    keras.backend.clear_session()
    weak = test_sparse.trained(mnist, seed, 1e-6)
    keras.backend.clear_session()
    strong = test_sparse.trained(mnist, seed, 1e-2)
    row['sparse 1e-6 ratio'], row['sparse 1e-2 ratio'] = weak[0], strong[0]
    row['sparse zeros gap'] = strong[1] - weak[1]
    keras.backend.clear_session()
    row['conv ratio'] = test_convolutional.held_out_ratio(mnist, seed)
    keras.backend.clear_session()
    row['vae ratio'] = test_variational.held_out_ratio(mnist, seed)[0]
    # test_sparsity's sweep: 2 epochs on 512 digits, lambtha 0 and 1e-2
    os.environ['SEED'] = str(seed)
    none = sparsity.measure(0.0, sweep_digits, 2)
    strong = sparsity.measure(1e-2, sweep_digits, 2)
    row['sweep zeros gap'] = strong['zero_share'] - none['zero_share']
    row['sweep units gap'] = none['active_units'] - strong['active_units']
    for name, (module, arguments, shape) in BESIDE_THE_AVERAGE.items():
        keras.backend.clear_session()
        row[name + ' vs average'], row[name + ' own digit'] = \
            conftest.beside_the_average_digit(
                lambda: conftest.load(module).autoencoder(*arguments),
                mnist, seed, shape)
    return row


def main():
    """Prints the table for seeds 0 to the number given (8 by default)."""
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    settings = ', '.join('{}={}'.format(name, os.environ[name]) for name in
                         ('TF_ENABLE_ONEDNN_OPTS', 'ONEDNN_MAX_CPU_ISA',
                          'THREADS') if os.environ.get(name))
    print('TensorFlow {} on {}; {}'.format(
        conftest.tf.__version__, speed.cpu(), settings or 'defaults'))
    mnist = conftest.mnist_subset()
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
        BOUNDS[c][1](row[c] for row in rows)) for c in columns))
    print('bound' + ' '.join('{:>17}'.format(BOUNDS[c][0]) for c in columns))
    return 0


if __name__ == '__main__':
    sys.exit(main())
