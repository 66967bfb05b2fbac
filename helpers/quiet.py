#!/usr/bin/env python3
"""Imports TensorFlow without the start-up noise that says nothing about a
CPU run, so that a main prints its epochs and its results, as the spec's
do. Importing the helpers package does this once, before any main or
exercise module imports TensorFlow; the exercise modules are untouched.

Hidden, on the lines where each appears: TensorFlow's C++ notices and
warnings (oneDNN, the CPU feature guard, "Could not find cuda drivers",
TensorRT: TF_CPP_MIN_LOG_LEVEL=2 unless it is set already), the CUDA
plugin errors of a machine without a GPU ("Unable to register cuDNN
factory", "failed call to cuInit"), TF 2's "oneDNN supports DT_INT32
only on platforms with AVX-512" while a model trains (TF 2 writes its C++
log lines at any time, so there stderr stays filtered to the end), TF
1.x's deprecation warnings with their "Instructions for updating", and,
where the output goes to a file or a pipe, the progress bar's updates
within an epoch, which every line would write into one line of the file
(TF 1.x hundreds of them). Every other message, TensorFlow's real errors
among them, is kept, and so is the progress bar's last line of each
epoch, with its losses. QUIET=0 turns all of this off.
"""
import atexit
import logging
import os
import re
import subprocess
import sys
import tempfile
import threading

from helpers import variables

# Lines that TensorFlow's C++ code writes to stderr while it starts,
# whatever TF_CPP_MIN_LOG_LEVEL says, and that concern GPUs alone (the
# second line of the CPU feature guard's notice with them)
NOISE = re.compile(
    r'Unable to register cu(DNN|FFT|BLAS) factory'
    r'|failed call to cuInit'
    r'|All log messages before absl::InitializeLog\(\) is called'
    r'|^To enable the following instructions: '
    # TF 2's notice, logged as an error while a model trains, that oneDNN
    # leaves an op on some type to Eigen (TF 2.21: on int32, for the
    # convolutional model's last, smaller batch of an epoch); on any CPU,
    # AVX-512 or not, and nothing goes wrong
    r'|oneDNN supports DT_\w+ only on platforms with AVX-512')

# The level letter of a C++ log line, in TF 2.15's format ("2026-11-25
# 13:01:53.280625: I tensorflow/...") and in absl's, which TF 2.21 uses
# ("I0000 00:00:1795611798.470842    7633 port.cc:153] ...")
LEVEL = re.compile(r'^(?:\S+ \S+: ([IWEF]) |([IWEF])\d{4} )')
# TF_CPP_MIN_LOG_LEVEL: 1 hides I, 2 hides W too, 3 hides E too
LEVELS = 'IWEF'

# The Python warnings TF 1.x logs when the Keras it ships calls its own
# deprecated functions
DEPRECATION = re.compile(r'is deprecated|Instructions for updating')


class DropDeprecations(logging.Filter):
    """Drops TensorFlow's deprecation warnings from its Python log."""

    def filter(self, record):
        """Returns False for a deprecation warning, True otherwise."""
        return not DEPRECATION.search(record.getMessage())


def import_tensorflow():
    """Imports TensorFlow and lists its devices (where a CUDA plugin
    complains) with stderr going to a file, then writes every line of it
    that is not GPU noise back to stderr. Returns the tensorflow module."""
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
    if 'tensorflow' in sys.modules:
        return sys.modules['tensorflow']
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode='w+') as captured:
        os.dup2(captured.fileno(), 2)
        try:
            import tensorflow as tf
            if hasattr(tf, 'config') and \
                    hasattr(tf.config, 'list_physical_devices'):
                tf.config.list_physical_devices()
        finally:
            # what it wrote goes out, less the noise, even if it failed
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            for line in captured:
                if not hidden(line):
                    sys.stderr.write(line)
    return tf


def start_copier():
    """Starts the copier process (copy_kept() in a Python of its own,
    the helpers folder taken as a package without its __init__:
    WITHOUT_INIT) on a new pipe; returns (the process, the pipe's
    write end). In a session of its own, so that a Ctrl-C at the terminal
    leaves it to copy the traceback that follows. Started before
    TensorFlow is imported, while this process has one thread: nothing
    of TensorFlow's runs beside the start of another process."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [sys.executable, '-S', '-c', COPIER,
         os.path.dirname(os.path.abspath(__file__))],
        stdin=read, start_new_session=True)
    os.close(read)
    return process, write


# The start of a Python program (python -c) that takes the helpers
# folder, its first argument, as the package helpers without running its
# __init__, which imports TensorFlow: the stdlib-only modules (quiet,
# files, configurations, variables) import so, TensorFlow untouched
WITHOUT_INIT = ('import sys, types; package = types.ModuleType("helpers"); '
                'package.__path__ = [sys.argv[1]]; '
                'sys.modules["helpers"] = package\n')
# The copier's program (start_copier)
COPIER = WITHOUT_INIT + 'from helpers import quiet; quiet.copy_kept(0, 2)'


def stop_copier(copier):
    """Closes the copier's pipe unused (TF 1.x leaves stderr alone); it
    ends."""
    process, write = copier
    os.close(write)
    process.wait(5)


def filter_stderr(copier=None):
    """From here on until the process exits, has every line written to
    stderr (by TensorFlow's C++ code, by Python, by a child process) go
    through hidden() on its way out: stderr becomes a pipe, and the
    copier copies the lines that are kept to the real stderr as they
    come. The copier is a process (start_copier) where one was started
    before TensorFlow, else a thread of this one.

    A process, where it can be: TensorFlow's fatal errors write a line,
    then call abort(), and a thread dies with the process, perhaps
    holding that line read and not yet written; a process holds the pipe
    and copies all of it, whatever ends this one."""
    sys.stderr.flush()
    real = os.dup(2)
    if copier:
        process, write = copier
    else:
        read, write = os.pipe()
        process = threading.Thread(target=copy_kept, args=(read, real))
        process.daemon = True
        process.start()
    os.dup2(write, 2)
    os.close(write)

    def restore():
        """Gives stderr back, which closes the pipe, and waits for the
        copier to write the last lines (a traceback among them)."""
        sys.stderr.flush()
        os.dup2(real, 2)
        if copier:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                pass  # a child of this process holds the pipe still
        else:
            process.join(5)

    atexit.register(restore)


def copy_kept(read, real):
    """Copies the lines that hidden() keeps from file descriptor read to
    file descriptor real, until read's last writer closes it. Each read
    is written out before the next."""
    pending = b''
    while True:
        chunk = os.read(read, 65536)
        if not chunk:
            # the pipe closed: a last line not ended goes out as it is
            lines, pending = [pending] if pending else [], b''
        else:
            # a line not yet ended waits for the rest
            lines = (pending + chunk).split(b'\n')
            pending = lines.pop()
        for line in lines:
            line += b'\n'
            if not hidden(line.decode('utf-8', 'replace')):
                while line:
                    line = line[os.write(real, line):]
        if not chunk:
            return


def hidden(line):
    """Returns True for GPU noise and for a C++ log line below the level
    TF_CPP_MIN_LOG_LEVEL keeps (TF 2.21's absl logging ignores it)."""
    if NOISE.search(line):
        return True
    level = LEVEL.match(line)
    minimum = variables.get('TF_CPP_MIN_LOG_LEVEL') or '0'
    return bool(level) and minimum.isdigit() and \
        LEVELS.index(level.group(1) or level.group(2)) < int(minimum)


def epoch_lines_only(progbar_class):
    """Has every progress bar made from progbar_class print its last
    update alone: the epoch's line, with its losses."""
    init = progbar_class.__init__

    def __init__(self, *args, **kwargs):
        """Makes the progress bar, then stretches its update interval."""
        init(self, *args, **kwargs)
        self.interval = float('inf')

    progbar_class.__init__ = __init__


def setup():
    """Imports TensorFlow quietly, hides TF 1.x's deprecation warnings
    and TF 2's C++ noise while it runs, and, where stdout is not a
    terminal, the in-epoch progress updates. QUIET=0 leaves all of it
    alone: TensorFlow is imported as it comes, stderr and the progress
    bar untouched."""
    if not variables.get('QUIET'):
        return
    # read by the copier too, as it starts
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
    copier = None if 'tensorflow' in sys.modules else start_copier()
    tf = import_tensorflow()
    from helpers import versions  # TensorFlow is imported now, quietly
    if versions.TF_1:
        if copier:
            stop_copier(copier)
        logging.getLogger('tensorflow').addFilter(DropDeprecations())
    else:
        filter_stderr(copier)
    if not sys.stdout.isatty():
        epoch_lines_only(tf.keras.utils.Progbar)
