#!/usr/bin/env python3
"""Support code for the exercise's mains, tests, report and benchmark:
loading MNIST (data), seeding and run settings (runtime), showing or
saving figures (figures). The four exercise modules never use it."""
