#!/usr/bin/env python3
"""The project's own tools, each a `python -m tools.<name>` entry that
`make` calls: report (`make report`), sparsity (`make sparsity`), bench
(`make bench`), seed_logs (`make seed-logs`), browser (screenshots),
mutants (`make mutants`), check (`make check`, a package: its judge
questions a learner's code that runs in a sandbox); and what they share:
models (the spec's four configurations, saved models), training
(training a configuration as its main does), speed (timing, FLOP, the
CPU), charts (the report's figures) and runs (a main run as a learner
runs it). peers/ holds the same models on Keras 3 + JAX and on PyTorch,
scripts that their own environments' Pythons run for `make bench
PEERS=1`. They build on the mains' helpers, which are imported first, so
TensorFlow starts quiet."""
import helpers  # noqa: F401  (TensorFlow imported quietly, THREADS set)
