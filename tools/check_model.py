#!/usr/bin/env python3
"""The child process of tools.check: imports a learner's task module as a
grader does (their folder first on the path, `__import__('0-vanilla')`),
and checks what it builds against this project's own module of the same
line, loaded from its file. Prints the findings as one JSON line after
tools.check.MARK; whatever the learner's code does (prints, trains or
exits at import, raises, returns the wrong thing) becomes a finding.

    python -m tools.check_model TASK FOLDER
"""
import copy
import importlib.util
import io
import json
import os
import sys
import traceback

import numpy as np
import tensorflow as tf

from helpers import data, runtime
from tools import check

keras = tf.keras
finding = check.finding
GRADER = check.GRADER


class TrainedAtImport(Exception):
    """fit was called while the module was imported."""


def reference(task):
    """Returns this project's module of the task, loaded from its file
    under a name of its own."""
    path = os.path.join(check.ROOT, task.file)
    spec = importlib.util.spec_from_file_location(
        'reference_' + task.name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def learner_module(task, folder):
    """Imports the learner's module as a grader does; returns (module or
    None, findings)."""
    sys.path.insert(0, folder)
    printed, stdout = io.StringIO(), sys.stdout
    fit = keras.Model.fit

    def refuse(*_, **__):
        """fit at import: stop it before it trains."""
        raise TrainedAtImport()
    keras.Model.fit = refuse
    sys.stdout = printed
    module, found = None, []
    why = 'graders import the file: ' + GRADER + ', Conventions'
    try:
        module = __import__(task.file[:-3])
    except TrainedAtImport:
        found.append(finding(
            'import', 'fail', 'expected the import to build nothing, found '
            'it calling fit: the module trains when imported (put that code '
            'under if __name__ == "__main__")', why))
    except SystemExit as exit:
        found.append(finding(
            'import', 'fail', 'expected the import to return, found it '
            'calling sys.exit({!r})'.format(exit.code), why))
    except BaseException:
        found.append(finding(
            'import', 'fail', 'expected the import to work, found: ' +
            traceback.format_exc().strip().splitlines()[-1], why))
    finally:
        sys.stdout = stdout
        keras.Model.fit = fit
    if module is not None:
        found.append(finding('import', 'ok'))
    text = printed.getvalue().strip()
    found.append(finding(
        'quiet import', 'fail' if text else 'ok',
        'expected the import to print nothing, found {!r}'.format(
            text[:80]) if text else '',
        'graders compare what the mains print, line by line'))
    return module, found


def describe(layer):
    """Returns what graders compare of a layer: its class, activation,
    padding, kernel size, output shape and parameter count."""
    parts = [type(layer).__name__]
    for name in ('activation', 'padding', 'kernel_size', 'pool_size',
                 'size'):
        value = getattr(layer, name, None)
        if value is not None:
            parts.append(getattr(value, '__name__', None) or str(
                tuple(value) if isinstance(value, (list, tuple)) else value))
    shape = tf.TensorShape(layer.output.shape).as_list() \
        if not isinstance(layer.output, (list, tuple)) else '...'
    parts.append(str(tuple(shape) if isinstance(shape, list) else shape))
    parts.append('{} params'.format(layer.count_params()))
    return ' '.join(parts)


def listing(model):
    """Returns describe() of each layer of model but its input."""
    return [describe(layer) for layer in model.layers
            if type(layer).__name__ != 'InputLayer']


def built(function, arguments):
    """Calls function(*arguments) on a fresh session; returns (result,
    None) or (None, the last line of the error)."""
    keras.backend.clear_session()
    try:
        return function(*arguments), None
    except BaseException:
        return None, traceback.format_exc().strip().splitlines()[-1]


def structure_checks(task, function, ours):
    """Returns the findings on what function builds for each of the
    task's configurations, beside ours: three compiled models, auto =
    [input, encoder, decoder], each layer, the caller's lists."""
    found = []
    for arguments in task.configurations:
        label = 'layers {}'.format(arguments)
        given = copy.deepcopy(arguments)
        result, error = built(function, given)
        if error:
            found.append(finding(label, 'fail', 'expected encoder, decoder, '
                                 'auto, found an error: ' + error,
                                 'the spec\'s arguments must build'))
            continue
        if given != arguments:
            found.append(finding(
                'arguments kept', 'fail', 'expected {} unchanged, found {} '
                'after the call'.format(arguments, given),
                'a caller\'s lists are theirs: the mains reuse them'))
        if not (isinstance(result, tuple) and len(result) == 3 and
                all(isinstance(model, keras.Model) for model in result)):
            found.append(finding(
                label, 'fail', 'expected (encoder, decoder, auto), three '
                'Keras models, found {}'.format(type(result).__name__),
                'the spec: "Returns: encoder, decoder, auto"'))
            continue
        encoder, decoder, auto = result
        expected = built(ours, arguments)[0]
        differences = []
        for part, model, mine in (('encoder', encoder, expected[0]),
                                  ('decoder', decoder, expected[1])):
            theirs, wanted = listing(model), listing(mine)
            if theirs != wanted:
                for i, (a, b) in enumerate(zip(theirs + [None] * 9,
                                               wanted + [None] * 9)):
                    if a != b:
                        differences.append(
                            'layer {} of the {}: expected {}, found '
                            '{}'.format(i + 1, part, b or 'none',
                                        a or 'none'))
                        break
        nested = len(auto.layers) == 3 and auto.layers[1] is encoder and \
            auto.layers[2] is decoder
        if not nested:
            differences.append('expected auto.layers to be [input, encoder, '
                               'decoder], found {}'.format(
                                   [type(layer).__name__
                                    for layer in auto.layers]))
        found.append(finding(
            label, 'fail' if differences else 'ok', '; '.join(differences),
            'graders compare each layer\'s class, activation, padding, '
            'shape and parameters, and auto.layers: ' + GRADER +
            ', What today\'s grader checks'))
    return found


def compile_checks(task, auto, mine):
    """Returns the findings on auto's compile settings beside ours:
    Adam with its defaults, the loss, no metrics."""
    found = []
    optimizer = auto.optimizer
    settings = ('learning_rate', 'lr', 'beta_1', 'beta_2', 'epsilon',
                'amsgrad')
    theirs = optimizer.get_config() if optimizer else {}
    wanted = mine.optimizer.get_config()
    differs = [name for name in settings if name in wanted and
               not np.isclose(float(theirs.get(name, -1)),
                              float(wanted[name]))]
    adam = type(optimizer).__name__ == 'Adam'
    found.append(finding(
        'optimizer', 'ok' if adam and not differs else 'fail',
        '' if adam and not differs else 'expected Adam with its defaults, '
        'found {} {}'.format(type(optimizer).__name__, ', '.join(
            '{}={}'.format(name, theirs.get(name)) for name in differs)),
        'the spec: "compiled using adam optimization"'))
    if task.number < 3:
        found.append(finding(
            'loss', 'ok' if auto.loss == 'binary_crossentropy' else 'fail',
            '' if auto.loss == 'binary_crossentropy' else
            'expected the string \'binary_crossentropy\', found {!r}'
            .format(auto.loss), 'graders compare auto.loss with the string: '
            + GRADER + ', What today\'s grader checks'))
    x = np.random.RandomState(0).rand(*((8,) + tuple(
        auto.input_shape[1:]))).astype('float32')
    value = auto.evaluate(x, x, verbose=0)
    plain = np.ndim(value) == 0
    found.append(finding(
        'metrics', 'ok' if plain else 'fail', '' if plain else
        'expected no metrics (evaluate returns the loss alone), found '
        '{!r}'.format(value), 'graders compare the printed logs, which '
        'metrics lengthen'))
    return found


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


def sparse_checks(function, arguments):
    """Returns the finding on the sparse model's regularisers: an L1 of
    exactly lambtha on the code layer's activity, nothing else."""
    keras.backend.clear_session()
    encoder, decoder, _ = function(*arguments)
    lambtha = arguments[3]
    theirs = regularizers(encoder) + [('decoder',) + item[1:]
                                      for item in regularizers(decoder)]
    code = len(encoder.layers) - 1
    wanted = [(code, 'activity_regularizer', lambtha, 0.0)]
    good = len(theirs) == 1 and theirs[0][:2] == wanted[0][:2] and \
        np.isclose(theirs[0][2], lambtha, rtol=1e-6) and theirs[0][3] == 0
    return finding(
        'L1 on the code', 'ok' if good else 'fail', '' if good else
        'expected an activity L1 of {} on the code layer (layer {}) alone, '
        'found {}'.format(lambtha, code, [
            'layer {}: {} l1={:.3g} l2={:.3g}'.format(*item)
            for item in theirs]
            or 'none'), 'the spec: "lambtha is the regularization parameter '
        'used for L1 regularization on the encoded output"')


def dense_layers(model):
    """Returns model's Dense layers, in order."""
    return [layer for layer in model.layers
            if type(layer).__name__ == 'Dense']


def vae_checks(function):
    """Returns the findings on the VAE: the encoder's outputs in the
    spec's order, z a fresh draw spread by exp(log_var / 2), auto
    decoding z, and the loss on given weights: the cross-entropy summed
    over the values plus the KL summed over the latent axis, once."""
    found = []
    why_order = 'the spec: the encoder outputs "the latent representation, ' \
        'the mean, and the log variance", in that order'
    keras.backend.clear_session()
    encoder, decoder, auto = function(20, [16], 3)
    x = np.random.RandomState(0).rand(4000, 20).astype('float32')
    outputs = encoder.predict(x, verbose=0)
    if not (isinstance(outputs, list) and len(outputs) == 3):
        return [finding('encoder outputs', 'fail', 'expected [z, mean, '
                        'log_var], found {} output(s)'.format(
                            len(outputs) if isinstance(outputs, list)
                            else 1), why_order)]
    again = encoder.predict(x, verbose=0)
    drawn = [not np.allclose(a, b) for a, b in zip(outputs, again)]
    # the two linear Dense layers that give mean and log_var
    linear = [layer for layer in dense_layers(encoder)
              if layer.activation.__name__ == 'linear' and layer.units == 3]
    if drawn != [True, False, False] or len(linear) != 2:
        return [finding('encoder outputs', 'fail', 'expected [z, mean, '
                        'log_var]: z drawn anew at each call, mean and '
                        'log_var from two linear Dense layers; found drawn '
                        '{} and {} linear Dense layer(s) of the latent size'
                        .format(drawn, len(linear)), why_order)]
    # which linear layer is the mean: the one z centres on, with the other
    # at 0 (a spread of 1); then it must be the second output
    for layer, bias in zip(linear, (2.0, 0.0)):
        kernel, _ = layer.get_weights()
        layer.set_weights([kernel * 0, np.full(3, bias, 'float32')])
    z, second, _ = encoder.predict(x, verbose=0)
    centred = np.allclose(z.mean(axis=0), 2.0, atol=0.3)
    mean_layer, log_var_layer = linear if centred else linear[::-1]
    if not np.allclose(second, 2.0 if centred else 0.0):
        return [finding('encoder outputs', 'fail', 'expected [z, mean, '
                        'log_var], found [z, log_var, mean]: z centres on '
                        'the third output, not the second', why_order)]
    found.append(finding('encoder outputs', 'ok'))
    if auto.losses:
        found.append(finding(
            'KL in the loss', 'note', 'expected the KL inside the compiled '
            'loss, found {} loss(es) added to the model (add_loss)'.format(
                len(auto.losses)), 'allowed, but a grader reading auto.loss '
            'sees the cross-entropy alone'))
    mean, log_var = np.array([0.8, -0.3, 1.2]), np.array([1.0, -1.0, 0.5])
    for layer, bias in ((mean_layer, mean), (log_var_layer, log_var)):
        kernel, _ = layer.get_weights()
        layer.set_weights([kernel * 0, bias.astype('float32')])
    z = encoder.predict(x, verbose=0)[0]
    spread = z.std(axis=0) / np.exp(log_var / 2)
    good = np.allclose(spread, 1, atol=0.1) and np.allclose(
        z.mean(axis=0), mean, atol=0.15)
    found.append(finding(
        'z spread', 'ok' if good else 'fail', '' if good else
        'expected z around mean by exp(log_var / 2) ({}), found {} around '
        '{}'.format(np.round(np.exp(log_var / 2), 2).tolist(),
                    np.round(z.std(axis=0), 2).tolist(),
                    np.round(z.mean(axis=0), 2).tolist()),
        'the reparameterisation trick: z = mean + exp(log_var / 2) * '
        'epsilon, epsilon from N(0, 1)'))
    first, second = auto.predict(x[:64], verbose=0), \
        auto.predict(x[:64], verbose=0)
    decoded_mean = decoder.predict(np.tile(mean, (64, 1)), verbose=0)
    good = np.abs(first - second).max() > 1e-4 and \
        np.abs(first - decoded_mean).max() > 1e-4
    found.append(finding(
        'auto decodes z', 'ok' if good else 'fail', '' if good else
        'expected auto to decode a fresh z at each call, found the same '
        'output twice{}'.format(
            ', the decoded mean' if np.allclose(first, decoded_mean,
                                                atol=1e-5) else ''),
        'the spec: the decoder reconstructs from the latent representation, '
        'not the mean: ' + GRADER + ', The 2024 edition'))
    # a decoder whose output does not depend on z: the loss is known
    first_dense = dense_layers(decoder)[0]
    kernel, bias = first_dense.get_weights()
    first_dense.set_weights([kernel * 0, bias])
    output = decoder.predict(np.zeros((1, 3)), verbose=0)[0].astype(
        'float64')
    output = np.clip(output, 1e-7, 1 - 1e-7)
    sample = x[:8]
    cross_entropy = -np.sum(sample * np.log(output) +
                            (1 - sample) * np.log(1 - output), axis=1)
    kl = -0.5 * np.sum(1 + log_var - mean ** 2 - np.exp(log_var))
    expected = float(np.mean(cross_entropy) + kl)
    loss = float(auto.evaluate(sample, sample, batch_size=8, verbose=0))
    good = abs(loss - expected) <= 1e-3 * expected
    kinds = {'KL missing': np.mean(cross_entropy),
             'KL counted twice': np.mean(cross_entropy) + 2 * kl,
             'KL averaged over the latent axis': np.mean(cross_entropy) +
             kl / 3,
             'cross-entropy averaged over the values':
             np.mean(cross_entropy) / 20 + kl}
    guess = [name for name, value in kinds.items()
             if abs(loss - value) <= 1e-3 * abs(value)]
    named = ' (' + guess[0] + ')' if guess else ''
    found.append(finding(
        'loss', 'ok' if good else 'fail', '' if good else
        'expected the cross-entropy summed over the values plus the KL '
        'summed over the latent axis, {:.4f} on weights where the KL is '
        '{:.4f}, found {:.4f}{}'.format(expected, kl, loss, named),
        'the spec\'s loss; on an untrained model the KL is too small to '
        'tell a KL missing or averaged, so these weights make it 1.70'))
    return found


def training_checks(task, function, ours):
    """Returns the findings of a short seeded training run of the spec's
    configuration, 4 epochs of batches of 32 on 2048 digits, beside ours
    trained the same way: the untrained loss and the held-out loss after
    training on 512 test digits, each within its band of ours."""
    configuration = task.configuration
    (x_train, _), (x_test, _) = data.load_data()
    x_train = configuration.shape(x_train[:2048].astype('float32') / 255.)
    x_test = configuration.shape(x_test[:512].astype('float32') / 255.)
    losses = []
    for build in (function, ours):
        keras.backend.clear_session()
        runtime.seed(0)
        _, _, auto = build(*configuration.arguments)
        untrained = float(auto.evaluate(x_test, x_test, verbose=0))
        auto.fit(x_train, x_train, epochs=4, batch_size=32, verbose=0)
        losses.append((untrained, float(auto.evaluate(x_test, x_test,
                                                      verbose=0))))
    found = []
    for i, (check_name, bands) in enumerate((
            ('untrained loss', check.UNTRAINED), ('trained loss',
                                                  check.TRAINED))):
        theirs, mine = losses[0][i], losses[1][i]
        inside = abs(theirs / mine - 1) <= bands[task.name]
        found.append(finding(
            check_name, 'ok' if inside else 'fail', '' if inside else
            'expected within {:.0%} of ours, {:.4f}, found {:.4f}'.format(
                bands[task.name], mine, theirs),
            'the same layers and loss learn the same way: graders compare '
            'the losses a main prints'))
    return found


def main(arguments):
    """TASK FOLDER [--quick]: prints the findings of the task's module in
    FOLDER; --quick leaves out the short training run."""
    task = check.TASKS[int(arguments[0])]
    folder = os.path.abspath(arguments[1])
    ours = reference(task).autoencoder
    module, found = learner_module(task, folder)
    function = None
    if module is not None:
        function = next((getattr(module, name) for name in task.names
                         if callable(getattr(module, name, None))), None)
        if function is None:
            found.append(finding(
                'function', 'fail', 'expected a function {}, found none '
                'after the import'.format(' or '.join(task.names)),
                'graders call it by its name'))
    if function is not None:
        found += structure_checks(task, function, ours)
        if not any(item['status'] == 'fail' and item['check'].startswith(
                'layers ' + str(task.configurations[0]))
                for item in found):
            keras.backend.clear_session()
            _, _, auto = function(*task.configurations[0])
            _, _, mine = ours(*task.configurations[0])
            found += compile_checks(task, auto, mine)
            if task.name == 'sparse':
                found += [sparse_checks(function, arguments)
                          for arguments in task.configurations[:2]]
            if task.name == 'variational':
                found += vae_checks(function)
            if '--quick' not in arguments:
                found += training_checks(task, function, ours)
    print(check.MARK + json.dumps(found))
    sys.stdout.flush()
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
