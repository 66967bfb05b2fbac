#!/usr/bin/env python3
"""tools.sparsity: the spec's penalty on every line, added again by
each line's equivalent lambtha on given weights, and `make sparsity`'s
sweep (on a subset: it trains, measures, draws, writes and resumes)."""
import json
import os

import numpy as np
import pytest

from conftest import load
from tools import runs, sparsity


def test_spec_equivalent_lambtha_of_each_line():
    """The spec's 1e-5 on TF 1.12 (L1 counted twice and summed over
    batches of 256) is 2.56e-3 on TF 1.15 (twice, averaged) and 5.12e-3
    on TF 2 (once, averaged)."""
    assert sparsity.penalty_factor((1, 12)) == 512
    assert sparsity.spec_equivalent((1, 12)) == pytest.approx(1e-5)
    assert sparsity.spec_equivalent((1, 15)) == pytest.approx(2.56e-3)
    assert sparsity.spec_equivalent((2, 15)) == pytest.approx(5.12e-3)
    assert sparsity.spec_equivalent((2, 21)) == pytest.approx(5.12e-3)
    assert sparsity.spec_equivalent() in sparsity.lambthas()
    assert sparsity.lambthas()[0] == 0


def spec_penalty(codes):
    """Returns the L1 term that the spec's TF 1.12 run added to the loss
    of a batch whose codes are codes: lambtha 1e-5, counted twice, summed
    over the batch (tools.sparsity says why), in numpy."""
    return sparsity.SPEC_LAMBTHA * sparsity.penalty_copies(
        sparsity.SPEC_LINE) * float(np.abs(codes).astype('float64').sum())


def test_equivalent_lambtha_adds_the_spec_penalty(mnist):
    """1-main.py's model with this line's equivalent lambtha, on given
    weights (drawn from numpy, the same on every line) and the first 256
    test digits: the term the L1 regulariser adds to auto's loss (its
    loss less that of the same weights with lambtha 0, both as Keras
    evaluates them) is the spec's TF 1.12 penalty for those codes. Plain
    arithmetic on fixed numbers, so it holds on any CPU; the five epochs
    trained with it are a measurement, in `make seed-logs`."""
    _, test = mnist
    images = test.reshape(-1, 784)
    arguments = sparsity.with_lambtha(sparsity.spec_equivalent())
    encoder, _, auto = load('1-sparse').autoencoder(*arguments)
    _, _, plain = load('1-sparse').autoencoder(*arguments[:3] + (0,))
    draw = np.random.RandomState(0)
    weights = [draw.uniform(-0.3, 0.3, size=w.shape).astype('float32')
               for w in auto.get_weights()]
    auto.set_weights(weights)
    plain.set_weights(weights)
    codes = encoder.predict(images)
    assert np.mean(codes > 0) > 0.3
    with_l1 = auto.evaluate(images, images, batch_size=256, verbose=0)
    without = plain.evaluate(images, images, batch_size=256, verbose=0)
    # with these weights the penalty is about a tenth of the loss, far
    # above float32's rounding, so a factor of 2 (or 256) anywhere in
    # the accounting cannot pass
    assert with_l1 - without > 0.05 * without
    assert with_l1 - without == pytest.approx(spec_penalty(codes), rel=1e-3)


def test_sweep_trains_measures_draws_and_resumes(tmpdir, capsys):
    """`python -m tools.sparsity` on 512 digits for 2 epochs: a result
    per lambtha, more zeros with a stronger penalty (measured by
    tools/margins.py, seeds 0-7 on all four lines, cpu family 25 and 26:
    lambtha 1e-2 leaves 17 to 43 points more zeros than 0, asserted over
    10, and 5.4 to 13.6 fewer active units, asserted over 3), the figures
    and the table; run again, it keeps what is done."""
    folder = str(tmpdir)
    code, output = runs.run(['-m', 'tools.sparsity'], SWEEP_EPOCHS='2',
                            SUBSET='512', REPORT_DIR=folder)
    assert code == 0, output[-3000:]
    with open(os.path.join(folder, 'sparsity.json')) as source:
        results = json.load(source)
    assert sorted(results) == sorted(sparsity.key(value)
                                     for value in sparsity.lambthas())
    for result in results.values():
        assert result['epochs'] == 2 and result['train_samples'] == 512
        assert 0 <= result['zero_share'] <= 1
        assert 0 <= result['active_units'] <= 32
        assert len(result['reconstructions']) == 10
    assert results['0.01']['zero_share'] > results['0']['zero_share'] + 0.1
    assert results['0.01']['active_units'] < \
        results['0']['active_units'] - 3
    for figure in ('sparsity-sweep.png', 'sparsity-reconstructions.png'):
        assert os.path.exists(os.path.join(folder, figure))
    with open(os.path.join(folder, 'sparsity.md')) as source:
        text = source.read()
    assert '| {} (spec) |'.format(
        sparsity.key(sparsity.spec_equivalent())) in text
    kept, _ = sparsity.sweep(folder, 2, 512)
    assert capsys.readouterr().out.count('done before, kept') == len(results)
    assert [result['lambtha'] for result in kept] == sparsity.lambthas()
