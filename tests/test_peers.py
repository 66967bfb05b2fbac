#!/usr/bin/env python3
"""tools/peers: the Keras 3 peer builds the same layers as our exercise
modules (checked where this line's Keras is Keras 3, on its TensorFlow
backend: the layers do not depend on the backend), and the comparison
picks our fastest line and the peers' rows as `make bench PEERS=1`
prints them. The PyTorch peer's models are checked against ours by
their parameter counts in that run."""
import importlib
import json
import os
import sys

import pytest

from conftest import ROOT, TF_VERSION
from helpers import configurations
from tools import models

PEERS = os.path.join(ROOT, 'tools', 'peers')
# tensorflow.keras is Keras 3 from TF 2.16 on
KERAS_3 = TF_VERSION >= (2, 16)

# What a layer is made of, for each kind the four models use
SETTINGS = ('units', 'filters', 'kernel_size', 'strides', 'padding',
            'activation', 'pool_size', 'size', 'activity_regularizer')


def peer(name):
    """Imports tools/peers/name.py by its plain name, as its Python does."""
    if PEERS not in sys.path:
        sys.path.insert(0, PEERS)
    return importlib.import_module(name)


def layers(model):
    """Returns each layer of model and of the models nested in it, in
    order, as (kind, its settings, its weight shapes); the sampling
    layer as 'sampling', whichever class draws z."""
    found = []
    for layer in model.layers:
        if hasattr(layer, 'layers'):
            found.extend(layers(layer))
            continue
        kind = type(layer).__name__
        if kind in ('Lambda', 'Sampling'):
            kind = 'sampling'
        config = layer.get_config()
        found.append((kind, json.dumps(
            {key: config[key] for key in SETTINGS if key in config},
            sort_keys=True, default=str),
            [tuple(weight.shape) for weight in layer.get_weights()]))
    return found


@pytest.mark.skipif(not KERAS_3, reason='the Keras 3 peer needs Keras 3')
@pytest.mark.parametrize('name', configurations.NAMES)
def test_keras_peer_builds_our_layers(name, monkeypatch):
    """Layer for layer, the peer's model has our kinds, settings and
    weight shapes, so `make bench PEERS=1` times the same work."""
    # the peer asks for JAX before Keras is imported; here Keras runs on
    # TensorFlow already, and the variable goes back as it was
    monkeypatch.setenv('KERAS_BACKEND', 'tensorflow')
    keras_jax = peer('keras_jax')
    _, _, ours = models.build(name)
    theirs = keras_jax.BUILDERS[name]()
    assert layers(theirs) == layers(ours)
    assert theirs.count_params() == ours.count_params()


def test_peers_train_our_configurations():
    """The peers' numbers, which cannot be imported from a package that
    imports TensorFlow, are the project's: the models in order, the
    batch size, the sparse main's lambtha."""
    common = peer('common')
    assert common.MODELS == tuple(configurations.NAMES)
    assert common.BATCH_SIZE == configurations.BATCH_SIZE
    sparse = configurations.configuration('sparse')
    assert common.LAMBTHA == sparse.arguments[3]


def test_compare_takes_our_fastest_line(tmpdir):
    """Of our lines' rows, the fastest per model is set beside each
    peer's."""
    compare = peer('compare')
    rows = [{'line': 'tf2.15', 'model': 'vanilla', 'seconds': 1.1},
            {'line': 'tf2.21', 'model': 'vanilla', 'seconds': 0.9},
            {'line': 'tf2.15', 'model': 'sparse', 'seconds': 1.0}]
    assert compare.fastest(rows, 'vanilla')['line'] == 'tf2.21'
    assert compare.fastest(rows, 'sparse')['seconds'] == 1.0
