#!/usr/bin/env python3
"""Every environment variable the project reads, declared once: its
default, what it means and how its text is read. The project reads them
through get() alone (tests/test_variables.py finds any other reading);
docs/variables.md is this table, and the Makefile's head names each.

The kinds, and how their text is read (spaces around it ignored; unset
and empty are the same):
- count: a positive integer;
- number: an integer of at least 0;
- switch: 0 turns it off, any other text on (unset: its default);
- text: taken as it is.
A count or number that does not parse raises a ValueError naming the
variable, before anything is trained. Standard library alone: the
helpers package reads these before TensorFlow is imported."""
import os


class Variable(object):
    """One environment variable: its name, kind, default (what get()
    returns where it is unset), who reads it and what it means."""

    def __init__(self, name, kind, default, reader, meaning):
        """Keeps the variable's declaration."""
        self.name, self.kind, self.default = name, kind, default
        self.reader, self.meaning = reader, meaning


VARIABLES = [
    # the mains and every run
    Variable('EPOCHS', 'count', None, 'mains, tools',
             'epochs to train instead of the main\'s (or the tool\'s)'),
    Variable('THREADS', 'count', None, 'mains, tools, tests',
             'threads for TensorFlow\'s two pools (default: '
             'TensorFlow\'s, as many as the cores)'),
    Variable('STEPS_PER_CALL', 'count', 47, 'mains, tools',
             'training steps per call into TensorFlow on TF 2 '
             '(helpers.runtime.speed_up)'),
    Variable('TF_ENABLE_ONEDNN_OPTS', 'switch', True, 'TensorFlow, helpers',
             'oneDNN kernels on TF 2; helpers.settings sets it to 1 where '
             'it is unset'),
    Variable('ONEDNN_MAX_CPU_ISA', 'text', None, 'oneDNN',
             'the newest instruction set oneDNN may use (AVX2: the '
             'kernels of a CPU without AVX-512)'),
    Variable('TF_NUM_INTRAOP_THREADS', 'text', None, 'TensorFlow',
             'TensorFlow\'s own thread settings: make bench names them '
             'where set (THREADS is the project\'s)'),
    Variable('TF_NUM_INTEROP_THREADS', 'text', None, 'TensorFlow',
             'as TF_NUM_INTRAOP_THREADS'),
    Variable('OMP_NUM_THREADS', 'text', None, 'OpenMP',
             'as TF_NUM_INTRAOP_THREADS'),
    Variable('XLA', 'switch', True, 'helpers',
             'XLA for the dense models on Keras 3 (helpers.settings)'),
    Variable('QUIET', 'switch', True, 'helpers',
             'helpers.quiet: TensorFlow\'s start-up noise dropped from '
             'stderr, one progress line an epoch off a terminal; 0 leaves '
             'stderr and the progress bar alone'),
    Variable('TF_CPP_MIN_LOG_LEVEL', 'text', None, 'TensorFlow, helpers',
             'TensorFlow\'s C++ log level; helpers.quiet sets 2 where it '
             'is unset and passes lines of the levels asked for'),
    Variable('LIVE', 'switch', False, 'mains, tools',
             'the live view: a local page that shows the model learn '
             '(docs/live.md); make bench takes its snapshots'),
    Variable('LIVE_PORT', 'number', 0, 'mains',
             'the live view\'s port on 127.0.0.1 (0: any free port)'),
    Variable('FIGURES_DIR', 'text', 'figures', 'mains',
             'the folder the mains save their figures in'),
    Variable('DISPLAY', 'text', None, 'helpers',
             'an X display: the mains show their figures in a window '
             '(else they only save them)'),
    Variable('WAYLAND_DISPLAY', 'text', None, 'helpers',
             'a Wayland display: as DISPLAY'),
    # the tools
    Variable('SEED', 'number', 0, 'tools, tests',
             'the seed of the tools and the tests that train (the mains '
             'always seed 0)'),
    Variable('SUBSET', 'count', None, 'tools',
             'train on the first SUBSET training digits (report, sweep, '
             'bench, explorer, peers)'),
    Variable('SWEEP_EPOCHS', 'count', None, 'tools',
             'epochs of each lambtha of the sparsity sweep (default: '
             'tools.sparsity.SWEEP_EPOCHS, or EPOCHS)'),
    Variable('BENCH_EPOCHS', 'count', 5, 'tools',
             'epochs make bench measures after its warm-up'),
    Variable('BENCH_ROWS', 'text', None, 'tools',
             'a file make bench appends its rows to, for the peers\' '
             'comparison'),
    Variable('MODELS_DIR', 'text', None, 'tools',
             'the saved models\' folder (default: models/<line>)'),
    Variable('REPORT_DIR', 'text', None, 'tools',
             'the report\'s folder (default: reports/<line>)'),
    Variable('EXPLORER_DIR', 'text', None, 'tools',
             'the explorer page\'s folder (default: explorer/)'),
    Variable('EDITION', 'text', None, 'tools',
             'make seed-logs: 2024 sets the mains beside the 2024 page'),
    Variable('CHROMIUM', 'text', None, 'tools, tests',
             'the Chromium to drive (default: chromium on PATH)'),
    Variable('CHECK_SANDBOX', 'switch', True, 'tools',
             'make check runs learners\' code in a bubblewrap sandbox '
             'where bwrap works; 0 runs it unisolated, the report says so '
             '(tools.check.runners.sandbox)'),
    Variable('CHECK_UNISOLATED', 'switch', False, 'tools',
             'make check SOLUTIONS= and make check-worker refuse to run '
             'learners\' code where no sandbox can be made; 1 runs it '
             'unisolated on purpose (tools.check.runners.sandbox)'),
    Variable('JOBS', 'count', None, 'tools',
             'make check SOLUTIONS=: learners checked at a time (default: '
             'the cores)'),
    Variable('AUTOGRADER_ROOT', 'text', '/autograder', 'tools',
             'make gradescope\'s setup.sh and run_autograder: the root '
             'Gradescope gives them (a test runs them under its own) '
             '(tools.check.runners.gradescope)'),
    # the tests
    Variable('CI', 'switch', False, 'tests',
             'set by .ci/run: a browser test that cannot run fails '
             'instead of skipping'),
    Variable('TEST_TIMEOUT', 'count', 600, 'tests',
             'the seconds one test may take before it is stopped'),
    Variable('TEST_KILL_AT', 'count', None, 'tests',
             'helpers.files kills its process at its Nth point of writing '
             '(two a file: written, then placed; the tests of torn files)'),
]
DECLARED = {variable.name: variable for variable in VARIABLES}


def text(name):
    """Returns the text of variable name as set, spaces stripped; '' where
    it is unset. Raises KeyError for a name not declared."""
    return os.environ.get(DECLARED[name].name, '').strip()


def get(name):
    """Returns variable name read as its kind, or its default where it is
    unset or empty; raises ValueError naming it where a count or number
    does not parse."""
    variable, given = DECLARED[name], text(name)
    if not given:
        return variable.default
    if variable.kind in ('count', 'number'):
        least = 1 if variable.kind == 'count' else 0
        if not given.isdigit() or int(given) < least:
            raise ValueError('{} must be {}, got {!r}'.format(
                name, 'a positive integer' if least else 'an integer >= 0',
                given))
        return int(given)
    if variable.kind == 'switch':
        return given != '0'
    return given


def table():
    """Returns the declarations as a Markdown table (docs/variables.md)."""
    rows = ['| variable | kind | default | read by | meaning |',
            '| --- | --- | --- | --- | --- |']
    for variable in VARIABLES:
        rows.append('| `{}` | {} | {} | {} | {} |'.format(
            variable.name, variable.kind, shown(variable.default),
            variable.reader, variable.meaning))
    return '\n'.join(rows) + '\n'


def shown(default):
    """Returns default as the table shows it: on, off, unset or itself."""
    if default is None:
        return 'unset'
    if default is True or default is False:
        return 'on' if default else 'off'
    return str(default)
