#!/usr/bin/env python3
"""`make check-bench`: how long make check takes on a class, and what its
sandbox costs. Prints figures, asserts nothing (docs/check.md keeps
them, with the CPU they were measured on).

    python -m tools.check.runners.bench [--full]

First one learner: this project's four task files checked in full (the
short training runs and the mains included), as `make check SOLUTION=`
runs them, once with our own answers (mains, training) to compute and
once with them kept, as in a class. Then a class of 8 copies of those
files and 8 learners with one wrong file each (the learner-style files
of tests/learners, read as data), checked with --quick (--full:
everything) at JOBS=1 and JOBS=2: seconds in all and per learner. Then
the sandbox's own cost: a child that does nothing, started 10 times
inside bubblewrap and 10 times without, and one quick check of our
vanilla file with and without it."""
import os
import shutil
import sys
import tempfile
import time

import tools.check
from helpers import versions
from tools import speed
from tools.check import FILES, ROOT
from tools.check.runners import classroom, sandbox, single

WRONG = ['vanilla_summary', 'sparse_by_index', 'conv_one_channel',
         'conv_reverse_in_place', 'vae_add_loss', 'vae_kl_averaged',
         'vae_exp_without_half', 'vae_sampling_layer_mean_first']


def make_class(folder):
    """Writes the class into folder; returns the number of learners."""
    for i in range(8):
        learner = os.path.join(folder, 'ours{}'.format(i))
        os.makedirs(learner)
        for file in FILES:
            shutil.copy(os.path.join(ROOT, file), learner)
    for name in WRONG:
        learner = os.path.join(folder, name)
        os.makedirs(learner)
        file = FILES[['vanilla', 'sparse', 'conv', 'vae'].index(
            name.split('_')[0])]
        shutil.copy(os.path.join(ROOT, 'tests', 'learners', name + '.py'),
                    os.path.join(learner, file))
    return 8 + len(WRONG)


def timed(function, *arguments):
    """Returns the seconds function(*arguments) took."""
    started = time.time()
    function(*arguments)
    return time.time() - started


def quiet(function, *arguments):
    """Calls function(*arguments) with its printing sent to nowhere."""
    saved = sys.stdout
    sys.stdout = open(os.devnull, 'w')
    try:
        return function(*arguments)
    finally:
        sys.stdout.close()
        sys.stdout = saved


def main(arguments):
    """Prints the class's times at JOBS=1 and 2, and the sandbox's cost."""
    quick = '--full' not in arguments
    print('make check on TensorFlow {}, {}; {}'.format(
        versions.VERSION, speed.cpu(), 'QUICK=1' if quick else 'in full'))
    work = tempfile.mkdtemp(prefix='check-bench-')
    try:
        solutions = os.path.join(work, 'class')
        count = make_class(solutions)
        ours = os.path.join(work, 'ours')
        for what in ('our answers computed', 'our answers kept'):
            seconds = timed(quiet, single.document, os.path.join(
                solutions, 'ours0'), False, ours, 2, 1)
            print('one learner\'s four files in full, {}: {:.1f} s'.format(
                what, seconds))
        for jobs in (1, 2):
            out = os.path.join(work, 'out{}'.format(jobs))
            named = {'class': solutions, 'out': out, 'jobs': str(jobs)}
            if quick:
                named['quick'] = True
            seconds = timed(quiet, classroom.main, named, [])
            print('a class of {} (8 of ours, 8 wrong), JOBS={}: {:.0f} s, '
                  '{:.1f} s a learner'.format(count, jobs, seconds,
                                              seconds / count))
        print(sandbox.isolation()[1])
        scratch = os.path.join(work, 'scratch')
        os.makedirs(scratch)
        folder = os.path.join(solutions, 'ours0')
        task = tools.check.TASKS[0]
        found = sandbox.bwrap()
        for bwrap in ([found] if found else []) + [None]:
            # what bwrap() found, or as if it had found none
            sandbox._works[:] = [(bwrap, '' if bwrap else 'as if none')]
            name = 'with bwrap' if bwrap else 'without'
            starts = [timed(sandbox.run, ['-c', 'pass'], scratch, [ROOT], 60)
                      for _ in range(10)]
            check = timed(single.check_folder, folder, [task], True)
            print('{}: a child that does nothing {:.3f} s (mean of 10); a '
                  'quick check of 0-vanilla.py {:.1f} s'.format(
                      name, sum(starts) / len(starts), check))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
