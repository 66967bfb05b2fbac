#!/usr/bin/env python3
"""One learner's folder checked, task by task: the file read as text
(tools.check.files), then its module judged (tools.check.judge: the
judge here, the learner's code in an answerer of its own in the
sandbox), and the spec's main for one epoch in the sandbox beside ours,
while the next task is judged. A child stopped at a limit or by a
signal is said as exactly that, with what it was doing; a crash names
the learner's line. The learner's folder is only read: the main runs
from a scratch folder holding a copy of their task file, and sees
beside it only the helpers and the data the mains import."""
import ast
import os
import re
import shutil
import tempfile
from multiprocessing.pool import ThreadPool

import tools.check
from tools import runs
from tools.check import BAND, ROOT, diagnoses, files, finding, sandbox

NUMBER = re.compile(r'-?[0-9]+\.?[0-9]*(e[-+]?[0-9]+)?')
MAIN_WHY = 'graders run the spec\'s main and compare what it prints'
# what the spec's main sees of this project in the sandbox: what it
# imports and reads, not our reference modules or the checker
MAIN_SEES = ('helpers', 'data')


def check_folder(folder, tasks, quick=False, ours=None, at_once=2,
                 seed=None):
    """Returns [(task, every finding on its file in folder)] for tasks:
    the modules judged one after another here, each asked of one answerer
    that serves them all (a fresh one where one ends early), the mains run
    at_once at a time beside them from the start, the longest first;
    quick leaves out what trains (the short run and the mains); ours is a
    folder that keeps our mains' output and our training between calls,
    or None; seed draws the questions (anew for each run where None)."""
    from tools.check import channel, judge
    seed = channel.fresh_seed() if seed is None else seed
    scratch = tempfile.mkdtemp(prefix='check-')
    results, mains, answerers = [], [], []
    pool = ThreadPool(max(1, at_once))

    def answerer():
        """Returns the learner's answerer, a new one where the last ended
        (its own scratch folder)."""
        if not answerers or not answerers[-1].alive():
            place = os.path.join(scratch, 'answer{}'.format(len(answerers)))
            os.makedirs(place)
            answerers.append(channel.Answerer(folder, place,
                                              tools.check.PATIENCE))
        return answerers[-1]
    try:
        # started first: its TensorFlow loads while the files are read
        answerer()
        parsed = []
        for task in tasks:
            path = os.path.join(folder, task.file)
            found, parses = files.file_checks(path, task)
            results.append((task, found))
            if not parses:
                found.append(finding('module', 'skipped', 'needs the file '
                                     'to parse: see parses'))
            else:
                parsed.append((task, path, found))
        # the mains start now, the longest first, beside the judging:
        # each is kept only where the judge finds the module imported
        started = {}
        for task, path, _ in sorted(parsed, key=lambda entry:
                                    MAIN_ORDER.index(entry[0].number)):
            name = defined(path, task)
            if not quick and name:
                place = os.path.join(scratch, str(task.number))
                os.makedirs(place)
                started[task.number] = (name, pool.apply_async(
                    main_checks, (task, path, place, name, ours)))
        for task, path, found in parsed:
            judged, function = judge.judge(task, folder, answerer(), quick,
                                           seed, ours)
            found += judged
            imported = any(item['check'] == 'import' and
                           item['status'] == 'ok' for item in judged)
            if not quick and imported and function and \
                    task.number in started:
                mains.append((found, started[task.number][1]))
            elif not quick:
                found.append(finding('main', 'skipped', 'needs the module '
                                     'imported and its function found'))
        # what the last answerer's exit handlers wrote, to the last task
        # it answered for
        if answerers and answerers[-1].alive():
            answerers[-1].end()
            judged_last = [found for task, found in results
                           if any(item['check'] == 'import'
                                  for item in found)]
            if judged_last:
                judge.at_exit(judged_last[-1], answerers[-1].written())
        for found, main in mains:
            found += main.get()
    finally:
        for each in answerers:
            each.end()
        pool.close()
        pool.join()
        shutil.rmtree(scratch, ignore_errors=True)
    return results


# the spec's mains, the longest first (the convolutional one trains
# longest, then the variational one)
MAIN_ORDER = [2, 3, 0, 1]


def defined(path, task):
    """Returns the name of the task's function that the file at path
    defines at its top level (by def or by assignment), the first of the
    task's names, or None: the name its main calls."""
    try:
        with open(path, 'rb') as source:
            tree = ast.parse(source.read())
    except (SyntaxError, ValueError, OSError):
        return None
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets
                         if isinstance(target, ast.Name))
    return next((name for name in task.names if name in names), None)


def main_checks(task, path, scratch, function, ours):
    """Returns the findings of the spec's main for the task run for one
    epoch in the sandbox against a copy of the learner's module, calling
    their function by its own name, beside ours; scratch is the task's
    own."""
    place = os.path.join(scratch, 'main')
    os.mkdir(place)
    with open(os.path.join(ROOT, task.main)) as source:
        text = source.read()
    if function != 'autoencoder':
        text = text.replace("').autoencoder", "')." + function)
    with open(os.path.join(place, task.main), 'w') as target:
        target.write(text)
    shutil.copy(path, place)
    run = sandbox.run([task.main], place, [os.path.join(ROOT, name)
                                           for name in MAIN_SEES],
                      tools.check.PATIENCE, EPOCHS='1', FIGURES_DIR=place,
                      PYTHONPATH=ROOT)
    return compare_mains(task, run, our_main(task, ours), path)


def our_main(task, ours):
    """Returns what our main for task prints in one epoch, from the folder
    ours where it was kept, else run now (and kept there)."""
    kept = os.path.join(ours, task.main + '.txt') if ours else None
    if kept and os.path.isfile(kept):
        with open(kept) as source:
            return source.read()
    place = tempfile.mkdtemp(prefix='check-ours-')
    try:
        code, output = runs.run([task.main], EPOCHS='1', FIGURES_DIR=place)
    finally:
        shutil.rmtree(place, ignore_errors=True)
    if code != 0:
        raise RuntimeError('our own {} failed: {}'.format(
            task.main, diagnoses.last_line(output)))
    if kept:
        from helpers import files as whole_files
        os.makedirs(ours, exist_ok=True)
        whole_files.write_text(kept, output)
    return output


def printed_form(output):
    """Returns what a main printed after its epochs, each number made #
    and the spaces dropped, progress bars and saved figures left out:
    the form a grader compares."""
    lines = output.splitlines()
    epochs = [i for i, line in enumerate(lines) if runs.EPOCH.search(line)]
    after = lines[epochs[-1] + 1:] if epochs else lines
    return [''.join(NUMBER.sub('#', line).split()) for line in after
            if line.strip() and not line.startswith('figure saved') and
            '/step' not in line and '/sample' not in line]


def compare_mains(task, run, ours, path):
    """Returns the findings of the learner's main run beside ours: it
    ends, prints what ours prints in form, and its first epoch's loss is
    within BAND of ours; path is the learner's task file."""
    stopped = sandbox.stopped(run, 'running {} for one epoch'.format(
        task.main))
    if stopped:
        return [finding('main', 'fail', 'expected one epoch of {} to end, '
                        'found it {}'.format(task.main, stopped), MAIN_WHY)]
    if run.code != 0:
        line, cause = diagnoses.from_output(run.output, [path])
        return [finding('main', 'fail', 'expected {} to run, found it '
                        'stopped (exit {}): {}'.format(
                            task.main, run.code,
                            line or diagnoses.last_line(run.output)), MAIN_WHY,
                        cause)]
    found = [finding('main', 'ok')]
    form, expected = printed_form(run.output), printed_form(ours)
    differ = [(a, b) for a, b in zip(form + [None] * len(expected),
                                     expected + [None] * len(form))
              if a != b][:1]
    found.append(finding(
        'main prints', 'fail' if differ else 'ok', 'expected {} line(s) '
        'after the epoch, found {}; the first that differs: expected {!r}, '
        'found {!r} (numbers as #)'.format(
            len(expected), len(form), differ[0][1], differ[0][0])
        if differ else '', MAIN_WHY, 'a print after training, or the '
        'encoder\'s outputs in another shape than the main expects'
        if differ else ''))
    losses, reference = runs.epoch_losses(run.output), \
        runs.epoch_losses(ours)
    if losses and reference:
        ratio = losses[0][0] / reference[0][0]
        inside = abs(ratio - 1) <= BAND[task.name]
        found.append(finding(
            'first loss', 'ok' if inside else 'fail',
            '' if inside else 'expected the first epoch\'s loss within '
            '{:.0%} of ours, {:.4f}, found {:.4f} ({:.3g} times ours)'.format(
                BAND[task.name], reference[0][0], losses[0][0], ratio),
            'graders compare the first loss with the spec\'s log',
            '' if inside else diagnoses.band(task, ratio)))
    return found
