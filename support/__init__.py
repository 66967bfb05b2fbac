#!/usr/bin/env python3
"""Support code for the exercise's mains, tests, report, benchmark and
explorer: loading MNIST (data), seeding and run settings (runtime),
showing or saving figures (figures) and the rest. The four exercise
modules never use it. Importing it first imports TensorFlow without its
start-up noise (quiet), so a main prints what the spec's mains print,
then gives TensorFlow the THREADS asked for before it runs anything
(runtime)."""
from support import quiet

quiet.setup()

from support import runtime  # noqa: E402  (after TensorFlow's quiet import)

runtime.use_threads()
