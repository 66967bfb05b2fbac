#!/usr/bin/env python3
"""What the mains import, and nothing else: MNIST from the copy in data/
(data), seeding and run settings (runtime), and showing or saving their
figures (figures), each file written whole or not at all (files). The
four exercise modules never use it; the project's tools (tools/,
explorer/) build on it, never the other way. Importing it first sets
what makes TensorFlow fast on this CPU before TensorFlow starts
(settings), imports TensorFlow without its start-up noise (quiet), so a
main prints what the spec's mains print, then gives TensorFlow the
THREADS asked for before it runs anything (runtime). On TF 2, stderr then
goes through a pipe to a copier process that drops TensorFlow's noise,
and the progress bar prints one line an epoch where the output is not a
terminal; QUIET=0 leaves both alone."""
from helpers import settings

settings.choose()

from helpers import quiet  # noqa: E402  (after the settings, before TF)

quiet.setup()

from helpers import runtime  # noqa: E402  (after TensorFlow's quiet import)

runtime.use_threads()
