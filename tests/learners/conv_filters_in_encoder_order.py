#!/usr/bin/env python3
"""Convolutional autoencoder"""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Creates a convolutional autoencoder"""
    inputs = keras.Input(shape=input_dims)
    x = inputs
    for f in filters:
        x = keras.layers.Conv2D(f, (3, 3), padding='same',
                                activation='relu')(x)
        x = keras.layers.MaxPooling2D((2, 2), padding='same')(x)
    encoder = keras.Model(inputs, x)

    latent = keras.Input(shape=latent_dims)
    x = latent
    for i, f in enumerate(filters):
        padding = 'valid' if i == len(filters) - 1 else 'same'
        x = keras.layers.Conv2D(f, (3, 3), padding=padding,
                                activation='relu')(x)
        x = keras.layers.UpSampling2D((2, 2))(x)
    outputs = keras.layers.Conv2D(input_dims[-1], (3, 3), padding='same',
                                  activation='sigmoid')(x)
    decoder = keras.Model(latent, outputs)

    auto = keras.Model(inputs, decoder(encoder(inputs)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
