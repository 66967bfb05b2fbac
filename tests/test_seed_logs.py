#!/usr/bin/env python3
"""On TF 1.12, the line that printed the spec's logs, the first two
epochs of every main print the spec's losses (what `make seed-logs`
shows), and every main writes its figures."""
import os

import pytest

from conftest import TF_VERSION, noise
from helpers import spec
from tools import runs, seed_logs


def test_spec_logs_on_other_lines_scale():
    """Other lines see the convolutional loss per image: the spec's
    divided by the batch size; the other models' stay as printed; rows
    set beside, with no tolerance, carry no verdict."""
    conv = spec.spec_log('convolutional', 5, True)
    assert conv[0] == pytest.approx((63.9743 / 256, 43.5109 / 256))
    assert len(conv) == 5
    assert spec.spec_log('sparse', 2, True) == \
        [(0.3123, 0.2538), (0.2463, 0.2410)]
    rows = seed_logs.compare('x', [(1.0, 2.0)], [(1.0, 2.0)], None)
    assert [row[-1] for row in rows] == [None, None]


def test_compare_reads_spec_figures_within_tolerance():
    """The comparison accepts figures within the tolerance only, and
    marks missing epochs."""
    spec = [(1.0, 2.0), (3.0, 4.0)]
    rows = seed_logs.compare('x', [(1.001, 2.0), (3.1, 4.0)], spec, 0.002)
    assert [row[-1] for row in rows] == [True, True, False, True]
    rows = seed_logs.compare('x', [(1.0, 2.0)], spec, 0.002)
    assert [row[4] for row in rows] == [1.0, 2.0, None, None]
    # a tolerance per epoch: the second's looser
    rows = seed_logs.compare('x', [(1.003, 2.0), (3.02, 4.0)], spec,
                             (0.002, 0.01))
    assert [row[-1] for row in rows] == [False, True, True, True]
    assert 'OFF' in seed_logs.table(rows)


@pytest.mark.skipif(TF_VERSION != (1, 12),
                    reason='the spec printed its logs on TF 1.12')
def test_mains_print_the_spec_losses_on_tf_1_12(tmpdir):
    """Every main's first two epochs match the spec's printed losses."""
    rows, outputs = seed_logs.check(str(tmpdir))
    print(seed_logs.table(rows))
    for script, (code, output) in outputs.items():
        assert code == 0, output[-3000:]
        assert noise(output) == [], output[-3000:]
    assert all(row[-1] for row in rows), seed_logs.table(rows)
    names = ['0-main', '1-main', '2-main', '3-main-reconstructions',
             '3-main-manifold']
    assert sorted(os.listdir(str(tmpdir))) == \
        sorted(name + '.png' for name in names)


def test_an_edition_without_logs_of_its_own_is_refused():
    """EDITION names the 2024 page, printed on TF 2.15; another edition,
    or that one on another line, is refused with a line saying so."""
    code, output = runs.run(['-m', 'tools.seed_logs'], EDITION='1999')
    assert code == 2, output[-3000:]
    assert 'make seed-logs EDITION=2024' in output
    assert set(seed_logs.EDITION_2024_LOGS) == set(
        name for _, name, _, _ in seed_logs.MAINS)
    assert seed_logs.EDITION_2024_SETTINGS['TF_ENABLE_ONEDNN_OPTS'] == '0'
    assert seed_logs.EDITION_2024_SETTINGS['PYTHONHASHSEED'] == '0'
