#!/usr/bin/env python3
"""tools.models: trained models that last. Weights saved by save() and
loaded by load() through the exercise module, and whole models in the
line's own Keras format (.h5, or .keras on Keras 3) loaded with
keras.models.load_model: the loaded models predict what the trained ones
did, on every line."""
import os

import numpy as np
import pytest

from helpers import configurations, files, versions
from tools import models

EXTENSION = '.keras' if versions.KERAS_3 else '.h5'


def trained(name, mnist):
    """Returns encoder, decoder, auto of model name after one epoch on
    1024 real digits, and 32 test digits shaped for it."""
    train, test = mnist
    spec = configurations.configuration(name)
    encoder, decoder, auto = models.build(name)
    x_train = spec.shape(train.reshape(-1, 784))
    auto.fit(x_train, x_train, epochs=1, batch_size=128, verbose=0)
    return encoder, decoder, auto, spec.shape(test[:32].reshape(-1, 784))


def assert_same(models_a, models_b, x, name):
    """Checks that two (encoder, decoder, auto) predict the same on x;
    for the VAE, whose z and auto draw noise, its mean, log variance and
    the decoding of the mean."""
    encoder_a, decoder_a, auto_a = models_a
    encoder_b, decoder_b, auto_b = models_b
    if name == 'variational':
        _, mean, log_var = encoder_a.predict(x, verbose=0)
        _, mean_b, log_var_b = encoder_b.predict(x, verbose=0)
        np.testing.assert_allclose(mean_b, mean, atol=1e-5)
        np.testing.assert_allclose(log_var_b, log_var, atol=1e-5)
        codes = mean
    else:
        codes = encoder_a.predict(x, verbose=0)
        np.testing.assert_allclose(encoder_b.predict(x, verbose=0), codes,
                                   atol=1e-5)
        np.testing.assert_allclose(auto_b.predict(x, verbose=0),
                                   auto_a.predict(x, verbose=0), atol=1e-5)
    np.testing.assert_allclose(decoder_b.predict(codes, verbose=0),
                               decoder_a.predict(codes, verbose=0),
                               atol=1e-5)


@pytest.mark.parametrize('name', configurations.NAMES)
def test_weights_saved_and_loaded_through_the_module(name, mnist, tmpdir):
    """save() writes <name>.weights.h5 and its JSON, which names the
    weights' checksum; load() rebuilds the model with the main's
    arguments and gives it those weights; weights that no longer match
    are refused, naming the file."""
    encoder, decoder, auto, x = trained(name, mnist)
    info = {'model': name, 'line': versions.LINE, 'epochs': 1,
            'train_samples': 1024, 'loss': 0.5, 'val_loss': 0.5}
    models.save(name, auto, info, str(tmpdir))
    assert sorted(os.listdir(str(tmpdir))) == [name + '.json',
                                               name + '.weights.h5']
    # the layers' float32 weights and a little HDF5, no optimizer state
    size = os.path.getsize(models.weights_path(name, str(tmpdir)))
    assert size < 4 * auto.count_params() * 1.1 + 60000
    loaded = models.load(name, str(tmpdir))
    weights = models.weights_path(name, str(tmpdir))
    assert loaded[3] == dict(info, weights_sha256=files.checksum(weights))
    assert_same((encoder, decoder, auto), loaded[:3], x, name)
    # a freshly built model differs: the weights did come from the file
    fresh = models.build(name)[0]
    assert not all(np.array_equal(a, b) for a, b in
                   zip(fresh.get_weights(), encoder.get_weights()))
    with open(weights, 'r+b') as target:
        target.truncate(os.path.getsize(weights) // 2)
    assert models.saved(name, str(tmpdir)) is None
    with pytest.raises(FileNotFoundError) as refused:
        models.load(name, str(tmpdir))
    assert '{} is torn'.format(weights) in str(refused.value)


def test_load_without_saved_weights_says_what_to_run(tmpdir):
    """A missing model raises FileNotFoundError naming the commands."""
    with pytest.raises(FileNotFoundError) as info:
        models.load('vanilla', str(tmpdir))
    assert 'make report' in str(info.value)
    with pytest.raises(ValueError) as info:
        configurations.configuration('dense')
    assert 'name' in str(info.value) and 'vanilla' in str(info.value)


@pytest.mark.parametrize('name', configurations.NAMES)
def test_whole_models_round_trip_in_the_line_format(name, mnist, tmpdir):
    """encoder, decoder and auto saved whole and loaded back with
    keras.models.load_model predict the same; auto still nests the
    loaded encoder and decoder."""
    encoder, decoder, auto, x = trained(name, mnist)
    paths = models.save_whole({'encoder': encoder, 'decoder': decoder,
                               'auto': auto}, str(tmpdir))
    assert all(path.endswith(EXTENSION) for path in paths.values())
    loaded = [models.load_whole(paths[key])
              for key in ('encoder', 'decoder', 'auto')]
    assert_same((encoder, decoder, auto), loaded, x, name)
    whole = loaded[2]
    assert len(whole.layers) == 3
    assert_same((encoder, decoder, auto),
                (whole.layers[1], whole.layers[2], whole), x, name)
