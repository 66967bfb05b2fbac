#!/usr/bin/env python3
"""Variational autoencoder whose sampling is written as operations on the
encoder's tensors, no Lambda"""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder"""
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for nodes in hidden_layers:
        x = keras.layers.Dense(nodes, activation='relu')(x)
    z_mean = keras.layers.Dense(latent_dims)(x)
    z_log_var = keras.layers.Dense(latent_dims)(x)
    epsilon = keras.backend.random_normal(shape=keras.backend.shape(z_mean))
    z = z_mean + keras.backend.exp(0.5 * z_log_var) * epsilon
    encoder = keras.Model(inputs, [z, z_mean, z_log_var])

    latent = keras.Input(shape=(latent_dims,))
    x = latent
    for nodes in reversed(hidden_layers):
        x = keras.layers.Dense(nodes, activation='relu')(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(latent, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)[0]))

    def loss(x, x_hat):
        """Reconstruction plus KL"""
        reconstruction = keras.backend.sum(
            keras.backend.binary_crossentropy(x, x_hat), axis=1)
        _, mean, log_var = encoder(x)
        kl = -0.5 * keras.backend.sum(
            1 + log_var - keras.backend.square(mean) -
            keras.backend.exp(log_var), axis=1)
        return reconstruction + kl

    auto.compile(optimizer='adam', loss=loss)
    return encoder, decoder, auto
