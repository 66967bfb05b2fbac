#!/usr/bin/env python3
"""Task 0: trains the vanilla autoencoder on MNIST, prints the mean of
ten test digits' codes and shows them above their reconstructions."""
import numpy as np

from helpers import data, figures, live, runtime

autoencoder = __import__('0-vanilla').autoencoder

(x_train, _), (x_test, _) = data.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = x_train.reshape((-1, 784))
x_test = x_test.reshape((-1, 784))
runtime.seed(0)
encoder, decoder, auto = autoencoder(784, [128, 64], 32)
runtime.speed_up(auto)
live.watch('0-main', encoder, decoder, auto, x_test)
auto.fit(x_train, x_train, epochs=runtime.epochs(50), batch_size=256,
         shuffle=True, validation_data=(x_test, x_test))
encoded = encoder.predict(x_test[:10])
print(np.mean(encoded))
reconstructed = decoder.predict(encoded)
figures.originals_and_reconstructions(x_test[:10], reconstructed, '0-main')
