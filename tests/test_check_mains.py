#!/usr/bin/env python3
"""make check runs a learner's mains in one sandboxed process that
imports TensorFlow once, each main in a child forked from it
(tools.check.inside.mains, tools.check.runners.single.run_mains). A main
run so prints what a fresh `python N-main.py` prints; each main starts
from the same state whatever the one before it did; each ends as it
would alone (its exit code, its traceback naming the learner's line, its
signal, its time limit), and a main that kills the process running it
costs the others nothing: they run in a fresh one. Tiny mains stand in
for the spec's (they import what a main imports), so these run in
seconds; the one real main is the vanilla's, on every line."""
import os
import signal
import subprocess
import time

import pytest

from conftest import ROOT
from tools import runs
from tools.check.judge import diagnoses
from tools.check.runners import sandbox, single

SANDBOX = sandbox.bwrap()
# a sleep whose length no other process here has
SLEEPER = 'sleep 353'


def sleepers():
    """Returns the pids of processes running SLEEPER."""
    found = subprocess.run(['pgrep', '-f', SLEEPER], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.split()
    return [int(pid) for pid in found]


def mains(folder, texts):
    """Writes each of texts as a main of its own into folder's
    subfolders, beside a learner's module, learner.py; returns the
    (folder, main file) pairs run_mains takes."""
    entries = []
    for i, text in enumerate(texts):
        place = os.path.join(folder, str(i))
        os.makedirs(place)
        with open(os.path.join(place, 'learner.py'), 'w') as target:
            target.write('import json\n\n\ndef build(x):\n    """Builds"""'
                         '\n    return 1 / x\n')
        with open(os.path.join(place, '{}-main.py'.format(i)), 'w') as target:
            target.write('import json\nimport numpy as np\n\n'
                         'learner = __import__("learner")\n' + text)
        entries.append((place, '{}-main.py'.format(i)))
    return entries


def run(tmpdir, texts, patience=60):
    """Returns the Runs of texts as mains, and the seconds they took."""
    folder = str(tmpdir.join('mains'))
    os.makedirs(folder)
    started = time.time()
    done = single.run_mains(mains(folder, texts), folder, [], patience)
    return done, time.time() - started


def test_each_main_ends_as_it_would_alone(tmpdir):
    """A main that prints, one whose learner's function raises, one that
    exits with 3, one whose message is its exit: each Run has its own
    output and exit code, the traceback names the learner's line."""
    done, _ = run(tmpdir, [
        'print("mean", np.mean([1, 2]))\n',
        'print("before")\nlearner.build(0)\n',
        'import sys\nsys.exit(3)\n',
        'raise SystemExit("a message")\n'])
    assert [item.code for item in done] == [0, 1, 3, 1]
    assert 'mean 1.5' in done[0].output
    assert 'before' in done[1].output and 'mean' not in done[1].output
    line, _ = diagnoses.from_output(done[1].output, [os.path.join(
        str(tmpdir), 'mains', '1', 'learner.py')])
    assert line.startswith('learner.py:6: ZeroDivisionError'), line
    assert 'mains.py' not in done[1].output
    assert 'a message' in done[3].output


def test_a_main_starts_from_the_state_a_fresh_process_has(tmpdir):
    """What one main changes in a module they share (json, numpy's seed)
    is not there for the next: each is forked from the same state."""
    done, _ = run(tmpdir, [
        'json.changed = True\nnp.random.seed(5)\nprint(np.random.rand())\n',
        'print(hasattr(json, "changed"))\n'])
    assert [item.code for item in done] == [0, 0]
    assert 'False' in done[1].output


def test_a_main_that_kills_its_process_costs_the_others_nothing(tmpdir):
    """A main that kills the process running the mains: its Run says it
    was stopped by that signal; the next main runs in a fresh process,
    and so does the one after a main that hangs past its limit."""
    done, took = run(tmpdir, [
        'import os, signal\nprint("going")\n'
        'os.kill(os.getppid(), signal.SIGKILL)\nimport time\n'
        'time.sleep(60)\n',
        'print("second")\n',
        'import time\ntime.sleep(60)\n',
        'import os, time\nos.close(1)\nos.close(2)\ntime.sleep(60)\n',
        'print("last")\n'], patience=5)
    assert diagnoses.stopped(done[0], 'running it') == \
        'stopped by signal SIGKILL while running it (the system\'s ' \
        'out-of-memory killer sends it)'
    assert 'going' in done[0].output
    assert done[1].code == 0 and 'second' in done[1].output
    assert done[2].timed_out and done[3].timed_out
    assert done[4].code == 0 and 'last' in done[4].output
    assert took < 60


@pytest.mark.skipif(not SANDBOX, reason='processes left behind are '
                    'stopped in the sandbox\'s own process tree')
def test_what_a_main_leaves_running_is_stopped_before_the_next(tmpdir):
    """A main that starts a detached sleeper and ends: the sleeper is
    gone before the next main starts, and after the run none is left."""
    try:
        done, _ = run(tmpdir, [
            'import subprocess\nsubprocess.Popen({!r}.split(), '
            'start_new_session=True, stdout=subprocess.DEVNULL, '
            'stderr=subprocess.DEVNULL)\n'.format(SLEEPER),
            'import subprocess\nprint(subprocess.run(["pgrep", "-c", '
            '"sleep"], stdout=subprocess.PIPE).stdout.decode().strip() '
            'or "0")\n'])
        assert [item.code for item in done] == [0, 0], done[1].output
        assert done[1].output.split()[-1] == '0', done[1].output
        assert sleepers() == []
    finally:
        for pid in sleepers():
            os.kill(pid, signal.SIGKILL)


def test_the_vanilla_main_prints_what_it_prints_alone(tmpdir):
    """Our 0-main.py for one epoch, run as make check runs a learner's
    main, prints the first loss a fresh Python prints on this machine
    with the same threads (to its last printed digit; TF 1.12 prints
    0.2489 on one thread, 0.2504 on two) and the same lines after the
    epoch."""
    folder = str(tmpdir.join('figures'))
    os.makedirs(folder)
    [forked] = single.run_mains([(ROOT, '0-main.py')], folder, [ROOT], 600)
    code, alone = runs.run(['0-main.py'], EPOCHS='1', FIGURES_DIR=folder,
                           **sandbox.one_thread())
    assert forked.code == 0 and code == 0, forked.output
    first, expected = runs.epoch_losses(forked.output)[0][0], \
        runs.epoch_losses(alone)[0][0]
    assert abs(first - expected) <= 2e-4 * expected, (first, expected)
    assert single.printed_form(forked.output) == single.printed_form(alone)
