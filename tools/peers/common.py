#!/usr/bin/env python3
"""What the two peers share with each other and with `make bench`: the
mains' digits (data/mnist.npz, read with numpy alone, since a peer's
environment has no TensorFlow), the mains' batch size, how many epochs
to time, and the line each model's figures are printed on. A peer is run
by its own environment's Python as a script, so this file is imported
by its plain name."""
import json
import os
import sys
import types

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# The project's table of configurations and its environment variables
# need the standard library alone: the helpers folder is taken as a
# package without running its __init__, which imports TensorFlow (a
# peer's environment has none)
if 'helpers' not in sys.modules:
    sys.modules['helpers'] = types.ModuleType('helpers')
    sys.modules['helpers'].__path__ = [os.path.join(ROOT, 'helpers')]
from helpers import configurations, variables  # noqa: E402

BATCH_SIZE = configurations.BATCH_SIZE
MODELS = tuple(configurations.NAMES)
# the sparse main's lambtha, the spec's
LAMBTHA = configurations.configuration('sparse').arguments[3]
# what starts each of a peer's result lines, for `make bench` to read
MARK = 'PEER '


def digits():
    """Returns x_train, x_test: the MNIST digits as floats in [0, 1], flat
    (n, 784); the first SUBSET of each where SUBSET is set."""
    with np.load(os.path.join(ROOT, 'data', 'mnist.npz')) as archive:
        x_train, x_test = archive['x_train'], archive['x_test']
    subset = variables.get('SUBSET')
    x_train, x_test = x_train[:subset], x_test[:subset]
    return (x_train.reshape(-1, 784).astype('float32') / 255.,
            x_test.reshape(-1, 784).astype('float32') / 255.)


def epochs():
    """Returns the measured epochs, BENCH_EPOCHS (5 by default); a warm-up
    epoch comes before them."""
    return variables.get('BENCH_EPOCHS')


def report(peer, version, model, seconds, loss, parameters):
    """Prints one model's figures for `make bench`: the median seconds of
    the measured epochs, the last loss and the model's parameter count."""
    print(MARK + json.dumps({
        'peer': peer, 'version': version, 'model': model,
        'seconds': float(np.median(seconds[1:])), 'loss': float(loss),
        'parameters': int(parameters)}))
    sys.stdout.flush()
