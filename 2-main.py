#!/usr/bin/env python3
"""Task 2: trains the convolutional autoencoder on MNIST, prints the
mean of ten test digits' codes and shows them above their
reconstructions."""
import numpy as np

from helpers import data, figures, live, runtime

autoencoder = __import__('2-convolutional').autoencoder

(x_train, _), (x_test, _) = data.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = np.expand_dims(x_train, axis=3)
x_test = np.expand_dims(x_test, axis=3)
print(x_train.shape)
print(x_test.shape)
runtime.seed(0)
encoder, decoder, auto = autoencoder((28, 28, 1), [16, 8, 8], (4, 4, 8))
runtime.speed_up(auto)
live.watch('2-main', encoder, decoder, auto, x_test)
auto.fit(x_train, x_train, epochs=runtime.epochs(50), batch_size=256,
         shuffle=True, validation_data=(x_test, x_test))
encoded = encoder.predict(x_test[:10])
print(np.mean(encoded))
reconstructed = decoder.predict(encoded)[:, :, :, 0]
figures.originals_and_reconstructions(x_test[:10, :, :, 0], reconstructed,
                                      '2-main')
