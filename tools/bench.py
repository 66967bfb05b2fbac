#!/usr/bin/env python3
"""`make bench`: how fast each of the spec's four configurations trains
on this TensorFlow line. Each model trains a warm-up epoch and then
BENCH_EPOCHS more (5 by default) on the training set with the mains'
batch size; the table gives the median seconds of those epochs, the
training digits per second, the floating-point work of an epoch, the
share of the ceiling (the float32 rate TensorFlow reaches on a large
matrix multiply, measured in the same run on the same threads:
tools.speed.ceiling; its CPU named above the table), the
training steps per call into TensorFlow (helpers.runtime.speed_up;
STEPS_PER_CALL=1 for one) and the last epoch's loss (to see that a
faster setting learns the same), under a line with the settings in
effect (helpers.settings) and the variables set. LIVE=1 trains with the
live view's snapshots taken (helpers.live), to measure them. Where
BENCH_ROWS names a file, each row is also added to it as a line of JSON,
for the table beside the peers (`make bench PEERS=1`,
tools/peers/compare.py).

A benchmark, not a test: `make test` only runs it for one epoch on a
subset (SUBSET) to show that it works.
"""
import json
import sys

import numpy as np

from helpers import (configurations, files, live, settings, variables,
                     versions)
from tools import speed, training

# the variables that change how fast TensorFlow runs here, printed with
# the figures where set (the steps per call in effect have a column)
VARIABLES = ('LIVE', 'SEED', 'THREADS', 'TF_ENABLE_ONEDNN_OPTS',
             'STEPS_PER_CALL', 'XLA', 'ONEDNN_MAX_CPU_ISA',
             'TF_NUM_INTRAOP_THREADS',
             'TF_NUM_INTEROP_THREADS', 'OMP_NUM_THREADS')


def measure(name, epochs, digits):
    """Trains model name as its main does for a warm-up epoch and epochs
    more; returns (median seconds per measured epoch, FLOP per epoch,
    training steps per call into TensorFlow, the last epoch's loss, the
    model's parameter count)."""
    x_train, x_test = digits
    timer = speed.EpochTimer()
    # LIVE=1: with the live view's snapshots, to see what they cost
    watched = [live.Recorder()] if variables.get('LIVE') else []
    _, _, auto, steps_per_call = training.train(
        name, x_train, x_test, 1 + epochs, [timer] + watched)
    return (float(np.median(timer.seconds[1:])),
            speed.epoch_flops(auto, len(x_train), len(x_test)),
            steps_per_call, timer.loss[-1], auto.count_params())


def main():
    """Prints one row per configuration for this line."""
    epochs = variables.get('BENCH_EPOCHS')
    subset = variables.get('SUBSET')
    x_train, x_test, _ = training.load_digits(subset)
    ceiling, ceiling_text = speed.ceiling()
    print('TensorFlow {} ({}) on {}; {} measured epochs after a warm-up, '
          '{} training digits, batch size {}; settings: {}; variables '
          'set: {}; ceiling {}'.format(
              versions.VERSION, versions.LINE, speed.cpu(), epochs,
              len(x_train), training.BATCH_SIZE,
              settings.describe(),
              settings.variables_set(VARIABLES),
              ceiling_text))
    print('{:<8} {:<14} {:>8} {:>9} {:>12} {:>7} {:>10} {:>9}'.format(
        'line', 'model', 's/epoch', 'digits/s', 'GFLOP/epoch', '% ceil',
        'steps/call', 'loss'))
    for name in configurations.NAMES:
        seconds, flops, steps, loss, parameters = measure(
            name, epochs, (x_train, x_test))
        share = '{:.1f}'.format(100 * flops / seconds / ceiling)
        print('{:<8} {:<14} {:>8.2f} {:>9.0f} {:>12.1f} {:>7} {:>10} {:>9.4g}'
              .format(versions.LINE, name, seconds, len(x_train) / seconds,
                      flops / 1e9, share, steps, loss))
        sys.stdout.flush()
        keep({'line': versions.LINE, 'model': name, 'seconds': seconds,
              'loss': loss, 'parameters': parameters, 'cpu': speed.cpu(),
              'settings': settings.describe()})
    return 0


def keep(row):
    """Adds row to the file BENCH_ROWS names, as a line of JSON, where it
    is set."""
    path = variables.get('BENCH_ROWS')
    if path:
        files.append_line(path, json.dumps(row))


if __name__ == '__main__':
    sys.exit(main())
