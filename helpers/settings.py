#!/usr/bin/env python3
"""The fastest correct settings of each TensorFlow line on this machine's
CPU, whatever its generation: why each is chosen or not, where it was
measured, and the variable that turns it off. The helpers package calls
choose() before TensorFlow is imported, since TensorFlow reads them as it
starts. Each setting changes the last digits of a training step, never
the layers, the loss, the optimizer or the order of the batches.

oneDNN (TF_ENABLE_ONEDNN_OPTS=0 turns it off). TF 2.15 and 2.21 run
their layers on Intel's oneDNN kernels where the CPU has AVX-512 and on
TensorFlow's generic Eigen kernels where it has AVX2 alone. The
convolutional model's epoch on an AVX2 EPYC (family 25, 2 cores): 38.04 s
on Eigen, 13.95 s on oneDNN; the dense models about the same on either
(docs/speed.md). So oneDNN is asked for wherever it is not set: an
AVX2-only CPU then runs what an AVX-512 one runs by default. TF 1.x's
pip builds have no oneDNN and ignore the variable.

XLA (XLA=0 turns it off): chosen for the dense models on Keras 3 (TF
2.16 and later), set with the steps per call (helpers.runtime.speed_up
calls xla()). Compiling the training step fuses the many small
element-wise ops around the Dense layers (bias, relu, sigmoid, the
cross-entropy and Adam's updates): on the AVX-512 EPYC, TF 2.21, vanilla
1.25 to 0.88 s an epoch, sparse 1.20 to 0.96, oneDNN on. Not chosen
elsewhere, by measurement: the convolutional model's epoch went from 7.6
to 27 s on TF 2.21 (and TF 2.15 has no XLA kernel for its upsampling
gradient on a CPU); the VAE gained nothing on either line; on TF 2.15,
with oneDNN on, the dense models gained nothing beyond the spread
(vanilla 1.24 to 1.16 s, sparse 1.14 to 1.10; 1.08 to 1.23 s in another
hour). Keras 3 leaves XLA off on a machine without a GPU unless told.

Threads: TensorFlow's defaults (as many as the cores, for each pool) were
the fastest of every pairing tried (docs/speed.md); THREADS sets others.

Steps per call (STEPS_PER_CALL=1 for one): helpers.runtime.speed_up.

The runs that reproduce a printed log set what they need in their own
environment (tools/seed_logs.py: TF_ENABLE_ONEDNN_OPTS=0 and one step
per call beside the 2024 page); TF 1.12 has nothing here to change.
"""
import os

from helpers import variables

# The variables that choose() set itself, with their values
CHOSEN = {}


def choose():
    """Sets, before TensorFlow is imported, what it reads as it starts:
    oneDNN on, unless TF_ENABLE_ONEDNN_OPTS says otherwise already."""
    if not variables.text('TF_ENABLE_ONEDNN_OPTS'):
        os.environ['TF_ENABLE_ONEDNN_OPTS'] = CHOSEN[
            'TF_ENABLE_ONEDNN_OPTS'] = '1'


def onednn():
    """Returns True unless TF_ENABLE_ONEDNN_OPTS turned oneDNN off."""
    return variables.get('TF_ENABLE_ONEDNN_OPTS')


def describe(line=None):
    """Returns the settings in effect on the line (major, minor), this
    process's TensorFlow unless given, as one line for a log: oneDNN (TF 2
    and Keras 3), XLA (Keras 3), threads."""
    if line is None:
        # here, not at the top: choose() runs before TensorFlow's import
        from helpers import versions
        line = versions.NUMBERS
    words = []
    if line >= (2, 0):
        words.append('oneDNN {}'.format('on' if onednn() else 'off'))
    if line >= (2, 16):
        words.append('XLA {}'.format('for the dense models' if xla_allowed()
                                     else 'off'))
    words.append('threads {}'.format(variables.text('THREADS') or
                                     "TensorFlow's default"))
    return ', '.join(words)


def xla(model):
    """Returns True where XLA is chosen for model, compiled on Keras 3
    (helpers.runtime.speed_up asks on TF 2.16 and later alone): for a
    model of Dense layers alone (the vanilla and sparse autoencoders),
    unless XLA=0."""
    return xla_allowed() and layer_kinds(model) <= {'InputLayer', 'Dense'}


def xla_allowed():
    """Returns True unless XLA=0 turned XLA off."""
    return variables.get('XLA')


def layer_kinds(model):
    """Returns the class names of model's layers, those of the models
    nested in it (encoder, decoder) included, not the nested models'."""
    kinds = set()
    for layer in model.layers:
        if hasattr(layer, 'layers'):
            kinds |= layer_kinds(layer)
        else:
            kinds.add(type(layer).__name__)
    return kinds


def variables_set(names):
    """Returns 'NAME=value, ...' for those of the variables names that
    are set, leaving out what choose() set itself; 'none' if none is."""
    return ', '.join('{}={}'.format(name, variables.text(name))
                     for name in names
                     if variables.text(name) and name not in CHOSEN) or 'none'
