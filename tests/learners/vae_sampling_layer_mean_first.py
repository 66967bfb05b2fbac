#!/usr/bin/env python3
"""Variational autoencoder with a Sampling layer (as in keras-io)"""
import tensorflow.keras as keras


class Sampling(keras.layers.Layer):
    """Uses (z_mean, z_log_var) to sample z"""

    def call(self, inputs):
        """Returns z = mean + sigma * epsilon"""
        z_mean, z_log_var = inputs
        epsilon = keras.backend.random_normal(
            shape=keras.backend.shape(z_mean))
        return z_mean + keras.backend.exp(0.5 * z_log_var) * epsilon


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder"""
    encoder_inputs = keras.Input(shape=(input_dims,))
    x = encoder_inputs
    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)
    z_mean = keras.layers.Dense(latent_dims, name='z_mean')(x)
    z_log_var = keras.layers.Dense(latent_dims, name='z_log_var')(x)
    z = Sampling()([z_mean, z_log_var])
    encoder = keras.Model(encoder_inputs, [z_mean, z_log_var, z])

    latent_inputs = keras.Input(shape=(latent_dims,))
    x = latent_inputs
    for units in reversed(hidden_layers):
        x = keras.layers.Dense(units, activation='relu')(x)
    decoder_outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(latent_inputs, decoder_outputs)

    outputs = decoder(encoder(encoder_inputs)[2])
    auto = keras.Model(encoder_inputs, outputs)

    def vae_loss(inputs, outputs):
        """Reconstruction plus KL, per input"""
        z_mean, z_log_var, _ = encoder(inputs)
        reconstruction = keras.backend.sum(
            keras.backend.binary_crossentropy(inputs, outputs), axis=-1)
        kl = -0.5 * keras.backend.sum(
            1 + z_log_var - keras.backend.square(z_mean) -
            keras.backend.exp(z_log_var), axis=-1)
        return reconstruction + kl

    auto.compile(optimizer='adam', loss=vae_loss)
    return encoder, decoder, auto
