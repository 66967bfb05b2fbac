#!/usr/bin/env python3
"""tools.suite (`make test-docs`): the figures of a make test run, read
from its results and logs, written between the page's two markers and
nowhere else."""
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
