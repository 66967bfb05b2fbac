#!/usr/bin/env python3
"""`make mutants`: does the suite fail when the project is wrong? Each
mutant is one small wrong change to an exercise file, of the kind that
keeps the model building and training (most keep every layer's class and
shape): the VAE decoding its mean, its KL dropped, doubled, averaged or
with exp(2 log_var), the sampling without the half, the L1 on the wrong
layer or ten times lambtha, a decoder stuck at its average output, the
convolutional decoder's filters in another order... Each is applied to
a scratch copy of the project and the tests that should catch it run
there; the table says, mutant by mutant, which test killed it, or that
it survived. Exit status 0 only where every mutant was killed.

    python -m tools.mutants [NAME ...]     (make mutants; TF=<line>)

A mutant's text must still stand in its file: one that no longer does
is an error (exit 2), so the list cannot drift from the files."""
import os
import re
import shutil
import sys
import tempfile
import time

from tools import runs

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What the scratch copy holds: copied, or linked where only read
COPIED = ('helpers', 'tools', 'tests', 'explorer')
LINKED = ('data', 'models')
# Seconds one mutant's tests may take before it counts as a hang
PATIENCE = 600

VANILLA, SPARSE = '0-vanilla.py', '1-sparse.py'
CONVOLUTIONAL, VARIATIONAL = '2-convolutional.py', '3-variational.py'


class Mutant(object):
    """One wrong change: its name, the file, the (old, new) replacements
    (each old text found once in the file) and the tests to run."""

    def __init__(self, name, module, changes, tests):
        """Keeps the mutant's settings."""
        self.name, self.module = name, module
        self.changes, self.tests = changes, tests

    def apply(self, text):
        """Returns text with the changes made; raises ValueError where an
        old text does not stand exactly once in it."""
        for old, new in self.changes:
            if text.count(old) != 1:
                raise ValueError('mutant {}: {!r} stands {} times in {}, '
                                 'not once'.format(self.name, old,
                                                   text.count(old),
                                                   self.module))
            text = text.replace(old, new)
        return text


MUTANTS = [
    Mutant('vae-decodes-the-mean', VARIATIONAL,
           [('decoder(encoder(inputs)[0])', 'decoder(encoder(inputs)[1])')],
           ['tests/test_variational.py']),
    Mutant('vae-kl-dropped', VARIATIONAL,
           [('return reconstruction + kl', 'return reconstruction + 0 * kl')],
           ['tests/test_variational.py']),
    Mutant('vae-kl-doubled', VARIATIONAL,
           [('return reconstruction + kl', 'return reconstruction + 2 * kl')],
           ['tests/test_variational.py']),
    Mutant('vae-kl-averaged-over-the-latent-axis', VARIATIONAL,
           [('kl = -0.5 * backend.sum(', 'kl = -0.5 * backend.mean(')],
           ['tests/test_variational.py']),
    Mutant('vae-kl-variance-squared', VARIATIONAL,
           [('- backend.exp(batch_log_var)',
             '- backend.exp(2 * batch_log_var)')],
           ['tests/test_variational.py']),
    Mutant('vae-sampling-without-the-half', VARIATIONAL,
           [('backend.exp(0.5 * log_var) * epsilon',
             'backend.exp(log_var) * epsilon')],
           ['tests/test_variational.py']),
    Mutant('vae-noise-uniform', VARIATIONAL,
           [('backend.random_normal(', 'backend.random_uniform(')],
           ['tests/test_variational.py']),
    Mutant('vae-outputs-reordered', VARIATIONAL,
           [("[z, mean, log_var], name='encoder'",
             "[z, log_var, mean], name='encoder'")],
           ['tests/test_variational.py']),
    Mutant('vae-log-var-relu', VARIATIONAL,
           [("Dense(latent_dims, name='log_var')",
             "Dense(latent_dims, activation='relu', name='log_var')")],
           ['tests/test_variational.py']),
    Mutant('sparse-l1-ten-times-lambtha', SPARSE,
           [('regularizers.l1(lambtha)', 'regularizers.l1(10 * lambtha)')],
           ['tests/test_sparse.py', 'tests/test_sparsity.py']),
    Mutant('sparse-l2-instead-of-l1', SPARSE,
           [('regularizers.l1(lambtha)', 'regularizers.l2(lambtha)')],
           ['tests/test_sparse.py', 'tests/test_sparsity.py']),
    Mutant('sparse-l1-on-the-last-hidden-layer', SPARSE,
           [("""    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)
    latent = keras.layers.Dense(
        latent_dims, activation='relu',
        activity_regularizer=keras.regularizers.l1(lambtha))(x)""",
             """    for units in hidden_layers:
        x = keras.layers.Dense(
            units, activation='relu',
            activity_regularizer=keras.regularizers.l1(lambtha))(x)
    latent = keras.layers.Dense(latent_dims, activation='relu')(x)""")],
           ['tests/test_sparse.py', 'tests/test_sparsity.py']),
    Mutant('vanilla-code-sigmoid', VANILLA,
           [("latent = keras.layers.Dense(latent_dims, activation='relu')",
             "latent = keras.layers.Dense(latent_dims, "
             "activation='sigmoid')")],
           ['tests/test_vanilla.py']),
    Mutant('vanilla-decoder-stuck-at-its-average', VANILLA,
           [("""    for units in reversed(hidden_layers):
        x = keras.layers.Dense(units, activation='relu')(x)""",
             """    for units in reversed(hidden_layers):
        x = keras.layers.Dense(units, activation='relu', trainable=False,
                               kernel_initializer='zeros')(x)""")],
           ['tests/test_vanilla.py']),
    Mutant('vanilla-sgd-instead-of-adam', VANILLA,
           [("optimizer='adam'", "optimizer='sgd'")],
           ['tests/test_vanilla.py']),
    Mutant('conv-decoder-filters-in-encoder-order', CONVOLUTIONAL,
           [('enumerate(reversed(filters))', 'enumerate(filters)')],
           ['tests/test_convolutional.py']),
    Mutant('conv-valid-padding-on-the-first-decoder-layer', CONVOLUTIONAL,
           [("'valid' if i == len(filters) - 1 else 'same'",
             "'valid' if i == 0 else 'same'")],
           ['tests/test_convolutional.py']),
    Mutant('conv-output-relu', CONVOLUTIONAL,
           [("padding='same',\n                                  "
             "activation='sigmoid')",
             "padding='same',\n                                  "
             "activation='relu')")],
           ['tests/test_convolutional.py']),
]
NAMES = [mutant.name for mutant in MUTANTS]


def mutant(name):
    """Returns the mutant called name; raises ValueError naming the
    known ones otherwise."""
    for known in MUTANTS:
        if known.name == name:
            return known
    raise ValueError('no mutant {!r}; the mutants: {}'.format(
        name, ', '.join(NAMES)))


def check():
    """Raises ValueError where a mutant's old text no longer stands once
    in its file."""
    for known in MUTANTS:
        with open(os.path.join(ROOT, known.module)) as source:
            known.apply(source.read())


def scratch():
    """Returns a fresh folder holding a copy of the project to mutate."""
    folder = tempfile.mkdtemp(prefix='mutant-')
    for name in os.listdir(ROOT):
        path = os.path.join(ROOT, name)
        if name.endswith('.py'):
            shutil.copy2(path, folder)
        elif name in COPIED:
            shutil.copytree(path, os.path.join(folder, name),
                            ignore=shutil.ignore_patterns('__pycache__'))
        elif name in LINKED:
            os.symlink(path, os.path.join(folder, name))
    return folder


def run(known):
    """Applies mutant known to a scratch copy and runs its tests there,
    stopping at the first failure; returns (killed, the failing test or
    what happened, seconds)."""
    folder = scratch()
    started = time.time()
    try:
        path = os.path.join(folder, known.module)
        with open(path) as source:
            text = known.apply(source.read())
        with open(path, 'w') as target:
            target.write(text)
        code, output = runs.run(
            ['-m', 'pytest', '-x', '-q', '-p', 'no:cacheprovider'] +
            known.tests, cwd=folder, patience=PATIENCE,
            PYTHONDONTWRITEBYTECODE='1')
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    seconds = time.time() - started
    if runs.hung(output):
        return True, 'hung: stopped after {} s'.format(PATIENCE), seconds
    if code == 0:
        return False, 'survived', seconds
    failed = re.findall(r'^FAILED (\S+)', output, re.MULTILINE)
    if failed:
        return True, failed[0], seconds
    errors = re.findall(r'^ERROR (\S+)', output, re.MULTILINE)
    return True, 'error: ' + (errors[0] if errors else
                              output.strip().splitlines()[-1]), seconds


def main(arguments):
    """Runs the mutants named (all by default) and prints the table;
    returns 0 where every one was killed, 1 where one survived, 2 for a
    mutant that no longer applies."""
    from helpers import versions
    from tools import speed
    try:
        check()
        chosen = [mutant(name) for name in arguments] or MUTANTS
    except ValueError as error:
        print('make mutants:', error, file=sys.stderr)
        return 2
    print('mutants on TensorFlow', versions.VERSION + ',', speed.cpu())
    print('| mutant | file | killed by | s |')
    print('| --- | --- | --- | --- |')
    survived = 0
    for known in chosen:
        killed, by, seconds = run(known)
        survived += not killed
        print('| {} | {} | {} | {:.0f} |'.format(
            known.name, known.module, by if killed else '**survived**',
            seconds))
        sys.stdout.flush()
    print('{} of {} mutants killed'.format(len(chosen) - survived,
                                           len(chosen)))
    return 1 if survived else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
