#!/usr/bin/env python3
"""Sparse autoencoder: the vanilla autoencoder with an L1 penalty on the
latent code, which pushes most of its values to zero for any one input."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Creates a sparse autoencoder.

    input_dims: int, the number of values in one input (784 for MNIST)
    hidden_layers: list of ints, the nodes of each hidden layer of the
        encoder, in order; the decoder uses them reversed
    latent_dims: int, the size of the latent space representation
    lambtha: number >= 0, the weight of the L1 regularisation of the
        encoded output
    Returns: encoder, decoder, auto, the last compiled with Adam and
        binary cross-entropy
    """
    input_dims = _size('input_dims', input_dims)
    hidden_layers = _sizes('hidden_layers', hidden_layers)
    latent_dims = _size('latent_dims', latent_dims)
    lambtha = _weight('lambtha', lambtha)

    # Encoder: input -> hidden layers -> latent code, all relu; the L1
    # penalty on the code's activations is what makes the code sparse
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)
    latent = keras.layers.Dense(
        latent_dims, activation='relu',
        activity_regularizer=keras.regularizers.l1(lambtha))(x)
    encoder = keras.Model(inputs, latent, name='encoder')

    # Decoder: the hidden layers in reverse, then a sigmoid layer whose
    # outputs lie in [0, 1] like the pixels they reconstruct
    latent_inputs = keras.Input(shape=(latent_dims,))
    x = latent_inputs
    for units in reversed(hidden_layers):
        x = keras.layers.Dense(units, activation='relu')(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(latent_inputs, outputs, name='decoder')

    # The autoencoder chains the two models, so training it trains them.
    # TF 1.x Keras keeps the L1 loss of each call of the encoder on these
    # inputs, so there it counts twice: the spec's TF 1.12 log shows it.
    auto = keras.Model(inputs, decoder(encoder(inputs)), name='autoencoder')
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto


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


def _weight(name, value):
    """Returns value as a float if it is a finite number >= 0, else raises
    an error naming name."""
    # Numbers have __float__, strings and None do not; a bool is no weight
    is_bool = type(value).__name__ in ('bool', 'bool_')
    if is_bool or not hasattr(value, '__float__'):
        raise TypeError('{} must be a number >= 0, got {!r}'
                        .format(name, value))
    # NaN fails both comparisons, infinity the second
    if not 0 <= float(value) < float('inf'):
        raise ValueError('{} must be a finite number >= 0, got {!r}'
                         .format(name, value))
    return float(value)


# The spec's table of files calls this function sparse, its task text and
# main autoencoder: both names lead to the same function
sparse = autoencoder
