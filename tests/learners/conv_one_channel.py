#!/usr/bin/env python3
"""Convolutional autoencoder"""
import tensorflow.keras as keras


def autoencoder(input_dims, filters, latent_dims):
    """Creates a convolutional autoencoder"""
    input_img = keras.Input(shape=input_dims)
    x = input_img
    for f in filters:
        x = keras.layers.Conv2D(f, (3, 3), padding='same',
                                activation='relu')(x)
        x = keras.layers.MaxPooling2D((2, 2), padding='same')(x)
    encoder = keras.Model(input_img, x)

    input_latent = keras.Input(shape=latent_dims)
    x = input_latent
    for i in range(len(filters) - 1, 0, -1):
        x = keras.layers.Conv2D(filters[i], (3, 3), padding='same',
                                activation='relu')(x)
        x = keras.layers.UpSampling2D((2, 2))(x)
    x = keras.layers.Conv2D(filters[0], (3, 3), padding='valid',
                            activation='relu')(x)
    x = keras.layers.UpSampling2D((2, 2))(x)
    decoded = keras.layers.Conv2D(1, (3, 3), padding='same',
                                  activation='sigmoid')(x)
    decoder = keras.Model(input_latent, decoded)

    auto = keras.Model(input_img, decoder(encoder(input_img)))
    auto.compile(optimizer='adam', loss='binary_crossentropy')
    return encoder, decoder, auto
