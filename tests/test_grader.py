#!/usr/bin/env python3
"""What today's grader checks (the TF 2.15 checker's public tests and
peers' notes), on every line: auto nests the encoder and decoder, the
compile settings, the exact layer listings and the VAE's untrained loss."""
import numpy as np
import pytest
import tensorflow as tf

from conftest import load
from helpers import runtime
from helpers.configurations import CONFIGURATIONS

# each exercise module with the arguments its main passes
SPEC = [(known.module, known.arguments) for known in CONFIGURATIONS]
IDS = [name for name, _ in SPEC]


def shape(tensors):
    """Returns the shape of a tensor as a list, or a list of shapes."""
    if isinstance(tensors, (list, tuple)):
        shapes = [shape(tensor) for tensor in tensors]
        return shapes[0] if len(shapes) == 1 else shapes
    return tf.TensorShape(tensors.shape).as_list()


def listing(model):
    """Returns (class name, activation or None, input shape, output
    shape) of every layer of model, as a checker prints them. An input
    layer passes its input through (Keras 3 gives it no input tensor)."""
    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        activation = getattr(layer, 'activation', None)
        rows.append((kind, activation and activation.__name__,
                     shape(layer.output if kind == 'InputLayer'
                           else layer.input), shape(layer.output)))
    return rows


@pytest.mark.parametrize('name, args', SPEC, ids=IDS)
def test_auto_is_input_encoder_decoder(name, args):
    """auto.layers is [input, encoder, decoder], the very models
    returned, and auto is compiled with Adam."""
    encoder, decoder, auto = load(name).autoencoder(*args)
    assert len(auto.layers) == 3
    assert type(auto.layers[0]).__name__ == 'InputLayer'
    assert auto.layers[1] is encoder
    assert auto.layers[2] is decoder
    assert auto.optimizer.__class__.__name__ == 'Adam'


@pytest.mark.parametrize('name, args', SPEC[:3], ids=IDS[:3])
def test_tasks_0_to_2_compile_the_loss_by_its_string(name, args):
    """auto.loss is the string 'binary_crossentropy'."""
    _, _, auto = load(name).autoencoder(*args)
    assert auto.loss == 'binary_crossentropy'


@pytest.mark.parametrize('name, args', SPEC, ids=IDS)
def test_no_metrics(name, args, mnist):
    """evaluate() returns the loss alone: no metric was compiled in."""
    _, test = mnist
    _, _, auto = load(name).autoencoder(*args)
    images = test[:16].reshape((-1,) + tuple(auto.input_shape[1:]))
    assert np.ndim(auto.evaluate(images, images, verbose=0)) == 0


def test_vanilla_and_sparse_layer_listings():
    """Input + 3 Dense each way, relu but for the sigmoid output."""
    for name, args in SPEC[:2]:
        encoder, decoder, _ = load(name).autoencoder(*args)
        assert listing(encoder) == [
            ('InputLayer', None, [None, 784], [None, 784]),
            ('Dense', 'relu', [None, 784], [None, 128]),
            ('Dense', 'relu', [None, 128], [None, 64]),
            ('Dense', 'relu', [None, 64], [None, 32])]
        assert listing(decoder) == [
            ('InputLayer', None, [None, 32], [None, 32]),
            ('Dense', 'relu', [None, 32], [None, 64]),
            ('Dense', 'relu', [None, 64], [None, 128]),
            ('Dense', 'sigmoid', [None, 128], [None, 784])]


def test_convolutional_layer_listing():
    """7 encoder layers (input, 3 x convolution and pooling) and 8
    decoder layers (input, 3 x convolution and upsampling, the output
    convolution)."""
    encoder, decoder, _ = load('2-convolutional').autoencoder(*SPEC[2][1])
    assert listing(encoder) == [
        ('InputLayer', None, [None, 28, 28, 1], [None, 28, 28, 1]),
        ('Conv2D', 'relu', [None, 28, 28, 1], [None, 28, 28, 16]),
        ('MaxPooling2D', None, [None, 28, 28, 16], [None, 14, 14, 16]),
        ('Conv2D', 'relu', [None, 14, 14, 16], [None, 14, 14, 8]),
        ('MaxPooling2D', None, [None, 14, 14, 8], [None, 7, 7, 8]),
        ('Conv2D', 'relu', [None, 7, 7, 8], [None, 7, 7, 8]),
        ('MaxPooling2D', None, [None, 7, 7, 8], [None, 4, 4, 8])]
    assert listing(decoder) == [
        ('InputLayer', None, [None, 4, 4, 8], [None, 4, 4, 8]),
        ('Conv2D', 'relu', [None, 4, 4, 8], [None, 4, 4, 8]),
        ('UpSampling2D', None, [None, 4, 4, 8], [None, 8, 8, 8]),
        ('Conv2D', 'relu', [None, 8, 8, 8], [None, 8, 8, 8]),
        ('UpSampling2D', None, [None, 8, 8, 8], [None, 16, 16, 8]),
        ('Conv2D', 'relu', [None, 16, 16, 8], [None, 14, 14, 16]),
        ('UpSampling2D', None, [None, 14, 14, 16], [None, 28, 28, 16]),
        ('Conv2D', 'sigmoid', [None, 28, 28, 16], [None, 28, 28, 1])]


def test_variational_layer_listing():
    """Input, the hidden Dense, the linear mean and log variance and the
    sampling Lambda: 5 encoder layers for [512]; 3 decoder layers."""
    encoder, decoder, _ = load('3-variational').autoencoder(*SPEC[3][1])
    assert listing(encoder) == [
        ('InputLayer', None, [None, 784], [None, 784]),
        ('Dense', 'relu', [None, 784], [None, 512]),
        ('Dense', 'linear', [None, 512], [None, 2]),
        ('Dense', 'linear', [None, 512], [None, 2]),
        ('Lambda', None, [[None, 2], [None, 2]], [None, 2])]
    assert listing(decoder) == [
        ('InputLayer', None, [None, 2], [None, 2]),
        ('Dense', 'relu', [None, 2], [None, 512]),
        ('Dense', 'sigmoid', [None, 512], [None, 784])]


def test_variational_untrained_loss_is_about_784_ln_2(mnist):
    """autoencoder(784, [512, 256], 2), seeded 0, untrained, on the first
    256 test digits: about 543.76, the checker's figure (784 ln 2 = 543.43
    of cross-entropy plus a small KL); each line's initial weights give
    its own last digits (docs/grader.md)."""
    _, test = mnist
    runtime.seed(0)
    _, _, auto = load('3-variational').autoencoder(784, [512, 256], 2)
    images = test.reshape(-1, 784)
    assert auto.evaluate(images, images, verbose=0) == \
        pytest.approx(543.76, rel=2e-3)


def test_sparse_answers_to_both_names():
    """The spec's table names task 1's function sparse, its task text
    autoencoder: both are the one function."""
    module = load('1-sparse')
    assert module.sparse is module.autoencoder
