#!/usr/bin/env python3
"""Variational autoencoder, its loss closing over the encoder's
tensors as Keras 2.2 on TF 1 allowed"""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates a variational autoencoder"""
    X_input = keras.Input(shape=(input_dims,))
    hidden = X_input
    for nodes in hidden_layers:
        hidden = keras.layers.Dense(nodes, activation='relu')(hidden)
    z_mean = keras.layers.Dense(latent_dims, activation=None)(hidden)
    z_log_sigma = keras.layers.Dense(latent_dims, activation=None)(hidden)

    def sampling(args):
        """Samples z"""
        z_mean, z_log_sigma = args
        epsilon = keras.backend.random_normal(
            shape=(keras.backend.shape(z_mean)[0], latent_dims))
        return z_mean + keras.backend.exp(z_log_sigma / 2) * epsilon

    z = keras.layers.Lambda(sampling)([z_mean, z_log_sigma])
    encoder = keras.models.Model(X_input, [z, z_mean, z_log_sigma])

    X_decode = keras.Input(shape=(latent_dims,))
    hidden = X_decode
    for nodes in reversed(hidden_layers):
        hidden = keras.layers.Dense(nodes, activation='relu')(hidden)
    output = keras.layers.Dense(input_dims, activation='sigmoid')(hidden)
    decoder = keras.models.Model(X_decode, output)

    out_encoder = encoder(X_input)[0]
    out_decoder = decoder(out_encoder)
    auto = keras.models.Model(X_input, out_decoder)

    def vae_loss(x, x_decoder_mean):
        """The VAE loss"""
        x_loss = keras.backend.binary_crossentropy(x, x_decoder_mean)
        x_loss = keras.backend.sum(x_loss, axis=1)
        kl_loss = -0.5 * keras.backend.sum(
            1 + z_log_sigma - keras.backend.square(z_mean) -
            keras.backend.exp(z_log_sigma), axis=-1)
        return x_loss + kl_loss

    auto.compile(optimizer='adam', loss=vae_loss)
    return encoder, decoder, auto
