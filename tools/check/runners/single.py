#!/usr/bin/env python3
"""One learner's folder checked, task by task: the file read as text
(tools.check.judge.files), then its module judged
(tools.check.judge.judging: the judge here, the learner's code in an
answerer of its own in the sandbox), while the spec's mains run for one
epoch in the sandbox, in one process that imports TensorFlow once and
forks a fresh child for each (tools.check.inside.mains), ours likewise.
A child stopped at a limit or by a signal is said as exactly that, with
what it was doing; a crash names the learner's line. The learner's
folder is only read: each main runs from a scratch folder holding a copy
of their task file, and sees beside it only the helpers and the data the
mains import."""
import ast
import os
import re
import shutil
import tempfile
import time
from multiprocessing.pool import ThreadPool

import tools.check
from tools import runs
from tools.check import BAND, ROOT, finding
from tools.check.judge import diagnoses, files
from tools.check.runners import sandbox

NUMBER = re.compile(r'-?[0-9]+\.?[0-9]*(e[-+]?[0-9]+)?')
MAIN_WHY = 'graders run the spec\'s main and compare what it prints'
# what the spec's main sees of this project in the sandbox: what it
# imports and reads, not our reference modules or the checker
MAIN_SEES = ('helpers', 'data')


def document(folder, quick=False, ours=None, at_once=2, seed=None,
             weights=None):
    """Returns the JSON document (tools.check.judge.report) of every task
    file in folder, or None where it holds none: check_folder's findings,
    scored with weights (tools.check.judge.score; None, the default)."""
    from helpers import versions
    from tools.check import TASKS
    from tools.check.judge import report
    present = [task for task in TASKS
               if os.path.lexists(os.path.join(folder, task.file))]
    if not present:
        return None
    results = check_folder(folder, present, quick, ours, at_once, seed)
    return report.document(folder, versions.VERSION, sandbox.isolation(),
                           results, quick, weights)


def check_folder(folder, tasks, quick=False, ours=None, at_once=2,
                 seed=None):
    """Returns [(task, every finding on its file in folder)] for tasks:
    the modules judged one after another here, each asked of one answerer
    that serves them all (a fresh one where one ends early), the mains
    beside them from the start in at_once processes, the longest first;
    quick leaves out what trains (the short run and the mains); ours is a
    folder that keeps our mains' output and our training between calls,
    or None; seed draws the questions (anew for each run where None)."""
    from tools.check.judge import channel, judging
    seed = channel.fresh_seed() if seed is None else seed
    scratch = sandbox.scratch_top('check-')
    results, mains, answerers = [], [], []
    # at_once for the learner's mains, one for ours
    pool = ThreadPool(max(1, at_once) + 1)

    def answerer():
        """Returns the learner's answerer, a new one where the last ended
        (its own scratch folder)."""
        if not answerers or not answerers[-1].alive():
            place = os.path.join(scratch, 'answer{}'.format(len(answerers)))
            os.makedirs(place)
            answerers.append(start_answerer(folder, place))
        return answerers[-1]
    try:
        # everything below reads the judge's copy of the learner's files,
        # never their folder (files.gather)
        copied, refused = files.gather(folder, [task.file for task in tasks],
                                       os.path.join(scratch, 'solution'))
        folder = os.path.join(scratch, 'solution')
        # started first: its TensorFlow loads while the files are read
        answerer()
        parsed = []
        for task in tasks:
            path = os.path.join(folder, task.file)
            if task.file in refused:
                results.append((task, [refused[task.file], finding(
                    'module', 'skipped', 'needs the file read: see file')]))
                continue
            found, parses = files.file_checks(path, task,
                                              copied[task.file])
            results.append((task, found))
            if not parses:
                found.append(finding('module', 'skipped', 'needs the file '
                                     'to parse: see parses'))
            else:
                parsed.append((task, path, found))
        # the mains start now, the longest first, beside the judging, in
        # at_once processes (and ours, where not kept, in one more): each
        # is kept only where the judge finds the module imported
        named = [(task, path, defined(path, task)) for task, path, _ in
                 sorted(parsed, key=lambda entry:
                        MAIN_ORDER.index(entry[0].number))]
        ordered = [(task, path) for task, path, name in named
                   if not quick and name]
        place = os.path.join(scratch, 'mains')
        entries = [(main_copy(task, path, os.path.join(
            place, str(task.number)), name), task.main)
            for task, path, name in named if not quick and name]
        started = {}
        for first in range(min(at_once, len(entries))):
            part = list(range(first, len(entries), at_once))
            running = pool.apply_async(run_mains, (
                [entries[i] for i in part], place,
                [os.path.join(ROOT, name) for name in MAIN_SEES],
                tools.check.PATIENCE))
            for k, i in enumerate(part):
                started[ordered[i][0].number] = (running, k)
        printed = pool.apply_async(our_mains, (
            [task for task, _ in ordered], ours))
        for task, path, found in parsed:
            judged, function = judging.judge(task, folder, answerer(),
                                             quick, seed, ours)
            found += judged
            imported = any(item['check'] == 'import' and
                           item['status'] == 'ok' for item in judged)
            if not quick and imported and function and \
                    task.number in started:
                mains.append((task, path, found))
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
                judging.at_exit(judged_last[-1], answerers[-1].written())
        for task, path, found in mains:
            running, k = started[task.number]
            found += compare_mains(task, running.get()[k],
                                   printed.get()[task.number], path)
    finally:
        for each in answerers:
            each.end()
        pool.close()
        pool.join()
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def start_answerer(folder, scratch):
    """Returns the judge's Answerer (tools.check.judge.channel) of a new
    answerer process for the learner's folder (the judge's copy of their
    task files): tools.check.inside.answer in the sandbox, shown alone
    there, its channel a socket pair, a decoy verdict in its scratch
    (outside a sandbox, the folder scratch)."""
    import socket
    from tools.check.inside import answer
    from tools.check.judge import channel
    ours, theirs = socket.socketpair()
    source = os.path.splitext(os.path.realpath(answer.__file__))[0] + '.py'
    # in the sandbox the program is shown alone; outside one, as it is
    program = channel.PROGRAM if sandbox.bwrap() else source
    child = sandbox.Child(
        [program, str(theirs.fileno()), folder], scratch, [folder],
        files=[(source, channel.PROGRAM)], keep_fds=[theirs.fileno()],
        decoy=(channel.DECOY, channel.DECOY_TEXT), TF_CPP_MIN_LOG_LEVEL='2')
    theirs.close()
    return channel.Answerer(child, ours, tools.check.PATIENCE)


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


def main_copy(task, path, place, function):
    """Writes into place the spec's main for the task, calling the
    learner's function by its own name, and a copy of their task file
    (path) beside it; returns place."""
    os.makedirs(place)
    with open(os.path.join(ROOT, task.main)) as source:
        text = source.read()
    if function != 'autoencoder':
        text = text.replace("').autoencoder", "')." + function)
    with open(os.path.join(place, task.main), 'w') as target:
        target.write(text)
    shutil.copy(path, place)
    return place


def our_mains(tasks, ours):
    """Returns {task's number: what our main prints in one epoch} for
    tasks, from the folder ours where it was kept, else run now (in one
    process, as the learner's are) and kept there."""
    kept = {task.number: os.path.join(ours, task.main + '.txt')
            if ours else None for task in tasks}
    printed, missing = {}, []
    for task in tasks:
        if kept[task.number] and os.path.isfile(kept[task.number]):
            with open(kept[task.number]) as source:
                printed[task.number] = source.read()
        else:
            missing.append(task)
    if not missing:
        return printed
    place = sandbox.scratch_top('check-ours-')
    try:
        done = run_mains([(ROOT, task.main) for task in missing], place,
                         [ROOT], tools.check.PATIENCE)
    finally:
        shutil.rmtree(place, ignore_errors=True)
    for task, run in zip(missing, done):
        if run.code != 0:
            raise RuntimeError('our own {} failed: {}'.format(
                task.main, diagnoses.stopped(run, 'running it') or
                diagnoses.last_line(run.output)))
        printed[task.number] = run.output
        if kept[task.number]:
            from helpers import files as whole_files
            os.makedirs(ours, exist_ok=True)
            whole_files.write_text(kept[task.number], run.output)
    return printed


# where the mains' program is shown in the sandbox, beside the channel's
# program it imports
MAINS_PROGRAM = '/check/mains.py'
# how much longer than a main's own limit the process running it may take
# to say how it ended
GRACE = 30


def run_mains(entries, scratch, readable, patience):
    """Returns a Run for each of entries, (folder, main file) pairs: each
    main run for one epoch, in turn, in a child forked from one sandboxed
    process that imported TensorFlow once (tools.check.inside.mains), stopped
    after patience seconds. Where that process ends while a main runs,
    that main's Run says how, and the mains after it run in a fresh one.
    scratch is the only folder they write; readable, what they see
    besides their folders."""
    done = []
    while len(done) < len(entries):
        done += mains_process(entries[len(done):], scratch, readable,
                              patience)
    return done


def mains_process(entries, scratch, readable, patience):
    """Returns the Runs of the first of entries (one at least) that one
    mains process ran (run_mains). Each main writes to a pipe of its own,
    read here as it comes; the process says over a socket pair when each
    starts and how it ended."""
    import socket
    import threading
    from tools.check.inside import answer
    from tools.check.judge import channel
    ours, theirs = socket.socketpair()
    pipes = [os.pipe() for _ in entries]
    # the program and the channel's, shown alone (not imported here: it
    # imports the channel as the sandbox shows it)
    here = os.path.dirname(os.path.realpath(answer.__file__))
    programs = [(os.path.join(here, name + '.py'), shown) for name, shown in
                (('answer', channel.PROGRAM), ('mains', MAINS_PROGRAM))]
    sandboxed = bool(sandbox.bwrap())
    # where the process is alone (a sandbox, or a user of its own), it
    # stops every process it can between mains: what a main left
    alone = sandboxed or sandbox.dropped()
    arguments = [MAINS_PROGRAM if sandboxed else programs[1][0],
                 str(theirs.fileno()), str(patience), str(int(alone)),
                 ','.join(str(write) for _, write in pipes)]
    for folder, main in entries:
        arguments += [folder, main]
    seen = readable + sorted(set(
        folder for folder, _ in entries if folder not in readable))
    # a folder of its own, beside another mains process's
    scratch = tempfile.mkdtemp(prefix='process-', dir=scratch)
    child = sandbox.Child(arguments, scratch, seen, files=programs,
                          keep_fds=[theirs.fileno()] + [
                              write for _, write in pipes],
                          EPOCHS='1', FIGURES_DIR=sandbox.WRITABLE
                          if sandboxed else scratch, PYTHONPATH=ROOT)
    theirs.close()
    outputs, readers = [], []
    for read, write in pipes:
        os.close(write)
        outputs.append(sandbox.nothing_kept())
        readers.append(threading.Thread(target=read_to_end, args=(
            read, outputs[-1])))
        readers[-1].daemon = True
        readers[-1].start()
    done, current = [], None
    deadline, timed_out = time.time() + patience + GRACE, False
    try:
        while len(done) < len(entries):
            try:
                message = answer.receive(ours.fileno(), channel.ANSWER_BYTES,
                                         deadline)
            except answer.Refused as refused:
                timed_out = 'time limit' in str(refused)
                break
            except (answer.Closed, OSError):
                break
            if not isinstance(message, dict):
                break
            index = message.get('main')
            if message.get('start') and index == len(done) and \
                    current is None:
                current, deadline = index, time.time() + patience + GRACE
            elif message.get('end') and index == current and \
                    current is not None and isinstance(
                        message.get('code'), (int, type(None))):
                stopped = bool(message.get('timed_out'))
                # a process the main left may hold its pipe: read on a
                # moment, not longer
                readers[index].join(timeout=2)
                done.append(sandbox.run_of(
                    None if stopped else message['code'], stopped,
                    outputs[index]))
                current, deadline = None, time.time() + GRACE
            else:
                break
    finally:
        run = child.stop(timed_out=timed_out or None)
        ours.close()
    if len(done) < len(entries):
        # it ended while a main ran: that main's run ended so; before
        # any, every main left ends as it did (the next ones run anew)
        if current is None:
            return done or [run] * len(entries)
        readers[current].join(timeout=2)
        done.append(sandbox.run_of(run.code, run.timed_out,
                                   outputs[current], sandboxed))
    return done


def read_to_end(read, kept):
    """Keeps what the pipe read gives until its end (sandbox.keep), then
    closes it."""
    with os.fdopen(read, 'rb', 0) as pipe:
        sandbox.keep(pipe, kept)


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
    stopped = diagnoses.stopped(run, 'running {} for one epoch'.format(
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
