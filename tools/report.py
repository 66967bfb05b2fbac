#!/usr/bin/env python3
"""`make report`: trains the spec's four configurations for their full
epochs on this TensorFlow line and writes reports/<line>/report.md with
its figures: losses beside the spec's, what the mains print, the squared
error of every model beside PCA's with as many components, speed, and
the sparse model's lambtha sweep (tools.sparsity).

Each model's results are saved as <model>.json as soon as it finishes,
and its weights as models/<line>/<model>.weights.h5 (tools.models); a
run started again skips the models done with both, so an interrupted run
resumes. Every file is written whole or not at all, and what a run finds
is checked before it is kept: a torn file is named and its model trained
again (helpers.files, docs/reports.md). The two folders are held while
it runs: a second run on them says so and stops. Environment: EPOCHS
(fewer epochs), SUBSET (the first SUBSET training and test digits only),
REPORT_DIR (another folder than reports/<line>), MODELS_DIR (another
than models/<line>), THREADS (helpers.runtime), SWEEP_EPOCHS
(tools.sparsity).
"""
import glob
import os
import platform
import sys
import time

import numpy as np

from helpers import (configurations, figures, files, live, pages, runtime,
                     settings, variables, versions)
from helpers.configurations import LATENT_POINTS
from helpers.spec import LAST
from tools import charts, models, sparsity, speed, training

ROOT = models.ROOT
LINE = versions.LINE

# What the spec's mains printed after training, and their last epoch's
# losses (helpers.spec)
PRINTED = {
    'vanilla': {'code_mean': 6.5280433},
    'sparse': {'code_mean': 0.016292876},
    'convolutional': {'code_mean': 2.4494107},
    'variational': {'mean_abs_mu': 1.2658, 'mean_sigma': 0.0831},
}
SPEC = {name: dict(printed, loss=LAST[name][-1][0],
                   val_loss=LAST[name][-1][1])
        for name, printed in PRINTED.items()}

# The epochs after which the report draws the model from its snapshots,
# where the run reaches them
EPOCHS_DRAWN = (1, 2, 5, 10, 50)

# Bin edges of the code activation histograms of vanilla and sparse
CODE_BINS = np.linspace(0, 30, 61)


def pca_squared_error(x_train, x_test, components):
    """Returns the mean over x_test of each image's summed squared error
    after projecting it on the first principal components of x_train."""
    centre = x_train.mean(axis=0)
    covariance = np.cov(x_train - centre, rowvar=False)
    _, vectors = np.linalg.eigh(covariance)
    basis = vectors[:, ::-1][:, :components]
    projected = (x_test - centre).dot(basis).dot(basis.T) + centre
    return float(np.mean(np.sum((x_test - projected) ** 2, axis=1)))


def train(name, epochs, digits, progress, out, store):
    """Trains one configuration as its main does, saves its weights in
    store and returns its results; saves its reconstruction figure (and
    the VAE's manifold and latent scatter) into out."""
    x_train, x_test, y_test = digits
    configuration = configurations.configuration(name)
    code_size = configuration.code_size
    test_images = configuration.shape(x_test)
    recorder = live.Recorder()
    encoder, decoder, auto, timer, steps_per_call = training.train_and_save(
        name, epochs, digits, progress, store, [recorder])
    epoch_figures(name, recorder, x_test, y_test, out)

    result = {'model': name, 'line': LINE, 'epochs': epochs,
              'train_samples': len(x_train), 'test_samples': len(x_test),
              'loss': timer.loss, 'val_loss': timer.val_loss,
              'seconds': timer.seconds, 'code_size': code_size,
              'steps_per_call': steps_per_call, 'cpu': speed.cpu(),
              'epoch_flops': speed.epoch_flops(auto, len(x_train),
                                               len(x_test))}
    if name == 'variational':
        codes, mean, log_var = encoder.predict(x_test, verbose=0)
        result['mu'] = mean[:10].tolist()
        result['sigma'] = np.exp(log_var[:10] / 2).tolist()
        reconstructed = decoder.predict(mean, verbose=0)
        charts.latent_scatter(mean, y_test, 'variational-latent', out)
        axis = np.linspace(-3, 3, 25)
        plane = np.stack(np.meshgrid(axis, axis, indexing='ij'), axis=2)
        figures.grid(decoder.predict(plane.reshape((-1, 2)), verbose=0),
                     25, 25, 'variational-manifold', out)
    else:
        codes = encoder.predict(test_images, verbose=0)
        result['code_mean'] = float(np.mean(codes[:10]))
        result['zero_fraction'] = float(np.mean(codes == 0))
        result['code_histogram'] = np.histogram(
            np.clip(codes.ravel(), 0, CODE_BINS[-1]),
            CODE_BINS)[0].tolist()
        reconstructed = auto.predict(test_images, verbose=0)
        reconstructed = reconstructed.reshape(-1, 784)
    # as the mains show them: ten digits above their decoded codes
    decoded = decoder.predict(codes[:10], verbose=0).reshape(-1, 784)
    figures.originals_and_reconstructions(
        x_test[:10], decoded, name + '-reconstructions', out)
    result['squared_error'] = float(np.mean(np.sum(
        (x_test - reconstructed) ** 2, axis=1)))
    result['pca_squared_error'] = pca_squared_error(x_train, x_test,
                                                    code_size)
    return result


def drawn(snapshots):
    """Returns [(label, snapshot)]: before training, then after each
    epoch of EPOCHS_DRAWN that the run reached, and its last."""
    last = snapshots[-1]['epoch']
    wanted = [e for e in EPOCHS_DRAWN if e < last] + [last]
    chosen = [('before training', snapshots[0])]
    for snapshot in snapshots:
        if snapshot['epoch'] in wanted:
            chosen.append(('epoch {:g}'.format(snapshot['epoch']), snapshot))
    return chosen


def epoch_figures(name, recorder, x_test, y_test, out):
    """Draws from the live view's snapshots (helpers.live.Recorder) the
    same ten test digits reconstructed as training went
    (<name>-epochs.png) and, for the VAE, the means of LATENT_POINTS test
    digits at the same moments on fixed axes
    (variational-latent-epochs.png); the model gets its trained weights
    back."""
    encoder, decoder = recorder.encoder, recorder.decoder
    layers = pages.page_layers(encoder, decoder)
    shape = configurations.configuration(name).shape
    rows, planes = [], []
    for label, snapshot in drawn(recorder.snapshots):
        for (_, layer), values in zip(layers, snapshot['weights']):
            layer.set_weights(values)
        if name == 'variational':
            _, mean, _ = encoder.predict(x_test[:LATENT_POINTS], verbose=0)
            planes.append((label, mean))
            codes = mean[:10]
        else:
            codes = encoder.predict(shape(x_test[:10]), verbose=0)
        rows.append((label, decoder.predict(codes, verbose=0).reshape(
            -1, 784)))
    for (_, layer), values in zip(layers, recorder.snapshots[-1]['weights']):
        layer.set_weights(values)
    charts.reconstruction_rows(x_test[:10], rows, name + '-epochs', out)
    if planes:
        charts.latent_planes(planes, y_test[:LATENT_POINTS],
                             'variational-latent-epochs', out)


def speed_rows(result, peak):
    """Returns (median s/epoch, samples/s, GFLOP per epoch, % of the
    ceiling peak, s/epoch at that ceiling) of one model's results."""
    seconds = float(np.median(result['seconds']))
    flops = result['epoch_flops']
    at_peak = flops / peak if peak else None
    return (seconds, result['train_samples'] / seconds, flops / 1e9,
            None if peak is None else 100 * at_peak / seconds, at_peak)


def lines_compared(out):
    """Returns {model: {line: median s/epoch}} over every report beside
    this one that ran the full training set."""
    table = {}
    for path in glob.glob(os.path.join(os.path.dirname(out), '*',
                                       '*.json')):
        try:
            result = files.read_json(path)
        except files.Torn as torn:
            print('left out of the lines compared:', torn)
            continue
        if isinstance(result, dict) and 'model' in result and \
                result.get('train_samples') == 60000:
            table.setdefault(result['model'], {})[result['line']] = \
                float(np.median(result['seconds']))
    return table


NOTES = {
    'tf1.12': [
        'TF 1.12 printed the spec\'s logs, so its losses are on the '
        'spec\'s scale: the convolutional loss summed over each batch of '
        '256 images, and the sparse model\'s L1 penalty counted twice '
        'and summed over the batch, not averaged.'],
    'tf1.15': [
        'Convolutional: TF 1.15 averages the loss over the batch where '
        'TF 1.12 summed it, so its losses are the spec\'s divided by 256 '
        '(the spec\'s last loss, 23.7744, is 0.0929 per image).',
        'Sparse: TF 1.15 still counts the L1 penalty twice, as TF 1.12 '
        'did, but averages it over the batch where TF 1.12 summed it: the '
        'penalty is 256 times weaker than in the spec\'s run, so the loss '
        'falls to about the vanilla model\'s; the code is smaller than the '
        'vanilla\'s, but few of its values are exactly zero.'],
    'tf2': [
        'Convolutional: TF 2 averages the loss over the batch where TF '
        '1.12 summed it, so its losses are the spec\'s divided by 256 '
        '(the spec\'s last loss, 23.7744, is 0.0929 per image).',
        'Sparse: TF 2 counts the L1 penalty once and averages it over the '
        'batch, where TF 1.12 counted it twice and summed it: the penalty '
        'is 512 times weaker than in the spec\'s run, so the loss falls '
        'to about the vanilla model\'s; the code is smaller than the '
        'vanilla\'s, but few of its values are exactly zero.'],
}


def number(value, digits=4):
    """Formats value, or a dash for None."""
    return '-' if value is None else '{:.{}f}'.format(value, digits)


def write_report(results, out, run_settings, sweep_lines=()):
    """Writes out/report.md and its summary figures from results, the
    list of every model's results, with sweep_lines, the sparsity
    sweep's section, before the figures: a function a section."""
    by_name = {result['model']: result for result in results}
    charts.loss_curves({name: {'loss': r['loss'], 'val_loss': r['val_loss']}
                        for name, r in by_name.items()}, 'loss-curves', out)
    charts.histograms({name: by_name[name]['code_histogram']
                       for name in ('vanilla', 'sparse')}, CODE_BINS,
                      'code-histograms', out)
    lines = (heading(run_settings) + losses_section(by_name) +
             printed_section(by_name) + pca_section(by_name) +
             speed_section(by_name, out) + [''] + list(sweep_lines) +
             figures_section() + learning_section(out))
    files.write_text(os.path.join(out, 'report.md'), '\n'.join(lines))
    print('report written to', os.path.join(out, 'report.md'))


def heading(run_settings):
    """Returns the report's title and the run's versions and settings."""
    return ['# Report: TensorFlow {} ({})'.format(versions.VERSION, LINE), '',
            'Python {}, numpy {}, {} CPU cores; {}.'.format(
                platform.python_version(), np.__version__, os.cpu_count(),
                run_settings), '']


def losses_section(by_name):
    """Returns the final losses beside the spec's, with this line's notes
    on how it scales them."""
    lines = ['## Losses beside the spec', '',
             '| model | epochs | loss | val_loss | spec loss | '
             'spec val_loss |',
             '| --- | --- | --- | --- | --- | --- |']
    for name in configurations.NAMES:
        r, spec = by_name[name], SPEC[name]
        lines.append('| {} | {} | {} | {} | {} | {} |'.format(
            name, r['epochs'], number(r['loss'][-1]),
            number(r['val_loss'][-1]), number(spec['loss']),
            number(spec['val_loss'])))
    notes = NOTES['tf2' if LINE.startswith('tf2') else LINE]
    return lines + [''] + ['- ' + note for note in notes] + [
        '- Variational: the same loss on every line (cross-entropy summed '
        'over the 784 pixels plus the KL divergence); its noise draws '
        'differ from the spec\'s unknown code, so its figures match in '
        'scale, not digit for digit.', '']


def printed_section(by_name):
    """Returns what the mains print beside what the spec's printed, and
    the share of zeros in the dense models' codes."""
    lines = ['## What the mains print', '',
             '| main | figure | ours | spec |', '| --- | --- | --- | --- |']
    for name, main in (('vanilla', '0-main.py'), ('sparse', '1-main.py'),
                       ('convolutional', '2-main.py')):
        lines.append('| {} | mean of ten test codes | {} | {} |'.format(
            main, number(by_name[name]['code_mean'], 6),
            number(SPEC[name]['code_mean'], 6)))
    vae = by_name['variational']
    return lines + [
        '| 3-main.py | mean of the ten means\' absolute values | {} | {} |'
        .format(number(np.mean(np.abs(vae['mu']))),
                number(SPEC['variational']['mean_abs_mu'])),
        '| 3-main.py | mean of the ten standard deviations | {} | {} |'
        .format(number(np.mean(vae['sigma'])),
                number(SPEC['variational']['mean_sigma'])),
        '', 'Share of zeros in the test set\'s codes: vanilla {:.1%}, '
        'sparse {:.1%} ([histograms](code-histograms.png)).'.format(
            by_name['vanilla']['zero_fraction'],
            by_name['sparse']['zero_fraction']), '']


def pca_section(by_name):
    """Returns each model's squared error beside PCA's with as many
    components as its code has numbers."""
    lines = [
        '## Quality beside PCA', '',
        'Squared error per test image (summed over its 784 pixels in '
        '[0, 1], averaged over the test set), the measure of Hinton and '
        'Salakhutdinov (2006, Science), whose deep autoencoder reached 3.00 '
        'against PCA\'s 13.87 with 30 dimensions. PCA keeps as many '
        'components as the model\'s code has numbers; the VAE is scored '
        'from its mean.', '',
        '| model | code size | model | PCA | model / PCA |',
        '| --- | --- | --- | --- | --- |']
    for name in configurations.NAMES:
        r = by_name[name]
        lines.append('| {} | {} | {:.2f} | {:.2f} | {:.2f} |'.format(
            name, r['code_size'], r['squared_error'],
            r['pca_squared_error'],
            r['squared_error'] / r['pca_squared_error']))
    return lines


def speed_section(by_name, out):
    """Returns each model's seconds an epoch and share of the ceiling
    measured now, and the lines reported in out's parent beside it."""
    peak, peak_text = speed.ceiling()
    lines = ['', '## Speed', '',
             'Median seconds per epoch (training and validation), training '
             'digits per second, the floating-point work of an epoch '
             '(tools/speed.py: 3 passes per training digit, 1 per '
             'validation digit) and its share of the ceiling, {}, which '
             'gives the least time an epoch could take.'
             .format(peak_text), '',
             '| model | s/epoch | digits/s | GFLOP/epoch | % of ceiling | '
             's/epoch at ceiling |', '| --- | --- | --- | --- | --- | --- |']
    for name in configurations.NAMES:
        seconds, rate, gflop, share, at_peak = speed_rows(by_name[name], peak)
        lines.append('| {} | {:.2f} | {:.0f} | {:.1f} | {} | {} |'.format(
            name, seconds, rate, gflop, number(share, 1),
            number(at_peak, 2)))
    compared = lines_compared(out)
    line_names = sorted({line for row in compared.values() for line in row})
    if len(line_names) > 1:
        lines += ['', 'Median seconds per epoch on every line reported here '
                  '(full training set):', '',
                  '| model | ' + ' | '.join(line_names) + ' | fastest |',
                  '| --- ' * (len(line_names) + 2) + '|']
        for name in configurations.NAMES:
            row = compared.get(name, {})
            fastest = min(row, key=row.get) if row else '-'
            lines.append('| {} | {} | {} |'.format(name, ' | '.join(
                number(row.get(line), 2) for line in line_names), fastest))
    return lines


def figures_section():
    """Returns the links to the final figures."""
    lines = ['## Figures', '', '![loss curves](loss-curves.png)', '']
    for name in configurations.NAMES:
        lines += ['{}: ![{} reconstructions]({}-reconstructions.png)'.format(
            name, name, name), '']
    return lines + ['![VAE latent means of the test set by digit]'
                    '(variational-latent.png)', '',
                    '![VAE decoded latent plane over [-3, 3]^2]'
                    '(variational-manifold.png)', '']


def learning_section(out):
    """Returns the markdown lines that show the figures drawn from the
    snapshots (epoch_figures), of the models trained in this folder with
    them."""
    lines = ['## Learning, epoch by epoch', '',
             'Drawn from snapshots the live view\'s Recorder took while each '
             'model trained (helpers.live; LIVE=1 shows them as they come): '
             'the same ten test digits reconstructed before training and '
             'after epochs {}, and the VAE\'s means of {} test digits at '
             'the same moments, on fixed axes.'.format(
                 ', '.join(str(e) for e in EPOCHS_DRAWN), LATENT_POINTS), '']
    found = False
    for name in configurations.NAMES:
        figure = name + '-epochs.png'
        if os.path.exists(os.path.join(out, figure)):
            found = True
            lines += ['{}: ![{} reconstructions as it trained]({})'.format(
                name, name, figure), '']
    if os.path.exists(os.path.join(out, 'variational-latent-epochs.png')):
        found = True
        lines += ['![the VAE\'s latent means as it trained]'
                  '(variational-latent-epochs.png)', '']
    return lines if found else []


# What a model's results hold, that a run reads back
RESULT_KEYS = ('model', 'epochs', 'train_samples', 'loss', 'val_loss',
               'seconds', 'code_size', 'epoch_flops', 'squared_error',
               'pca_squared_error')


def saved(out, store, name, epochs, samples):
    """Returns the results that an earlier run saved for model name with
    the same epochs and number of training digits, with its weights in
    store saved whole, else None; a results file that is torn is said
    in one line naming it (the model is then trained again)."""
    path = os.path.join(out, name + '.json')
    kept = models.saved(name, store)
    try:
        result = files.read_json(path)
    except files.Torn as torn:
        print('[{}] {}: not done, {}'.format(LINE, name, torn))
        return None
    if result is None or kept is None:
        return None
    if not (isinstance(result, dict) and
            all(key in result for key in RESULT_KEYS)):
        print('[{}] {}: not done, {} is torn (it lacks results)'.format(
            LINE, name, path))
        return None
    for done in (result, kept):
        if done['epochs'] != epochs or done['train_samples'] != samples:
            return None
    print('[{}] {}: done before, kept ({})'.format(LINE, name, path))
    return result


def main():
    """Holds the report's and the models' folders, then runs the report
    (run); a folder another run holds, or a file that cannot be written,
    ends it with one line saying so."""
    out, store = models.report_folder(), models.folder()
    try:
        with files.lock(out, 'make report'), files.lock(store,
                                                        'make report'):
            return run(out, store)
    except (files.Busy, files.WriteError) as error:
        print('make report stopped:', error, file=sys.stderr)
        return 1


def run(out, store):
    """Trains what is not done yet, then writes the report."""
    epochs_override = runtime.epochs(None)
    subset = variables.get('SUBSET')
    samples = subset or 60000
    plan = [(known.name, epochs_override or known.epochs)
            for known in configurations.CONFIGURATIONS]
    results = {}
    for name, epochs in plan:
        result = saved(out, store, name, epochs, samples)
        if result:
            results[name] = result
    progress = training.Progress(plan, set(results))
    progress.scale = samples / 60000.
    digits = training.load_digits(subset)
    for name, epochs in plan:
        if name in results:
            continue
        started = time.time()
        results[name] = train(name, epochs, digits, progress, out, store)
        files.write_json(os.path.join(out, name + '.json'), results[name])
        print('[{}] {}: trained in {:.0f} s'.format(
            LINE, name, time.time() - started))
    # results saved before speed_up existed ran one step per call
    steps = sorted(set(str(result.get('steps_per_call', 1))
                       for result in results.values()))
    # and on the CPU of the machine that trained them, if they said
    cpus = sorted(set(result.get('cpu', 'CPU not recorded')
                      for result in results.values()))
    run_settings = 'trained on {}; {} epochs{}, batch size {}, seed {}, ' \
        '{}, {}'.format(
            ' and '.join(cpus),
            'spec' if epochs_override is None else epochs_override,
            '' if subset is None else ', first {} digits'.format(subset),
            training.BATCH_SIZE, runtime.tools_seed(),
            settings.describe(),
            'training steps per call: ' + ' or '.join(steps))
    sweep, originals = sparsity.sweep(out, sparsity.epochs(), subset)
    sparsity.draw(sweep, originals, out)
    write_report([results[name] for name, _ in plan], out, run_settings,
                 sparsity.section(sweep))
    return 0


if __name__ == '__main__':
    sys.exit(main())
