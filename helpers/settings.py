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

XLA: measured and not chosen. Compiling a whole training step with XLA
(jit_compile) made the dense models' epochs shorter only where oneDNN is
off: vanilla 2.35 to 1.74 s on the AVX2 EPYC (TF 2.15); on the AVX-512
EPYC 1.48 to 1.32 s on TF 2.15, 1.26 to 1.11 on TF 2.21. With oneDNN on,
as chosen here, it made them slower (vanilla 1.08 to 1.23 s on TF 2.15,
on AVX-512 kernels and on oneDNN's AVX2 ones alike), the VAE slower
either way, and TF 2.15 has no XLA kernel for the convolutional model's
upsampling gradient on a CPU.

Threads: TensorFlow's defaults (as many as the cores, for each pool) were
the fastest of every pairing tried (docs/speed.md); THREADS sets others.

Steps per call (STEPS_PER_CALL=1 for one): helpers.runtime.speed_up.

The runs that reproduce a printed log set what they need in their own
environment (tools/seed_logs.py: TF_ENABLE_ONEDNN_OPTS=0 and one step
per call beside the 2024 page); TF 1.12 has nothing here to change.
"""
import os

# The variables that choose() set itself, with their values
CHOSEN = {}


def choose():
    """Sets, before TensorFlow is imported, what it reads as it starts:
    oneDNN on, unless TF_ENABLE_ONEDNN_OPTS says otherwise already."""
    if not os.environ.get('TF_ENABLE_ONEDNN_OPTS', '').strip():
        os.environ['TF_ENABLE_ONEDNN_OPTS'] = CHOSEN[
            'TF_ENABLE_ONEDNN_OPTS'] = '1'


def onednn():
    """Returns True unless TF_ENABLE_ONEDNN_OPTS turned oneDNN off."""
    return os.environ.get('TF_ENABLE_ONEDNN_OPTS', '').strip() != '0'


def describe(tf_version):
    """Returns the settings in effect on TensorFlow tf_version, as one
    line for a log: oneDNN (TF 2 and Keras 3), threads."""
    words = []
    if not tf_version.startswith('1.'):
        words.append('oneDNN {}'.format('on' if onednn() else 'off'))
    words.append('threads {}'.format(os.environ.get('THREADS') or
                                     "TensorFlow's default"))
    return ', '.join(words)


def variables_set(names):
    """Returns 'NAME=value, ...' for those of the variables names that
    are set, leaving out what choose() set itself; 'none' if none is."""
    return ', '.join('{}={}'.format(name, os.environ[name])
                     for name in names
                     if os.environ.get(name) and name not in CHOSEN) or 'none'
