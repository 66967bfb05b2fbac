#!/usr/bin/env python3
"""Runs a main script (or a tool) as a learner would, in a
fresh Python, and reads the per-epoch losses that Keras prints."""
import os
import re
import signal
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# "loss: 0.2504 - val_loss: 0.1667" at the end of every epoch, on all lines
EPOCH = re.compile(r'loss: ([0-9.]+) - val_loss: ([0-9.]+)')
COLOUR = re.compile(r'\x1b\[[0-9;]*m')


# Seconds a run may take before it is stopped as hung: longer than any
# run the tests or make seed-logs start (the longest, TF 1.12's
# convolutional main on one thread, takes about two minutes)
PATIENCE = 1800
# the line that ends the output of a run stopped for taking longer
HUNG = 'stopped as hung'


# What a learner's shell does not set: no display (figures are saved, no
# window opens) and TensorFlow's log level left to the helpers package
UNSET = ('DISPLAY', 'WAYLAND_DISPLAY', 'TF_CPP_MIN_LOG_LEVEL')


def environment(**env):
    """Returns the environment of a run started as a learner's shell
    starts it: this one's, without UNSET, unbuffered, plus env."""
    settings = dict(os.environ, PYTHONUNBUFFERED='1', **env)
    for name in UNSET:
        if name not in env:
            settings.pop(name, None)
    return settings


def start(arguments, cwd=ROOT, before=None, **env):
    """Starts this project's Python with arguments in cwd, in
    environment(**env), stdout and stderr merged into one text pipe;
    before runs in the child before Python starts. Returns the Popen."""
    return subprocess.Popen(
        [sys.executable] + list(arguments), cwd=cwd, env=environment(**env),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, preexec_fn=before)


def run(arguments, cwd=ROOT, patience=PATIENCE, before=None, **env):
    """Runs this project's Python with arguments (such as ['0-main.py'] or
    ['-m', 'tools.report']) from the repository's root (or cwd), with no
    display and TensorFlow's log level left to the helpers package, as a
    learner's shell starts it; env adds environment variables (such as
    THREADS='1').

    Returns (exit code, everything it printed, stdout and stderr merged).
    A run still going after patience seconds (PATIENCE) is killed, with
    all it started where before gave it a process group of its own, and
    its output ends with a line saying so.
    """
    process = start(arguments, cwd, before, **env)
    try:
        output, _ = process.communicate(timeout=patience)
    except subprocess.TimeoutExpired:
        if os.getpgid(process.pid) == process.pid:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        output = process.communicate()[0] + \
            '\n{} after {} s\n'.format(HUNG, patience)
    return process.returncode, COLOUR.sub('', output)


def hung(output):
    """Returns True where output is that of a run stopped as hung."""
    return HUNG in output[-200:]


def run_main(script, epochs, figures_dir, **env):
    """Runs script (such as '0-main.py') with EPOCHS=epochs, saving its
    figures into figures_dir; returns what run() returns."""
    return run([script], EPOCHS=str(epochs), FIGURES_DIR=figures_dir, **env)


def epoch_losses(output):
    """Returns [(loss, val_loss), ...], one pair per epoch in output."""
    return [(float(loss), float(val_loss))
            for loss, val_loss in EPOCH.findall(output)]
