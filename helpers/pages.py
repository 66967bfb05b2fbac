#!/usr/bin/env python3
"""What a page needs of a Keras model, to run it in JavaScript
(explorer/layers.js): each layer's kind, sizes, activation and weights,
base64, in one place for the explorer page and the live page; and the
page itself, one file from a template and scripts of explorer/ and its
data (html).

Weights go as float32, exact; or, for a replay that holds many
snapshots, as one byte a value with each tensor's least value and step
(within half a step of the float32 value: plenty to watch, not to test).
"""
import base64
import json
import os

import numpy as np

# the pages' templates and scripts
ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), 'explorer')


def html(template, scripts, data):
    """Returns one self-contained page: the template of explorer/ with
    data (as JSON) and the scripts of explorer/ (joined in order) in its
    {{data}} and {{script}}."""
    with open(os.path.join(ASSETS, template)) as source:
        text = source.read()
    texts = []
    for name in scripts:
        with open(os.path.join(ASSETS, name)) as source:
            texts.append(source.read())
    # a '</' inside a script element would end it
    data = json.dumps(data).replace('</', '<\\/')
    return text.replace('{{data}}', data).replace('{{script}}',
                                                  '\n'.join(texts))


def floats(array):
    """Returns array as base64 of its float32 bytes, little-endian."""
    return base64.b64encode(np.asarray(array, dtype='<f4').tobytes()).decode(
        'ascii')


def encoded(name, array, exact=True):
    """Returns {name: base64} of array as float32 where exact, else as
    bytes with name + 'Min' and name + 'Step' to read them back."""
    if exact:
        return {name: floats(array)}
    array = np.asarray(array, dtype='float64')
    low, high = float(array.min()), float(array.max())
    step = (high - low) / 255 or 1.0
    levels = np.round((array - low) / step).astype('uint8')
    return {name: base64.b64encode(levels.tobytes()).decode('ascii'),
            name + 'Min': low, name + 'Step': step}


def page_layers(encoder, decoder):
    """Returns [(part, layer)] of the layers a page runs, in order: part
    'encoder' or 'decoder', or for the VAE's two heads 'mean' and
    'logVar'; the input and the VAE's sampling are left out."""
    parts = []
    for layer in encoder.layers:
        if layer.name in ('mean', 'log_var'):
            parts.append(('mean' if layer.name == 'mean' else 'logVar',
                          layer))
        elif layer_description(layer, None) is not None:
            parts.append(('encoder', layer))
    parts += [('decoder', layer) for layer in decoder.layers
              if layer_description(layer, None) is not None]
    return parts


def weights(encoder, decoder):
    """Returns the weights of page_layers, a list per layer: a snapshot
    of the model that reads them and changes nothing."""
    return [layer.get_weights() for _, layer in page_layers(encoder, decoder)]


def layer_description(layer, values, exact=True):
    """Returns what the page needs of one Keras layer with the weights
    values ([kernel, bias], or None not to include them), or None for a
    layer it does not run (the input, the VAE's sampling)."""
    kind = type(layer).__name__
    description = None
    if kind == 'Dense':
        description = {'kind': 'dense', 'units': int(layer.units),
                       'activation': layer.activation.__name__}
    elif kind == 'Conv2D':
        assert tuple(layer.strides) == (1, 1)
        description = {'kind': 'conv2d', 'filters': int(layer.filters),
                       'kernelSize': int(layer.kernel_size[0]),
                       'padding': layer.padding,
                       'activation': layer.activation.__name__}
    elif kind == 'MaxPooling2D':
        assert tuple(layer.pool_size) == (2, 2) and layer.padding == 'same'
        return {'kind': 'maxPooling2d'}
    elif kind == 'UpSampling2D':
        assert tuple(layer.size) == (2, 2)
        return {'kind': 'upSampling2d'}
    if description is not None and values:
        kernel, bias = values
        description.update(encoded('kernel', kernel, exact))
        description.update(encoded('bias', bias, exact))
    return description


def model_description(encoder, decoder, values=None, exact=True):
    """Returns what the page needs of one model: its encoder's and
    decoder's layers (the VAE's mean and log variance layers apart) with
    their weights (values, as weights() gives them, or the model's
    own), and its input and code shapes."""
    values = values or weights(encoder, decoder)
    description = {'encoder': [], 'decoder': [],
                   'inputShape': [int(n) for n in encoder.input_shape[1:]],
                   'codeShape': [int(n) for n in decoder.input_shape[1:]]}
    for (part, layer), layer_values in zip(page_layers(encoder, decoder),
                                           values):
        described = layer_description(layer, layer_values, exact)
        if part in ('mean', 'logVar'):
            description[part] = described
        else:
            description[part].append(described)
    return description
