#!/usr/bin/env python3
"""Vanilla autoencoder, its layers started from he_normal"""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims):
    """Creates an autoencoder"""
    init = keras.initializers.he_normal()
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for nodes in hidden_layers:
        x = keras.layers.Dense(nodes, activation='relu',
                               kernel_initializer=init)(x)
    code = keras.layers.Dense(latent_dims, activation='relu',
                              kernel_initializer=init)(x)
    encoder = keras.Model(inputs, code)

    latent = keras.Input(shape=(latent_dims,))
    x = latent
    for nodes in reversed(hidden_layers):
        x = keras.layers.Dense(nodes, activation='relu',
                               kernel_initializer=init)(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid',
                                 kernel_initializer=init)(x)
    decoder = keras.Model(latent, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
