#!/usr/bin/env python3
"""What runs inside the sandbox, beside the learner's code, as nobody:
our only programs there, each shown alone in the sandbox (/check/...)
and run as a script, so they import the standard library, numpy and
TensorFlow alone, never the judge nor the runners (tests/
test_conventions.py asserts it).

- answer: imports the learner's task module as a grader does and answers
  the judge's questions about what it builds, as plain data over a
  channel of its own; it holds no reference and no verdict. The judge
  imports it for the channel's framing and for describe_model, so that
  our models and the learner's are described by the same code.
- mains: runs the spec's mains of one learner, one forked child each,
  from one process that imported TensorFlow once."""
