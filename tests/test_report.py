#!/usr/bin/env python3
"""tools.report and tools.speed: `make report` end to end on a small
subset (it trains, writes its report and figures, and resumes), PCA's
error, the FLOP count and the epoch timer."""
import json
import os
import shutil

import numpy as np
import tensorflow as tf

import pytest

from conftest import STEPS_PER_CALL, TF_VERSION, load, run_report
from tools import models, report, sparsity, speed

NAMES = ['vanilla', 'sparse', 'convolutional', 'variational']


def test_report_trains_and_writes(short_report):
    """Every model trains with progress shown and the line's steps per
    call and is saved, the report has every section and figure (the
    sparsity sweep's too) and says its settings."""
    folder, output = short_report
    for name in NAMES:
        assert '{} epoch 1/1: loss '.format(name) in output
        with open(os.path.join(folder, name + '.json')) as source:
            result = json.load(source)
        assert result['epochs'] == 1 and result['train_samples'] == 256
        assert len(result['seconds']) == 1 and result['squared_error'] > 0
        assert result['steps_per_call'] == STEPS_PER_CALL
        assert os.path.exists(os.path.join(folder,
                                           name + '-reconstructions.png'))
        info = models.saved(name, os.path.join(folder, 'models'))
        assert info['epochs'] == 1 and info['train_samples'] == 256
        assert info['loss'] == result['loss'][-1]
    assert 'min left' in output
    for figure in ('loss-curves', 'code-histograms', 'variational-latent',
                   'variational-manifold', 'variational-latent-epochs') + \
            tuple(name + '-epochs' for name in NAMES):
        assert os.path.exists(os.path.join(folder, figure + '.png'))
    with open(os.path.join(folder, 'report.md')) as source:
        text = source.read()
    for section in ('## Losses beside the spec', '## What the mains print',
                    '## Quality beside PCA', '## Speed',
                    '## The sparse model\'s lambtha', '## Figures',
                    '## Learning, epoch by epoch'):
        assert section in text
    assert 'training steps per call: {}'.format(STEPS_PER_CALL) in text
    assert 'trained on {};'.format(speed.cpu()) in text


@pytest.mark.skipif(TF_VERSION != (1, 15), reason='the report\'s file '
                    'handling is the same code on every line: tested on '
                    'TF 1.15 (with test_torn)')
def test_report_resumes(short_report, tmpdir):
    """Run again, the report keeps what is done, and trains again a model
    whose weights are gone."""
    sweep = len(sparsity.lambthas())
    folder = str(tmpdir.join(report.LINE))
    shutil.copytree(short_report[0], folder)
    code, again = run_report(folder)
    assert code == 0, again[-3000:]
    assert again.count('done before, kept') == 4 + sweep
    assert 'epoch 1/1' not in again
    store = os.path.join(folder, 'models')
    assert report.saved(folder, store, 'vanilla', 1, 256)
    os.remove(models.weights_path('vanilla', store))
    assert report.saved(folder, store, 'vanilla', 1, 256) is None


def test_pca_error_falls_with_more_components():
    """All components reconstruct exactly; fewer leave more error."""
    digits = np.random.RandomState(0).rand(200, 784).astype('float64')
    train, test = digits[:150], digits[150:]
    errors = [report.pca_squared_error(train, test, k) for k in (2, 32)]
    assert errors[0] > errors[1] > 0
    assert report.pca_squared_error(digits, digits, 784) < 1e-12


def test_flops_of_the_spec_models():
    """Two FLOP per multiply-add of every Dense and Conv2D layer."""
    _, _, auto = load('0-vanilla').autoencoder(784, [128, 64], 32)
    assert speed.forward_flops(auto) == 2 * 2 * (784 * 128 + 128 * 64
                                                 + 64 * 32)
    tf.keras.backend.clear_session()
    _, _, auto = load('2-convolutional').autoencoder(
        (28, 28, 1), [16, 8, 8], (4, 4, 8))
    multiply_adds = 9 * (1 * 16 * 28 * 28 + 16 * 8 * 14 * 14 + 8 * 8 * 7 * 7
                         + 8 * 8 * 4 * 4 + 8 * 8 * 8 * 8 + 8 * 16 * 14 * 14
                         + 16 * 1 * 28 * 28)
    assert speed.forward_flops(auto) == 2 * multiply_adds
    assert speed.epoch_flops(auto, 60000, 10000) == \
        2 * multiply_adds * (3 * 60000 + 10000)


def test_epoch_timer_records_every_epoch():
    """One time, loss and val_loss per epoch, and a call after each."""
    _, _, auto = load('0-vanilla').autoencoder(20, [8], 2)
    x = np.random.RandomState(0).rand(64, 20).astype('float32')
    calls = []
    timer = speed.EpochTimer(lambda done, t: calls.append(done))
    auto.fit(x, x, epochs=3, batch_size=32, verbose=0,
             validation_data=(x, x), callbacks=[timer])
    assert calls == [1, 2, 3]
    assert len(timer.seconds) == len(timer.loss) == len(timer.val_loss) == 3
    assert all(seconds > 0 for seconds in timer.seconds)


def test_drawn_epochs_are_those_reached_and_the_last():
    """Before training, then epochs 1, 2, 5, 10, 50 where reached, and
    the last."""
    snapshots = [{'epoch': e} for e in (0, .2, .6, 1, 2, 3, 4, 5, 6, 7)]
    assert [label for label, _ in report.drawn(snapshots)] == [
        'before training', 'epoch 1', 'epoch 2', 'epoch 5', 'epoch 7']
    assert [label for label, _ in report.drawn(snapshots[:4])] == [
        'before training', 'epoch 1']


def test_cpu_names_model_family_and_avx512():
    """The CPU as figures name it: /proc/cpuinfo's model name and cpu
    family, and AVX-512 exactly where its flags have avx512f."""
    fields = speed.cpu_info()
    text = speed.cpu()
    if not fields:
        assert text.startswith('unknown CPU')
        return
    assert text.startswith('{} (cpu family {}), '.format(
        fields['model name'], fields['cpu family']))
    has = 'avx512f' in fields['flags'].split()
    assert text.endswith(', AVX-512') == has
    assert ('no AVX-512' in text) == (not has)


def test_the_ceiling_is_measured_on_a_matrix_multiply():
    """The ceiling is a measured rate, of the order a CPU core reaches
    (over a GFLOP/s, under a TFLOP/s a core), and says how it was
    measured."""
    rate, how = speed.ceiling(512, 3)
    assert 1e9 < rate < 1e12 * (os.cpu_count() or 1)
    assert 'GFLOP/s, a 512 x 512 float32 matrix multiply in TensorFlow, ' \
        'measured in this run' in how
