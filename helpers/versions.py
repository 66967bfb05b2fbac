#!/usr/bin/env python3
"""The TensorFlow this process runs, read once: its version, the line it
belongs to (the project's word for a TensorFlow release series it runs
on: TF 1.12, 1.15, 2.15, 2.21) and whether tf.keras is Keras 3 there.
Everything in the project that depends on the version asks here."""
import tensorflow as tf

# the version installed, as TensorFlow prints it: '2.15.1'
VERSION = tf.__version__
# its first two numbers, to compare: (2, 15)
NUMBERS = tuple(int(part) for part in VERSION.split('.')[:2])
# the line, as in folder names and logs: 'tf2.15'
LINE = 'tf{}.{}'.format(*NUMBERS)
# TF 1.x: graph mode, Keras 2.1/2.2 in tf.keras
TF_1 = NUMBERS < (2, 0)
# TF 2.16 and later: tf.keras is Keras 3 (.keras files, keras.ops, XLA)
KERAS_3 = NUMBERS >= (2, 16)
