#!/usr/bin/env python3
"""The judge: decides every check of a learner's task module, and never
runs a line of it.

The learner's module is imported only by the answerer
(tools.check.answer), a process of its own in the sandbox that sees
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
(tools.check.diagnoses) and the next check goes on; a check that cannot
run without one that failed is listed as skipped, saying why. An
answerer that dies or hangs is a finding with what it was doing, and the
next task gets a fresh one."""
import copy
import importlib.util
import os
import socket
import sys
import time

import numpy as np

from helpers import data, files, runtime, versions
import tensorflow as tf
from tools.check import (GRADER, MEMORY, PROCESSES, ROOT, TRAINED,
                         UNTRAINED, answer, diagnoses, finding, label,
                         sandbox)

keras = tf.keras
# the most bytes one answer may take: the largest honest one (outputs on
# 4000 inputs) takes about 300 kB
ANSWER_BYTES = 16 << 20
# where the answerer's program is shown in the sandbox
PROGRAM = '/check/answer.py'
# what TensorFlow, Keras and matplotlib make in a home folder by
# themselves: not the learner's side effects
OWN = ('.keras', '.matplotlib', '.config', '.cache', '__pycache__')
# a file in the answerer's scratch folder that looks like a verdict; it
# is never read: a module that rewrites it is seen doing so
DECOY = 'findings.json'
DECOY_TEXT = '{"phase": "done", "findings": []}\n'


class Raised(Exception):
    """The learner's code raised while answering: error is the exception
    as the answerer sent it."""

    def __init__(self, error):
        """Keeps the exception's data."""
        Exception.__init__(self, error.get('type'))
        self.error = error


class Broken(Exception):
    """The answerer cannot answer any more: it ended, was stopped at its
    time limit, or sent what is not an answer. said is the finding's
    text; check its name."""

    def __init__(self, check, said, cause='', run=None):
        """Keeps the finding's parts."""
        Exception.__init__(self, said)
        self.check, self.said, self.cause, self.run = check, said, cause, run


class Answerer(object):
    """The learner's side as the judge sees it: the answerer process in
    its sandbox, the channel to it, and the phase it is asked about."""

    def __init__(self, folder, scratch, patience):
        """Starts the answerer for the learner's folder; scratch is the
        only folder it writes."""
        self.folder, self.scratch, self.patience = folder, scratch, patience
        with open(os.path.join(scratch, DECOY), 'w') as decoy:
            decoy.write(DECOY_TEXT)
        self.ours, theirs = socket.socketpair()
        source = os.path.splitext(os.path.realpath(answer.__file__))[0] + \
            '.py'
        # in the sandbox the program is shown alone; outside one, as it is
        program = PROGRAM if sandbox.bwrap() else source
        self.child = sandbox.Child(
            [program, str(theirs.fileno()), folder], scratch, [folder],
            files=[(source, PROGRAM)], keep_fds=[theirs.fileno()],
            TF_CPP_MIN_LOG_LEVEL='2')
        theirs.close()
        self.phase, self.deadline, self.run = 'starting', None, None
        self.asked, self.paths, self.effects = 0, [], []
        self.reported = set()

    def alive(self):
        """Returns True while the answerer can be asked."""
        return self.run is None

    def start_task(self):
        """Gives the next task its own time limit, from now, and its own
        side effects."""
        self.deadline = time.time() + self.patience
        self.effects = []

    def ask(self, what, **question):
        """Returns the answer to question what, checked to be one: raises
        Raised where the learner's code raised, Broken where no answer
        can be had."""
        return self.asking(what, **question)()

    def asking(self, what, **question):
        """Sends question what and returns the function that waits for
        its answer (ask() both at once): the judge can compute meanwhile."""
        self.asked += 1
        token = '{}-{}'.format(self.asked, os.urandom(8).hex())
        question.update(ask=what, id=token)
        try:
            answer.send(self.ours.fileno(), question, self.deadline)
        except (answer.Closed, OSError):
            raise self.ended()
        except answer.Refused:
            self.end(timed_out=True)
            raise self.ended()
        return lambda: self.answered(token)

    def answered(self, token):
        """Returns the answer to the question of token (see ask)."""
        try:
            got = answer.receive(self.ours.fileno(), ANSWER_BYTES,
                                 self.deadline)
        except (answer.Closed, OSError):
            raise self.ended()
        except answer.Refused as refused:
            late = 'time limit' in str(refused)
            if late:
                self.end(timed_out=True)
                raise self.ended()
            self.end()
            raise Broken('answers', 'expected an answer to the judge\'s '
                         'question while {}, found {}'.format(self.phase,
                                                              refused),
                         cause='something in the module wrote to the '
                         'judge\'s channel, or replaced the program that '
                         'answers it: a task file only defines its '
                         'function')
        if got.get('id') != token:
            self.end()
            raise Broken('answers', 'expected the answer to question {} '
                         'while {}, found one to {!r}'.format(
                             token.split('-')[0], self.phase,
                             got.get('id')),
                         cause='something in the module wrote to the '
                         'judge\'s channel: a task file only defines its '
                         'function')
        if isinstance(got.get('effects'), list):
            self.effects = [str(effect) for effect in got['effects']]
        if 'failed' in got:
            raise Raised(expect(got, 'failed', dict))
        return got

    def ended(self):
        """Returns the Broken that says how the answerer ended (it has)."""
        run = self.end()
        stopped = sandbox.stopped(run, self.phase)
        if stopped:
            return Broken('finishes', 'expected the checks to end, found '
                          'them ' + stopped, cause=stopped_cause(
                              run, stopped, self.phase), run=run)
        line, cause = diagnoses.from_output(run.output, self.paths)
        return Broken('finishes', 'expected the module to be checked, found '
                      'the check stopped (exit {}) while {}: {}'.format(
                          run.code, self.phase, line or last_line(run.output)),
                      cause=cause or ended_cause(run), run=run)

    def end(self, timed_out=False):
        """Ends the answerer (once); keeps what it did (a sandbox.Run)."""
        if self.run is None:
            try:
                self.ours.close()
            except OSError:
                pass
            if not timed_out:
                # an answerer whose channel closed ends by itself, its
                # exit handlers run (a module's too: seen by written())
                for _ in range(200):
                    if self.child.process.poll() is not None:
                        break
                    time.sleep(0.05)
            self.run = self.child.stop(timed_out)
        return self.run

    def written(self):
        """Returns the files the learner's code left in the scratch folder
        since the last call (the decoy among them where it was changed),
        as sentences."""
        found = []
        for top, folders, names in os.walk(self.scratch):
            folders[:] = [name for name in folders if name not in OWN]
            for name in names:
                path = os.path.join(top, name)
                if os.path.relpath(path, self.scratch) == DECOY:
                    with open(path) as source:
                        if source.read() == DECOY_TEXT:
                            continue
                if path not in self.reported:
                    self.reported.add(path)
                    found.append('writing ' + path)
        return found


def last_line(output):
    """Returns the last line of output that is not empty."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1][:300] if lines else 'nothing'


def stopped_cause(run, stopped, phase):
    """Returns the likely cause of an answerer stopped at a limit or by a
    signal (stopped says which) while in phase."""
    if run.timed_out:
        return ('what the module does while {} does not end within the '
                'limit: likely a loop, or training, at its top level or in '
                'autoencoder(); the checks before this one ran'.format(phase))
    if 'memory limit' in stopped:
        return ('it asks for more memory than a grader gives while {}: look '
                'at what it allocates there'.format(phase))
    return ('the process died of a signal while {}: native code (TensorFlow) '
            'aborts where it cannot start its threads or get memory; likely '
            'processes or threads the module starts at its top level (a '
            'grader allows {} together), or a crash in an extension it '
            'calls'.format(phase, PROCESSES))


def ended_cause(run):
    """Returns the likely cause of an answerer that ended by itself while
    asked, with no traceback to read."""
    if run.code == 0:
        return ('the process ended by itself while the module was checked: '
                'likely os._exit() or sys.exit() from an atexit or thread, '
                'at the module\'s top level; a task file only defines its '
                'function')
    return ''


def expect(got, key, kind):
    """Returns got[key], raising Broken where it is missing or not of
    kind (a type or a tuple of types)."""
    value = got.get(key) if isinstance(got, dict) else None
    if not isinstance(value, kind):
        raise Broken('answers', 'expected an answer holding {} ({}), found '
                     '{}'.format(key, getattr(kind, '__name__', kind),
                                 type(value).__name__),
                     cause='something in the module wrote to the judge\'s '
                     'channel, or replaced the program that answers it')
    return value


def valid_model(description):
    """Raises Broken where a model's description is not what the answerer
    makes (describe_model); returns it."""
    for key, kind in (('layers', list), ('outputs', list), ('listed', bool),
                      ('losses', int), ('settings', dict),
                      ('loss_is_string', bool)):
        expect(description, key, kind)
    for layer in description['layers']:
        for key, kind in (('class', str), ('module', str), ('params', int),
                          ('weights', list), ('regularizers', list)):
            expect(layer, key, kind)
    return description


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
                           'GB memory limit, found it stopped at that limit '
                           'while {} ({})'.format(MEMORY >> 30, self.phase,
                                                  line), why,
                           'it asks for more memory than a grader gives: '
                           'look at what it allocates there', where)
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


def reference(task):
    """Returns this project's module of the task, loaded from its file
    under a name of its own."""
    path = os.path.join(ROOT, task.file)
    spec = importlib.util.spec_from_file_location(
        'reference_' + task.name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours_built(function, arguments, seed=None):
    """Returns our three models of arguments, on a fresh session."""
    keras.backend.clear_session()
    if seed is not None:
        runtime.seed(seed)
    return function(*copy.deepcopy(arguments))


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


def describe(layer):
    """Returns what graders compare of a layer (its description): its
    class, activation, padding, kernel size, output shape and parameter
    count, as one line."""
    parts = [layer['class']]
    for name in ('activation', 'padding', 'kernel_size', 'pool_size',
                 'size', 'filters'):
        value = layer.get(name)
        if value is not None:
            parts.append(str(tuple(value)) if isinstance(value, list)
                         else str(value))
    shape = layer.get('output_shape')
    parts.append(str(tuple(shape)) if isinstance(shape, list)
                 else str(shape))
    parts.append('{} params'.format(layer['params']))
    return ' '.join(parts)


def listing(model):
    """Returns [(index in model.layers, layer)] of a model's description,
    its inputs left out."""
    return [(i, layer) for i, layer in enumerate(model['layers'])
            if layer['class'] != 'InputLayer']


def is_sampling(theirs, mine):
    """Returns True where theirs, a layer of a class of the learner's own,
    stands where ours has the sampling Lambda, with its output shape and
    no weights."""
    return mine['class'] == 'Lambda' and \
        theirs['module'] not in ('keras', 'tensorflow', 'tf_keras') and \
        theirs.get('output_shape') == mine.get('output_shape') and \
        theirs['params'] == 0


def compare_layers(task, part, model, mine, arguments, spec_right):
    """Returns (the first difference of model's layers from ours, as a
    sentence, or '', its likely cause, notes): a sampling layer of the
    learner's own class is a note, not a difference."""
    theirs, wanted = listing(model), listing(mine)
    notes = []
    for i in range(max(len(theirs), len(wanted))):
        a = theirs[i][1] if i < len(theirs) else None
        b = wanted[i][1] if i < len(wanted) else None
        if a is not None and b is not None and is_sampling(a, b):
            notes.append(finding(
                'sampling layer', 'note', 'expected a Lambda layer drawing '
                'z, found a layer class of your own, {}'.format(a['class']),
                'allowed and it samples alike (the sampling checks run on '
                'it); a checker that lists the layers\' classes expects '
                'Lambda, as the spec\'s era wrote it', 'keras.layers.Lambda'
                '(sampling) around a function gives the listing graders '
                'expect'))
            continue
        if a is None or b is None or describe(a) != describe(b):
            said = 'layer {} of the {}: expected {}, found {}'.format(
                i + 1, part, describe(b) if b else 'none',
                describe(a) if a else 'none')
            return said, layer_cause(task, part, i, a, b, wanted, theirs,
                                     arguments, spec_right), notes
    return '', '', notes


def layer_cause(task, part, i, theirs, mine, wanted, their_layers,
                arguments, spec_right):
    """Returns the likely cause of a layer differing from ours, or '';
    wanted and their_layers are ours and the learner's (listing());
    spec_right where the spec's configuration built right."""
    last = i == len(wanted) - 1
    if task.name == 'convolutional' and part == 'decoder' and \
            theirs is not None and mine is not None and \
            theirs.get('filters') != mine.get('filters'):
        if last:
            return ('the last convolution has {} filter(s) where input_dims '
                    'has {} channel(s): likely a hard-coded channel count; '
                    'give it input_dims[-1] filters'.format(
                        theirs.get('filters'), mine.get('filters')))
        order = filters_order(wanted, their_layers)
        if order:
            return order
    if theirs is not None and mine is not None and \
            theirs['class'] == mine['class'] and \
            theirs.get('activation') is not None and \
            theirs.get('activation') != mine.get('activation'):
        return 'layer {} uses {} where the spec asks for {}'.format(
            i + 1, theirs['activation'], mine['activation'])
    if arguments != task.configuration.arguments and spec_right:
        return diagnoses.in_configuration('layers', task, arguments)
    return ''


def convolutions(layers):
    """Returns the filters of the Conv2D layers of a listing()."""
    return [layer.get('filters') for _, layer in layers
            if layer['class'] == 'Conv2D']


def filters_order(wanted, their_layers):
    """Returns the likely cause of a decoder whose convolutions take the
    filters in the encoder's order instead of reversed, or ''."""
    # ours: reversed(filters), then the channels
    hidden, found = convolutions(wanted)[:-1], convolutions(their_layers)
    if len(hidden) > 1 and hidden != hidden[::-1] and \
            found[:len(hidden)] == hidden[::-1]:
        return ('the decoder\'s convolutions take the filters in the '
                'encoder\'s order, {}: the decoder mirrors the encoder, so '
                'they take reversed(filters), {}'.format(hidden[::-1],
                                                         hidden))
    return ''


def structure(judged):
    """Checks what the learner's function builds for each of the task's
    configurations beside ours: three Keras models, nothing printed, the
    caller's lists kept, each layer, auto = [input, encoder, decoder].
    Returns the spec configuration's descriptions, or None where it did
    not build three models."""
    task = judged.task
    why_layers = ('graders compare each layer\'s class, activation, '
                  'padding, shape and parameters: ' + GRADER +
                  ', What today\'s grader checks')
    built, spec_right = None, [True]
    for arguments in task.configurations:
        judged.save('building ' + label(arguments))
        where = [label(arguments)]
        try:
            got = judged.build(arguments)
        except Raised as raised:
            crash = judged.crash('builds', 'graders call autoencoder() with '
                                 'the spec\'s arguments and others',
                                 raised.error, where)
            if arguments != task.configuration.arguments and \
                    not crash.get('cause'):
                cause = diagnoses.in_configuration(
                    raised.error.get('type'), task, arguments)
                if cause:
                    crash['cause'] = cause
            judged.add(crash)
            judged.unbuilt.append(arguments)
            continue
        printed = got['printed'].strip()
        judged.add(finding(
            'quiet build', 'fail' if printed else 'ok',
            'expected autoencoder() to print nothing, found it printing '
            '{!r}'.format(printed.splitlines()[0][:80]) if printed else '',
            'graders compare what the mains print, line by line: the main '
            'then prints these lines too', 'likely a model.summary() or '
            'print() inside autoencoder(): remove it' if printed else '',
            where))
        given = got.get('given')
        kept = given == arguments
        reversed_in_place = isinstance(given, tuple) and any(
            isinstance(a, list) and a != b and a == list(reversed(b))
            for a, b in zip(given, arguments))
        judged.add(finding(
            'arguments kept', 'ok' if kept else 'fail', '' if kept else
            'expected {} unchanged, found {} after the call'.format(
                list(arguments), list(given) if isinstance(
                    given, (list, tuple)) else given),
            'a caller\'s lists are theirs: the mains reuse them',
            'likely hidden_layers.reverse() (or filters.reverse()), which '
            'reverses the caller\'s list in place: use reversed(...) or a '
            '[::-1] copy' if reversed_in_place else '', where))
        if 'models' not in got:
            judged.add(finding(
                'returns', 'fail', 'expected (encoder, decoder, auto), three '
                'Keras models, found {}'.format(got.get('kind')),
                'the spec: "Returns: encoder, decoder, auto"', where=where))
            continue
        encoder, decoder, _ = got['models']
        mine = [answer.describe_model(model)
                for model in ours_built(judged.ours, arguments)]
        for part, model, reference_model in (('encoder', encoder, mine[0]),
                                             ('decoder', decoder, mine[1])):
            said, cause, notes = compare_layers(
                task, part, model, reference_model, arguments,
                spec_right[0])
            if said and arguments == task.configuration.arguments:
                spec_right[0] = False
            for note in notes:
                note['where'] = where
            judged.add(notes + [finding(
                'layers', 'fail' if said else 'ok', said, why_layers, cause,
                where)])
        judged.add(nesting(got['nests'], where))
        if arguments == task.configuration.arguments:
            built = (got['models'], mine, spec_right[0])
    return built


def nesting(nests, where):
    """Returns the findings on auto.layers, as the answerer saw them: [1]
    is the encoder and [2] the decoder (a fail otherwise); more layers
    than three, a note."""
    why = ('graders check auto.layers[1] is encoder and auto.layers[2] is '
           'decoder: ' + GRADER + ', What today\'s grader checks')
    kinds = [str(kind) for kind in expect(nests, 'kinds', list)]
    if not (nests.get('encoder') is True and nests.get('decoder') is True):
        return [finding(
            'auto nests the models', 'fail', 'expected auto.layers[1] to be '
            'the encoder and [2] the decoder, found {}'.format(kinds[:6]),
            why, 'build auto from the two models: inputs = keras.Input(...); '
            'auto = keras.Model(inputs, decoder(encoder(inputs)))', where)]
    found = [finding('auto nests the models', 'ok', where=where)]
    if len(kinds) > 3:
        extra = sorted(set(kinds[3:]))
        found.append(finding(
            'auto.layers', 'note', 'expected [input, encoder, decoder], found '
            '{} layers: the encoder and decoder in place, then {}'.format(
                len(kinds), ', '.join(extra)),
            'the operations of a KL computed on the encoder\'s outputs and '
            'added with add_loss become layers of auto on TF 2 '
            '(TFOpLambda, AddLoss); a checker that prints its three lines '
            'only if len(auto.layers) == 3 prints nothing and fails you, '
            'another that never tests the length passes you',
            'to have exactly three, compute the KL inside the compiled loss '
            'or inside a layer of the encoder', where))
    return found


def compile_checks(judged, auto, mine):
    """Checks auto's compile settings (descriptions) beside ours: Adam
    with its defaults, the loss string (tasks 0 to 2)."""
    settings = ('learning_rate', 'lr', 'beta_1', 'beta_2', 'epsilon',
                'amsgrad')
    theirs, wanted = auto['settings'], mine['settings']
    differs = [name for name in settings if name in wanted and
               not np.isclose(float(theirs.get(name, -1)),
                              float(wanted[name]))]
    adam = auto.get('optimizer') == 'Adam'
    judged.add(finding(
        'optimizer', 'ok' if adam and not differs else 'fail',
        '' if adam and not differs else 'expected Adam with its defaults, '
        'found {} {}'.format(auto.get('optimizer'), ', '.join(
            '{}={}'.format(name, theirs.get(name)) for name in differs)),
        'the spec: "compiled using adam optimization"',
        'compile(optimizer=\'adam\', ...)' if not adam or differs else ''))
    if judged.task.number < 3:
        good = auto['loss_is_string'] and auto.get('loss') == \
            'binary_crossentropy'
        judged.add(finding(
            'loss', 'ok' if good else 'fail', '' if good else
            'expected the string \'binary_crossentropy\', found {}'.format(
                repr(auto.get('loss')) if auto['loss_is_string']
                else auto.get('loss')),
            'graders compare auto.loss with the string: ' + GRADER +
            ', What today\'s grader checks',
            '' if good else 'compile(..., loss=\'binary_crossentropy\')'))


def metrics_check(judged, auto):
    """Checks that evaluate returns the loss alone: no metrics."""
    x = judged.rng.rand(*((8,) + tuple(auto['input'][1:])))
    value, scalar = judged.evaluate(x, 8)
    judged.add(finding(
        'metrics', 'ok' if scalar else 'fail', '' if scalar else
        'expected no metrics (evaluate returns the loss alone), found '
        '{!r}'.format(value), 'graders compare the printed logs, which '
        'metrics lengthen', '' if scalar else 'drop metrics= from compile'))


def regularizers(model):
    """Returns [(layer index, kind, l1, l2)] of the regularisers of a
    model's layers (its description)."""
    return [(i, str(kind), float(l1), float(l2))
            for i, layer in enumerate(model['layers'])
            for kind, l1, l2 in layer['regularizers']]


def sparse_check(judged, arguments):
    """Checks the sparse model's regularisers: an L1 of exactly lambtha
    on the code layer's activity, nothing else."""
    encoder, decoder, _ = judged.build(arguments)['models']
    lambtha = arguments[3]
    theirs = regularizers(encoder) + [('decoder',) + item[1:]
                                      for item in regularizers(decoder)]
    code = len(encoder['layers']) - 1
    good = len(theirs) == 1 and theirs[0][:2] == (
        code, 'activity_regularizer') and np.isclose(
            theirs[0][2], lambtha, rtol=1e-6) and theirs[0][3] == 0
    cause = ''
    if not theirs:
        cause = 'no regulariser at all: give the code layer ' \
            'activity_regularizer=keras.regularizers.l1(lambtha)'
    elif len(theirs) > 1:
        cause = 'the L1 is on {} layers: keep it on the code layer (the ' \
            'last of the encoder) alone'.format(len(theirs))
    elif theirs[0][1] != 'activity_regularizer':
        cause = 'a {} penalises the weights, not the code: use ' \
            'activity_regularizer'.format(theirs[0][1])
    elif theirs[0][0] != code:
        cause = 'the L1 is on layer {}, not the code layer {}'.format(
            theirs[0][0], code)
    elif not np.isclose(theirs[0][2], lambtha, rtol=1e-6):
        cause = 'its weight is {:.3g} times lambtha: pass lambtha as it ' \
            'is, l1(lambtha)'.format(theirs[0][2] / lambtha)
    judged.add(finding(
        'L1 on the code', 'ok' if good else 'fail', '' if good else
        'expected an activity L1 of {} on the code layer (layer {}) alone, '
        'found {}'.format(lambtha, code, [
            'layer {}: {} l1={:.3g} l2={:.3g}'.format(*item)
            for item in theirs] or 'none'),
        'the spec: "lambtha is the regularization parameter used for L1 '
        'regularization on the encoded output"', cause,
        [label(arguments)]))


def computes(judged, theirs, mine, models):
    """Checks that the learner's models compute what ours compute on
    weights and inputs drawn for this run: each layer given the weights
    we give ours, then both run on the same inputs. models are the
    indices (0 the encoder, 1 the decoder) to compare."""
    rng = judged.rng
    ours = ours_built(judged.ours, judged.task.configuration.arguments)
    for index in models:
        wanted, found = listing(mine[index]), listing(theirs[index])
        for (i, layer), (j, their_layer) in zip(wanted, found):
            shapes = [tuple(shape) for shape in layer['weights']]
            if not shapes:
                continue
            weights = [rng.normal(0, 0.3, shape).astype('float32')
                       for shape in shapes]
            ours[index].layers[i].set_weights(weights)
            judged.set_weights(index, j, weights)
        shape = mine[index]['input'][1:]
        x = rng.rand(*([32] + shape)).astype('float32')
        expected = ours[index].predict(x, verbose=0)
        expected = expected if isinstance(expected, (list, tuple)) \
            else [expected]
        got, _ = judged.predict(index, x)
        part = ('encoder', 'decoder')[index]
        # the VAE's encoder draws z: only its mean and log variance are
        # compared, by the decoder alone here
        differs = len(got) != len(expected) or any(
            a.shape != b.shape or not np.allclose(a, b, rtol=1e-3,
                                                  atol=1e-4)
            for a, b in zip(got, expected))
        if differs:
            judged.add(finding(
                'computes', 'fail', 'expected the {} to compute what ours '
                'computes with the same weights, found outputs that '
                'differ (largest difference {})'.format(part, largest(
                    got, expected)), 'the layers listed are not enough: a '
                'grader runs the models', 'a layer that does more than it '
                'lists (a Lambda, a call of its own), or outputs that are '
                'not the layers\' own'))
            return
    judged.add(finding('computes', 'ok'))


def largest(got, expected):
    """Returns the largest difference between two lists of arrays, as
    text ('shapes differ' where they do)."""
    try:
        return '{:.3g}'.format(max(float(np.abs(a - b).max())
                                   for a, b in zip(got, expected)))
    except ValueError:
        return 'shapes differ'


def dense_layers(model):
    """Returns [(index, layer)] of a model description's Dense layers."""
    return [(i, layer) for i, layer in enumerate(model['layers'])
            if layer['class'] == 'Dense']


def set_linear(judged, model, layers, biases):
    """Gives each of layers (index, description) of the learner's model a
    zero kernel and the bias of biases."""
    for (i, layer), bias in zip(layers, biases):
        kernel = tuple(layer['weights'][0])
        judged.set_weights(model, i, [
            np.zeros(kernel, 'float32'),
            np.asarray(np.broadcast_to(bias, (kernel[1],)), 'float32')])


ORDER_WHY = ('the spec: the encoder outputs "the latent representation, '
             'the mean, and the log variance", in that order')


def vae_outputs(judged, encoder, x, centre):
    """Checks the encoder's outputs: z drawn anew at each call, mean and
    log_var from two linear Dense layers of the latent size, in the
    spec's order. Returns (index of z, of mean, of log_var, the mean's
    layer, the log variance's) or None where they cannot be told; centre
    is the bias the mean is given to tell it (drawn for this run)."""
    outputs, _ = judged.predict(0, x)
    if len(outputs) != 3:
        judged.add(finding('encoder outputs', 'fail', 'expected [z, mean, '
                           'log_var], found {} output(s)'.format(
                               len(outputs)), ORDER_WHY, 'return all three: '
                           'keras.Model(inputs, [z, mean, log_var])'))
        return None
    again, _ = judged.predict(0, x)
    drawn = [not np.allclose(a, b) for a, b in zip(outputs, again)]
    latent = outputs[0].shape[-1]
    linear = [(i, layer) for i, layer in dense_layers(encoder)
              if layer.get('activation') == 'linear' and
              layer.get('units') == latent]
    if sum(drawn) != 1 or len(linear) != 2:
        judged.add(finding(
            'encoder outputs', 'fail', 'expected [z, mean, log_var]: one '
            'output drawn anew at each call, mean and log_var from two '
            'linear Dense layers; found {} drawn and {} linear Dense '
            'layer(s) of the latent size'.format(sum(drawn), len(linear)),
            ORDER_WHY, 'likely no sampling, or mean and log_var with an '
            'activation: the spec asks for activation=None on both'))
        return None
    z_index = drawn.index(True)
    set_linear(judged, 0, linear, (centre, 0.0))
    outputs, _ = judged.predict(0, x)
    # the mean is the layer z centres on
    centred_on_first = np.allclose(outputs[z_index].mean(axis=0), centre,
                                   atol=0.3)
    mean_layer, log_var_layer = linear if centred_on_first else linear[::-1]
    value = centre if centred_on_first else 0.0
    others = [i for i in range(3) if i != z_index]
    mean_index = next((i for i in others
                       if np.allclose(outputs[i], value)), others[0])
    log_var_index = [i for i in others if i != mean_index][0]
    names = [''] * 3
    names[z_index], names[mean_index], names[log_var_index] = \
        'z', 'mean', 'log_var'
    good = names == ['z', 'mean', 'log_var']
    judged.add(finding(
        'encoder outputs', 'ok' if good else 'fail', '' if good else
        'expected [z, mean, log_var], found [{}] (z is the output drawn '
        'anew at each call; the mean, the one z centres on)'.format(
            ', '.join(names)), ORDER_WHY, '' if good else
        'return them in the spec\'s order: keras.Model(inputs, [z, mean, '
        'log_var]); the 3-main.py unpacks encoded, mu, log_sig' + (
            ' ([mean, log_var, z] is the order of the solutions that '
            'reproduce the 2024 page\'s log: docs/grader.md)'
            if names == ['mean', 'log_var', 'z'] else '')))
    return z_index, mean_index, log_var_index, mean_layer, log_var_layer


def draw_latent(rng, size=3):
    """Returns a mean and a log variance drawn for this run: log
    variances at least 0.5 from 0 (so exp(log_var / 2), exp(log_var) and
    exp(log_var / 4) differ by more than the checks' tolerance) and a KL
    of at least 1 (so a KL missing, averaged or counted twice shows)."""
    while True:
        mean = rng.uniform(-1.5, 1.5, size)
        log_var = rng.uniform(0.5, 1.2, size) * rng.choice([-1, 1], size)
        kl = -0.5 * np.sum(1 + log_var - mean ** 2 - np.exp(log_var))
        if kl >= 1:
            return mean, log_var


def vae_checks(judged):
    """The VAE's own checks, each on weights and inputs drawn for this
    run: its outputs, the KL added with add_loss (a note), z's spread,
    auto decoding z, and the loss: the cross-entropy summed over the
    values plus the KL summed over the latent axis, once."""
    rng = judged.rng
    size = 20
    got = judged.build((size, [16], 3))
    if 'models' not in got:
        raise Broken('answers', 'expected three models of ({}, [16], 3), as '
                     'of the configurations before, found {}'.format(
                         size, got.get('kind')))
    encoder, decoder, auto = got['models']
    x = rng.rand(4000, size).astype('float32')
    judged.save('checking the encoder\'s outputs')
    told = judged.guarded('encoder outputs', ORDER_WHY, vae_outputs, judged,
                          encoder, x, float(rng.uniform(1.5, 2.5)))
    if auto['losses']:
        judged.add(finding(
            'KL in the loss', 'note', 'expected the KL inside the compiled '
            'loss, found {} loss(es) added to the model (add_loss)'.format(
                auto['losses']), 'allowed, but a grader reading auto.loss '
            'sees the cross-entropy alone'))
    if not told:
        for check in ('z spread', 'auto decodes z', 'loss'):
            judged.add(finding(check, 'skipped', 'needs mean and log_var '
                               'told apart: see encoder outputs'))
        return
    z_index, _, _, mean_layer, log_var_layer = told
    mean, log_var = draw_latent(rng)
    set_linear(judged, 0, (mean_layer, log_var_layer), (mean, log_var))
    judged.save('checking z')
    judged.guarded('z spread', 'the reparameterisation trick', z_spread,
                   judged, x, z_index, mean, log_var)
    judged.save('checking what auto decodes')
    judged.guarded('auto decodes z', 'the spec', decodes_z, judged, x,
                   z_index, mean, log_var)
    judged.save('checking the loss on given weights')
    judged.guarded('loss', 'the spec\'s loss', vae_loss, judged, decoder,
                   x, mean, log_var)


def z_spread(judged, x, z_index, mean, log_var):
    """Checks z = mean + exp(log_var / 2) * epsilon, epsilon from N(0, 1),
    where mean and log_var are the layers' given outputs."""
    z = judged.predict(0, x)[0][z_index]
    spread = z.std(axis=0)
    wanted = np.exp(log_var / 2)
    good = np.allclose(spread / wanted, 1, atol=0.1) and np.allclose(
        z.mean(axis=0), mean, atol=0.15)
    cause = ''
    if good:
        pass
    elif np.allclose(spread / np.exp(log_var), 1, atol=0.1):
        cause = 'likely exp(log_var) without the half: the standard ' \
            'deviation is exp(log_var / 2); write exp(0.5 * log_var)'
    elif np.allclose(spread / np.exp(log_var / 4), 1, atol=0.1):
        cause = 'likely sqrt(exp(log_var / 2)) or exp(log_var / 4): the ' \
            'standard deviation is exp(log_var / 2)'
    elif np.allclose(spread / np.abs(log_var).clip(0.01), 1, atol=0.1):
        cause = 'likely log_var used as the standard deviation itself: ' \
            'multiply epsilon by exp(log_var / 2)'
    elif np.allclose(spread, 0, atol=1e-3):
        cause = 'z does not vary: likely no epsilon, or one drawn once for ' \
            'all batches; draw it in the sampling function, ' \
            'keras.backend.random_normal(shape=...)'
    else:
        ratios = spread / wanted
        if np.allclose(ratios, ratios.mean(), rtol=0.1):
            cause = 'z spreads by {:.2g} times exp(log_var / 2) on every ' \
                'axis: likely epsilon drawn with a standard deviation of ' \
                '{:.2g} instead of 1, or a factor on the spread; ' \
                'epsilon = keras.backend.random_normal(shape) has 1'.format(
                    ratios.mean(), ratios.mean())
        elif not np.allclose(z.mean(axis=0), mean, atol=0.15):
            cause = 'z is not centred on the mean: likely z = ' \
                'exp(log_var / 2) * epsilon without + mean, or the mean ' \
                'and log_var swapped in the sampling'
    judged.add(finding(
        'z spread', 'ok' if good else 'fail', '' if good else
        'expected z around mean by exp(log_var / 2) ({}), found {} around '
        '{}'.format(rounded(wanted), rounded(spread),
                    rounded(z.mean(axis=0))),
        'the reparameterisation trick: z = mean + exp(log_var / 2) * '
        'epsilon, epsilon from N(0, 1)', cause))


def rounded(values):
    """Returns values as a list of numbers to two places."""
    return [round(float(value), 2) for value in values]


def decodes_z(judged, x, z_index, mean, log_var):
    """Checks that auto decodes a fresh z at each call, not the mean or
    the log variance: its outputs spread as the decoder's outputs on the
    z the encoder draws (whatever its spread: z spread checks that), and
    no nearer the decoded mean (or log variance) than a fraction of that
    spread."""
    rows = 256
    first = judged.predict(2, x[:rows])[0][0]
    second = judged.predict(2, x[:rows])[0][0]
    z = judged.predict(0, x[:rows])[0][z_index]
    sampled = judged.predict(1, z)[0][0]
    spread = sampled.std(axis=0).mean()
    found = first.std(axis=0).mean() if first.shape == sampled.shape \
        else 0.0
    fixed = {name: judged.predict(1, np.tile(value, (rows, 1)))[0][0]
             for name, value in (('mean', mean), ('log variance', log_var))}
    # a decoder that hardly moves with z cannot tell z from the mean:
    # then only an exact match counts
    near = 0.1 * spread if spread > 1e-4 else 1e-5
    same = [name for name, value in sorted(fixed.items())
            if first.shape == value.shape and
            np.abs(first - value).mean() <= near]
    anew = first.shape == second.shape and \
        np.abs(first - second).max() > 1e-4
    spreads = spread <= 1e-4 or 0.75 <= found / spread <= 1.33
    good = anew and spreads and not same
    judged.add(finding(
        'auto decodes z', 'ok' if good else 'fail', '' if good else
        'expected auto to decode a fresh z at each call, spread as the '
        'decoder on the encoder\'s z ({:.3g}), found '
        '{}'.format(spread, 'the decoded ' + same[0] if same else
                    'the same output twice' if not anew else
                    'a spread of {:.3g}'.format(found)),
        'the spec: the decoder reconstructs from the latent representation, '
        'not the mean: ' + GRADER + ', The 2024 edition',
        'auto decodes the {}: decode the encoder\'s first output, '
        'decoder(encoder(inputs)[0])'.format(same[0]) if same else
        'z is not drawn anew at each call' if not anew else
        'auto decodes something spread otherwise than z: decode the '
        'encoder\'s first output, decoder(encoder(inputs)[0])'
        if not good else ''))


def vae_loss(judged, decoder, x, mean, log_var):
    """Checks the loss on weights where the decoder's output does not
    depend on z (so it is known) and the KL is at least 1."""
    dense = dense_layers(decoder)
    if not dense:
        raise Broken('answers', 'expected the decoder\'s Dense layers '
                     'described, found none')
    i, first_dense = dense[0]
    kernel, bias = [tuple(shape) for shape in first_dense['weights']]
    judged.set_weights(1, i, [np.zeros(kernel, 'float32'),
                              judged.rng.normal(0, 0.5, bias)])
    output = judged.predict(1, np.zeros((1, len(mean))))[0][0][0]
    output = np.clip(output, 1e-7, 1 - 1e-7)
    sample = x[:8]
    size = sample.shape[1]
    cross_entropy = np.mean(-np.sum(sample * np.log(output) + (
        1 - sample) * np.log(1 - output), axis=1))
    kl = -0.5 * np.sum(1 + log_var - mean ** 2 - np.exp(log_var))
    expected = float(cross_entropy + kl)
    loss = judged.evaluate(sample, 8)[0][0]
    good = abs(loss - expected) <= 1e-3 * expected
    averaged = diagnoses.AVERAGED[len('likely '):]
    kinds = [
        (cross_entropy, 'the KL is missing: add -0.5 * sum(1 + log_var - '
         'mean^2 - exp(log_var)) over the latent axis'),
        (cross_entropy + 2 * kl, 'the KL is counted twice (in the compiled '
         'loss and with add_loss, or added twice): count it once'),
        (cross_entropy + kl / 3, 'the KL averaged over the latent axis '
         '(keras.backend.mean): sum it over the latent axis'),
        (cross_entropy / size + kl, averaged),
        (cross_entropy / size + kl / 3, averaged + '; and the KL averaged '
         'over the latent axis: sum it'),
        (cross_entropy / size, averaged + '; and the KL is missing'),
        (cross_entropy - 0.5 * np.sum(1 + mean - log_var ** 2 -
                                      np.exp(mean)),
         'the KL reads mean and log_var swapped: the loss unpacks the '
         'encoder\'s outputs in another order than the encoder returns '
         'them; unpack them as returned, z, mean, log_var'),
    ]
    cause = next(('likely ' + said for value, said in kinds
                  if abs(loss - value) <= 1e-3 * abs(value)), '')
    judged.add(finding(
        'loss', 'ok' if good else 'fail', '' if good else
        'expected the cross-entropy summed over the values plus the KL '
        'summed over the latent axis, {:.4f} on weights where the KL is '
        '{:.4f}, found {:.4f}'.format(expected, kl, loss),
        'the spec\'s loss; on an untrained model the KL is too small to '
        'tell a KL missing or averaged, so these weights make it {:.2f}'
        .format(kl), cause))


def initializers(description):
    """Returns the names of the kernel initialisers of a model's layers
    (its description)."""
    return sorted(set(layer['initializer']
                      for layer in description['layers']
                      if isinstance(layer.get('initializer'), str)))


def training_checks(judged):
    """A short seeded training run of the spec's configuration, 4 epochs
    of batches of 32 on 2048 digits, beside ours trained the same way
    from the same seed: the untrained loss and the held-out loss after
    training on 512 test digits, each within its band of ours. The seed
    and the digits are drawn for this run (from the run's seed alone, so
    that a class shares ours); ours trains while the learner's does.
    Another initialiser than ours makes a band a note, with the cause."""
    task = judged.task
    configuration = task.configuration
    rng = np.random.RandomState([judged.seed, task.number, 7])
    seed = int(rng.randint(0, 2 ** 31 - 1))
    (x_train, _), (x_test, _) = data.load_data()
    start = int(rng.randint(0, len(x_train) - 2048))
    test_start = int(rng.randint(0, len(x_test) - 512))
    x_train = configuration.shape(
        x_train[start:start + 2048].astype('float32') / 255.)
    x_test = configuration.shape(
        x_test[test_start:test_start + 512].astype('float32') / 255.)
    got = judged.build(configuration.arguments, seed=seed)
    theirs_start = initializers(got['models'][0]) + initializers(
        got['models'][1])
    untrained = judged.evaluate(x_test)[0][0]
    fitted = judged.answerer.asking('fit', x=x_train, epochs=4,
                                    batch_size=32)
    mine, ours_start = our_training(judged, seed, x_train, x_test)
    fitted()
    theirs = (untrained, judged.evaluate(x_test)[0][0])
    starts = [sorted(set(theirs_start)), sorted(set(ours_start))]
    other_start = starts[0] != starts[1]
    for i, (check, bands) in enumerate((('untrained loss', UNTRAINED),
                                        ('trained loss', TRAINED))):
        ratio = theirs[i] / mine[i]
        inside = abs(ratio - 1) <= bands[task.name]
        status = 'ok' if inside else 'note' if other_start else 'fail'
        judged.add(finding(
            check, status, '' if inside else
            'expected within {:.0%} of ours, {:.4f}, found {:.4f} ({:.3g} '
            'times ours)'.format(bands[task.name], mine[i], theirs[i],
                                 ratio),
            'the same layers and loss learn the same way: graders compare '
            'the losses a main prints', diagnoses.band(
                task, ratio, starts if other_start else None)
            if not inside else ''))


def our_training(judged, seed, x_train, x_test):
    """Returns ((our untrained loss, trained loss), our kernel
    initialisers) for the training of training_checks from seed, kept in
    judged.kept (a folder shared by a class's learners) where there is
    one."""
    kept = os.path.join(judged.kept, 'training-{}-{}-{}.json'.format(
        versions.LINE, judged.task.number, seed)) if judged.kept else None
    if kept and os.path.isfile(kept):
        try:
            known = files.read_json(kept)
            return tuple(known['losses']), known['initializers']
        except (files.Torn, KeyError, ValueError):
            pass
    encoder, decoder, auto = ours_built(
        judged.ours, judged.task.configuration.arguments, seed)
    starts = initializers(answer.describe_model(encoder)) + \
        initializers(answer.describe_model(decoder))
    untrained = loss_of(auto.evaluate(x_test, x_test, verbose=0))
    auto.fit(x_train, x_train, epochs=4, batch_size=32, verbose=0)
    losses = (untrained, loss_of(auto.evaluate(x_test, x_test, verbose=0)))
    if kept:
        os.makedirs(judged.kept, exist_ok=True)
        files.write_json(kept, {'losses': losses, 'initializers': starts})
    return losses, starts


def loss_of(value):
    """Returns the loss of what evaluate returned (a number or a list)."""
    return float(np.ravel(value)[0])


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
    built = structure(judged)
    if built is None:
        skip(judged, later, 'needs the three models of the spec\'s '
             'configuration, which did not build')
        return
    run_later(judged, *built)


def run_later(judged, theirs, mine, layers_right):
    """The checks on the spec configuration's models, each guarded."""
    task = judged.task
    auto = theirs[2]
    compile_checks(judged, auto, mine[2])
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
        judged.guarded('metrics', 'the spec\'s compile', metrics_check,
                       judged, auto)
    if layers_right:
        judged.save('running the models on weights drawn for this run')
        judged.build(task.configuration.arguments)
        judged.guarded('computes', 'the layers listed are not enough',
                       computes, judged, theirs, mine,
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
            judged.guarded('L1 on the code', 'the spec', sparse_check,
                           judged, configuration)
    if task.name == 'variational':
        judged.guarded('VAE', 'the spec', vae_checks, judged)
    if not judged.quick and shaped:
        judged.save('training {} for 4 short epochs'.format(
            label(task.configuration.arguments)))
        judged.guarded('untrained loss, trained loss', 'graders compare the '
                       'losses a main prints', training_checks, judged)


EFFECTS_WHY = ('graders import the file; it must only define the '
               'function, and autoencoder() only build')
EFFECTS_CAUSE = ('remove that code: a task file writes or reads no file but '
                 'its own, opens no connection, starts no process and '
                 'registers no exit handler')


def effects(judged, seen):
    """Adds the finding on side effects: those the answerer saw the
    learner's code ask for (Python 3.8 and later: audit hooks; any
    line: exit handlers), and the files it left in its scratch folder."""
    seen = sorted(set(seen))
    judged.add(finding(
        'side effects', 'fail' if seen else 'ok', 'expected the import and '
        'autoencoder() to build and nothing else, found them {}'.format(
            '; '.join(seen[:6]) + (' (and {} more)'.format(len(seen) - 6)
                                   if len(seen) > 6 else ''))
        if seen else '', EFFECTS_WHY, EFFECTS_CAUSE if seen else ''))


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
    said = 'expected the import and autoencoder() to build and nothing ' \
        'else, found them {} (at exit)'.format('; '.join(written[:6]))
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


def fresh_seed():
    """Returns a seed drawn anew: the questions of one run."""
    return int.from_bytes(os.urandom(4), 'big') % (2 ** 31)
