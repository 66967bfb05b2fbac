#!/usr/bin/env python3
"""Trained models that last: each is built through its exercise module
with the arguments its main passes (helpers.configurations).

Two ways to keep a trained model, both on every line:
- save() and load(): auto's weights in models/<line>/<name>.weights.h5
  with a small JSON beside them (line, epochs, final losses and the
  weights' checksum), each written whole (helpers.files); load()
  rebuilds the model through its exercise module and loads the weights,
  once they match the checksum.
  This is what `make report` writes and `make explore` reads.
- save_whole() and load_whole(): the encoder, decoder and auto as whole
  models in Keras's own format of the line (.h5 on TF 1.x and 2.15,
  .keras on Keras 3), loaded with keras.models.load_model alone.
"""
import os
import sys

import tensorflow as tf

from helpers import files, variables, versions
from helpers.configurations import configuration

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(name, arguments=None):
    """Returns encoder, decoder, auto of model name, built and compiled
    by its exercise module with the main's arguments (or arguments)."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    chosen = configuration(name)
    module = __import__(chosen.module)
    return module.autoencoder(*(arguments or chosen.arguments))


def folder(line=versions.LINE):
    """Returns the folder of the line's saved models: MODELS_DIR, or
    models/<line>."""
    return variables.get('MODELS_DIR') or os.path.join(ROOT, 'models', line)


def report_folder(line=versions.LINE):
    """Returns the folder of the line's report and lambtha sweep:
    REPORT_DIR, or reports/<line>."""
    return variables.get('REPORT_DIR') or \
        os.path.join(ROOT, 'reports', line)


def weights_path(name, where):
    """Returns the path of model name's weights in folder where."""
    return os.path.join(where, name + '.weights.h5')


def save(name, auto, info, where):
    """Saves auto's weights as where/<name>.weights.h5 (the layers' alone,
    not the optimizer's) and info (a dict: line, epochs, loss, val_loss,
    ...) as where/<name>.json, each whole or not at all (helpers.files).
    The JSON comes last and names the weights' checksum: a model is saved
    once its JSON is there and the weights match it."""
    # The same layers in a model with no optimizer: Keras 2.15 and 3 would
    # otherwise store Adam's two moments of every weight beside it
    layers_only = tf.keras.Model(auto.inputs, auto.outputs)
    path = weights_path(name, where)
    with files.whole(path) as temporary:
        layers_only.save_weights(temporary)
    files.write_json(os.path.join(where, name + '.json'),
                     dict(info, weights_sha256=files.checksum(path)))


def saved(name, where):
    """Returns the info saved with model name's weights in where, or None
    where it is not saved whole: either file missing, or (said in one
    line naming the file, as the model is then trained again) a JSON
    that does not parse or names no checksum, or weights that do not
    match it."""
    info, problem = verified(name, where)
    if problem:
        print('[{}] {}: not done, {}'.format(versions.LINE, name, problem))
        sys.stdout.flush()
    return info


def verified(name, where):
    """Returns (info, None) where model name is saved whole in where,
    (None, None) where it was never saved (no JSON), else (None, what is
    wrong, naming the file)."""
    path, weights = os.path.join(where, name + '.json'), \
        weights_path(name, where)
    try:
        info = files.read_json(path)
    except files.Torn as torn:
        return None, str(torn)
    if info is None:
        return None, None
    if not isinstance(info, dict) or 'weights_sha256' not in info:
        return None, '{} names no checksum of its weights'.format(path)
    if not os.path.exists(weights):
        return None, '{} is missing'.format(weights)
    if files.checksum(weights) != info['weights_sha256']:
        return None, '{} is torn (it does not match the checksum in ' \
            '{})'.format(weights, path)
    return info, None


def load(name, where):
    """Returns encoder, decoder, auto, info: model name rebuilt through
    its exercise module with the main's arguments, with the weights and
    info saved in where. Raises FileNotFoundError where none were."""
    info, problem = verified(name, where)
    if info is None:
        raise FileNotFoundError('no saved {} model in {}{}: make report or '
                                'make explore trains it'.format(
                                    name, where,
                                    ' ({})'.format(problem) if problem
                                    else ''))
    encoder, decoder, auto = build(name)
    tf.keras.Model(auto.inputs, auto.outputs).load_weights(
        weights_path(name, where))
    return encoder, decoder, auto, info


def save_whole(models, where):
    """Saves each model of models, a dict such as {'encoder': encoder},
    as where/<key> plus the line's extension; returns the paths."""
    paths = {}
    for key, model in models.items():
        extension = '.keras' if versions.KERAS_3 else '.h5'
        paths[key] = os.path.join(where, key + extension)
        with files.whole(paths[key]) as temporary:
            model.save(temporary)
    return paths


def load_whole(path):
    """Returns the model saved whole at path, with keras.models.load_model.

    The VAE's sampling is a Lambda around 3-variational.py's function
    sample. Keras 2 stores the function's code, which needs the name
    keras; Keras 3 stores its name, and loads it only from custom_objects
    and only from a file said to be trusted (safe_mode=False), as a file
    this project wrote is. Models load uncompiled (the VAE's loss is a
    function inside its module's autoencoder()): compile one to train it.
    """
    keras = tf.keras
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    sample = __import__(configuration('variational').module).sample
    options = {'custom_objects': {'sample': sample, 'keras': keras},
               'compile': False}
    if versions.KERAS_3:
        options['safe_mode'] = False
    return keras.models.load_model(path, **options)
