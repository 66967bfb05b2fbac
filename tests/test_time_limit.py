#!/usr/bin/env python3
"""Every wait is bounded: a test (or its fixture's setup) that runs over
TEST_TIMEOUT seconds fails, naming itself, instead of stalling the run
(conftest's limit)."""
import os
import subprocess
import sys

from conftest import ROOT

TESTS = os.path.join(ROOT, 'tests')


def test_a_hung_test_fails_with_its_name(tmpdir):
    """A test that sleeps for a minute under TEST_TIMEOUT=2 fails within
    seconds, its name and the limit in the report; the next test runs."""
    tmpdir.join('test_hangs.py').write(
        'import time\n\n\ndef test_sleeps():\n    time.sleep(60)\n\n\n'
        'def test_after():\n    pass\n')
    env = dict(os.environ, TEST_TIMEOUT='2', PYTHONPATH=TESTS)
    process = subprocess.Popen(
        [sys.executable, '-m', 'pytest', '-p', 'conftest', '-p',
         'no:cacheprovider', '-q', 'test_hangs.py'], cwd=str(tmpdir),
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 1, output
    assert 'test_hangs.py::test_sleeps call ran over 2 s (TEST_TIMEOUT): ' \
        'stopped as hung' in output
    assert '1 failed, 1 passed' in output
