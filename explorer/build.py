#!/usr/bin/env python3
"""`make explore`: writes explorer/index.html, one self-contained page
where a learner plays with the four trained autoencoders of this line.

The page holds its HTML, CSS, JavaScript (page.html, and layers.js,
drawing.js and explorer.js beside this file) and every model's weights
(float32, base64, helpers.pages) in one file, and fetches nothing. Its
JavaScript repeats the Keras layers (one function per layer kind) and
exposes window.explorer.encode(model, pixels) and .decode(model, code),
which the browser tests compare with Keras.

The models are the line's saved ones (models/<line>, tools.models);
those missing are trained first, as `make report` trains them, with its
progress line (EPOCHS for fewer epochs). Environment: EPOCHS, SUBSET,
MODELS_DIR, EXPLORER_DIR (another folder than explorer/).
"""
import base64
import os
import sys

import numpy as np
import tensorflow as tf

from helpers import configurations, files, runtime, variables, versions
from helpers.configurations import LATENT_POINTS
from helpers.pages import floats, html, model_description
from tools import models, training

# test digits in the strip: the first few of each digit
PER_DIGIT = 2


def folder():
    """Returns the page's folder: EXPLORER_DIR, or explorer/."""
    return variables.get('EXPLORER_DIR') or \
        os.path.join(models.ROOT, 'explorer')


def strip_digits(x_test, y_test):
    """Returns the indices of the first PER_DIGIT test digits of each
    digit, in order of digit."""
    return [int(i) for digit in range(10)
            for i in np.flatnonzero(y_test == digit)[:PER_DIGIT]]


def ensure_models(store, subset=None):
    """Trains, as `make report` does, each model with no saved weights in
    store (EPOCHS for fewer epochs than the spec's)."""
    missing = [name for name in configurations.NAMES
               if models.saved(name, store) is None]
    if not missing:
        return
    epochs = runtime.epochs(None)
    plan = [(known.name, epochs or known.epochs)
            for known in configurations.CONFIGURATIONS
            if known.name in missing]
    progress = training.Progress(plan, set())
    progress.scale = (subset or 60000) / 60000.
    digits = training.load_digits(subset)
    for name, name_epochs in plan:
        training.train_and_save(name, name_epochs, digits, progress, store)


def page_data(store):
    """Returns the page's data: every model's layers, the strip's test
    digits and the VAE's latent means of LATENT_POINTS test digits."""
    _, x_test, y_test = training.load_digits()
    data = {'line': versions.LINE, 'tensorflow': versions.VERSION,
            'models': {}}
    for name in configurations.NAMES:
        tf.keras.backend.clear_session()
        encoder, decoder, _, info = models.load(name, store)
        data['models'][name] = dict(
            model_description(encoder, decoder), epochs=info['epochs'],
            trainSamples=info['train_samples'], loss=info['loss'],
            valLoss=info['val_loss'])
        if name == 'variational':
            _, mean, _ = encoder.predict(x_test[:LATENT_POINTS], verbose=0)
            # a square plane round the origin holding 99.5% of the means
            extent = max(3, int(np.ceil(np.percentile(np.abs(mean), 99.5))))
            data['latent'] = {'points': floats(mean), 'extent': extent,
                              'labels': y_test[:LATENT_POINTS].tolist()}
    chosen = strip_digits(x_test, y_test)
    pixels = np.round(x_test[chosen] * 255).astype('uint8')
    data['digits'] = {
        'indices': chosen, 'labels': y_test[chosen].tolist(),
        'pixels': base64.b64encode(pixels.tobytes()).decode('ascii')}
    return data


def write_page(data, path):
    """Writes the page at path from the template, the script and data."""
    text = html('page.html', ('layers.js', 'drawing.js', 'explorer.js'),
                data)
    files.write_text(path, text)


def main():
    """Trains what is missing, writes the page and prints its path; a
    folder another run holds (make report on the same models), or a file
    that cannot be written, ends it with one line saying so."""
    store = models.folder()
    path = os.path.join(folder(), 'index.html')
    try:
        with files.lock(store, 'make explore'), \
                files.lock(folder(), 'make explore'):
            ensure_models(store, variables.get('SUBSET'))
            write_page(page_data(store), path)
    except (files.Busy, files.WriteError) as error:
        print('make explore stopped:', error, file=sys.stderr)
        return 1
    print('explorer written to {} ({:.1f} MB); open it in a browser'.format(
        path, os.path.getsize(path) / 1e6))
    return 0


if __name__ == '__main__':
    sys.exit(main())
