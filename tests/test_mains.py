#!/usr/bin/env python3
"""The four mains end to end for one epoch, headless: they train, print
what the spec's mains print and write every figure. On TF 1.12 the
seed-logs test runs them for two epochs instead."""
import os
import re

import pytest

from conftest import TF_VERSION, noise
from tools.runs import epoch_losses, run_main

pytestmark = pytest.mark.skipif(
    TF_VERSION == (1, 12), reason='test_seed_logs runs the mains on TF 1.12')

FLOAT = r'-?[0-9.]+(e[-+]?[0-9]+)?'
NUMBER_LINE = r'\n{}\n'.format(FLOAT)
# a row of a printed 10 x 2 array, such as " [ 0.6468047  -1.9926172 ]"
ROW = re.compile(r'^ ?\[?\[ *{0} +{0} *\]\]?$'.format(FLOAT), re.MULTILINE)
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
    assert len(losses) == 1 and all(value > 0 for value in losses[0])
    assert re.search(printed, output), output[-3000:]
    # the VAE main prints ten means and ten standard deviations
    assert len(ROW.findall(output)) == rows, output[-3000:]
    for name in figures:
        path = os.path.join(str(tmpdir), name + '.png')
        assert 'figure saved to ' + path in output
        with open(path, 'rb') as png:
            assert png.read(8) == b'\x89PNG\r\n\x1a\n'
