#!/usr/bin/env python3
"""The four mains end to end for one epoch, headless: they train, print
what the spec's mains print and write every figure. On TF 1.12 the
seed-logs test runs them for two epochs instead."""
import math
import os
import re
import runpy

import numpy as np
import pytest

from conftest import ROOT, TF_VERSION, noise
from tools.runs import epoch_losses, run_main

pytestmark = pytest.mark.skipif(
    TF_VERSION == (1, 12), reason='test_seed_logs runs the mains on TF 1.12')

FLOAT = r'-?[0-9.]+(e[-+]?[0-9]+)?'
NUMBER = r'-?[0-9.]+(?:e[-+]?[0-9]+)?'
NUMBER_LINE = r'\n{}\n'.format(FLOAT)
# a row of a printed 10 x 2 array, such as " [ 0.6468047  -1.9926172 ]"
ROW = re.compile(r'^ ?\[?\[ *{0} +{0} *\]\]?$'.format(FLOAT), re.MULTILINE)
# The loss of a model that outputs 0.5 for every pixel: ln 2 a pixel
# (averaged, for the first three mains), 784 ln 2 an image (summed, the
# VAE's cross-entropy); a model trained for an epoch does far better
UNTRAINED = {'0-main.py': math.log(2), '1-main.py': math.log(2),
             '2-main.py': math.log(2), '3-main.py': 784 * math.log(2)}
# what each main prints after training, and the figures it writes
MAINS = [
    ('0-main.py', NUMBER_LINE, 0, ['0-main']),
    ('1-main.py', NUMBER_LINE, 0, ['1-main']),
    ('2-main.py', r'\(60000, 28, 28, 1\)\n\(10000, 28, 28, 1\)\n(.|\n)*'
     + NUMBER_LINE, 0, ['2-main']),
    ('3-main.py', '', 20, ['3-main-reconstructions', '3-main-manifold']),
]


@pytest.mark.parametrize('script, printed, rows, figures', MAINS,
                         ids=[main[0] for main in MAINS])
def test_main_trains_prints_and_saves_its_figures(tmpdir, script, printed,
                                                  rows, figures):
    """EPOCHS=1: one epoch of training, the spec's printed figures, and
    the figures saved as PNG where there is no display; started as a
    learner starts it, it prints no TensorFlow noise and one progress
    line per epoch; without LIVE, nothing of the live view."""
    code, output = run_main(script, 1, str(tmpdir), LIVE='')
    assert code == 0, output[-3000:]
    assert noise(output) == [], output[-3000:]
    assert 'live' not in output and not os.path.exists(os.path.join(
        str(tmpdir), script[:-3] + '-live.html'))
    losses = epoch_losses(output)
    assert len(losses) == 1, output[-3000:]
    # the epoch's mean loss is below an untrained model's, and the model
    # at its end does better still on the test digits
    loss, val_loss = losses[0]
    assert 0 < val_loss < loss < UNTRAINED[script]
    assert re.search(printed, output), output[-3000:]
    if rows:
        # the VAE main prints ten means, then ten standard deviations,
        # exp(log_var / 2): positive, and none of them NaN
        values = printed_rows(output)
        assert values.shape == (20, 2) and np.isfinite(values).all()
        assert (values[10:] > 0).all()
    else:
        # the mean of ten relu codes: a number >= 0
        mean = float(list(re.finditer(NUMBER_LINE, output))[-1].group(0))
        assert mean >= 0 and math.isfinite(mean)
    for name in figures:
        path = os.path.join(str(tmpdir), name + '.png')
        assert 'figure saved to ' + path in output
        with open(path, 'rb') as png:
            assert png.read(8) == b'\x89PNG\r\n\x1a\n'


def printed_rows(output):
    """Returns the rows of the 10 x 2 arrays printed in output."""
    return np.array([[float(value) for value in
                      re.findall(NUMBER, row.group(0))]
                     for row in ROW.finditer(output)])


@pytest.mark.parametrize('script', ['0-main.py', '3-main.py'])
def test_printed_figures_are_the_trained_encoders(script, monkeypatch,
                                                  tmpdir, capsys):
    """Run in this process for one epoch, a main prints what its trained
    encoder gives for the first ten test digits: 0-main.py the mean of
    their codes, 3-main.py their means and then exp(log_var / 2), their
    standard deviations (the others print as 0-main.py does)."""
    monkeypatch.setenv('EPOCHS', '1')
    monkeypatch.setenv('FIGURES_DIR', str(tmpdir))
    monkeypatch.delenv('LIVE', raising=False)
    scope = runpy.run_path(os.path.join(ROOT, script), run_name='__main__')
    output = capsys.readouterr().out
    encoder, digits = scope['encoder'], scope['x_test'][:10]
    if script == '0-main.py':
        printed = float(list(re.finditer(NUMBER_LINE, output))[-1].group(0))
        expected = float(np.mean(encoder.predict(digits, verbose=0)))
        assert printed == pytest.approx(expected, rel=1e-6)
    else:
        _, mean, log_var = encoder.predict(digits, verbose=0)
        values = printed_rows(output)
        np.testing.assert_allclose(values[:10], mean, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(values[10:], np.exp(log_var / 2),
                                   rtol=1e-5, atol=1e-6)
