#!/usr/bin/env python3
"""Task 3: trains the variational autoencoder on MNIST, prints the means
and standard deviations of ten test digits' latent distributions, shows
the digits above their reconstructions, then decodes a 25 x 25 grid of
the 2-D latent plane over [-3, 3] x [-3, 3]."""
import numpy as np

from helpers import data, figures, live, runtime

autoencoder = __import__('3-variational').autoencoder

(x_train, _), (x_test, _) = data.load_data()
x_train = x_train.astype('float32') / 255.
x_test = x_test.astype('float32') / 255.
x_train = x_train.reshape((-1, 784))
x_test = x_test.reshape((-1, 784))
runtime.seed(0)
encoder, decoder, auto = autoencoder(784, [512], 2)
runtime.speed_up(auto)
live.watch('3-main', encoder, decoder, auto, x_test)
auto.fit(x_train, x_train, epochs=runtime.epochs(50), batch_size=256,
         shuffle=True, validation_data=(x_test, x_test))
encoded, mu, log_sig = encoder.predict(x_test[:10])
print(mu)
print(np.exp(log_sig / 2))
reconstructed = decoder.predict(encoded)
figures.originals_and_reconstructions(x_test[:10], reconstructed,
                                      '3-main-reconstructions')

l1 = np.linspace(-3, 3, 25)
l2 = np.linspace(-3, 3, 25)
L = np.stack(np.meshgrid(l1, l2, sparse=False, indexing='ij'), axis=2)
G = decoder.predict(L.reshape((-1, 2)), batch_size=125)
figures.grid(G, 25, 25, '3-main-manifold')
