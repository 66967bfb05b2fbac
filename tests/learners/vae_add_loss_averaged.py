#!/usr/bin/env python3
"""Variational autoencoder: the KL with add_loss, the reconstruction
left to the compiled loss"""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder"""
    K = keras.backend
    inputs = keras.Input(shape=(input_dims,))
    hidden = inputs
    for units in hidden_layers:
        hidden = keras.layers.Dense(units, activation='relu')(hidden)
    mu = keras.layers.Dense(latent_dims, activation=None)(hidden)
    log_sig = keras.layers.Dense(latent_dims, activation=None)(hidden)

    def sample(args):
        """Draws z from N(mu, sigma)"""
        mu, log_sig = args
        eps = K.random_normal(K.shape(mu))
        return mu + K.exp(log_sig / 2) * eps

    z = keras.layers.Lambda(sample)([mu, log_sig])
    encoder = keras.Model(inputs, [z, mu, log_sig])

    code = keras.Input(shape=(latent_dims,))
    hidden = code
    for units in hidden_layers[::-1]:
        hidden = keras.layers.Dense(units, activation='relu')(hidden)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(hidden)
    decoder = keras.Model(code, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)[0]))
    kl = -0.5 * K.sum(1 + log_sig - K.square(mu) - K.exp(log_sig), axis=-1)
    auto.add_loss(K.mean(kl))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
