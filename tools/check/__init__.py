#!/usr/bin/env python3
"""`make check`: a learner's own 0-vanilla.py ... 3-variational.py
checked the way graders check them (docs/check.md), one folder or a
whole class of them.

    python -m tools.check FOLDER [--json | --junit] [--quick]
        [--output=FILE] [--weights=FILE]
    python -m tools.check --class SOLUTIONS [--out=DIR] [--jobs=N]
        [--merge] [--quick] [--weights=FILE]
        [--scheduler=ADDRESS [--tls=DIR]]

The package, in three folders that show where its code runs:
- inside/ (tools.check.inside): what runs in the sandbox beside the
  learner's code, as nobody: answer (imports their module and answers
  the judge's questions as plain data) and mains (the spec's mains,
  forked from one process). They import nothing of the judge or the
  runners.
- judge/ (tools.check.judge): what decides: files (the learner's folder
  read into a copy, the text checks), judging (a task judged from the
  answers beside our own module), channel, building, variational,
  training, diagnoses, report, score (what each check is worth), and
  the platforms' formats: junit and gradescope. It never runs the
  learner's code, and imports nothing of the runners.
- runners/ (tools.check.runners): what runs the checks: sandbox (and its
  seccomp filter), single (one learner's folder and mains), classroom
  (a class), cluster (a class on Dask), gradescope (make gradescope's
  autograder), bench (make check-bench).
__main__ is the command line; runners import the judge and inside,
never the reverse, and no module imports one that imports it.

This module holds what they share: the tasks, a finding, the limits,
the options of their command lines.
A finding is a dict: check, status ('ok', 'fail', 'note' or 'skipped'),
said (what was expected and found), why (why a grader looks at it),
and where it applies, cause (the likely cause and what to change) and
where (the configurations it shows in). A fail breaks the spec or a
check graders are known to make; a note is allowed, but a grader
comparing output or a reviewer would see it; a skipped check could not
run without one that failed, and says which.
"""
import os

from helpers import configurations
from tools import runs

ROOT = runs.ROOT
# Seconds a task's checks, or a main's epoch, may take; bytes of memory
# a child may map (TensorFlow itself maps about 2.7 GB), per process and
# over all it starts together; processes and threads it may run at once
# over all it starts (TensorFlow runs about 40 threads on 2 cores)
PATIENCE = 240
MEMORY = 8 << 30
PROCESSES = 512
# bytes the learner's processes may write, all together (a tmpfs of that
# size is the only place they can write: tools.check.runners.sandbox); --disk
# sets another
DISK = 1 << 30
# bytes of a task file the judge reads: ours are 1-3 kB; past this, the
# file is a finding and nothing of it is read
MOST_BYTES = 512 << 10
# How far from ours the first epoch's loss of a correct module may land:
# its layers built in another order draw other initial weights
# (TF 2.15, family 26 EPYC, the mains' training from seeds 0-5: vanilla
# and sparse within 4.1% of seed 0's, convolutional 15.6%, the VAE 2.0%;
# each band is twice that or more)
BAND = {'vanilla': 0.1, 'sparse': 0.1, 'convolutional': 0.3,
        'variational': 0.05}
# The same for the short training run (tools.check.judge.training), from ours
# trained from seeds 0-7 (TF 2.15, family 26 EPYC): the untrained loss
# came within 0.2% of seed 0's (dense), 2.0% (convolutional), 0.3% (VAE);
# the held-out loss after the run within 7.2%, 5.9%, 7.0% and 2.6%
UNTRAINED = {'vanilla': 0.01, 'sparse': 0.01, 'convolutional': 0.05,
             'variational': 0.01}
TRAINED = {'vanilla': 0.2, 'sparse': 0.2, 'convolutional': 0.2,
           'variational': 0.08}
GRADER = 'docs/grader.md'


class Task(object):
    """One task of the exercise: its number, file, the names its function
    may have, its keywords, the configuration its main passes (from the
    one table, helpers.configurations) and others that no main uses."""

    def __init__(self, number, name, names, keywords, others):
        """Keeps the task's settings."""
        self.number, self.name = number, name
        self.configuration = configurations.CONFIGURATIONS[number]
        self.file = self.configuration.module + '.py'
        self.main = self.configuration.main + '.py'
        self.names, self.keywords = names, keywords
        self.configurations = [self.configuration.arguments] + others


TASKS = [
    Task(0, 'vanilla', ('autoencoder',),
         ('input_dims', 'hidden_layers', 'latent_dims'),
         [(100, [50], 5), (64, [48, 32, 16], 8)]),
    Task(1, 'sparse', ('autoencoder', 'sparse'),
         ('input_dims', 'hidden_layers', 'latent_dims', 'lambtha'),
         [(100, [50], 5, 1e-3), (64, [48, 32, 16], 8, 1e-4)]),
    Task(2, 'convolutional', ('autoencoder',),
         ('input_dims', 'filters', 'latent_dims'),
         [((28, 28, 3), [12, 10, 6], (4, 4, 6)),
          ((60, 60, 2), [4, 6, 8, 10], (4, 4, 10))]),
    Task(3, 'variational', ('autoencoder',),
         ('input_dims', 'hidden_layers', 'latent_dims'),
         [(100, [64], 3), (64, [48, 32, 16], 5)]),
]
FILES = [task.file for task in TASKS]


def finding(check, status, said='', why='', cause='', where=None):
    """Returns one finding (see the module's docstring)."""
    found = {'check': check, 'status': status, 'said': said, 'why': why}
    if cause:
        found['cause'] = cause
    if where:
        found['where'] = list(where)
    return found


def options(arguments):
    """Returns ({option: value}, [the other arguments]) of a command line
    of the package's: --name=value, and --name alone as True."""
    named, rest = {}, []
    for argument in arguments:
        if argument.startswith('--'):
            name, _, value = argument[2:].partition('=')
            named[name] = value or True
        else:
            rest.append(argument)
    return named, rest


def class_folders(named, names, option):
    """Returns (the class's folder, its OUT, the prior folders) of a class
    command line: the folder is --OPTION's value (or the first argument),
    OUT --out (default checks/<the folder's name> in this project), the
    priors --prior's folders, separated by os.pathsep. Raises ValueError
    where OUT lies inside the folder: the solutions are never written
    to."""
    solutions = os.path.abspath(named[option] if named[option] is not True
                                else (names or [''])[0])
    out = os.path.abspath(named.get('out') or os.path.join(
        ROOT, 'checks', os.path.basename(solutions.rstrip('/'))))
    priors = [os.path.abspath(folder) for folder in str(
        named.get('prior') or '').split(os.pathsep) if folder]
    if out == solutions or out.startswith(solutions + os.sep):
        raise ValueError('OUT must lie outside the solutions ({})'.format(
            out))
    return solutions, out, priors


def amount(size):
    """Returns a number of bytes as a person says it: 1 GB, 64 MB."""
    for unit, shift in (('GB', 30), ('MB', 20), ('kB', 10)):
        if size >= 1 << shift:
            return '{:g} {}'.format(round(size / float(1 << shift), 1), unit)
    return '{} bytes'.format(size)


def size_of(text):
    """Returns the bytes of a size as a teacher writes it (--disk): 1G,
    512M, 2GB or a number of bytes; raises ValueError naming it."""
    text = str(text).strip().upper().rstrip('B')
    shift = {'K': 10, 'M': 20, 'G': 30}.get(text[-1:], 0)
    try:
        size = int(float(text[:-1] if shift else text) * (1 << shift))
    except ValueError:
        raise ValueError('--disk (DISK=) must be a size such as 1G or 512M, '
                         'got {!r}'.format(text))
    if size < 1 << 20:
        raise ValueError('--disk (DISK=) must be 1M or more, got '
                         '{!r}'.format(text))
    # a tmpfs counts whole pages
    return size // 4096 * 4096


def label(arguments):
    """Returns a configuration's arguments as the learner would write
    them: autoencoder(784, [128, 64], 32)."""
    return 'autoencoder{}'.format(tuple(arguments))
