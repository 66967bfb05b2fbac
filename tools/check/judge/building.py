#!/usr/bin/env python3
"""What the learner's autoencoder() builds, judged beside what ours builds
(this project's modules, loaded here from their files): for each
configuration the models it returns, the caller's lists kept, each
layer's description, auto nesting the two models; the compile settings;
the sparse model's L1; and, on weights and inputs drawn for the run,
that the models compute what ours compute."""
import copy
import importlib.util
import logging
import os

import numpy as np

from helpers import runtime
import tensorflow as tf
from tools.check import GRADER, ROOT, finding, label
from tools.check.inside import answer
from tools.check.judge import diagnoses
from tools.check.judge.channel import Raised, expect

keras = tf.keras
# The judge's own TensorFlow says nothing on the terminal, where the
# report goes: its Python log's warnings (a tf.function retraced as the
# judge calls our models of one configuration after another) are about
# the judge, not the learner; errors still show
logging.getLogger('tensorflow').setLevel(logging.ERROR)


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


# the layers Keras makes of TensorFlow operations called on its tensors
# (tf.exp(log_var), z_mean + ..., tf.shape(z_mean)[0]), by TF line
OPERATIONS = ('TFOpLambda', 'SlicingOpLambda', 'TensorFlowOpLayer',
              'InstanceMethod', 'InstanceProperty', 'ClassMethod')


def without_operations(theirs, wanted):
    """Returns (theirs, wanted, the learner's operations) where ours
    samples z in a Lambda and theirs draws it with TensorFlow operations
    instead (weightless layers of OPERATIONS, no Lambda): both listings
    without them, so that the rest is compared; the checks of the
    sampling itself (encoder outputs, z spread, auto decodes z) judge
    what they compute. Else both unchanged and no operation."""
    operations = [layer for _, layer in theirs
                  if layer['class'] in OPERATIONS and layer['params'] == 0]
    if not operations or any(layer['class'] == 'Lambda'
                             for _, layer in theirs) or \
            not any(layer['class'] == 'Lambda' for _, layer in wanted):
        return theirs, wanted, []
    return ([(i, layer) for i, layer in theirs
             if not any(layer is each for each in operations)],
            [(i, layer) for i, layer in wanted if layer['class'] != 'Lambda'],
            operations)


def compare_layers(task, part, model, mine, arguments, spec_right):
    """Returns (the first difference of model's layers from ours, as a
    sentence, or '', its likely cause, notes): a sampling layer of the
    learner's own class, or a sampling written as TensorFlow operations,
    is a note, not a difference."""
    theirs, wanted = listing(model), listing(mine)
    notes = []
    theirs, wanted, operations = without_operations(theirs, wanted)
    if operations:
        notes.append(finding(
            'sampling layer', 'note', 'expected a Lambda layer drawing z, '
            'found z drawn by {} TensorFlow operation(s) on the encoder\'s '
            'tensors ({})'.format(len(operations), ', '.join(sorted(set(
                layer['class'] for layer in operations)))),
            'allowed and it samples alike (the sampling checks run on it); '
            'a checker that lists the layers\' classes expects one Lambda, '
            'as the spec\'s era wrote it', 'keras.layers.Lambda(sampling) '
            'around a function of those operations gives the listing '
            'graders expect'))
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
                'encoder\'s order: the decoder mirrors the encoder, so they '
                'take reversed(filters)')
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


# the likely cause of the notes on auto.layers and on the KL in the loss
# (tools.check.judge.variational): one cause, said once where both show
ADD_LOSS_CAUSE = ('a KL added with add_loss: to keep auto.layers at three '
                  'and the whole loss in auto.loss, compute the KL inside '
                  'the compiled loss or inside a layer of the encoder')


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
            ADD_LOSS_CAUSE, where))
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
