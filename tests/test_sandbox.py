#!/usr/bin/env python3
"""make check runs code nobody here wrote (tools.check.sandbox): a
learner's file that writes files, connects and starts a process is
contained (nothing written outside scratch, nothing received, nothing
left running) and each attempt is named; what a child prints is kept
bounded; a child at the memory or the time limit is said to be exactly
that; without bubblewrap the report's first line says the code ran
unisolated. With bwrap present (CI installs it) the sandbox is tested;
where it is missing the containment tests skip, except in CI."""
import os
import resource
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT, TF_VERSION
from helpers import variables
from test_check import VANILLA, check, solution
from tools.check import sandbox

SANDBOX = sandbox.bwrap()
needs_sandbox = pytest.mark.skipif(
    SANDBOX is None and not variables.get('CI'),
    reason='no working bwrap: apt-get install bubblewrap')
# a sleep whose length no other process here has
SLEEPER = 'sleep 347'


def sleepers():
    """Returns the pids of processes running SLEEPER."""
    found = subprocess.run(['pgrep', '-f', SLEEPER], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.split()
    return [int(pid) for pid in found]


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that accepts nothing by itself; yields
    (its port, a function returning what connected to it)."""
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(4)
    server.setblocking(False)

    def received():
        """Returns the bytes of every connection made so far."""
        got = []
        while True:
            try:
                connection, _ = server.accept()
            except (BlockingIOError, socket.timeout):
                return got
            connection.settimeout(2)
            try:
                got.append(connection.recv(100))
            except OSError:
                got.append(b'')
            connection.close()
    yield server.getsockname()[1], received
    server.close()


# A right vanilla file (a learner's) that meddles when imported: it
# writes to each of {paths}, connects to {port} and starts {sleeper}
MEDDLING = '''

for path in [
        {paths},  # noqa
]:
    try:
        with open(path, 'w') as note:
            note.write('written at import')
    except OSError:
        pass
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')
except OSError:
    pass
subprocess.Popen({sleeper!r}.split(), start_new_session=True)
'''


def meddler(paths, port):
    """Returns the text of the meddling file."""
    with open(os.path.join(ROOT, 'tests', 'learners',
                           'vanilla_summary.py')) as source:
        text = source.read().replace('    auto.summary()\n', '')
    text = text.replace('import tensorflow.keras as keras\n',
                        'import socket\nimport subprocess\n\n'
                        'import tensorflow.keras as keras\n')
    return text + MEDDLING.format(
        paths=',  # noqa\n        '.join(repr(path) for path in paths),
        port=port, sleeper=SLEEPER)


@needs_sandbox
@pytest.mark.skipif(TF_VERSION not in ((2, 15), (1, 15)),
                    reason='the sandbox is the line\'s own: tested on TF '
                    '2.15 (audit hooks name what was tried) and on TF 1.15 '
                    '(Python 3.7: contained alone)')
def test_side_effects_are_contained_and_named(tmpdir, listener):
    """A file that at import writes under /tmp, into its own folder and
    into the project, connects to a listener on 127.0.0.1 and starts a
    detached sleeper: afterwards no such file exists, the listener got
    nothing, no sleeper is left, and (Python 3.8 and later) one finding
    names each attempt."""
    port, received = listener
    folder = str(tmpdir.join('meddler'))
    os.makedirs(folder)
    paths = ['/tmp/learner-wrote-{}.txt'.format(os.getpid()),
             os.path.join(folder, 'dropped.txt'),
             os.path.join(ROOT, 'learner-wrote-here.txt')]
    with open(os.path.join(folder, VANILLA), 'w') as target:
        target.write(meddler(paths, port))
    os.chmod(os.path.join(folder, VANILLA), 0o755)
    before = set(sleepers())
    try:
        code, results = check(folder, '--quick', '--patience=120')
        assert code == 1, results
        assert [path for path in paths if os.path.exists(path)] == []
        assert received() == []
        assert set(sleepers()) - before == set()
    finally:
        for path in paths:
            if os.path.exists(path):
                os.remove(path)
    fails = {item['check'] for item in results[VANILLA]
             if item['status'] == 'fail'}
    if sys.version_info >= (3, 8):
        assert fails == {'imports', 'side effects'}, results
        [effects] = [item for item in results[VANILLA]
                     if item['check'] == 'side effects']
        for path in paths:
            assert 'writing ' + path in effects['said']
        assert "connecting to ('127.0.0.1', {})".format(port) in \
            effects['said']
        assert 'sleep 347' in effects['said']
    else:
        assert fails == {'imports'}, results


def run_child(tmpdir, code, patience=60):
    """Runs `python -c code` through sandbox.run in a scratch folder;
    returns (the Run, seconds it took)."""
    scratch = str(tmpdir.mkdtemp())
    started = time.time()
    run = sandbox.run(['-c', code], scratch, [ROOT], patience)
    return run, time.time() - started


def test_what_a_child_prints_is_kept_bounded(tmpdir):
    """300 MB printed: the head and tail kept are a few kB, the rest only
    counted, and the checker's memory does not grow by it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run, _ = run_child(tmpdir, 'import sys\nfor _ in range(300):\n'
                       '    sys.stdout.write("x" * 999999 + "\\n")\n')
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert run.code == 0
    assert len(run.output) < sandbox.HEAD + sandbox.TAIL + 100
    assert run.dropped == 300 * 10 ** 6 - sandbox.HEAD - sandbox.TAIL
    assert grown < 64 * 1024, grown  # kB


def test_a_grandchild_holding_the_pipe_does_not_hold_the_check(tmpdir):
    """A child that starts a detached sleeper holding its output and
    exits: the run returns at once (the sleeper ended with it in the
    sandbox; outside one, no longer read)."""
    run, took = run_child(tmpdir, 'import subprocess\nsubprocess.Popen('
                          '{!r}.split(), start_new_session=True)\n'
                          'print("started")\n'.format(SLEEPER))
    try:
        assert run.code == 0 and 'started' in run.output
        assert took < 30
        if SANDBOX:
            assert sleepers() == []
    finally:
        for pid in sleepers():
            os.kill(pid, 9)


def test_the_limits_are_named(tmpdir, monkeypatch):
    """A child past the memory limit, one past the time limit and one
    killed by a signal are each said to be exactly that."""
    from tools import check
    monkeypatch.setattr(check, 'MEMORY', 1 << 30)
    monkeypatch.setattr(check, 'PATIENCE', 5)
    run, _ = run_child(tmpdir, 'hog = bytearray(2 << 30)')
    assert sandbox.stopped(run, 'allocating') == \
        'stopped at the 1 GB memory limit while allocating'
    run, took = run_child(tmpdir, 'import time\ntime.sleep(60)', patience=5)
    assert took < 30
    assert sandbox.stopped(run, 'sleeping') == \
        'stopped at the 5 s time limit while sleeping'
    run, _ = run_child(tmpdir, 'import os, signal\nos.kill(os.getpid(), '
                       'signal.SIGSEGV)')
    assert sandbox.stopped(run, 'building') == \
        'stopped by signal SIGSEGV while building'


@pytest.mark.skipif(TF_VERSION != (2, 15),
                    reason='the report\'s first line is the same on every '
                    'line: tested on TF 2.15')
def test_without_bwrap_the_report_says_unisolated(tmpdir):
    """CHECK_SANDBOX=0 (as where bwrap is missing): the report's first
    line says the code ran unisolated and how to get a sandbox."""
    folder = solution(str(tmpdir.join('solution')), modules=(VANILLA,))
    process = subprocess.Popen(
        [sys.executable, '-m', 'tools.check', folder, '--quick'], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, env=dict(os.environ, CHECK_SANDBOX='0'))
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 0, output
    first = output.splitlines()[0]
    assert 'NOT ISOLATED (CHECK_SANDBOX=0)' in first
    assert 'apt-get install bubblewrap' in first


def test_what_lies_under_tmp_is_bound_over_the_private_tmp():
    """A learner's folder, a project or a Python under /tmp (a clone
    there) is shown in the child's view: the private /tmp is made before
    anything is bound, never over it."""
    line = sandbox.view(['/tmp/class/ada'], [(__file__, '/check/x.py')])
    made = [i for i, part in enumerate(line[:-1])
            if part == '--tmpfs' and line[i + 1] == '/tmp']
    # every bind but the system's own folders (a Python, a project or a
    # learner's folder may lie anywhere, /tmp included)
    system = ('/usr', '/bin', '/sbin', '/lib', '/etc/', '/sys')
    bound = [i for i, part in enumerate(line[:-2])
             if part in ('--ro-bind', '--bind', '--symlink') and
             not line[i + 2].startswith(system)]
    assert len(made) == 1 and bound and min(bound) > made[0], line
    assert '/tmp/class/ada' in line[made[0]:]
