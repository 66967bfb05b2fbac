#!/usr/bin/env python3
"""How fast training runs and how fast it could: a Keras callback that
times every epoch, the floating-point work of a model, and the fp32 rate
TensorFlow reaches on this machine (ceiling). The report and the
benchmark both use it."""
import time

import numpy as np
import tensorflow as tf

# A backward pass costs about twice its forward pass (the gradients with
# respect to both the inputs and the weights), so a training step is three
BACKWARD_AND_FORWARD = 3


class EpochTimer(tf.keras.callbacks.Callback):
    """Records the seconds, loss and val_loss of every epoch, and calls
    on_epoch(epochs done, timer) after each, if given."""

    def __init__(self, on_epoch=None):
        """Starts with no epoch recorded."""
        super(EpochTimer, self).__init__()
        self.on_epoch = on_epoch
        self.seconds, self.loss, self.val_loss = [], [], []
        self.start = None

    def on_epoch_begin(self, epoch, logs=None):
        """Starts the epoch's clock."""
        self.start = time.time()

    def on_epoch_end(self, epoch, logs=None):
        """Records the epoch's time and losses (validation included)."""
        self.seconds.append(time.time() - self.start)
        self.loss.append(float(logs['loss']))
        self.val_loss.append(float(logs['val_loss']))
        if self.on_epoch:
            self.on_epoch(len(self.seconds), self)


def forward_flops(model):
    """Returns the floating-point operations of one sample's forward pass
    through model's Dense and Conv2D layers (2 per multiply-add), nested
    models included; biases, activations, pooling and upsampling, a few
    percent at most, are left out."""
    total = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if hasattr(layer, 'layers'):
            total += forward_flops(layer)
        elif kind == 'Dense':
            inputs, units = tf.keras.backend.int_shape(layer.kernel)
            total += 2 * inputs * units
        elif kind == 'Conv2D':
            rows, cols, channels, filters = tf.keras.backend.int_shape(
                layer.kernel)
            _, out_rows, out_cols, _ = tf.keras.backend.int_shape(
                layer.output)
            total += 2 * rows * cols * channels * filters * out_rows * out_cols
    return total


def epoch_flops(model, train_samples, validation_samples):
    """Returns the floating-point operations of one epoch: a forward and
    backward pass per training sample, a forward pass per validation
    sample."""
    forward = forward_flops(model)
    return forward * (BACKWARD_AND_FORWARD * train_samples
                      + validation_samples)


def cpu_info():
    """Returns the fields of this machine's first CPU in /proc/cpuinfo
    ('model name', 'cpu family', 'cpu MHz', 'flags', ...) as strings; an
    empty dict without it."""
    fields = {}
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(':')
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    return fields


def cpu():
    """Returns the CPU that figures measured here were measured on, as
    every published figure names it: model name, cpu family, and whether
    it has AVX-512 (flag avx512f). The last bits of a training step, and
    how fast it runs, depend on it: oneDNN picks other kernels without
    AVX-512, and TF 2.15 then leaves oneDNN off."""
    fields = cpu_info()
    if 'model name' not in fields:
        return 'unknown CPU (no /proc/cpuinfo)'
    flags = fields.get('flags', '').split()
    return '{} (cpu family {}), {}'.format(
        fields['model name'], fields.get('cpu family', '?'),
        'AVX-512' if 'avx512f' in flags else
        'no AVX-512' + (' (AVX2)' if 'avx2' in flags else ''))


def ceiling(size=2048, repeats=8):
    """Returns (float32 FLOP per second, what it is): the rate TensorFlow
    reaches here on a size x size float32 matrix multiply, the best of
    repeats after a warm-up, measured in this process on the threads the
    models train on. A figure from cores x clock x vector width assumes
    one CPU family's; this is measured on the CPU the run has, whatever
    its generation. The matrix is fed anew each time, so that no graph
    optimisation folds the product into a constant."""
    matrix = np.random.RandomState(0).rand(size, size).astype('float32')
    if tf.executing_eagerly():
        multiply = tf.function(lambda x: tf.matmul(x, x))

        def run():
            """One product, waited for."""
            return multiply(tf.constant(matrix)).numpy()
    else:
        placeholder = tf.placeholder(tf.float32, (size, size))
        product = tf.matmul(placeholder, placeholder)
        session = tf.keras.backend.get_session()

        def run():
            """One product, waited for."""
            return session.run(product, {placeholder: matrix})
    run()
    best = float('inf')
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    rate = 2.0 * size ** 3 / best
    return rate, '{:.0f} GFLOP/s, a {} x {} float32 matrix multiply in ' \
        'TensorFlow, measured in this run'.format(rate / 1e9, size, size)
