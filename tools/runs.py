#!/usr/bin/env python3
"""Runs a main script (or a tool) as a learner would, in a
fresh Python, and reads the per-epoch losses that Keras prints."""
import os
import re
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


def run(arguments, cwd=ROOT, patience=PATIENCE, **env):
    """Runs this project's Python with arguments (such as ['0-main.py'] or
    ['-m', 'tools.report']) from the repository's root (or cwd), with no
    display and TensorFlow's log level left to the helpers package, as a
    learner's shell starts it; env adds environment variables (such as
    THREADS='1').

    Returns (exit code, everything it printed, stdout and stderr merged).
    A run still going after patience seconds (PATIENCE) is killed, and
    its output ends with a line saying so.
    """
    env = dict(os.environ, PYTHONUNBUFFERED='1', **env)
    env.pop('TF_CPP_MIN_LOG_LEVEL', None)
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    process = subprocess.Popen(
        [sys.executable] + list(arguments), cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True)
    try:
        output, _ = process.communicate(timeout=patience)
    except subprocess.TimeoutExpired:
        process.kill()
        output = process.communicate()[0] + \
            '\n{} after {} s\n'.format(HUNG, patience)
    return process.returncode, COLOUR.sub('', output)


def run_main(script, epochs, figures_dir, **env):
    """Runs script (such as '0-main.py') with EPOCHS=epochs, saving its
    figures into figures_dir; returns what run() returns."""
    return run([script], EPOCHS=str(epochs), FIGURES_DIR=figures_dir, **env)


def epoch_losses(output):
    """Returns [(loss, val_loss), ...], one pair per epoch in output."""
    return [(float(loss), float(val_loss))
            for loss, val_loss in EPOCH.findall(output)]
