#!/usr/bin/env python3
"""Variational autoencoder with a small epsilon"""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder"""
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for nodes in hidden_layers:
        x = keras.layers.Dense(nodes, activation='relu')(x)
    mu = keras.layers.Dense(latent_dims)(x)
    log_sigma = keras.layers.Dense(latent_dims)(x)

    def sampling(args):
        """Samples z with the reparameterisation trick"""
        mu, log_sigma = args
        epsilon = keras.backend.random_normal(keras.backend.shape(mu),
                                              stddev=0.2)
        return mu + keras.backend.exp(log_sigma / 2) * epsilon

    z = keras.layers.Lambda(sampling)([mu, log_sigma])
    encoder = keras.Model(inputs, [z, mu, log_sigma])

    latent = keras.Input(shape=(latent_dims,))
    x = latent
    for nodes in reversed(hidden_layers):
        x = keras.layers.Dense(nodes, activation='relu')(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(latent, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)[0]))

    def loss(x, x_hat):
        """Reconstruction plus KL"""
        _, mu, log_sigma = encoder(x)
        reconstruction = keras.backend.sum(
            keras.backend.binary_crossentropy(x, x_hat), axis=-1)
        kl = -0.5 * keras.backend.sum(
            1 + log_sigma - keras.backend.square(mu) -
            keras.backend.exp(log_sigma), axis=-1)
        return reconstruction + kl

    auto.compile(optimizer='adam', loss=loss)
    return encoder, decoder, auto
