#!/usr/bin/env python3
"""The child process of tools.check, run in its sandbox: imports a
learner's task module as a grader does (their folder first on the path,
`__import__('0-vanilla')`) and checks what it builds against this
project's own module of the same line, loaded from its file.

    python -m tools.check.model TASK FOLDER SCRATCH [--quick]

Every check that can run runs: each is guarded, so a crash becomes a
finding naming the learner's line (tools.check.diagnoses) and the next
check goes on; a check that cannot run without one that failed is
listed as skipped, saying why. The findings are written whole to
SCRATCH/findings.json after every check, with the phase the child is
in, so a child stopped at a limit still leaves what it found and where
it stopped. Whatever the learner's code writes, connects to or starts
while imported or called is recorded by Python's audit hooks (3.8 and
later) and reported as a side effect."""
import copy
import importlib.util
import json
import os
import sys

import numpy as np
import tensorflow as tf

from helpers import data, runtime
from tools.check import (GRADER, MEMORY, ROOT, TASKS, TRAINED,
                         UNTRAINED, diagnoses, finding, label)

keras = tf.keras
# what the learner's code printed, kept up to this many characters
PRINTED = 4096
# the operating-system calls that are side effects, by audit event
EFFECTS = {'open', 'socket.connect', 'subprocess.Popen', 'os.system',
           'os.posix_spawn', 'os.spawn', 'os.exec', 'os.fork',
           'os.forkpty'}
# Python's own library: its frames are passed over to find who asked
STDLIB = os.path.dirname(os.__file__) + os.sep


class TrainedAtImport(Exception):
    """fit was called while the module was imported."""


class Child(object):
    """The state of one check: the task, the learner's folder and file,
    the scratch folder, the findings so far and the phase."""

    def __init__(self, task, folder, scratch):
        """Starts with no findings."""
        self.task, self.folder, self.scratch = task, folder, scratch
        self.paths = [os.path.join(folder, task.file)]
        self.real_paths = set(os.path.realpath(path) for path in self.paths)
        self.found, self.phase, self.name = [], 'starting', None
        self.watching, self.effects = False, []
        # the configurations whose models did not build
        self.unbuilt = []

    def save(self, phase=None):
        """Writes the findings so far, and the phase, to findings.json."""
        if phase:
            self.phase = phase
        path = os.path.join(self.scratch, 'findings.json')
        with open(path + '.tmp', 'w') as target:
            json.dump({'phase': self.phase, 'function': self.name,
                       'findings': self.found}, target)
        os.replace(path + '.tmp', path)

    def add(self, found):
        """Adds a finding or a list of them and saves."""
        self.found += found if isinstance(found, list) else [found]
        self.save()

    def guarded(self, check, why, run, *arguments):
        """Returns run(*arguments), or where it raises, None after adding a
        fail of check naming the learner's line and the likely cause."""
        try:
            return run(*arguments)
        except Exception as error:
            self.add(self.crash(check, why, error))
            return None

    def crash(self, check, why, error, where=None):
        """Returns the fail of check for error."""
        line, cause = diagnoses.from_exception(error, self.paths)
        if isinstance(error, MemoryError):
            return finding(check, 'fail', 'expected it to run within the {} '
                           'GB memory limit, found it stopped at that limit '
                           'while {} ({})'.format(MEMORY >> 30, self.phase,
                                                  line), why,
                           'it asks for more memory than a grader gives: '
                           'look at what it allocates there', where)
        return finding(check, 'fail', 'expected it to run, found it '
                       'raising ' + line, why, cause, where)

    def hook(self, event, arguments):
        """Python's audit hook: records the side effects of the learner's
        code while it runs (self.watching): those it asks for itself, not
        TensorFlow's on its behalf (autograph's files)."""
        if not self.watching or event not in EFFECTS or \
                not self.asked_by_learner():
            return
        if event == 'open':
            path, mode, flags = (list(arguments) + [None, None])[:3]
            writing = (isinstance(mode, str) and any(
                letter in mode for letter in 'wax+')) or (
                isinstance(flags, int) and flags & (
                    os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND))
            if not writing or not isinstance(path, (str, bytes)):
                return
            path = os.path.abspath(os.fsdecode(path))
            if path.startswith(self.scratch + os.sep) or \
                    path == '/dev/null':
                return
            self.effects.append('writing ' + path)
        elif event == 'socket.connect':
            self.effects.append('connecting to {}'.format(arguments[1]))
        else:
            what = arguments[1] if event == 'subprocess.Popen' else \
                arguments[0] if arguments else ''
            if isinstance(what, (list, tuple)):
                what = ' '.join(str(part) for part in what)
            self.effects.append('starting a process ({} {})'.format(
                event, str(what)[:80]).replace(' )', ')'))

    def asked_by_learner(self):
        """Returns True where the nearest caller outside Python's own
        library is the learner's file."""
        frame = sys._getframe(2)
        while frame is not None and \
                frame.f_code.co_filename.startswith(STDLIB) and \
                'site-packages' not in frame.f_code.co_filename:
            frame = frame.f_back
        return frame is not None and os.path.realpath(
            frame.f_code.co_filename) in self.real_paths

    def call(self, function, arguments, seeded=False):
        """Calls the learner's function on a fresh session (seeded 0
        where seeded) with a copy of arguments, watching what it prints
        and does; returns (result, the copy after the call, what it
        printed)."""
        keras.backend.clear_session()
        if seeded:
            runtime.seed(0)
        given = copy.deepcopy(arguments)
        with Printed() as printed, self.watched():
            result = function(*given)
        return result, given, printed.text

    def watched(self):
        """Returns a context within which side effects are recorded."""
        return Watched(self)


class Printed(object):
    """Catches what is printed to sys.stdout within it, keeping the first
    PRINTED characters: a module that prints a gigabyte costs nothing."""

    def __enter__(self):
        """Puts itself in sys.stdout's place."""
        self.text, self.saved = '', sys.stdout
        sys.stdout = self
        return self

    def write(self, text):
        """Keeps what fits of text."""
        if len(self.text) < PRINTED:
            self.text += text[:PRINTED - len(self.text)]
        return len(text)

    def flush(self):
        """Nothing to flush."""

    def __exit__(self, *_):
        """Puts sys.stdout back."""
        sys.stdout = self.saved


class Watched(object):
    """Within it the child's audit hook records side effects."""

    def __init__(self, child):
        """Watches for child."""
        self.child = child

    def __enter__(self):
        """Starts watching."""
        self.child.watching = True

    def __exit__(self, *_):
        """Stops watching."""
        self.child.watching = False


def reference(task):
    """Returns this project's module of the task, loaded from its file
    under a name of its own."""
    path = os.path.join(ROOT, task.file)
    spec = importlib.util.spec_from_file_location(
        'reference_' + task.name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def import_learner(child):
    """Imports the learner's module as a grader does; returns it or None,
    adding the findings on the import."""
    task = child.task
    sys.path.insert(0, child.folder)
    fit = keras.Model.fit

    def refuse(*_, **__):
        """fit at import: stop it before it trains."""
        raise TrainedAtImport()
    keras.Model.fit = refuse
    module = None
    why = 'graders import the file: ' + GRADER + ', Conventions'
    printed = Printed()
    try:
        with printed, child.watched():
            module = __import__(task.file[:-3])
    except TrainedAtImport:
        child.add(finding(
            'import', 'fail', 'expected the import to build nothing, found '
            'it calling fit', why, 'the module trains when imported: put '
            'that code under if __name__ == "__main__": or in a main'))
    except SystemExit as stop:
        child.add(finding(
            'import', 'fail', 'expected the import to return, found it '
            'calling sys.exit({!r})'.format(stop.code), why,
            'code at the module\'s top level runs at import: move it into '
            'a function or under if __name__ == "__main__":'))
    except Exception as error:
        child.add(child.crash('import', why, error))
    finally:
        keras.Model.fit = fit
    if module is not None:
        child.add(finding('import', 'ok'))
    text = printed.text.strip()
    child.add(finding(
        'quiet import', 'fail' if text else 'ok',
        'expected the import to print nothing, found {!r}'.format(
            text.splitlines()[0][:80]) if text else '',
        'graders compare what the mains print, line by line',
        'a print at the module\'s top level: remove it' if text else ''))
    return module


def describe(layer):
    """Returns what graders compare of a layer: its class, activation,
    padding, kernel size, output shape and parameter count."""
    parts = [type(layer).__name__]
    for name in ('activation', 'padding', 'kernel_size', 'pool_size',
                 'size', 'filters'):
        value = getattr(layer, name, None)
        if value is not None:
            parts.append(getattr(value, '__name__', None) or str(
                tuple(value) if isinstance(value, (list, tuple)) else value))
    parts.append(str(output_shape(layer)))
    parts.append('{} params'.format(layer.count_params()))
    return ' '.join(parts)


def shape(tensor):
    """Returns a tensor's shape as a tuple, None for a size not known."""
    return tuple(tf.TensorShape(tensor.shape).as_list())


def output_shape(layer):
    """Returns layer's output shape as a tuple, '...' for several."""
    if isinstance(layer.output, (list, tuple)):
        return '...'
    return tuple(tf.TensorShape(layer.output.shape).as_list())


def listing(model):
    """Returns model's layers but its inputs."""
    return [layer for layer in model.layers
            if type(layer).__name__ != 'InputLayer']


def is_sampling(theirs, mine):
    """Returns True where theirs, a layer of a class of the learner's own,
    stands where ours has the sampling Lambda, with its output shape and
    no weights."""
    return type(mine).__name__ == 'Lambda' and \
        type(theirs).__module__.split('.')[0] not in ('keras', 'tensorflow',
                                                      'tf_keras') and \
        output_shape(theirs) == output_shape(mine) and \
        theirs.count_params() == 0


def compare_layers(task, part, model, mine, arguments, spec_right):
    """Returns (the first difference of model's layers from ours, as a
    sentence, or '', its likely cause, notes): a sampling layer of the
    learner's own class is a note, not a difference."""
    theirs, wanted = listing(model), listing(mine)
    notes = []
    for i in range(max(len(theirs), len(wanted))):
        a = theirs[i] if i < len(theirs) else None
        b = wanted[i] if i < len(wanted) else None
        if a is not None and b is not None and is_sampling(a, b):
            notes.append(finding(
                'sampling layer', 'note', 'expected a Lambda layer drawing '
                'z, found a layer class of your own, {}'.format(
                    type(a).__name__), 'allowed and it samples alike (the '
                'sampling checks run on it); a checker that lists the '
                'layers\' classes expects Lambda, as the spec\'s era wrote '
                'it', 'keras.layers.Lambda(sampling) around a function '
                'gives the listing graders expect'))
            continue
        if a is None or b is None or describe(a) != describe(b):
            said = 'layer {} of the {}: expected {}, found {}'.format(
                i + 1, part, describe(b) if b else 'none',
                describe(a) if a else 'none')
            return said, layer_cause(task, part, i, a, b, wanted,
                                     arguments, spec_right), notes
    return '', '', notes


def layer_cause(task, part, i, theirs, mine, wanted, arguments,
                spec_right):
    """Returns the likely cause of a layer differing from ours, or '';
    spec_right where the spec's configuration built right."""
    last = i == len(wanted) - 1
    if task.name == 'convolutional' and part == 'decoder' and last and \
            theirs is not None and getattr(theirs, 'filters', None) != \
            mine.filters:
        return ('the last convolution has {} filter(s) where input_dims has '
                '{} channel(s): likely a hard-coded channel count; give it '
                'input_dims[-1] filters'.format(theirs.filters,
                                                mine.filters))
    if theirs is not None and mine is not None and \
            type(theirs) is type(mine) and getattr(
                theirs, 'activation', None) is not None and \
            theirs.activation.__name__ != mine.activation.__name__:
        return 'layer {} uses {} where the spec asks for {}'.format(
            i + 1, theirs.activation.__name__, mine.activation.__name__)
    if arguments != task.configuration.arguments and spec_right:
        return diagnoses.in_configuration('layers', task, arguments)
    return ''


def structure(child, function, ours):
    """Checks what function builds for each of the task's configurations
    beside ours: three Keras models, nothing printed, the caller's lists
    kept, each layer, auto = [input, encoder, decoder]. Returns the spec
    configuration's (encoder, decoder, auto), or None where it did not
    build three models."""
    task = child.task
    why_layers = ('graders compare each layer\'s class, activation, '
                  'padding, shape and parameters: ' + GRADER +
                  ', What today\'s grader checks')
    built, spec_right = None, [True]
    for arguments in task.configurations:
        child.save('building ' + label(arguments))
        where = [label(arguments)]
        try:
            result, given, printed = child.call(function, arguments)
        except Exception as error:
            crash = child.crash('builds', 'graders call autoencoder() with '
                                'the spec\'s arguments and others', error,
                                where)
            kind = type(error).__name__
            if arguments != task.configuration.arguments and \
                    not crash.get('cause'):
                cause = diagnoses.in_configuration(kind, task, arguments)
                if cause:
                    crash['cause'] = cause
            child.add(crash)
            child.unbuilt.append(arguments)
            continue
        child.add(finding(
            'quiet build', 'fail' if printed.strip() else 'ok',
            'expected autoencoder() to print nothing, found it printing '
            '{!r}'.format(printed.strip().splitlines()[0][:80])
            if printed.strip() else '', 'graders compare what the mains '
            'print, line by line: the main then prints these lines too',
            'likely a model.summary() or print() inside autoencoder(): '
            'remove it' if printed.strip() else '', where))
        kept = given == arguments
        reversed_in_place = any(
            isinstance(a, list) and a != b and a == list(reversed(b))
            for a, b in zip(given, arguments))
        child.add(finding(
            'arguments kept', 'ok' if kept else 'fail', '' if kept else
            'expected {} unchanged, found {} after the call'.format(
                list(arguments), list(given)),
            'a caller\'s lists are theirs: the mains reuse them',
            'likely hidden_layers.reverse() (or filters.reverse()), which '
            'reverses the caller\'s list in place: use reversed(...) or a '
            '[::-1] copy' if reversed_in_place else '', where))
        if not (isinstance(result, (tuple, list)) and len(result) == 3 and
                all(isinstance(model, keras.Model) for model in result)):
            child.add(finding(
                'returns', 'fail', 'expected (encoder, decoder, auto), three '
                'Keras models, found {}'.format(type(result).__name__),
                'the spec: "Returns: encoder, decoder, auto"', where=where))
            continue
        encoder, decoder, auto = result
        mine = ours(*copy.deepcopy(arguments))
        for part, model, reference_model in (('encoder', encoder, mine[0]),
                                             ('decoder', decoder, mine[1])):
            said, cause, notes = compare_layers(
                task, part, model, reference_model, arguments,
                spec_right[0])
            if said and arguments == task.configuration.arguments:
                spec_right[0] = False
            for note in notes:
                note['where'] = where
            child.add(notes + [finding(
                'layers', 'fail' if said else 'ok', said, why_layers, cause,
                where)])
        child.add(nesting(encoder, decoder, auto, where))
        if arguments == task.configuration.arguments:
            built = result
    return built


def nesting(encoder, decoder, auto, where):
    """Returns the findings on auto.layers: [1] is the encoder and [2] the
    decoder (a fail otherwise); more layers than three, a note."""
    why = ('graders check auto.layers[1] is encoder and auto.layers[2] is '
           'decoder: ' + GRADER + ', What today\'s grader checks')
    kinds = [type(layer).__name__ for layer in auto.layers]
    if not (len(auto.layers) >= 3 and auto.layers[1] is encoder and
            auto.layers[2] is decoder):
        return [finding(
            'auto nests the models', 'fail', 'expected auto.layers[1] to be '
            'the encoder and [2] the decoder, found {}'.format(kinds[:6]),
            why, 'build auto from the two models: inputs = keras.Input(...); '
            'auto = keras.Model(inputs, decoder(encoder(inputs)))', where)]
    found = [finding('auto nests the models', 'ok', where=where)]
    if len(auto.layers) > 3:
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


def compile_checks(child, auto, mine):
    """Checks auto's compile settings beside ours: Adam with its defaults,
    the loss string (tasks 0 to 2)."""
    optimizer = auto.optimizer
    settings = ('learning_rate', 'lr', 'beta_1', 'beta_2', 'epsilon',
                'amsgrad')
    theirs = optimizer.get_config() if optimizer else {}
    wanted = mine.optimizer.get_config()
    differs = [name for name in settings if name in wanted and
               not np.isclose(float(theirs.get(name, -1)),
                              float(wanted[name]))]
    adam = type(optimizer).__name__ == 'Adam'
    child.add(finding(
        'optimizer', 'ok' if adam and not differs else 'fail',
        '' if adam and not differs else 'expected Adam with its defaults, '
        'found {} {}'.format(type(optimizer).__name__, ', '.join(
            '{}={}'.format(name, theirs.get(name)) for name in differs)),
        'the spec: "compiled using adam optimization"',
        'compile(optimizer=\'adam\', ...)' if not adam or differs else ''))
    if child.task.number < 3:
        good = auto.loss == 'binary_crossentropy'
        child.add(finding(
            'loss', 'ok' if good else 'fail', '' if good else
            'expected the string \'binary_crossentropy\', found {!r}'
            .format(auto.loss), 'graders compare auto.loss with the string: '
            + GRADER + ', What today\'s grader checks',
            '' if good else 'compile(..., loss=\'binary_crossentropy\')'))


def metrics_check(child, auto):
    """Checks that evaluate returns the loss alone: no metrics."""
    x = np.random.RandomState(0).rand(*((8,) + tuple(
        auto.input_shape[1:]))).astype('float32')
    value = auto.evaluate(x, x, verbose=0)
    plain = np.ndim(value) == 0
    child.add(finding(
        'metrics', 'ok' if plain else 'fail', '' if plain else
        'expected no metrics (evaluate returns the loss alone), found '
        '{!r}'.format(value), 'graders compare the printed logs, which '
        'metrics lengthen', '' if plain else 'drop metrics= from compile'))


def regularizers(model):
    """Returns [(layer index, kind, l1, l2)] of the regularisers of
    model's layers."""
    found = []
    for i, layer in enumerate(model.layers):
        for kind in ('activity_regularizer', 'kernel_regularizer',
                     'bias_regularizer'):
            regulariser = getattr(layer, kind, None)
            if regulariser is not None:
                config = regulariser.get_config()
                found.append((i, kind, float(config.get('l1', 0)),
                              float(config.get('l2', 0))))
    return found


def sparse_check(child, function, arguments):
    """Checks the sparse model's regularisers: an L1 of exactly lambtha
    on the code layer's activity, nothing else."""
    (encoder, decoder, _), _, _ = child.call(function, arguments)
    lambtha = arguments[3]
    theirs = regularizers(encoder) + [('decoder',) + item[1:]
                                      for item in regularizers(decoder)]
    code = len(encoder.layers) - 1
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
    child.add(finding(
        'L1 on the code', 'ok' if good else 'fail', '' if good else
        'expected an activity L1 of {} on the code layer (layer {}) alone, '
        'found {}'.format(lambtha, code, [
            'layer {}: {} l1={:.3g} l2={:.3g}'.format(*item)
            for item in theirs] or 'none'),
        'the spec: "lambtha is the regularization parameter used for L1 '
        'regularization on the encoded output"', cause,
        [label(arguments)]))


def dense_layers(model):
    """Returns model's Dense layers, in order."""
    return [layer for layer in model.layers
            if type(layer).__name__ == 'Dense']


def set_linear(layers, biases):
    """Gives each of layers a zero kernel and the bias of biases."""
    for layer, bias in zip(layers, biases):
        kernel = layer.get_weights()[0]
        layer.set_weights([kernel * 0, np.full(kernel.shape[1], bias,
                                               'float32')])


ORDER_WHY = ('the spec: the encoder outputs "the latent representation, '
             'the mean, and the log variance", in that order')


def vae_outputs(child, encoder, x):
    """Checks the encoder's outputs: z drawn anew at each call, mean and
    log_var from two linear Dense layers of the latent size, in the
    spec's order. Returns (index of z, of mean, of log_var, the mean's
    layer, the log variance's) or None where they cannot be told."""
    outputs = encoder.predict(x, verbose=0)
    if not (isinstance(outputs, list) and len(outputs) == 3):
        child.add(finding('encoder outputs', 'fail', 'expected [z, mean, '
                          'log_var], found {} output(s)'.format(
                              len(outputs) if isinstance(outputs, list)
                              else 1), ORDER_WHY, 'return all three: '
                          'keras.Model(inputs, [z, mean, log_var])'))
        return None
    again = encoder.predict(x, verbose=0)
    drawn = [not np.allclose(a, b) for a, b in zip(outputs, again)]
    latent = outputs[0].shape[-1]
    linear = [layer for layer in dense_layers(encoder)
              if layer.activation.__name__ == 'linear' and
              layer.units == latent]
    if sum(drawn) != 1 or len(linear) != 2:
        child.add(finding(
            'encoder outputs', 'fail', 'expected [z, mean, log_var]: one '
            'output drawn anew at each call, mean and log_var from two '
            'linear Dense layers; found {} drawn and {} linear Dense '
            'layer(s) of the latent size'.format(sum(drawn), len(linear)),
            ORDER_WHY, 'likely no sampling, or mean and log_var with an '
            'activation: the spec asks for activation=None on both'))
        return None
    z_index = drawn.index(True)
    set_linear(linear, (2.0, 0.0))
    outputs = encoder.predict(x, verbose=0)
    # the mean is the layer z centres on
    centred_on_first = np.allclose(outputs[z_index].mean(axis=0), 2.0,
                                   atol=0.3)
    mean_layer, log_var_layer = linear if centred_on_first else linear[::-1]
    value = 2.0 if centred_on_first else 0.0
    others = [i for i in range(3) if i != z_index]
    mean_index = next((i for i in others
                       if np.allclose(outputs[i], value)), others[0])
    log_var_index = [i for i in others if i != mean_index][0]
    names = [''] * 3
    names[z_index], names[mean_index], names[log_var_index] = \
        'z', 'mean', 'log_var'
    good = names == ['z', 'mean', 'log_var']
    child.add(finding(
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


def vae_checks(child, function):
    """The VAE's own checks, each on given weights: its outputs, the KL
    added with add_loss (a note), z's spread, auto decoding z, and the
    loss: the cross-entropy summed over the values plus the KL summed
    over the latent axis, once."""
    (encoder, decoder, auto), _, _ = child.call(function, (20, [16], 3))
    x = np.random.RandomState(0).rand(4000, 20).astype('float32')
    child.save('checking the encoder\'s outputs')
    told = child.guarded('encoder outputs', ORDER_WHY, vae_outputs, child,
                         encoder, x)
    if auto.losses:
        child.add(finding(
            'KL in the loss', 'note', 'expected the KL inside the compiled '
            'loss, found {} loss(es) added to the model (add_loss)'.format(
                len(auto.losses)), 'allowed, but a grader reading auto.loss '
            'sees the cross-entropy alone'))
    if not told:
        for check in ('z spread', 'auto decodes z', 'loss'):
            child.add(finding(check, 'skipped', 'needs mean and log_var told '
                              'apart: see encoder outputs'))
        return
    z_index, mean_index, log_var_index, mean_layer, log_var_layer = told
    mean, log_var = np.array([0.8, -0.3, 1.2]), np.array([1.0, -1.0, 0.5])
    for layer, bias in ((mean_layer, mean), (log_var_layer, log_var)):
        kernel = layer.get_weights()[0]
        layer.set_weights([kernel * 0, bias.astype('float32')])
    child.save('checking z')
    child.guarded('z spread', 'the reparameterisation trick', z_spread,
                  child, encoder, x, z_index, mean, log_var)
    child.save('checking what auto decodes')
    child.guarded('auto decodes z', 'the spec', decodes_z, child, decoder,
                  auto, x, mean, log_var)
    child.save('checking the loss on given weights')
    child.guarded('loss', 'the spec\'s loss', vae_loss, child, decoder,
                  auto, x, mean, log_var)


def z_spread(child, encoder, x, z_index, mean, log_var):
    """Checks z = mean + exp(log_var / 2) * epsilon, epsilon from N(0, 1),
    where mean and log_var are the layers' given outputs."""
    z = encoder.predict(x, verbose=0)[z_index]
    spread = z.std(axis=0)
    wanted = np.exp(log_var / 2)
    good = np.allclose(spread / wanted, 1, atol=0.1) and np.allclose(
        z.mean(axis=0), mean, atol=0.15)
    cause = ''
    if np.allclose(spread / np.exp(log_var), 1, atol=0.1):
        cause = 'likely exp(log_var) without the half: the standard ' \
            'deviation is exp(log_var / 2); write exp(0.5 * log_var)'
    elif np.allclose(spread / np.exp(log_var / 4), 1, atol=0.1):
        cause = 'likely sqrt(exp(log_var / 2)) or exp(log_var / 4): the ' \
            'standard deviation is exp(log_var / 2)'
    elif np.allclose(spread / log_var.clip(0.01), 1, atol=0.1):
        cause = 'likely log_var used as the standard deviation itself: ' \
            'multiply epsilon by exp(log_var / 2)'
    elif np.allclose(spread, 0, atol=1e-3):
        cause = 'z does not vary: likely no epsilon, or one drawn once for ' \
            'all batches; draw it in the sampling function, ' \
            'keras.backend.random_normal(shape=...)'
    child.add(finding(
        'z spread', 'ok' if good else 'fail', '' if good else
        'expected z around mean by exp(log_var / 2) ({}), found {} around '
        '{}'.format(rounded(wanted), rounded(spread),
                    rounded(z.mean(axis=0))),
        'the reparameterisation trick: z = mean + exp(log_var / 2) * '
        'epsilon, epsilon from N(0, 1)', cause))


def rounded(values):
    """Returns values as a list of numbers to two places."""
    return [round(float(value), 2) for value in values]


def decodes_z(child, decoder, auto, x, mean, log_var):
    """Checks that auto decodes a fresh z at each call, not the mean or
    the log variance."""
    first = auto.predict(x[:64], verbose=0)
    second = auto.predict(x[:64], verbose=0)
    fixed = {name: decoder.predict(np.tile(value, (64, 1)), verbose=0)
             for name, value in (('mean', mean), ('log variance', log_var))}
    same = [name for name, value in fixed.items()
            if np.allclose(first, value, atol=1e-5)]
    good = np.abs(first - second).max() > 1e-4 and not same
    child.add(finding(
        'auto decodes z', 'ok' if good else 'fail', '' if good else
        'expected auto to decode a fresh z at each call, found the same '
        'output twice{}'.format(', the decoded ' + same[0] if same else ''),
        'the spec: the decoder reconstructs from the latent representation, '
        'not the mean: ' + GRADER + ', The 2024 edition',
        'auto decodes the {}: decode the encoder\'s first output, '
        'decoder(encoder(inputs)[0])'.format(same[0]) if same else
        'z is not drawn anew at each call' if not good else ''))


def vae_loss(child, decoder, auto, x, mean, log_var):
    """Checks the loss on weights where the decoder's output does not
    depend on z (so it is known) and the KL is 1.70."""
    first_dense = dense_layers(decoder)[0]
    kernel, bias = first_dense.get_weights()
    first_dense.set_weights([kernel * 0, bias])
    output = decoder.predict(np.zeros((1, 3)), verbose=0)[0].astype(
        'float64')
    output = np.clip(output, 1e-7, 1 - 1e-7)
    sample = x[:8]
    size = sample.shape[1]
    cross_entropy = np.mean(-np.sum(sample * np.log(output) + (
        1 - sample) * np.log(1 - output), axis=1))
    kl = -0.5 * np.sum(1 + log_var - mean ** 2 - np.exp(log_var))
    expected = float(cross_entropy + kl)
    loss = float(np.ravel(auto.evaluate(sample, sample, batch_size=8,
                                        verbose=0))[0])
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
    child.add(finding(
        'loss', 'ok' if good else 'fail', '' if good else
        'expected the cross-entropy summed over the values plus the KL '
        'summed over the latent axis, {:.4f} on weights where the KL is '
        '{:.4f}, found {:.4f}'.format(expected, kl, loss),
        'the spec\'s loss; on an untrained model the KL is too small to '
        'tell a KL missing or averaged, so these weights make it 1.70',
        cause))


def initializers(model):
    """Returns the names of the kernel initialisers of model's layers."""
    return sorted(set(
        type(layer.kernel_initializer).__name__ for layer in model.layers
        if getattr(layer, 'kernel_initializer', None) is not None))


def training_checks(child, function, ours):
    """A short seeded training run of the spec's configuration, 4 epochs
    of batches of 32 on 2048 digits, beside ours trained the same way:
    the untrained loss and the held-out loss after training on 512 test
    digits, each within its band of ours. Another initialiser than ours
    makes a band a note, with the cause."""
    task = child.task
    configuration = task.configuration
    (x_train, _), (x_test, _) = data.load_data()
    x_train = configuration.shape(x_train[:2048].astype('float32') / 255.)
    x_test = configuration.shape(x_test[:512].astype('float32') / 255.)
    losses, starts = [], []
    for build, theirs in ((function, True), (ours, False)):
        if theirs:
            (encoder, decoder, auto), _, _ = child.call(
                build, configuration.arguments, seeded=True)
        else:
            keras.backend.clear_session()
            runtime.seed(0)
            encoder, decoder, auto = build(*copy.deepcopy(
                configuration.arguments))
        starts.append(initializers(encoder) + initializers(decoder))
        untrained = loss_of(auto.evaluate(x_test, x_test, verbose=0))
        auto.fit(x_train, x_train, epochs=4, batch_size=32, verbose=0)
        losses.append((untrained, loss_of(auto.evaluate(
            x_test, x_test, verbose=0))))
    starts = [sorted(set(names)) for names in starts]
    other_start = starts[0] != starts[1]
    for i, (check, bands) in enumerate((('untrained loss', UNTRAINED),
                                        ('trained loss', TRAINED))):
        theirs, mine = losses[0][i], losses[1][i]
        ratio = theirs / mine
        inside = abs(ratio - 1) <= bands[task.name]
        status = 'ok' if inside else 'note' if other_start else 'fail'
        child.add(finding(
            check, status, '' if inside else
            'expected within {:.0%} of ours, {:.4f}, found {:.4f} ({:.3g} '
            'times ours)'.format(bands[task.name], mine, theirs, ratio),
            'the same layers and loss learn the same way: graders compare '
            'the losses a main prints', diagnoses.band(
                task, ratio, starts if other_start else None)
            if not inside else ''))


def loss_of(value):
    """Returns the loss of what evaluate returned (a number or a list)."""
    return float(np.ravel(value)[0])


def skip(child, checks, why):
    """Adds a skipped finding for each of checks."""
    child.add([finding(check, 'skipped', why) for check in checks])


def main(arguments):
    """TASK FOLDER SCRATCH [--quick]: writes the findings of the task's
    module in FOLDER into SCRATCH/findings.json; --quick leaves out the
    short training run."""
    task = TASKS[int(arguments[0])]
    child = Child(task, os.path.abspath(arguments[1]),
                  os.path.abspath(arguments[2]))
    if hasattr(sys, 'addaudithook'):
        sys.addaudithook(child.hook)
    child.save('loading this project\'s module')
    ours = reference(task).autoencoder
    child.save('importing ' + task.file)
    module = import_learner(child)
    function = None
    if module is not None:
        child.name = next((name for name in task.names
                           if callable(getattr(module, name, None))), None)
        function = getattr(module, child.name) if child.name else None
        if function is None:
            child.add(finding(
                'function', 'fail', 'expected a function {}, found none '
                'after the import'.format(' or '.join(task.names)),
                'graders call it by its name'))
    later = ['optimizer', 'metrics'] + (['loss'] if task.number < 3 else [])
    later += {'sparse': ['L1 on the code'],
              'variational': ['encoder outputs', 'z spread',
                              'auto decodes z', 'loss']}.get(task.name, [])
    if '--quick' not in arguments:
        later += ['untrained loss', 'trained loss']
    if function is None:
        skip(child, ['layers'] + later, 'needs the module imported and '
             'its function found')
    else:
        built = structure(child, function, ours)
        if built is None:
            skip(child, later, 'needs the three models of the spec\'s '
                 'configuration, which did not build')
        else:
            run_later(child, function, ours)
    effects(child)
    child.save('done')
    return 0


def run_later(child, function, ours):
    """The checks on the spec configuration's models, each guarded."""
    task = child.task
    arguments = task.configuration.arguments
    child.save('checking the compile settings')
    compiled = child.guarded('compiles', 'the spec\'s compile', lambda: (
        child.call(function, arguments)[0][2],
        ours(*copy.deepcopy(arguments))[2]))
    if compiled:
        child.guarded('optimizer' if task.number == 3 else 'optimizer, loss',
                      'the spec\'s compile', compile_checks, child,
                      *compiled)
    # what evaluates or trains needs auto compiled, its output shaped as
    # its input
    trains = ['metrics'] + (['untrained loss', 'trained loss']
                            if '--quick' not in sys.argv else [])
    shaped = compiled and shape(compiled[0].output) == shape(
        compiled[0].input)
    if not compiled:
        skip(child, trains, 'needs auto compiled: see compiles')
    elif not shaped:
        skip(child, trains, 'needs auto\'s output shaped as its input, {}, '
             'found {}: see layers'.format(
                 shape(compiled[0].input), shape(compiled[0].output)))
    else:
        child.guarded('metrics', 'the spec\'s compile', metrics_check, child,
                      compiled[0])
    if task.name == 'sparse':
        for configuration in task.configurations[:2]:
            if configuration in child.unbuilt:
                child.add(finding('L1 on the code', 'skipped', 'needs {} '
                                  'to build: see builds'.format(
                                      label(configuration))))
                continue
            child.save('checking the L1 of ' + label(configuration))
            child.guarded('L1 on the code', 'the spec', sparse_check, child,
                          function, configuration)
    if task.name == 'variational':
        child.guarded('VAE', 'the spec', vae_checks, child, function)
    if '--quick' not in sys.argv and shaped:
        child.save('training {} for 4 short epochs'.format(label(arguments)))
        child.guarded('untrained loss, trained loss', 'graders compare the '
                      'losses a main prints', training_checks, child,
                      function, ours)


def effects(child):
    """Adds the finding on side effects seen while the learner's code ran
    (Python 3.8 and later; before, the sandbox alone contains them)."""
    if not hasattr(sys, 'addaudithook'):
        return
    seen = sorted(set(child.effects))
    child.add(finding(
        'side effects', 'fail' if seen else 'ok', 'expected the import and '
        'autoencoder() to build and nothing else, found them {}'.format(
            '; '.join(seen[:6]) + (' (and {} more)'.format(len(seen) - 6)
                                   if len(seen) > 6 else ''))
        if seen else '', 'graders import the file; it must only define the '
        'function, and autoencoder() only build', 'remove that code: a '
        'task file writes no file, opens no connection and starts no '
        'process' if seen else ''))


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
