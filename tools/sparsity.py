#!/usr/bin/env python3
"""The sparse model measured: how each TensorFlow line weighs the L1
penalty of 1-sparse.py, the lambtha that gives the spec's penalty on a
line, and `make sparsity`, a sweep of lambtha that shows when the code
becomes sparse and what that costs the reconstruction.

How a line adds an activity (L1) loss to the model's loss decides what a
given lambtha does. TF 1.x Keras keeps one copy of it for each call of
the encoder on the autoencoder's input: two, since building the encoder
calls its layers once and auto calls the encoder again; TF 2 and Keras 3
keep the one of the call that runs. TF 1.12 sums the penalty over the
batch; later lines average it. So the spec's run (TF 1.12, batches of
256) had a penalty 2 x 256 = 512 times what TF 2 gives the same lambtha,
and 256 times what TF 1.15 gives it.

The sweep trains the spec's sparse configuration for SWEEP_EPOCHS epochs
(20 by default; EPOCHS does the same) at each lambtha of LAMBTHAS and the
spec's equivalent, and records the share of code values that are zero,
the code units active per digit, the squared error per test image and
ten reconstructions. Results are saved in sparsity.json as each lambtha
finishes (whole or not at all, helpers.files), and a run started again
keeps them; a sparsity.json that does not parse is named and the sweep
measured again.
"""
import os
import sys

import numpy as np

from helpers import configurations, files, runtime, variables, versions
from tools import charts, models, speed, training

SPEC_LAMBTHA = 10e-6
SPEC_LINE = (1, 12)
SWEEP_EPOCHS = 20
LAMBTHAS = [0.0, 1e-5, 1e-4, 1e-3, 1e-2]


def penalty_copies(line):
    """Returns how many copies of the code's activity loss the line adds
    to auto's loss: 2 on TF 1.x, 1 on TF 2 and Keras 3."""
    return 2 if line < (2, 0) else 1


def summed_over_batch(line):
    """Returns True where the line sums the activity loss over the batch
    (TF 1.12), False where it averages it."""
    return line <= (1, 12)


def penalty_factor(line, batch_size=training.BATCH_SIZE):
    """Returns how many times lambtha x (the mean L1 norm of a digit's
    code) the line adds to the loss of a batch of batch_size digits."""
    return penalty_copies(line) * (batch_size if summed_over_batch(line)
                                   else 1)


def spec_equivalent(line=None):
    """Returns the lambtha that gives, on line (this one by default), the
    penalty that the spec's lambtha of 1e-5 had in the spec's TF 1.12
    run: 1e-5 on TF 1.12, 2.56e-3 on TF 1.15, 5.12e-3 on TF 2."""
    line = line or versions.NUMBERS
    return SPEC_LAMBTHA * penalty_factor(SPEC_LINE) / penalty_factor(line)


def with_lambtha(lambtha):
    """Returns 1-main.py's arguments to the sparse autoencoder with
    lambtha in place of the spec's."""
    return configurations.configuration('sparse').arguments[:3] + (lambtha,)


def spec_run(epochs, digits=None):
    """Trains 1-main.py's configuration with this line's spec_equivalent
    lambtha for epochs on all of MNIST; returns [(loss, val_loss)], one
    pair per epoch, to set beside the spec's log."""
    x_train, x_test, _ = digits or training.load_digits()
    timer = speed.EpochTimer()
    training.train('sparse', x_train, x_test, epochs, [timer],
                   arguments=with_lambtha(spec_equivalent()))
    return list(zip(timer.loss, timer.val_loss))


def lambthas(line=None):
    """Returns the sweep's lambthas, the spec's equivalent among them."""
    return sorted(set(LAMBTHAS + [spec_equivalent(line)]))


def key(lambtha):
    """Returns lambtha as the sweep's results name it."""
    return '{:g}'.format(lambtha)


def measure(lambtha, digits, epochs, on_epoch=None):
    """Trains the spec's sparse configuration with lambtha as 1-main.py
    trains it, for epochs; returns its results."""
    x_train, x_test, _ = digits
    timer = speed.EpochTimer(on_epoch)
    encoder, decoder, _, _ = training.train(
        'sparse', x_train, x_test, epochs, [timer],
        arguments=with_lambtha(lambtha))
    codes = encoder.predict(x_test, verbose=0)
    reconstructed = decoder.predict(codes, verbose=0)
    return {
        'lambtha': lambtha, 'line': versions.LINE, 'cpu': speed.cpu(),
        'epochs': epochs,
        'train_samples': len(x_train), 'loss': timer.loss,
        'val_loss': timer.val_loss,
        'zero_share': float(np.mean(codes == 0)),
        'active_units': float(np.mean(np.sum(codes > 0, axis=1))),
        'code_mean': float(np.mean(codes[:10])),
        'squared_error': float(np.mean(np.sum(
            (x_test - reconstructed) ** 2, axis=1))),
        'reconstructions': np.round(reconstructed[:10] * 255).astype(
            'uint8').tolist()}


# What one lambtha's results hold, that a run reads back
RESULT_KEYS = ('lambtha', 'epochs', 'train_samples', 'loss', 'val_loss',
               'zero_share', 'active_units', 'code_mean', 'squared_error',
               'reconstructions')


def sweep(out, epochs, subset=None):
    """Measures every lambtha not measured before with the same epochs and
    digits, saving out/sparsity.json after each; returns the results in
    order of lambtha and the first ten test digits."""
    path = os.path.join(out, 'sparsity.json')
    try:
        done = files.read_json(path) or {}
        if not isinstance(done, dict):
            raise files.Torn('{} is torn (it holds no results)'.format(path))
    except files.Torn as torn:
        print('[{}] sparsity: not done, {}; every lambtha is measured '
              'again'.format(versions.LINE, torn))
        done = {}
    digits = training.load_digits(subset)
    samples = len(digits[0])
    results = []
    for lambtha in lambthas():
        result = done.get(key(lambtha))
        if isinstance(result, dict) and \
                all(name in result for name in RESULT_KEYS) and \
                result['epochs'] == epochs and \
                result['train_samples'] == samples:
            print('[{}] sparsity lambtha={}: done before, kept'.format(
                versions.LINE, key(lambtha)))
        else:
            result = measure(lambtha, digits, epochs,
                             progress(lambtha, epochs))
            done[key(lambtha)] = result
            files.write_json(path, done, indent=None)
        results.append(result)
    return results, digits[1][:10]


def progress(lambtha, epochs):
    """Returns the on_epoch function that prints the sweep's progress."""
    def on_epoch(done, timer):
        """Prints one line for the epoch just done."""
        print('[{}] sparsity lambtha={} epoch {}/{}: loss {:.4f}, '
              'val_loss {:.4f}, {:.1f} s'.format(
                  versions.LINE, key(lambtha), done, epochs, timer.loss[-1],
                  timer.val_loss[-1], timer.seconds[-1]))
        sys.stdout.flush()
    return on_epoch


def draw(results, originals, out):
    """Draws the sweep's measures against lambtha and the reconstructions
    at each lambtha into out."""
    equivalent = spec_equivalent()
    charts.sparsity_sweep(
        [r['lambtha'] for r in results],
        {'share of code values that are zero':
            [r['zero_share'] for r in results],
         'active code units per digit (of 32)':
            [r['active_units'] for r in results],
         'squared error per test image':
            [r['squared_error'] for r in results]},
        equivalent, 'sparsity-sweep', out)
    charts.reconstruction_rows(
        originals, [('lambtha {}{}'.format(
            key(r['lambtha']),
            ' (spec)' if r['lambtha'] == equivalent else ''),
            np.array(r['reconstructions']) / 255.) for r in results],
        'sparsity-reconstructions', out)


def section(results):
    """Returns the markdown lines of the sweep's section of a report."""
    equivalent = spec_equivalent()
    lines = [
        '## The sparse model\'s lambtha', '',
        'The spec\'s sparse configuration trained for {} epochs at each '
        'lambtha (batch size {}, the mains\' seed). Per batch, this line '
        'adds {} x lambtha x the mean L1 norm of a digit\'s code to the '
        'loss, where the spec\'s TF 1.12 run added {} x: the spec\'s 1e-5 '
        'there is lambtha = {} here, marked (spec).'.format(
            results[0]['epochs'], training.BATCH_SIZE,
            penalty_factor(versions.NUMBERS), penalty_factor(SPEC_LINE),
            key(equivalent)), '',
        '| lambtha | zero share | active units per digit | squared error | '
        'mean of ten codes | loss | val_loss |',
        '| --- | --- | --- | --- | --- | --- | --- |']
    for r in results:
        lines.append('| {}{} | {:.1%} | {:.1f} | {:.2f} | {:.4f} | {:.4f} | '
                     '{:.4f} |'.format(
                         key(r['lambtha']),
                         ' (spec)' if r['lambtha'] == equivalent else '',
                         r['zero_share'], r['active_units'],
                         r['squared_error'], r['code_mean'], r['loss'][-1],
                         r['val_loss'][-1]))
    lines += ['', '![the sweep against lambtha](sparsity-sweep.png)', '',
              '![ten test digits, then their reconstructions at each '
              'lambtha](sparsity-reconstructions.png)', '']
    return lines


def epochs():
    """Returns the sweep's epochs: SWEEP_EPOCHS, else EPOCHS, else 20."""
    return variables.get('SWEEP_EPOCHS') or \
        runtime.epochs(SWEEP_EPOCHS)


def main():
    """`make sparsity`: runs the sweep and writes sparsity.md and its
    figures beside the line's report."""
    out = models.report_folder()
    try:
        with files.lock(out, 'make sparsity'):
            results, originals = sweep(out, epochs(),
                                       variables.get('SUBSET'))
            draw(results, originals, out)
            path = os.path.join(out, 'sparsity.md')
            files.write_text(path, '\n'.join([
                '# Sparsity: TensorFlow {} ({}) on {}'.format(
                    versions.VERSION, versions.LINE, ' and '.join(sorted(set(
                        result.get('cpu', 'a CPU not recorded')
                        for result in results)))), ''] + section(results)))
    except (files.Busy, files.WriteError) as error:
        print('make sparsity stopped:', error, file=sys.stderr)
        return 1
    print('sweep written to', path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
