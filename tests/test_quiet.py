#!/usr/bin/env python3
"""helpers.quiet: which of TensorFlow's start-up lines it hides and which
it keeps (the mains' whole output is checked in test_mains)."""
import logging
import os
import subprocess
import sys

from conftest import ROOT, TF_VERSION
from helpers import quiet

INFO_2_15 = ('2026-11-25 13:01:53.280625: I tensorflow/core/util/port.cc:113]'
             ' oneDNN custom operations are on.')
WARNING_2_15 = ('2026-11-25 13:01:54.167531: W tensorflow/compiler/tf2tensorrt'
                '/utils/py_utils.cc:38] TF-TRT Warning: Could not find '
                'TensorRT')
INFO_ABSL = ('I0000 00:00:1795611798.470842    7633 cudart_stub.cc:31] Could '
             'not find cuda drivers on your machine, GPU will not be used.')
FACTORY = ('2026-11-25 13:01:53.327799: E external/local_xla/xla/'
           'stream_executor/cuda/cuda_dnn.cc:9261] Unable to register cuDNN '
           'factory: Attempting to register factory for plugin cuDNN')
CUINIT = ('E0000 00:00:1795611800.518687    7633 cuda_platform.cc:52] failed '
          'call to cuInit: INTERNAL: CUDA error')
FALLBACK = ('E0000 00:00:1795717411.251605   22172 util.cc:131] oneDNN '
            'supports DT_INT32 only on platforms with AVX-512. Falling back '
            'to the default Eigen-based implementation if present.')
REAL_ERROR = ('E0000 00:00:1795611800.518687    7633 op_kernel.cc:1] '
              'OOM when allocating tensor')


def test_hides_notices_and_gpu_noise_keeps_errors(monkeypatch):
    """At TF_CPP_MIN_LOG_LEVEL=2, info and warning lines in either log
    format go, and so do the GPU plugin errors; other errors and plain
    lines stay. At 0 the notices stay too."""
    monkeypatch.setenv('TF_CPP_MIN_LOG_LEVEL', '2')
    for line in (INFO_2_15, WARNING_2_15, INFO_ABSL, FACTORY, CUINIT, FALLBACK,
                 'To enable the following instructions: AVX2 FMA'):
        assert quiet.hidden(line), line
    for line in (REAL_ERROR, 'Traceback (most recent call last):',
                 'Epoch 1/50'):
        assert not quiet.hidden(line), line
    monkeypatch.setenv('TF_CPP_MIN_LOG_LEVEL', '0')
    assert not quiet.hidden(INFO_2_15) and not quiet.hidden(INFO_ABSL)
    assert quiet.hidden(FACTORY)


def test_drops_deprecation_warnings_only():
    """TF 1.x's deprecation warnings are dropped, other warnings kept."""
    keep = quiet.DropDeprecations().filter
    record = logging.LogRecord(
        'tensorflow', logging.WARNING, __file__, 1,
        'From x.py:3: calling f (from y) is deprecated and will be removed'
        ' in a future version.\nInstructions for updating:\nUse g', (), None)
    assert not keep(record)
    record.msg = 'Model was constructed with shape (None, 784)'
    assert keep(record)


# Writes, after the helpers' import, what TensorFlow's C++ code writes
# while it trains (straight to file descriptor 2), then fails
WRITES_AND_FAILS = """
import os, sys
import helpers
for line in sys.argv[1:]:
    os.write(2, (line + '\\n').encode())
sys.stderr.write('a Python warning\\n')
raise ValueError('the last line')
"""


def test_keeps_stderr_filtered_while_tensorflow_runs():
    """Lines written to stderr after the helpers' import: on TF 2 (which
    logs at any time) the noise goes and every other line reaches
    stderr, in order, the traceback of a failing run to its last line;
    TF 1.x leaves stderr as it is."""
    run = subprocess.Popen(
        [sys.executable, '-c', WRITES_AND_FAILS, FALLBACK, REAL_ERROR,
         INFO_ABSL], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL='2'))
    _, errors = run.communicate(timeout=120)
    assert run.returncode == 1
    written = [FALLBACK, REAL_ERROR, INFO_ABSL]
    kept = written if TF_VERSION < (2, 0) else [REAL_ERROR]
    expected = kept + ['a Python warning']
    lines = errors.splitlines()
    assert lines[:len(expected)] == expected, errors
    assert lines[-1] == 'ValueError: the last line', errors


def test_quiet_0_leaves_stderr_and_the_progress_bar_alone():
    """QUIET=0: importing the helpers leaves stderr as it was (not a
    pipe) and the progress bar's update interval as Keras sets it."""
    probe = ('import os, stat, helpers, tensorflow as tf\n'
             'print(stat.S_ISFIFO(os.fstat(2).st_mode),'
             ' tf.keras.utils.Progbar(10).interval)\n')
    for quiet, fifo in (('0', 'False'), ('', str(TF_VERSION >= (2, 0)))):
        with open(os.devnull, 'w') as null:
            output = subprocess.check_output(
                [sys.executable, '-c', probe], cwd=ROOT, stderr=null,
                env=dict(os.environ, QUIET=quiet), timeout=120,
                universal_newlines=True).split()
        assert output[0] == fifo
        assert (output[1] == 'inf') == (quiet != '0')


# Writes many kept lines to stderr, then a fatal line as TensorFlow's
# LOG(FATAL) does, and dies at once with abort(), as it does
WRITES_AND_ABORTS = '''
import os, helpers
for i in range(300):
    os.write(2, b'E0000 a kept line %d\\n' % i)
os.write(2, b'F0000 00:00:1795611800.518687    7633 the fatal line\\n')
os.abort()
'''


def test_a_fatal_line_written_before_abort_reaches_stderr():
    """A process that writes its last line to stderr and aborts (a
    TensorFlow fatal error) leaves that line, and all before it, on
    stderr: the copier is a process of its own, started before TensorFlow,
    and copies what is in the pipe when this one dies. Ten runs on TF 2,
    all started at once: a thread that copies lost the line in about half
    of them. TF 1.x leaves stderr alone, so the line is there too: one run
    shows it, there is no copier to race."""
    runs = [subprocess.Popen(
        [sys.executable, '-c', WRITES_AND_ABORTS], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True)
        for _ in range(10 if TF_VERSION >= (2, 0) else 1)]
    for run in runs:
        # read to the end: the copier writes after the main has died
        _, errors = run.communicate(timeout=120)
        assert run.returncode == -6
        lines = errors.splitlines()
        assert lines[-1].endswith('the fatal line'), errors[-500:]
        assert [line for line in lines if 'a kept line' in line] == \
            ['E0000 a kept line {}'.format(i) for i in range(300)]
