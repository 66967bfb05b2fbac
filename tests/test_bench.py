#!/usr/bin/env python3
"""tools.bench: a one-epoch smoke run on a subset prints a row per
model with its speed figures (the benchmark itself is `make bench`)."""
import re


from conftest import STEPS_PER_CALL
from helpers import settings, versions
from tools import runs, speed


def test_bench_prints_a_row_per_model():
    """Every model gets seconds, digits per second, GFLOP, % of the
    ceiling measured in the same run (a matrix multiply) and
    the training steps per call into TensorFlow (1 on TF 1.x), and the
    last epoch's loss, under a header naming the CPU they ran on; with
    LIVE=1, the live view's snapshots taken as well."""
    code, output = runs.run(['-m', 'tools.bench'], BENCH_EPOCHS='1',
                            SUBSET='256', LIVE='1')
    assert code == 0, output[-3000:]
    assert '256 training digits, batch size 256' in output
    assert ' on {};'.format(speed.cpu()) in output
    assert 'variables set: LIVE=1' in output
    assert 'settings: {};'.format(settings.describe()) in output
    for name in ('vanilla', 'sparse', 'convolutional', 'variational'):
        row = re.search(r'^{} +{} +([0-9.]+) +([0-9]+) +([0-9.]+) +'
                        r'([0-9.]+|-) +([0-9]+) +([0-9.]+)$'
                        .format(versions.LINE, name), output, re.MULTILINE)
        assert row, output[-3000:]
        assert float(row.group(1)) > 0 and int(row.group(2)) > 0
        assert int(row.group(5)) == STEPS_PER_CALL
        assert float(row.group(6)) > 0
