#!/usr/bin/env python3
"""The explorer page: build.py (`make explore`, `python -m explorer.build`)
writes index.html here from the line's saved models, with page.html and
layers.js, the Keras layers in JavaScript; screenshot.png shows it."""
import helpers  # noqa: F401  (TensorFlow imported quietly, THREADS set)
