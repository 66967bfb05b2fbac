#!/usr/bin/env python3
"""Shared fixtures: the repository on sys.path, the exercise modules
loaded by file name, a fresh Keras session per test and a small real
MNIST subset."""
import contextlib
import faulthandler
import importlib
import os
import signal
import sys

import pytest

# Tests draw figures off screen, whatever display the machine has
os.environ['MPLBACKEND'] = 'Agg'

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

# the helpers package first: it imports TensorFlow without its noise
from helpers import runtime, variables, versions  # noqa: E402

import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

TF_VERSION = versions.NUMBERS
# helpers.runtime.speed_up's steps per call by default: TF 1.x has no
# such setting and runs one
STEPS_PER_CALL = 1 if TF_VERSION < (2, 0) else 47
# The seed that the tests which train start from: SEED, else 0. What they
# assert holds for every seed and CPU tried, with a margin (tools/margins.py
# measures it); `make test SEED=3` runs the suite from another seed
SEED = runtime.tools_seed()


def clear_session():
    """Empties Keras's session: layer names count from the start again,
    and TF 1.x's graph is new. Keras 3's clear_session also runs
    gc.collect() unless told not to (free_memory=False): a third of a
    second a call, over five minutes for a thousand tests on TF 2.21,
    and a fresh session needs none of it."""
    try:
        keras.backend.clear_session(free_memory=False)
    except TypeError:  # Keras 2: no such argument, and no gc.collect()
        keras.backend.clear_session()


def load(name):
    """Returns the exercise module of file name.py, as graders import it."""
    return importlib.import_module(name)


@pytest.fixture(autouse=True)
def fresh_session():
    """Starts every test on an empty Keras session (TF 1.x keeps every
    model in one graph otherwise)."""
    clear_session()
    yield
    clear_session()


def run_report(folder, **env):
    """Runs `python -m tools.report` for one epoch on 256 digits into
    folder, its models saved in folder/models, env added to its
    environment; returns (exit code, output)."""
    from tools import runs
    return runs.run(['-m', 'tools.report'], EPOCHS='1', SUBSET='256',
                    REPORT_DIR=folder,
                    MODELS_DIR=os.path.join(folder, 'models'), **env)


@pytest.fixture(scope='session')
def short_report(tmpdir_factory):
    """One uninterrupted run_report, shared by the tests that read it
    and must not change it: (its folder, its output)."""
    folder = str(tmpdir_factory.mktemp('report').join('tf'))
    code, output = run_report(folder)
    assert code == 0, output[-3000:]
    return folder, output


@pytest.fixture(scope='session')
def mnist():
    """tools.margins.digits(): 1024 and 256 real digits, loaded once."""
    from tools import margins
    return margins.digits()


# What TensorFlow prints at start-up that says nothing about a CPU run: a
# main's output holds none of it (helpers.quiet)
NOISE = ['is deprecated', 'Instructions for updating', 'cuda', 'cuDNN',
         'cuFFT', 'cuBLAS', 'cuInit', 'TensorRT', 'oneDNN custom operations',
         'absl', 'cpu_feature_guard', 'CPU instructions', 'XLA service',
         'only on platforms with AVX-512']


def noise(output):
    """Returns the lines of output that hold TensorFlow's start-up noise,
    or more than one progress bar (updates written over each other)."""
    return [line for line in output.splitlines()
            if any(message in line for message in NOISE) or
            line.count('/step') + line.count('/sample') > 1 or
            line.count('ETA') > 0]


def layer_kinds(model):
    """Returns the class names of model's layers, InputLayer left out
    (Keras 3 and Keras 2 list it differently)."""
    return [type(layer).__name__ for layer in model.layers
            if type(layer).__name__ != 'InputLayer']


def activation(layer):
    """Returns the name of layer's activation function."""
    return layer.activation.__name__


def graph_op_count():
    """Returns the number of ops in TF 1.x's default graph (None on TF 2,
    which builds no graph up front)."""
    if TF_VERSION >= (2, 0):
        return None
    return len(tf.get_default_graph().get_operations())


def rejects(build, args, error, name):
    """Calls build(*args) on an empty session, checks that it raises error
    with a message naming the argument name, and that it built nothing
    before raising: no graph op on TF 1.x, no layer on any line."""
    clear_session()
    graph_ops = graph_op_count()
    with pytest.raises(error) as info:
        build(*args)
    assert name in str(info.value)
    assert graph_op_count() == graph_ops
    assert keras.layers.Dense(1).name == 'dense'
    assert keras.layers.Conv2D(1, 3).name == 'conv2d'


# What a run of the suite may be asked to run under (docs/testing.md)
VARIABLES = ('SEED', 'THREADS', 'TF_ENABLE_ONEDNN_OPTS', 'ONEDNN_MAX_CPU_ISA',
             'XLA', 'TEST_TIMEOUT')

# Seconds one test's setup, or the test itself, may take before it fails
# as hung: TEST_TIMEOUT, else 600 (the longest here, TF 1.12's seed logs,
# take about two minutes)
TEST_TIMEOUT = variables.get('TEST_TIMEOUT')


class Hung(Exception):
    """A test, or its setup, ran over TEST_TIMEOUT seconds."""


@contextlib.contextmanager
def time_limit(item, phase):
    """Runs a phase of item under the time limit: SIGALRM raises Hung in
    the test, naming it; where the hang is inside C code that a signal
    cannot interrupt, faulthandler prints every thread's stack a minute
    later and ends the run."""
    def hung(signum, frame):
        """Stops the test, naming it."""
        raise Hung('{} {} ran over {} s (TEST_TIMEOUT): stopped as '
                   'hung'.format(item.nodeid, phase, TEST_TIMEOUT))
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(TEST_TIMEOUT)
    faulthandler.dump_traceback_later(TEST_TIMEOUT + 60, exit=True)
    try:
        yield
    finally:
        signal.alarm(0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """A fixture's setup runs under the time limit."""
    with time_limit(item, 'setup'):
        yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    """Every test runs under the time limit."""
    with time_limit(item, 'call'):
        yield


def pytest_terminal_summary(terminalreporter):
    """Ends the run with a line saying whether the browser tests ran and
    one naming the CPU and the settings it ran under, for `make test`'s
    summary of each line."""
    from helpers import settings
    from tools import browser, speed
    reason = browser.missing()
    terminalreporter.write_line('browser tests: {}'.format(
        'not run, ' + reason if reason else
        'run in headless Chromium ({})'.format(browser.chromium())))
    terminalreporter.write_line(
        'ran on: {}; settings: {}; variables set: {}'.format(
            speed.cpu(), settings.describe(),
            settings.variables_set(VARIABLES)))
    reasons = {}
    for report in terminalreporter.stats.get('skipped', []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) \
            else str(report.longrepr)
        reason = reason.replace('Skipped: ', '', 1)
        reasons[reason] = reasons.get(reason, 0) + 1
    terminalreporter.write_line('skipped: {}'.format('; '.join(
        '{} ({})'.format(reason, count)
        for reason, count in sorted(reasons.items())) or 'none'))


def browser_missing():
    """Returns why the browser tests cannot run here, or None; raises
    where they must run (CI set) and could, but for a missing browser or
    Playwright (Python 3.6, TF 1.12's, has no Playwright: they skip)."""
    from tools import browser
    reason = browser.missing()
    if reason and variables.get('CI') and 'Python' not in reason:
        raise RuntimeError('the browser tests must run in CI: ' + reason)
    return reason


BROWSER_MISSING = browser_missing()
# the mark of a test that drives Chromium
needs_browser = pytest.mark.skipif(
    BROWSER_MISSING is not None,
    reason='browser tests: {}'.format(BROWSER_MISSING))
