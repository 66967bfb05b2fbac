#!/usr/bin/env python3
"""MNIST from the copy this project ships in data/mnist.npz, so nothing
needs the network; load_data() has the signature and return value of
tf.keras.datasets.mnist.load_data(). data/README.md gives the provenance
and licence of the file."""
import hashlib
import os
import zipfile

import numpy as np

PATH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))), 'data', 'mnist.npz')

# shape and sha256 of each array's bytes, as Keras' own copy has them
ARRAYS = {
    'x_train': ((60000, 28, 28), '741c988805d008ac6e4c904b69001ba1'
                                 '84c24b2c540a4ef403f4c71b676cf757'),
    'y_train': ((60000,), '1feba77c54802fa5339a11837ea4b286'
                          '6434b83314ec45192930f1df69120c13'),
    'x_test': ((10000, 28, 28), '6d87418db22cc8025d05968bec9bd5c3'
                                '932904b23485740db143a061a2c9d161'),
    'y_test': ((10000,), 'ddeff807876a9661a1110d45c266c862'
                         '39a3a1b7d37da0c3716a7a683c852ff5'),
}

RESTORE = ('restore it with `git checkout -- data/mnist.npz` (data/README.md '
           'says where it comes from)')


def load_data(path=None):
    """Returns (x_train, y_train), (x_test, y_test), the uint8 MNIST
    arrays, after checking each against its known shape and checksum.

    path: the .npz file to read, data/mnist.npz by default
    Raises FileNotFoundError if the file is missing, ValueError if it is
    not the MNIST that Keras ships.
    """
    path = PATH if path is None else path
    if not os.path.isfile(path):
        raise FileNotFoundError('MNIST file {} is missing: {}'
                                .format(path, RESTORE))
    try:
        with np.load(path) as archive:
            arrays = {name: archive[name] for name in ARRAYS}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ValueError('MNIST file {} is damaged ({}): {}'
                         .format(path, error, RESTORE))
    for name, (shape, sha256) in ARRAYS.items():
        array = arrays[name]
        digest = hashlib.sha256(np.ascontiguousarray(array).tobytes())
        if array.shape != shape or array.dtype != np.uint8 or \
                digest.hexdigest() != sha256:
            raise ValueError('MNIST file {} is damaged: its {} is not the '
                             'original array: {}'.format(path, name, RESTORE))
    return ((arrays['x_train'], arrays['y_train']),
            (arrays['x_test'], arrays['y_test']))
