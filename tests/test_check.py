#!/usr/bin/env python3
"""`make check` (tools.check): wrong solutions, each this project's own
file with one mistake that learners really make, are each caught by the
check that names it and by no unrelated one; the correct files pass; a
hanging file is stopped within its limit; the learner's folder is never
changed; a folder with nothing to check gets one line and exit status 2.

Each folder holds up to one wrong file per task, so one run checks four
mistakes. Every wrong solution runs on TF 2.15 (where the exercise is
graded), the first folder on the other lines."""
import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, TF_VERSION

VANILLA, SPARSE = '0-vanilla.py', '1-sparse.py'
CONVOLUTIONAL, VARIATIONAL = '2-convolutional.py', '3-variational.py'
ENCODER_LOOP = """    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)"""

# name: (file, how it is made from ours, the checks that must fail, the
# notes that must be given). A change is a list of (old, new), each old
# text found once, or a function of the text.
WRONG = {
    'code-layer-sigmoid': (
        VANILLA, [("latent = keras.layers.Dense(latent_dims, "
                   "activation='relu')", "latent = keras.layers.Dense("
                   "latent_dims, activation='sigmoid')")], {'layers'}, set()),
    'l1-on-every-encoder-layer': (
        SPARSE, [(ENCODER_LOOP, ENCODER_LOOP.replace(
            "Dense(units, activation='relu')", "Dense(\n"
            "            units, activation='relu',\n"
            "            activity_regularizer=keras.regularizers.l1("
            "lambtha))"))], {'L1 on the code'}, set()),
    'same-padding-everywhere': (
        CONVOLUTIONAL, [("padding = 'valid' if i == len(filters) - 1 else "
                         "'same'", "padding = 'same'")], {'layers'}, set()),
    'vae-decodes-the-mean': (
        VARIATIONAL, [('decoder(encoder(inputs)[0])',
                       'decoder(encoder(inputs)[1])')],
        {'auto decodes z'}, set()),
    'prints-at-import': (
        VANILLA, lambda text: text + "\n\nprint('loaded')\n", {'quiet import'},
        set()),
    'named-sparse': (
        SPARSE, [('def autoencoder(', 'def sparse('),
                 ('\n\n\n# The spec\'s table of files calls this function '
                  'sparse, its task text and\n# main autoencoder: both names '
                  'lead to the same function\nsparse = autoencoder\n', '\n')],
        set(), {'function'}),
    'no-upsampling': (
        CONVOLUTIONAL, [('        x = keras.layers.UpSampling2D((2, 2))(x)\n',
                         '')], {'layers'}, set()),
    'vae-outputs-reordered': (
        VARIATIONAL, [("[z, mean, log_var], name='encoder'",
                       "[z, log_var, mean], name='encoder'")],
        {'encoder outputs'}, set()),
    'renamed-keyword': (
        VANILLA, lambda text: text.replace('hidden_layers', 'hidden'),
        {'keywords'}, set()),
    'crlf-line-endings': (
        SPARSE, lambda text: text.replace('\n', '\r\n'), {'line endings'},
        set()),
    'decoder-for-three-filters-only': (
        CONVOLUTIONAL, [("'valid' if i == len(filters) - 1 else 'same'",
                         "'valid' if i == 2 else 'same'")], {'layers'},
        set()),
    'kl-averaged': (
        VARIATIONAL, [('return reconstruction + kl',
                       'return reconstruction + kl / '
                       'backend.int_shape(batch_mean)[-1]')], {'loss'},
        set()),
    'syntax-error': (
        VANILLA, lambda text: text + '\n\ndef broken(:\n    pass\n',
        {'parses', 'pycodestyle'}, set()),
    'trains-at-import': (
        SPARSE, lambda text: text + '\nauto = autoencoder(4, [2], 1, 0.1)[2]\n'
        'auto.fit([[0.0] * 4], [[0.0] * 4], verbose=0)\n', {'import'},
        set()),
    'kl-counted-twice': (
        VARIATIONAL, [('return reconstruction + kl',
                       'return reconstruction + 2 * kl')], {'loss'}, set()),
    'exits-at-import': (
        CONVOLUTIONAL, lambda text: text + '\n\nraise SystemExit(3)\n',
        {'import'}, set()),
    'hangs-at-import': (
        VANILLA, lambda text: text + '\n\nwhile True:\n    pass\n',
        {'finishes'}, set()),
    'sampling-without-the-half': (
        VARIATIONAL, [('backend.exp(0.5 * log_var) * epsilon',
                       'backend.exp(log_var) * epsilon')], {'z spread'},
        set()),
    'l1-ten-times-lambtha': (
        SPARSE, [('regularizers.l1(lambtha)',
                  'regularizers.l1(10 * lambtha)')], {'L1 on the code'},
        set()),
}
# The folders, each holding at most one file per task
FOLDERS = [
    ['code-layer-sigmoid', 'l1-on-every-encoder-layer',
     'same-padding-everywhere', 'vae-decodes-the-mean'],
    ['prints-at-import', 'named-sparse', 'no-upsampling',
     'vae-outputs-reordered'],
    ['renamed-keyword', 'crlf-line-endings',
     'decoder-for-three-filters-only', 'kl-averaged'],
    ['syntax-error', 'trains-at-import', 'exits-at-import',
     'kl-counted-twice'],
    ['l1-ten-times-lambtha', 'sampling-without-the-half'],
]
# a file's checks are stopped after this many seconds
PATIENCE = 120


def wrong(name):
    """Returns (file, text) of wrong solution name, made from ours."""
    module, change, _, _ = WRONG[name]
    with open(os.path.join(ROOT, module), newline='') as source:
        text = source.read()
    if callable(change):
        return module, change(text)
    for old, new in change:
        assert text.count(old) == 1, (name, old)
        text = text.replace(old, new)
    return module, text


def solution(folder, names=None, modules=(VANILLA, SPARSE, CONVOLUTIONAL,
                                          VARIATIONAL)):
    """Writes into folder our files modules, or the wrong solutions names;
    returns folder."""
    os.makedirs(folder)
    files = [(module, None) for module in modules] if names is None \
        else [wrong(name) for name in names]
    for module, text in files:
        path = os.path.join(folder, module)
        if text is None:
            shutil.copy(os.path.join(ROOT, module), path)
        else:
            with open(path, 'w', newline='') as target:
                target.write(text)
        os.chmod(path, 0o755)
    return folder


def fingerprint(folder):
    """Returns the names, modes and SHA-256 of everything in folder."""
    found = []
    for top, folders, names in os.walk(folder):
        for name in sorted(folders + names):
            path = os.path.join(top, name)
            digest = ''
            if os.path.isfile(path):
                with open(path, 'rb') as source:
                    digest = hashlib.sha256(source.read()).hexdigest()
            found.append((path, os.stat(path).st_mode, digest))
    return sorted(found)


def check(folder, *options):
    """Runs `python -m tools.check folder --json` and options; returns
    (exit status, {file: findings}) or (status, output) without JSON."""
    process = subprocess.Popen(
        [sys.executable, '-m', 'tools.check', folder, '--json'] +
        list(options), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True)
    output, errors = process.communicate(timeout=900)
    if not output.strip().startswith('{'):
        return process.returncode, output + errors
    tasks = json.loads(output)['tasks']
    return process.returncode, {task['file']: task['findings']
                                for task in tasks}


def names_of(findings, status):
    """Returns the checks of findings with status, 'layers (...)' as
    'layers'."""
    return {item['check'].split(' (')[0] for item in findings
            if item['status'] == status}


FOLDER_IDS = ['folder{}'.format(i) for i in range(len(FOLDERS))]


@pytest.mark.parametrize('names', [
    pytest.param(names, marks=pytest.mark.skipif(
        i > 0 and TF_VERSION != (2, 15),
        reason='every wrong solution runs on TF 2.15, the first folder on '
        'every line')) for i, names in enumerate(FOLDERS)], ids=FOLDER_IDS)
def test_each_wrong_solution_is_caught_by_its_check_alone(names, tmpdir):
    """Each wrong file fails exactly the checks that name its mistake
    (notes likewise), with a sentence saying what was expected and found
    and why; the exit status is 1; the folder is unchanged."""
    folder = solution(str(tmpdir.join('solution')), names)
    before = fingerprint(folder)
    code, results = check(folder, '--quick',
                          '--patience={}'.format(PATIENCE))
    assert code == 1, results
    for name in names:
        module, _, fails, notes = WRONG[name]
        findings = results[module]
        assert names_of(findings, 'fail') == fails, (name, findings)
        assert names_of(findings, 'note') == notes, (name, findings)
        for item in findings:
            if item['status'] != 'ok':
                assert 'expected' in item['said'], item
                assert item['why'], item
    assert fingerprint(folder) == before


@pytest.mark.skipif(TF_VERSION != (2, 15),
                    reason='the limit is the checker\'s own, the same on '
                    'every line: tested on TF 2.15')
def test_a_hanging_file_is_stopped_within_its_limit(tmpdir):
    """The file that loops at import is stopped after its limit, and the
    finding says so, naming no other check."""
    import time
    folder = solution(str(tmpdir.join('solution')), ['hangs-at-import'])
    started = time.time()
    code, results = check(folder, '--quick', '--patience=10')
    assert time.time() - started < 10 + 60
    assert code == 1
    [stopped] = [item for item in results[VANILLA]
                 if item['status'] == 'fail']
    assert stopped['check'] == 'finishes'
    assert 'still running: stopped' in stopped['said']


@pytest.mark.skipif(TF_VERSION != (2, 15),
                    reason='the mains run beside ours on TF 2.15')
def test_the_correct_files_pass_every_check_with_their_mains(tmpdir):
    """This project's vanilla and variational files (the mains that train
    fastest), copied into a learner's folder: every check ok, the spec's
    mains included, exit status 0, and the folder exactly as it was (no
    bytecode, figures or models written). `make check SOLUTION=.` runs
    all four mains (docs/check.md)."""
    folder = solution(str(tmpdir.join('solution')),
                      modules=(VANILLA, VARIATIONAL))
    before = fingerprint(folder)
    code, results = check(folder)
    assert code == 0, results
    for module, findings in results.items():
        assert {item['status'] for item in findings} == {'ok'}, findings
        assert {'main', 'main prints', 'first loss'} <= \
            {item['check'] for item in findings}
    assert fingerprint(folder) == before


@pytest.mark.skipif(TF_VERSION == (2, 15),
                    reason='with the mains on TF 2.15')
def test_the_correct_files_pass_every_check(tmpdir):
    """This project's four files pass every check on this line."""
    folder = solution(str(tmpdir.join('solution')))
    code, results = check(folder, '--quick')
    assert code == 0, results
    for findings in results.values():
        assert {item['status'] for item in findings} == {'ok'}, findings


def test_nothing_to_check_is_one_line_and_status_2(tmpdir):
    """A missing folder, a file given as the folder, an empty folder, and
    one holding none of the four files: one clear line, status 2."""
    tmpdir.join('notes.txt').write('not a solution\n')
    tmpdir.join('empty').ensure(dir=True)
    for folder, said in ((str(tmpdir.join('missing')), 'must be a folder'),
                         (str(tmpdir.join('notes.txt')), 'must be a folder'),
                         (str(tmpdir.join('empty')), 'holds none of'),
                         (str(tmpdir), 'holds none of')):
        code, output = check(folder)
        assert code == 2 and said in output, output
        assert len(output.strip().splitlines()) == 1, output
