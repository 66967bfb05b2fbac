#!/usr/bin/env python3
"""tools.suite (`make test-docs`): the figures of a make test run, read
from its results and logs, written between the page's two markers and
nowhere else."""
import json

import pytest

from tools import suite

RESULTS = (
    "TF 2.15:  2 failed, 311 passed, 5 skipped, 18 warnings in 277.17s "
    "(0:04:37) ; browser tests: run in headless Chromium "
    "(/usr/bin/chromium); ran on: AMD EPYC (cpu family 26), AVX-512; "
    "settings: oneDNN on, threads TensorFlow's default; variables set: "
    "none; skipped: fault tests run on TF 2.15 alone (0); browser tests: "
    "Playwright missing (5)\n"
    "TF 1.12:  225 passed, 7 skipped in 58.35s (0:00:58) ; browser tests: "
    "not run; ran on: AMD EPYC (cpu family 26), AVX-512; settings: "
    "threads TensorFlow's default; variables set: none; skipped: none\n"
    "make test took 1234 s\n")
LOG = ('============ slowest 8 durations ============\n'
       '68.33s call     tests/test_torn.py::test_killed\n'
       '22.72s setup    tests/test_torn.py::test_killed\n'
       '20.74s call     tests/test_torn.py::test_torn\n'
       '6.05s call     tests/test_torn.py::test_page\n')


def test_figures_are_written_between_the_markers(tmpdir):
    """Each line's counts, time, skip reasons and slowest tests, the
    run's time and the CPU replace what stood between the markers; the
    rest of the page stays."""
    tmpdir.join('results').write(RESULTS)
    tmpdir.join('pytest-tf2.15.log').write(LOG)
    page = tmpdir.join('testing.md')
    page.write('# Tests\n\nbefore\n{}\nold figures\n{}\nafter\n'.format(
        suite.BEGIN, suite.END))
    assert suite.main([str(tmpdir.join('results')), str(page)]) == 0
    text = page.read()
    assert text.startswith('# Tests\n\nbefore\n' + suite.BEGIN + '\n')
    assert text.endswith(suite.END + '\nafter\n')
    assert 'old figures' not in text
    assert '`make test` took 20 min 34 s on AMD EPYC (cpu family 26), ' \
        'AVX-512' in text
    assert '| TF 2.15 | 311 passed, 2 failed, 5 skipped | 4 min 37 s | ' \
        'fault tests run on TF 2.15 alone (0); browser tests: Playwright ' \
        'missing (5) | test_torn.py::test_killed 68 s, ' \
        'test_torn.py::test_killed 23 s, test_torn.py::test_torn 21 s |' \
        in text
    assert '| TF 1.12 | 225 passed, 0 failed, 7 skipped | 0 min 58 s | ' \
        'none |  |' in text


def test_a_page_without_markers_or_results_is_refused(tmpdir):
    """No markers, or no results: a clear error, the page unchanged."""
    tmpdir.join('results').write(RESULTS)
    page = tmpdir.join('testing.md')
    page.write('# Tests\n')
    with pytest.raises(ValueError) as info:
        suite.write(str(tmpdir.join('results')), str(page))
    assert 'no place for the figures' in str(info.value)
    tmpdir.join('empty').write('')
    with pytest.raises(ValueError) as info:
        suite.section(str(tmpdir.join('empty')))
    assert 'run make test first' in str(info.value)
    assert page.read() == '# Tests\n'


PARTS = (
    "TF 2.15 check:  1 failed, 100 passed, 2 skipped in 300.00s (0:05:00)"
    " ; browser tests: run in headless Chromium (/usr/bin/chromium); ran "
    "on: AMD EPYC (cpu family 25), no AVX-512 (AVX2); settings: oneDNN on;"
    " variables set: none; skipped: the cluster needs Dask (1); peers (1); "
    "browser tests: Playwright needs Python 3.7; this line has 3.6 (2)\n"
    "TF 2.15 rest:  200 passed, 1 skipped in {}s (0:06:40) ; browser "
    "tests: run in headless Chromium (/usr/bin/chromium); ran on: AMD EPYC"
    " (cpu family 25), no AVX-512 (AVX2); settings: oneDNN on; variables "
    "set: none; skipped: peers (1)\n"
    "make test took {} s\n")


def test_a_lines_parts_are_one_row_and_the_time_is_said_beside_the_budget(
        tmpdir):
    """A line run as two jobs (its check tests and the rest) is one row:
    counts, seconds and skip reasons added. The summary gives each line's
    time beside the budget of the CPU's kind, its environment's seconds
    and its slowest tests from both logs; within the budget it says so;
    over it, it says which line went over and which tests grew against
    the reference durations (make test-docs keeps them), never failing."""
    tmpdir.join('pytest-tf2.15-check.log').write(
        '=== slowest 20 durations ===\n'
        '107.00s setup    tests/test_check.py::test_folders\n'
        '75.00s call     tests/test_cluster.py::test_cluster\n')
    tmpdir.join('pytest-tf2.15-rest.log').write(
        '=== slowest 20 durations ===\n'
        '90.00s call     tests/test_torn.py::test_killed\n')
    tmpdir.join('environments').write('TF 2.15: 3\n')
    results = tmpdir.join('results')
    results.write(PARTS.format('400.00', 1000))
    [row, total] = suite.results_rows(str(results))
    assert row.startswith('TF 2.15: 1 failed, 300 passed, 3 skipped in '
                          '700.00s; browser tests: run in headless ')
    assert row.endswith('; skipped: the cluster needs Dask (1); peers (2); '
                        'browser tests: Playwright needs Python 3.7; this '
                        'line has 3.6 (2)')
    assert total == 'make test took 1000 s'
    reference = {'2.15': {'call tests/test_torn.py::test_killed': 30.0,
                          'setup tests/test_check.py::test_folders': 100.0}}
    text = suite.summary(str(results), 'AVX2', reference)
    assert 'TF 2.15: tests 11 min 40 s (budget 22 min 0 s); ' \
        'environment 3 s' in text
    assert text.index('107.0 s  setup tests/test_check.py::test_folders') < \
        text.index('90.0 s  call tests/test_torn.py::test_killed') < \
        text.index('75.0 s  call tests/test_cluster.py::test_cluster')
    assert 'make test: 16 min 40 s in all (budget 30 min 0 s)' in text
    assert text.splitlines()[-1] == 'within the budget'
    results.write(PARTS.format('1100.00', 2000))
    text = suite.summary(str(results), 'AVX2', reference)
    assert 'OVER BUDGET: TF 2.15 took 23 min 20 s, over its 22 min 0 s on ' \
        'a CPU with AVX2; tests that grew against docs/testing.md\'s run: ' \
        'call tests/test_torn.py::test_killed 30 s -> 90 s, call ' \
        'tests/test_cluster.py::test_cluster new -> 75 s' in text
    assert 'OVER BUDGET: make test took 33 min 20 s' in text
    assert 'test_folders' not in text.split('OVER BUDGET')[1]
    kept = str(tmpdir.join('durations.json'))
    suite.write_durations(str(results), kept, 'AVX2')
    suite.write_durations(str(results), kept, 'AVX-512')
    with open(kept) as source:
        written = json.load(source)
    assert written['AVX2'] == written['AVX-512'] == {'2.15': {
        'setup tests/test_check.py::test_folders': 107.0,
        'call tests/test_torn.py::test_killed': 90.0,
        'call tests/test_cluster.py::test_cluster': 75.0}}
