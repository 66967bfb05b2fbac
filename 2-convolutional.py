#!/usr/bin/env python3
"""Convolutional autoencoder: convolutions and max pooling shrink an image
into a small stack of feature maps, and convolutions with upsampling grow
it back into the image."""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Creates a convolutional autoencoder.

    input_dims: tuple of ints (rows, cols, channels) of the model input
    filters: list of ints, the filters of each convolution of the encoder,
        in order; the decoder uses them reversed
    latent_dims: tuple of ints (rows, cols, filters) of the latent space
        representation, the encoder's output
    Returns: encoder, decoder, auto, the last compiled with Adam and
        binary cross-entropy
    """
    input_dims = _shape('input_dims', input_dims)
    filters = _sizes('filters', filters)
    latent_dims = _shape('latent_dims', latent_dims)
    _check_fit(input_dims, filters, latent_dims)
    channels = input_dims[2]

    # Encoder: each 3x3 convolution is followed by a 2x2 max pooling that
    # halves the rows and columns, rounding up (28 -> 14 -> 7 -> 4)
    inputs = keras.Input(shape=input_dims)
    x = inputs
    for n_filters in filters:
        x = keras.layers.Conv2D(n_filters, (3, 3), padding='same',
                                activation='relu')(x)
        x = keras.layers.MaxPooling2D((2, 2), padding='same')(x)
    encoder = keras.Model(inputs, x, name='encoder')

    # Decoder: each 3x3 convolution is followed by a 2x2 upsampling that
    # doubles the rows and columns; the last of these convolutions has
    # valid padding, trimming 2 rows and columns (16 -> 14, so 4 -> 28)
    latent_inputs = keras.Input(shape=latent_dims)
    x = latent_inputs
    for i, n_filters in enumerate(reversed(filters)):
        padding = 'valid' if i == len(filters) - 1 else 'same'
        x = keras.layers.Conv2D(n_filters, (3, 3), padding=padding,
                                activation='relu')(x)
        x = keras.layers.UpSampling2D((2, 2))(x)
    # ...then one sigmoid convolution back to the input's channels
    outputs = keras.layers.Conv2D(channels, (3, 3), padding='same',
                                  activation='sigmoid')(x)
    decoder = keras.Model(latent_inputs, outputs, name='decoder')

    # The autoencoder chains the two models, so training it trains them
    auto = keras.Model(inputs, decoder(encoder(inputs)), name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto


def _check_fit(input_dims, filters, latent_dims):
    """Raises a ValueError unless the encoder's output is latent_dims and
    the decoder's output has the input's rows and columns."""
    if len(filters) < 3:
        raise ValueError('filters must hold at least 3 filter counts: with '
                         'fewer, the decoder cannot return the input size, '
                         'got {!r}'.format(filters))
    encoded = []
    for side in input_dims[:2]:
        for _ in filters:
            side = (side + 1) // 2
        encoded.append(side)
    expected = (encoded[0], encoded[1], filters[-1])
    if latent_dims != expected:
        raise ValueError('latent_dims must be the encoder output {!r}, got '
                         '{!r}'.format(expected, latent_dims))
    scale = 2 ** len(filters)
    # each upsampling doubles a side; the valid convolution before the
    # last one trims 2, which that upsampling doubles to 4 (4 * 8 - 4 = 28)
    decoded = tuple(side * scale - 4 for side in encoded)
    if decoded != input_dims[:2]:
        raise ValueError(
            'input_dims {!r} cannot be reconstructed: with {} filters the '
            'decoder returns {} x {}; it fits rows and cols of {}, {}, {}, '
            '...'.format(input_dims, len(filters), decoded[0],
                         decoded[1], scale - 4, 2 * scale - 4, 3 * scale - 4))


def _shape(name, value):
    """Returns value as a tuple of 3 ints if it is a list or tuple of 3
    positive integers, else raises."""
    if not isinstance(value, (list, tuple)):
        raise TypeError('{} must be a tuple of 3 positive integers, got {!r}'
                        .format(name, value))
    if len(value) != 3:
        raise ValueError('{} must be a tuple of 3 positive integers, got {!r}'
                         .format(name, value))
    return tuple(_sizes(name, value))


def _size(name, value):
    """Returns value as an int if it is a positive integer (an int or a
    NumPy integer, not a bool), else raises an error naming name."""
    # Integers have __index__, floats and strings do not; bools (Python's
    # and NumPy's) have one too, but True is no size
    is_bool = type(value).__name__ in ('bool', 'bool_')
    if is_bool or not hasattr(value, '__index__'):
        raise TypeError('{} must be a positive integer, got {!r}'
                        .format(name, value))
    size = value.__index__()
    if size < 1:
        raise ValueError('{} must be a positive integer, got {!r}'
                         .format(name, value))
    return size


def _sizes(name, values):
    """Returns values as a list of ints if it is a list or tuple of
    positive integers, else raises an error naming the first that is
    not."""
    if not isinstance(values, (list, tuple)):
        raise TypeError('{} must be a list of positive integers, got {!r}'
                        .format(name, values))
    return [_size('{}[{}]'.format(name, i), value)
            for i, value in enumerate(values)]
