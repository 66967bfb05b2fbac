#!/usr/bin/env python3
"""The configurations: the one table of the spec's four mains, which
every part of the project reads (the tools, the tests, the live view,
the explorer and make check). A configuration is one model as its main
trains it: the exercise module, the arguments its main passes to
autoencoder(), the epochs and the batch size. The mains themselves stay
the spec's own scripts; tests/test_conventions.py reads each main's
source and checks that it says what this table says. Standard library
alone: the peers' environments, which have no TensorFlow, read it too."""

# the spec's mains train on batches of this many digits
BATCH_SIZE = 256

# the VAE's latent means are drawn for this many test digits (the
# report's chart, the explorer's and the live view's latent planes)
LATENT_POINTS = 3000


class Configuration(object):
    """One of the spec's mains: the model's name, its exercise module and
    main, the arguments and epochs the main gives it, the numbers in its
    code and whether it takes images (28 x 28 x 1) instead of flat
    digits."""

    def __init__(self, name, module, main, arguments, epochs, code_size,
                 images=False):
        """Keeps the configuration's settings."""
        self.name = name
        self.module = module
        self.main = main
        self.arguments = arguments
        self.epochs = epochs
        self.code_size = code_size
        self.images = images

    def shape(self, digits):
        """Returns digits (n, 784) shaped as this model's input."""
        return digits.reshape((-1, 28, 28, 1) if self.images else (-1, 784))


CONFIGURATIONS = [
    Configuration('vanilla', '0-vanilla', '0-main',
                  (784, [128, 64], 32), 50, 32),
    Configuration('sparse', '1-sparse', '1-main',
                  (784, [128, 64], 32, 10e-6), 100, 32),
    Configuration('convolutional', '2-convolutional', '2-main',
                  ((28, 28, 1), [16, 8, 8], (4, 4, 8)), 50, 128, True),
    Configuration('variational', '3-variational', '3-main',
                  (784, [512], 2), 50, 2),
]
NAMES = [configuration.name for configuration in CONFIGURATIONS]


def configuration(name):
    """Returns the Configuration of model name (or of its module, or of
    its main); raises ValueError naming the known models otherwise."""
    for known in CONFIGURATIONS:
        if name in (known.name, known.module, known.main):
            return known
    raise ValueError('name must be one of {}, got {!r}'.format(NAMES, name))
