#!/usr/bin/env python3
"""Sparse autoencoder"""
import tensorflow.keras as keras


def autoencoder(input_dims, hidden_layers, latent_dims, lambtha):
    """Creates a sparse autoencoder"""
    inputs = keras.Input(shape=(input_dims,))
    h1 = keras.layers.Dense(hidden_layers[0], activation='relu')(inputs)
    h2 = keras.layers.Dense(hidden_layers[1], activation='relu')(h1)
    code = keras.layers.Dense(
        latent_dims, activation='relu',
        activity_regularizer=keras.regularizers.l1(lambtha))(h2)
    encoder = keras.Model(inputs, code)

    latent = keras.Input(shape=(latent_dims,))
    d1 = keras.layers.Dense(hidden_layers[1], activation='relu')(latent)
    d2 = keras.layers.Dense(hidden_layers[0], activation='relu')(d1)
    outputs = keras.layers.Dense(input_dims, activation='sigmoid')(d2)
    decoder = keras.Model(latent, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
