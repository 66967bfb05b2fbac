#!/usr/bin/env python3
"""Sparse autoencoder, named as the 2020 table of files names it"""
import tensorflow.keras as keras


def sparse(input_dims, hidden_layers, latent_dims, lambtha):
    """Creates a sparse autoencoder"""
    inputs = keras.Input(shape=(input_dims,))
    x = inputs
    for nodes in hidden_layers:
        x = keras.layers.Dense(nodes, activation='relu')(x)
    regularizer = keras.regularizers.l1(lambtha)
    code = keras.layers.Dense(latent_dims, activation='relu',
                              activity_regularizer=regularizer)(x)
    encoder = keras.Model(inputs, code)

    latent = keras.Input(shape=(latent_dims,))
    x = latent
    for nodes in reversed(hidden_layers):
        x = keras.layers.Dense(nodes, activation='relu')(x)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(x)
    decoder = keras.Model(latent, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
