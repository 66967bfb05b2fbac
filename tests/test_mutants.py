#!/usr/bin/env python3
"""tools.mutants (`make mutants`): every mutant still applies to its
file, once; and on every line the cheapest of them, run as `make
mutants` runs them, are killed, so the habit of checking the suite
cannot rot. The whole list runs with `make mutants` (docs/testing.md
shows its table)."""
import os

import pytest

from conftest import TF_VERSION
from tools import mutants

# The cheapest mutants, each killed within a few seconds by its tests: the
# first two on every line, the third on TF 2.15 too
CHEAP = ['vae-decodes-the-mean', 'sparse-l1-on-the-last-hidden-layer',
         'vae-kl-variance-squared']


def test_every_mutant_applies_once_and_changes_its_file():
    """Each mutant's old texts stand once in its file (check() raises
    otherwise), and applying it changes the file; names are unique."""
    mutants.check()
    assert len(set(mutants.NAMES)) == len(mutants.NAMES) >= 15
    for known in mutants.MUTANTS:
        with open(os.path.join(mutants.ROOT, known.module)) as source:
            text = source.read()
        assert known.apply(text) != text
        assert all(os.path.exists(os.path.join(mutants.ROOT, test))
                   for test in known.tests)


def test_a_mutant_that_no_longer_applies_is_an_error():
    """A mutant whose text is gone from its file raises, naming it."""
    stale = mutants.Mutant('stale', '0-vanilla.py', [('no such text', 'x')],
                           ['tests/test_vanilla.py'])
    with pytest.raises(ValueError) as info:
        stale.apply('def autoencoder(): pass\n')
    assert 'stale' in str(info.value) and '0 times' in str(info.value)


@pytest.mark.parametrize('name', [
    pytest.param(name, marks=pytest.mark.skipif(
        i > 1 and TF_VERSION != (2, 15), reason='two mutants on every line, '
        'three on TF 2.15')) for i, name in enumerate(CHEAP)], ids=CHEAP)
def test_the_cheapest_mutants_are_killed(name):
    """A scratch copy with the mutant applied fails its tests, by a test
    of the file the mutant changed; the project's own files are left as
    they were."""
    known = mutants.mutant(name)
    path = os.path.join(mutants.ROOT, known.module)
    with open(path) as source:
        before = source.read()
    killed, by, _ = mutants.run(known)
    assert killed and by.startswith(tuple(known.tests)), by
    with open(path) as source:
        assert source.read() == before
