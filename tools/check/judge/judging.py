#!/usr/bin/env python3
"""The judge: decides every check of a learner's task module, and never
runs a line of it.

The learner's module is imported only by the answerer
(tools.check.inside.answer), a process of its own in the sandbox that sees
Python, its packages, the learner's folder and that one program. The
judge asks it questions over a socket pair (not its stdout or stderr)
and gets plain data back: layer descriptions, compile settings, arrays.
It holds our reference models and computes every expected value itself;
it draws the weights, inputs and seeds it asks about anew for each run,
so an answer computed in advance, or read from a file, does not pass.
An answer that is missing, late, oversized, malformed or of the wrong
shape is a fail that says so; nothing the answerer writes, prints or
exits with is taken as a verdict.

Every check that can run runs: each is guarded, so a crash of the
learner's code becomes a finding naming their line
(tools.check.judge.diagnoses) and the next check goes on; a check that cannot
run without one that failed is listed as skipped, saying why. An
answerer that dies or hangs is a finding with what it was doing, and the
next task gets a fresh one."""
import os
import sys

import numpy as np

import tools.check
from tools.check import GRADER, MEMORY, amount, finding, label
from tools.check.judge import diagnoses
from tools.check.judge import building, training, variational
from tools.check.judge.building import reference
from tools.check.judge.channel import Broken, Raised, expect, valid_model


class Task(object):
    """The judging of one task: the task, the learner's folder and file,
    the answerer, the findings so far, our module and what it builds."""

    def __init__(self, task, folder, answerer, quick, rng):
        """Starts with no findings."""
        self.task, self.folder, self.answerer = task, folder, answerer
        self.quick, self.rng = quick, rng
        self.paths = [os.path.join(folder, task.file)]
        answerer.paths = self.paths
        self.found, self.name, self.unbuilt = [], None, []
        self.ours = reference(task).autoencoder

    @property
    def phase(self):
        """What the answerer is asked about, for the findings."""
        return self.answerer.phase

    def save(self, phase):
        """Names what is asked next."""
        self.answerer.phase = phase

    def add(self, found):
        """Adds a finding or a list of them."""
        self.found += found if isinstance(found, list) else [found]

    def guarded(self, check, why, run, *arguments):
        """Returns run(*arguments), or where the learner's code raised,
        None after adding a fail of check naming their line and the likely
        cause; Broken goes on to the task (no check can run after it)."""
        try:
            return run(*arguments)
        except Raised as raised:
            self.add(self.crash(check, why, raised.error))
            return None
        except Broken:
            raise
        except Exception as error:
            self.add(finding(check, 'fail', 'expected answers the check '
                             'can use, found it failing on them with {}: '
                             '{}'.format(type(error).__name__,
                                         str(error)[:200]), why))
            return None

    def crash(self, check, why, error, where=None):
        """Returns the fail of check for error (the answerer's data)."""
        line, cause = diagnoses.from_error(error, self.paths)
        if error.get('type') == 'MemoryError':
            return finding(check, 'fail', 'expected it to run within the {} '
                           'memory limit, found it stopped at that limit '
                           'while {} ({})'.format(amount(MEMORY), self.phase,
                                                  line), why,
                           'it asks for more memory than a grader gives: '
                           'look at what it allocates there', where)
        if any(words in str(error.get('message')) for words in (
                diagnoses.NO_SPACE, diagnoses.TOO_LARGE)):
            return finding(check, 'fail', 'expected it to run within the {} '
                           'disk limit, found it stopped at that limit while '
                           '{} ({})'.format(amount(tools.check.DISK),
                                            self.phase, line), why,
                           'it writes more than a grader\'s disk holds: a '
                           'task file writes no file; remove that code',
                           where)
        return finding(check, 'fail', 'expected it to run, found it '
                       'raising ' + line, why, cause, where)

    def build(self, arguments, seed=None):
        """Asks the learner's function to build with arguments (a fresh
        session, seeded where seed is given); returns the answer."""
        got = self.answerer.ask('build', arguments=arguments, seed=seed)
        if got.get('status') == 'error':
            raise Raised(expect(got, 'error', dict))
        expect(got, 'printed', str)
        if 'models' in got:
            for description in expect(got, 'models', list):
                valid_model(description)
            if len(got['models']) != 3:
                raise Broken('answers', 'expected three models described, '
                             'found {}'.format(len(got['models'])))
            expect(got, 'nests', dict)
        return got

    def predict(self, model, x):
        """Returns the learner's model's outputs on x (a list) and whether
        the model returned a list, checked to be arrays of len(x) rows."""
        got = self.answerer.ask('predict', model=model,
                                x=np.asarray(x, 'float32'))
        outputs = expect(got, 'outputs', list)
        if not outputs or not all(
                isinstance(output, np.ndarray) and output.ndim >= 1 and
                len(output) == len(x) for output in outputs):
            raise Broken('answers', 'expected {} rows of outputs, found '
                         '{}'.format(len(x), [getattr(output, 'shape', None)
                                              for output in outputs]))
        return [output.astype('float64') for output in outputs], \
            bool(got.get('listed'))

    def evaluate(self, x, batch_size=32):
        """Returns (auto's evaluate on x as a list of numbers, whether it
        was one number)."""
        got = self.answerer.ask('evaluate', x=np.asarray(x, 'float32'),
                                batch_size=batch_size)
        value = expect(got, 'value', list)
        if not value or not all(isinstance(item, (int, float))
                                for item in value):
            raise Broken('answers', 'expected a loss, found {!r}'.format(
                value[:4]))
        return value, bool(got.get('scalar'))

    def set_weights(self, model, layer, weights):
        """Gives the learner's model's layer (its index in model.layers)
        the weights given."""
        self.answerer.ask('set_weights', model=model, layer=layer,
                          weights=[np.asarray(weight, 'float32')
                                   for weight in weights])


def import_learner(judged):
    """Asks the answerer to import the learner's module as a grader does;
    adds the findings on the import. Returns True where it imported."""
    task = judged.task
    got = judged.answerer.ask('import', file=task.file,
                              names=list(task.names))
    status = expect(got, 'status', str)
    why = 'graders import the file: ' + GRADER + ', Conventions'
    if status == 'trained':
        judged.add(finding(
            'import', 'fail', 'expected the import to build nothing, found '
            'it calling fit', why, 'the module trains when imported: put '
            'that code under if __name__ == "__main__": or in a main'))
    elif status == 'exit':
        judged.add(finding(
            'import', 'fail', 'expected the import to return, found it '
            'calling sys.exit({})'.format(got.get('code')), why,
            'code at the module\'s top level runs at import: move it into '
            'a function or under if __name__ == "__main__":'))
    elif status == 'error':
        judged.add(judged.crash('import', why, expect(got, 'error', dict)))
    elif status == 'ok':
        judged.add(finding('import', 'ok'))
    else:
        raise Broken('answers', 'expected how the import went, found '
                     '{!r}'.format(status[:40]))
    text = expect(got, 'printed', str).strip()
    judged.add(finding(
        'quiet import', 'fail' if text else 'ok',
        'expected the import to print nothing, found {!r}'.format(
            text.splitlines()[0][:80]) if text else '',
        'graders compare what the mains print, line by line',
        'a print at the module\'s top level: remove it' if text else ''))
    if status != 'ok':
        return False
    judged.name = got.get('function') if got.get('function') in \
        task.names else None
    if judged.name is None:
        judged.add(finding(
            'function', 'fail', 'expected a function {}, found none after '
            'the import'.format(' or '.join(task.names)),
            'graders call it by its name'))
    return True


def skip(judged, checks, why):
    """Adds a skipped finding for each of checks."""
    judged.add([finding(check, 'skipped', why) for check in checks])


def later_checks(task, quick):
    """Returns the checks that need the spec configuration's models."""
    later = ['optimizer', 'metrics', 'computes'] + (
        ['loss'] if task.number < 3 else [])
    later += {'sparse': ['L1 on the code'],
              'variational': ['encoder outputs', 'z spread',
                              'auto decodes z', 'loss']}.get(task.name, [])
    if not quick:
        later += ['untrained loss', 'trained loss']
    return later


def run_task(judged):
    """Every check of one task, asked of the answerer; Broken goes on to
    the caller."""
    task = judged.task
    judged.save('importing ' + task.file)
    imported = import_learner(judged)
    later = later_checks(task, judged.quick)
    if not imported or judged.name is None:
        skip(judged, ['layers'] + later, 'needs the module imported and '
             'its function found')
        return
    built = building.structure(judged)
    if built is None:
        skip(judged, later, 'needs the three models of the spec\'s '
             'configuration, which did not build')
        return
    run_later(judged, *built)


def run_later(judged, theirs, mine, layers_right):
    """The checks on the spec configuration's models, each guarded."""
    task = judged.task
    auto = theirs[2]
    building.compile_checks(judged, auto, mine[2])
    # what evaluates or trains needs auto's output shaped as its input
    trains = ['metrics'] + (['untrained loss', 'trained loss']
                            if not judged.quick else [])
    shaped = len(auto['outputs']) == 1 and auto['input'] is not None and \
        auto['outputs'][0] == auto['input']
    if not shaped:
        skip(judged, trains, 'needs auto\'s output shaped as its input, {}, '
             'found {}: see layers'.format(
                 tuple(auto['input'] or ()), ', '.join(
                     str(tuple(shape)) for shape in auto['outputs'])))
    else:
        judged.save('checking the compile settings')
        judged.build(task.configuration.arguments)
        judged.guarded('metrics', 'the spec\'s compile',
                       building.metrics_check, judged, auto)
    if layers_right:
        judged.save('running the models on weights drawn for this run')
        judged.build(task.configuration.arguments)
        judged.guarded('computes', 'the layers listed are not enough',
                       building.computes, judged, theirs, mine,
                       (1,) if task.name == 'variational' else (0, 1))
    else:
        skip(judged, ['computes'], 'needs the layers of ours: see layers')
    if task.name == 'sparse':
        for configuration in task.configurations[:2]:
            if configuration in judged.unbuilt:
                judged.add(finding('L1 on the code', 'skipped', 'needs {} '
                                   'to build: see builds'.format(
                                       label(configuration))))
                continue
            judged.save('checking the L1 of ' + label(configuration))
            judged.guarded('L1 on the code', 'the spec',
                           building.sparse_check, judged, configuration)
    if task.name == 'variational':
        judged.guarded('VAE', 'the spec', variational.vae_checks, judged)
    if not judged.quick and shaped:
        judged.save('training {} for 4 short epochs'.format(
            label(task.configuration.arguments)))
        judged.guarded('untrained loss, trained loss', 'graders compare the '
                       'losses a main prints', training.training_checks,
                       judged)


EFFECTS_WHY = ('graders import the file; it must only define the '
               'function, and autoencoder() only build')


EFFECTS_CAUSE = ('remove that code: a task file writes or reads no file but '
                 'its own, opens no connection, starts no process, calls '
                 'no C directly and registers no exit handler')


def effects_said(seen):
    """Returns what the side effects finding says of seen (sentences)."""
    return 'expected the import and autoencoder() to build and nothing ' \
        'else, found them {}'.format('; '.join(seen[:6]) + (
            ' (and {} more)'.format(len(seen) - 6) if len(seen) > 6 else ''))


def effects(judged, seen):
    """Adds the finding on side effects: those the answerer saw the
    learner's code ask for (Python 3.8 and later: audit hooks; any
    line: exit handlers), and the files it left in its scratch folder."""
    seen = sorted(set(seen))
    judged.add(finding(
        'side effects', 'fail' if seen else 'ok',
        effects_said(seen) if seen else '', EFFECTS_WHY,
        EFFECTS_CAUSE if seen else ''))


def judge(task, folder, answerer, quick, seed, ours=None):
    """Returns (every finding on the task's module in folder, the name of
    the learner's function or None), asked of answerer (an Answerer for
    that folder, alive); quick leaves out the short training run. The
    weights, inputs and seeds asked about are drawn from seed (drawn
    anew for each run); ours is a folder keeping our training's losses
    between learners, or None."""
    answerer.start_task()
    judged = Task(task, folder, answerer, quick, np.random.RandomState(
        [seed, task.number]))
    judged.seed, judged.kept = seed, ours
    try:
        run_task(judged)
        answerer.ask('effects')
    except Broken as broken:
        # an answerer that sent what is no answer is not asked again
        answerer.end()
        judged.add(finding(broken.check, 'fail', broken.said,
                           'a grader stops at the same point'
                           if broken.check == 'finishes' else
                           'the judge takes plain answers to its questions '
                           'alone', broken.cause))
    except Raised as raised:
        judged.add(judged.crash('answers', 'the judge asks what the checks '
                                'need', raised.error))
    written = answerer.written()
    if hasattr(sys, 'addaudithook') or written or answerer.effects:
        effects(judged, answerer.effects + written)
    return judged.found, judged.name


def at_exit(found, written):
    """Adds to found, a task's findings, the files an answerer left in
    its scratch folder once it ended (exit handlers): its side effects
    finding becomes a fail naming them."""
    if not written:
        return
    said = effects_said(written) + ' (at exit)'
    for item in found:
        if item['check'] == 'side effects':
            if item['status'] == 'fail':
                item['said'] += '; and {} (at exit)'.format(
                    '; '.join(written[:6]))
            else:
                item.update(status='fail', said=said, cause=EFFECTS_CAUSE)
            return
    found.append(finding('side effects', 'fail', said, EFFECTS_WHY,
                         EFFECTS_CAUSE))
