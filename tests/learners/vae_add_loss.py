#!/usr/bin/env python3
"""Variational autoencoder, the KL added with add_loss (the 2024 idiom)"""
import tensorflow.keras as keras


def sampling(args):
    """Reparameterization trick"""
    z_mean, z_log_var = args
    batch = keras.backend.shape(z_mean)[0]
    dim = keras.backend.int_shape(z_mean)[1]
    epsilon = keras.backend.random_normal(shape=(batch, dim))
    return z_mean + keras.backend.exp(0.5 * z_log_var) * epsilon


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder"""
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for nodes in hidden_layers:
        x = keras.layers.Dense(nodes, activation='relu')(x)
    z_mean = keras.layers.Dense(latent_dims)(x)
    z_log_var = keras.layers.Dense(latent_dims)(x)
    z = keras.layers.Lambda(sampling)([z_mean, z_log_var])
    encoder = keras.Model(inputs, [z, z_mean, z_log_var])

    latent = keras.Input(shape=(latent_dims,))
    x = latent
    for nodes in reversed(hidden_layers):
        x = keras.layers.Dense(nodes, activation='relu')(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(latent, outputs)

    z, z_mean, z_log_var = encoder(inputs)
    reconstructed = decoder(z)
    auto = keras.Model(inputs, reconstructed)

    reconstruction = keras.losses.binary_crossentropy(inputs, reconstructed)
    reconstruction *= input_dims
    kl = 1 + z_log_var - keras.backend.square(z_mean) - \
        keras.backend.exp(z_log_var)
    kl = -0.5 * keras.backend.sum(kl, axis=-1)
    auto.add_loss(keras.backend.mean(reconstruction + kl))
    auto.compile(optimizer='adam')
    return encoder, decoder, auto
