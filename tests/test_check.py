#!/usr/bin/env python3
"""`make check` (tools.check) on wrong solutions: each fails or notes the
checks that name its mistake and no other, with the likely cause in the
learner's words and, for a crash, the learner's own file and line; a
fault never hides another; the correct files pass; a hanging file is
stopped within its limit; the learner's folder is never changed; a
folder with nothing to check gets one line and exit status 2.

Two kinds of wrong solution: whole files written the way learners write
them, in their own idioms (tests/learners/, IDIOMS), and this project's
own files with one mistake (CHANGES). Each folder holds up to one file
per task, so one run checks four. Every folder runs on TF 2.15 (where
the exercise is graded), the first on every line."""
import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from conftest import ROOT, TF_VERSION

VANILLA, SPARSE = '0-vanilla.py', '1-sparse.py'
CONVOLUTIONAL, VARIATIONAL = '2-convolutional.py', '3-variational.py'
LEARNERS = os.path.join(ROOT, 'tests', 'learners')
ENCODER_LOOP = """    for units in hidden_layers:
        x = keras.layers.Dense(units, activation='relu')(x)"""


class Wrong(object):
    """A wrong solution: its task file, the checks it must fail and note
    (no others), words its likely cause must hold, and the start of the
    crash it must name ('<file>:<line>: <Type>'), or None."""

    def __init__(self, file, fails, notes=(), cause=None, crash=None):
        """Keeps what is expected of it."""
        self.file, self.fails, self.notes = file, set(fails), set(notes)
        self.cause, self.crash = cause, crash


# Whole files in a learner's own style: tests/learners/<name>.py
IDIOMS = {
    'vanilla_summary': Wrong(VANILLA, {'quiet build'},
                             cause='model.summary()'),
    'sparse_by_index': Wrong(SPARSE, {'builds', 'layers'},
                             cause='counts on the spec\'s number',
                             crash='1-sparse.py:10: IndexError'),
    'conv_one_channel': Wrong(CONVOLUTIONAL, {'layers'},
                              cause='hard-coded channel count'),
    'conv_three_filters_by_hand': Wrong(
        CONVOLUTIONAL, {'layers'}, cause='written for three'),
    'conv_reverse_in_place': Wrong(
        CONVOLUTIONAL, {'arguments kept'}, cause='filters.reverse()'),
    'vae_exp_without_half': Wrong(VARIATIONAL, {'z spread'},
                                  cause='without the half'),
    'vae_kl_averaged': Wrong(VARIATIONAL, {'loss'},
                             cause='KL averaged over the latent axis'),
    'vae_add_loss': Wrong(VARIATIONAL, (), {'auto.layers', 'KL in the loss'},
                          cause='compute the KL inside'),
    'vae_sampling_layer_mean_first': Wrong(
        VARIATIONAL, {'encoder outputs'}, {'sampling layer'},
        cause='2024 page\'s log'),
    'vae_tf1_loss': Wrong(VARIATIONAL, {'metrics', 'loss'},
                          cause='TF 1 / Keras 2.2 idiom',
                          crash='3-variational.py:37: TypeError'),
    'vae_decoder_on_all_outputs': Wrong(
        VARIATIONAL, {'metrics', 'auto decodes z', 'loss'},
        cause='called on all three encoder outputs',
        crash='3-variational.py:31: ValueError'),
    # the short training and the mains run for these (FULL)
    'vanilla_he_normal': Wrong(VANILLA, (), {'untrained loss'},
                               cause='start from HeNormal'),
    'sparse_named_sparse': Wrong(SPARSE, (), {'function'},
                                 cause=None),
    'conv_filters_in_encoder_order': Wrong(
        CONVOLUTIONAL, {'layers'}, cause='encoder\'s order'),
    'vae_tuple_outputs': Wrong(VARIATIONAL, ()),
    'vae_epsilon_scaled': Wrong(VARIATIONAL, {'z spread'},
                                cause='0.2 times exp(log_var / 2)'),
    'vae_sampling_ops': Wrong(VARIATIONAL, (), {'sampling layer'},
                              cause='Lambda(sampling) around a function'),
    'vae_add_loss_averaged': Wrong(
        VARIATIONAL, {'loss', 'untrained loss', 'trained loss',
                      'first loss'}, {'auto.layers', 'KL in the loss'},
        cause='reconstruction averaged over the input\'s values'),
}
# This project's files with one mistake: name: (the change, as a list of
# (old, new) each found once in the file, or a function of its text)
CHANGES = {
    'code-layer-sigmoid': (VANILLA, [(
        "latent = keras.layers.Dense(latent_dims, activation='relu')",
        "latent = keras.layers.Dense(latent_dims, activation='sigmoid')")],
        Wrong(VANILLA, {'layers'}, cause='uses sigmoid')),
    'l1-on-every-encoder-layer': (SPARSE, [(ENCODER_LOOP, ENCODER_LOOP.replace(
        "Dense(units, activation='relu')", "Dense(\n"
        "            units, activation='relu',\n"
        "            activity_regularizer=keras.regularizers.l1("
        "lambtha))"))],
        Wrong(SPARSE, {'L1 on the code'}, cause='on 3 layers')),
    'same-padding-everywhere': (CONVOLUTIONAL, [(
        "padding = 'valid' if i == len(filters) - 1 else 'same'",
        "padding = 'same'")], Wrong(CONVOLUTIONAL, {'layers'})),
    'vae-decodes-the-mean': (VARIATIONAL, [(
        'decoder(encoder(inputs)[0])', 'decoder(encoder(inputs)[1])')],
        Wrong(VARIATIONAL, {'auto decodes z'}, cause='decodes the mean')),
    'prints-at-import': (VANILLA, lambda text: text + "\n\nprint('loaded')\n",
                         Wrong(VANILLA, {'quiet import'},
                               cause='top level')),
    'named-sparse': (SPARSE, [
        ('def autoencoder(', 'def sparse('),
        ('\n\n\n# The spec\'s table of files calls this function sparse, its '
         'task text and\n# main autoencoder: both names lead to the same '
         'function\nsparse = autoencoder\n', '\n')],
        Wrong(SPARSE, (), {'function'})),
    'no-upsampling': (CONVOLUTIONAL, [(
        '        x = keras.layers.UpSampling2D((2, 2))(x)\n', '')],
        Wrong(CONVOLUTIONAL, {'layers'})),
    'vae-outputs-reordered': (VARIATIONAL, [(
        "[z, mean, log_var], name='encoder'",
        "[z, log_var, mean], name='encoder'")],
        Wrong(VARIATIONAL, {'encoder outputs', 'loss'},
              cause='mean and log_var swapped')),
    'renamed-keyword': (VANILLA, lambda text: text.replace(
        'hidden_layers', 'hidden'), Wrong(VANILLA, {'keywords'})),
    'crlf-line-endings': (SPARSE, lambda text: text.replace('\n', '\r\n'),
                          Wrong(SPARSE, {'line endings'})),
    'decoder-for-three-filters-only': (CONVOLUTIONAL, [(
        "'valid' if i == len(filters) - 1 else 'same'",
        "'valid' if i == 2 else 'same'")],
        Wrong(CONVOLUTIONAL, {'layers'}, cause='written for three')),
    'syntax-error': (VANILLA, lambda text: text + '\n\ndef broken(:\n    '
                     'pass\n', Wrong(VANILLA, {'parses', 'pycodestyle'})),
    'trains-at-import': (SPARSE, lambda text: text + '\nauto = autoencoder('
                         '4, [2], 1, 0.1)[2]\nauto.fit([[0.0] * 4], [[0.0] * '
                         '4], verbose=0)\n', Wrong(SPARSE, {'import'},
                                                   cause='trains')),
    'kl-counted-twice': (VARIATIONAL, [('return reconstruction + kl',
                                        'return reconstruction + 2 * kl')],
                         Wrong(VARIATIONAL, {'loss'}, cause='counted twice')),
    'exits-at-import': (CONVOLUTIONAL, lambda text: text +
                        '\n\nraise SystemExit(3)\n',
                        Wrong(CONVOLUTIONAL, {'import'})),
    'hangs-at-import': (VANILLA, lambda text: text +
                        '\n\nwhile True:\n    pass\n',
                        Wrong(VANILLA, {'finishes'},
                              cause='importing 0-vanilla.py')),
    'allocates-at-import': (VANILLA, lambda text: text +
                            '\n\nbuffer = bytearray(16 << 30)\n',
                            Wrong(VANILLA, {'import'},
                                  cause='more memory than a grader gives')),
    'prints-a-lot-at-import': (SPARSE, lambda text: text + '\n\nfor _ in '
                               'range(300):\n    print("#" * 999999)\n',
                               Wrong(SPARSE, {'quiet import'},
                                     cause='top level')),
    'l1-ten-times-lambtha': (SPARSE, [('regularizers.l1(lambtha)',
                                       'regularizers.l1(10 * lambtha)')],
                             Wrong(SPARSE, {'L1 on the code'},
                                   cause='10 times lambtha')),
}
# The folders checked with --quick, each at most one file per task; the
# first on every line
FOLDERS = [
    ['vanilla_summary', 'sparse_by_index', 'conv_one_channel',
     'vae_exp_without_half'],
    ['code-layer-sigmoid', 'l1-on-every-encoder-layer',
     'same-padding-everywhere', 'vae-decodes-the-mean'],
    ['prints-at-import', 'named-sparse', 'no-upsampling',
     'vae-outputs-reordered'],
    ['renamed-keyword', 'crlf-line-endings', 'conv_reverse_in_place',
     'vae_sampling_layer_mean_first'],
    ['syntax-error', 'trains-at-import', 'exits-at-import',
     'kl-counted-twice'],
    ['allocates-at-import', 'l1-ten-times-lambtha',
     'decoder-for-three-filters-only', 'vae_tf1_loss'],
    ['prints-a-lot-at-import', 'conv_three_filters_by_hand',
     'vae_decoder_on_all_outputs'],
    ['vae_add_loss'],
    ['conv_filters_in_encoder_order', 'vae_tuple_outputs'],
    ['vae_epsilon_scaled'],
    ['vae_sampling_ops'],
]
# Checked in full: the short training and the spec's mains (the class of
# tests/test_class.py checks vae_kl_averaged)
FULL = ['vanilla_he_normal', 'sparse_named_sparse', 'vae_add_loss_averaged']
# a file's checks are stopped after this many seconds
PATIENCE = 120
# what the last check() wrote to stderr, and its JSON document
ERRORS, DOCUMENT = [], []
# our own mains' one-epoch output, run once for every check of the session
# (tools.check.runners.single.our_main keeps it there)
OURS = tempfile.mkdtemp(prefix='check-ours-')
atexit.register(shutil.rmtree, OURS, True)


def assert_scored_by_its_kind(name, scored):
    """A wrong file whose model is wrong in what its task teaches (a fail
    of a CORE check) keeps at most half its points; one whose faults are
    all conventions (TEXT) keeps 90% or more (tools.check.judge.score),
    but for a file that does not parse or has no function: nothing after
    such a fail can run, and it keeps nothing of the checks it stopped."""
    from tools.check.judge import score
    wrong = expected(name)
    entry = [entry for entry in scored['files']
             if entry['file'] == wrong.file][0]
    if wrong.fails & set(score.CORE):
        assert entry['points'] <= entry['max'] / 2, (name, entry)
    elif wrong.fails <= set(score.TEXT) and not wrong.fails & {
            'file', 'parses', 'function'}:
        assert entry['points'] >= entry['max'] * 0.9, (name, entry)


def expected(name):
    """Returns the Wrong of wrong solution name."""
    return IDIOMS[name] if name in IDIOMS else CHANGES[name][2]


def wrong(name):
    """Returns (file, text) of wrong solution name."""
    if name in IDIOMS:
        with open(os.path.join(LEARNERS, name + '.py')) as source:
            return IDIOMS[name].file, source.read()
    module, change, _ = CHANGES[name]
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


def check(folder, *options, **env):
    """Runs `python -m tools.check folder --json` and options; returns
    (exit status, {file: findings}) or (status, output) without JSON.
    What it wrote to stderr is kept in ERRORS."""
    process = subprocess.Popen(
        [sys.executable, '-m', 'tools.check', folder, '--json',
         '--ours=' + OURS] + list(options), cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True,
        env=dict(os.environ, **env))
    output, errors = process.communicate(timeout=900)
    ERRORS[:] = [errors]
    if not output.strip().startswith('{'):
        return process.returncode, output + errors
    document = json.loads(output)
    DOCUMENT[:] = [document]
    return process.returncode, {task['file']: task['findings']
                                for task in document['tasks']}


def names_of(findings, status):
    """Returns the checks of findings with status, a merged finding's
    checks ('optimizer, metrics') one by one."""
    return {name for item in findings if item['status'] == status
            for name in item['check'].split(', ')}


def assert_findings(name, findings, wanted=None):
    """Asserts that wrong solution name's findings are those expected
    (wanted, else its Wrong here): the fails and notes that name its
    mistake and no others, each said with what was expected and why, the
    likely cause and the crash's line where expected, every skipped check
    saying what it needs."""
    wanted = wanted or expected(name)
    assert names_of(findings, 'fail') == wanted.fails, (name, findings)
    assert names_of(findings, 'note') == wanted.notes, (name, findings)
    told = [item for item in findings if item['status'] in ('fail', 'note')]
    for item in told:
        assert 'expected' in item['said'] and item['why'], (name, item)
    for item in findings:
        if item['status'] == 'skipped':
            assert item['said'].startswith('needs'), (name, item)
    if wanted.cause:
        assert any(wanted.cause in item.get('cause', '') for item in told), \
            (name, told)
    if wanted.crash:
        assert any('raising ' + wanted.crash in item['said']
                   for item in told), (name, told)


# The verdict of every check on each wrong solution as the checker gave it
# before its judge was split from the code it judges (made by the checker
# of commit c0fa02a on TF 2.15, with --quick as here, FULL in full):
# {name: {check: [statuses]}}. The checks added since are ok or skipped
# where a file does not earn a fail there.
with open(os.path.join(LEARNERS, 'verdicts-before.json')) as source:
    BEFORE = json.load(source)
ADDED = {'computes', 'answers'}


def statuses(findings):
    """Returns {check: [its statuses]} of findings, merged ones split."""
    found = {}
    for item in findings:
        for check in item['check'].split(', '):
            found.setdefault(check, set()).add(item['status'])
    return {check: sorted(status) for check, status in found.items()}


def assert_as_before(name, findings):
    """Asserts that wrong solution name gets from every check that the
    checker had before the verdict it gave then (on TF 2.15, the line the
    verdicts were made on)."""
    if name not in BEFORE or TF_VERSION != (2, 15):
        return
    now, before = statuses(findings), BEFORE[name]
    for check in set(now) | set(before):
        if check in ADDED:
            assert set(now.get(check, [])) <= {'ok', 'skipped'} or \
                check in expected(name).fails, (name, check, now)
        else:
            assert now.get(check) == before.get(check), (
                name, check, now.get(check), before.get(check))


def assert_one_cause(name, findings):
    """Asserts that each cause of a wrong solution's fails and notes is
    one finding, and one row of the class page's mistakes: the KL added
    with add_loss, noted under auto.layers (TF 2) and under KL in the
    loss, is said once, naming both."""
    from tools.check.runners import classroom
    told = [item for item in findings if item['status'] in ('fail', 'note')]
    rows = classroom.mistakes({'learner': {'tasks': [
        {'file': expected(name).file, 'findings': findings}]}})
    assert len(rows) == len(told), (name, rows)
    if name.startswith('vae_add_loss'):
        [kl] = [row for row in rows if 'add_loss' in row[1]]
        assert set(kl[4]) == expected(name).notes & (
            {'auto.layers', 'KL in the loss'} if TF_VERSION >= (2, 0)
            else {'KL in the loss'}), (name, rows)


FOLDER_IDS = ['folder{}'.format(i) for i in range(len(FOLDERS))]


def runs_here(i):
    """Returns True where folder i of FOLDERS runs on this line: the first
    on every line, every one on TF 2.15."""
    return i == 0 or TF_VERSION == (2, 15)


@pytest.fixture(scope='module')
def folders_checked(tmpdir_factory):
    """The folders of FOLDERS this line runs, checked at once as a class
    two at a time (the class runs each as its own command, the single
    folder's: tools.check.runners.classroom), which on two cores takes
    about half the time of one after another: {folder id: (the folder's
    JSON document, its fingerprint before, after)}."""
    root = str(tmpdir_factory.mktemp('folders'))
    solutions = os.path.join(root, 'solutions')
    before = {}
    for i, names in enumerate(FOLDERS):
        if runs_here(i):
            folder = solution(os.path.join(solutions, FOLDER_IDS[i]), names)
            before[FOLDER_IDS[i]] = fingerprint(folder)
    out = os.path.join(root, 'out')
    # our own files' copies are checked unisolated where no sandbox can be
    # made here, as one folder's check is
    process = subprocess.run(
        [sys.executable, '-m', 'tools.check', '--class=' + solutions,
         '--out=' + out, '--jobs=2', '--quick',
         '--patience={}'.format(PATIENCE)], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=3600,
        env=dict(os.environ, CHECK_UNISOLATED='1'))
    found = {}
    for name in before:
        with open(os.path.join(out, name + '.json')) as source:
            found[name] = (json.load(source), before[name], fingerprint(
                os.path.join(solutions, name)))
    assert found, process.stdout
    return found


@pytest.mark.parametrize('names', [
    pytest.param(names, marks=pytest.mark.skipif(
        not runs_here(i),
        reason='every wrong solution runs on TF 2.15, the first folder on '
        'every line')) for i, names in enumerate(FOLDERS)], ids=FOLDER_IDS)
def test_each_wrong_solution_is_caught_by_its_check_alone(
        names, folders_checked):
    """Each wrong file fails or notes exactly the checks that name its
    mistake, with its likely cause and line; the folder's status is fail
    (ok where every mistake is a note); the report stays small whatever a
    file prints; the folder is unchanged."""
    document, before, after = folders_checked[
        FOLDER_IDS[FOLDERS.index(names)]]
    results = {task['file']: task['findings'] for task in document['tasks']}
    assert document['status'] == ('fail' if any(
        expected(name).fails for name in names) else 'ok'), results
    for name in names:
        assert_findings(name, results[expected(name).file])
        assert_as_before(name, results[expected(name).file])
        assert_one_cause(name, results[expected(name).file])
        assert_scored_by_its_kind(name, document['score'])
    # a file that prints 300 MB at import: the report stays small
    assert len(json.dumps(results)) < 100000
    assert after == before


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
        assert {'main', 'main prints', 'first loss', 'untrained loss',
                'trained loss', 'side effects'} <= names_of(findings, 'ok')
    assert fingerprint(folder) == before


def test_the_correct_files_pass_every_check(tmpdir):
    """This project's four files pass every check on this line (QUICK:
    on TF 2.15 the test above runs the mains too). The judge runs our
    models of each task in turn (computes), which on TF 2.15 retraces
    Keras's predict function and logs TensorFlow's retracing warning:
    nothing of the judge's reaches the terminal (stderr empty; its report
    alone on stdout). They score 100 of 100."""
    folder = solution(str(tmpdir.join('solution')))
    code, results = check(folder, '--quick')
    assert code == 0, results
    for findings in results.values():
        assert {item['status'] for item in findings} == {'ok'}, findings
    assert DOCUMENT[0]['score']['points'] == 100, DOCUMENT[0]['score']
    if TF_VERSION == (2, 15):
        assert ERRORS == [''], ERRORS


def test_the_loss_check_tells_each_mistake_apart_whatever_the_draw():
    """The VAE's loss check draws its mean, log_var, inputs and decoder
    output anew for each run: on every draw, the spec's loss and each
    mistake's loss (the KL missing, counted twice, averaged, read with
    mean and log_var swapped...) lie many tolerances apart, so no run
    passes a mistake or names the wrong one. Arithmetic alone, on
    thousands of draws made as the check makes them."""
    import numpy as np
    from tools.check.judge import variational
    closest = np.inf
    for seed in range(3000):
        rng = np.random.RandomState([seed, 3])
        mean, log_var = variational.draw_latent(rng)
        assert variational.kl_divergence(mean, log_var) >= 1
        sample = rng.rand(8, 20)
        output = 1 / (1 + np.exp(-rng.normal(0, 0.5, 20)))
        losses = [loss for loss, _ in variational.loss_kinds(
            variational.cross_entropy(sample, output), 20, mean, log_var)]
        for i, first in enumerate(losses):
            for second in losses[i + 1:]:
                closest = min(closest, abs(first - second) / max(
                    abs(first), abs(second)))
    # measured here: 0.0166; 1.5e-6 where the draw did not keep the KL
    # read swapped apart
    assert closest > 5 * variational.TOLERANCE, closest


def test_nothing_to_check_is_one_line_and_status_2(tmpdir, capsys):
    """A missing folder, a file given as the folder, an empty folder, and
    one holding none of the four files: one clear line, status 2 (the
    command line's main, run in this process)."""
    from tools.check import __main__ as command_line
    tmpdir.join('notes.txt').write('not a solution\n')
    tmpdir.join('empty').ensure(dir=True)
    for folder, said in ((str(tmpdir.join('missing')), 'must be a folder'),
                         (str(tmpdir.join('notes.txt')), 'must be a folder'),
                         (str(tmpdir.join('empty')), 'holds none of'),
                         (str(tmpdir), 'holds none of')):
        code = command_line.main([folder, '--json'])
        output = capsys.readouterr()
        assert code == 2 and said in output.err, output
        assert output.out == '' and len(output.err.splitlines()) == 1


def test_what_the_judge_runs_on_a_text_is_bounded(tmpdir, monkeypatch):
    """pycodestyle out of time is a finding that says so, never a
    traceback; a text nested deeper than the parser goes is a parses
    fail; the learner's folder is read as regular files alone, a folder
    or a pipe named as a task file a finding that says what it is."""
    from tools.check import TASKS
    from tools.check.judge import files
    path = str(tmpdir.join(VANILLA))
    shutil.copy(os.path.join(ROOT, VANILLA), path)
    monkeypatch.setattr(files, 'PATIENCE', 0.001)
    [style] = [item for item in files.file_checks(path, TASKS[0])[0]
               if item['check'] == 'pycodestyle']
    assert style['status'] == 'fail' and 'after the 0.001 s limit' in \
        style['said'], style
    with open(path, 'w') as target:
        target.write('x = ' + '(' * 100000 + ')' * 100000 + '\n')
    monkeypatch.setattr(files, 'PATIENCE', 120)
    found, parses = files.file_checks(path, TASKS[0])
    assert not parses and found[-1]['check'] == 'parses' and \
        found[-1]['status'] == 'fail', found[-1]
    learner = str(tmpdir.join('learner'))
    os.makedirs(os.path.join(learner, SPARSE))
    os.mkfifo(os.path.join(learner, CONVOLUTIONAL))
    shutil.copy(os.path.join(ROOT, VANILLA), learner)
    copied, refused = files.gather(learner, [VANILLA, SPARSE,
                                             CONVOLUTIONAL],
                                   str(tmpdir.join('copy')))
    assert list(copied) == [VANILLA]
    assert 'found a folder' in refused[SPARSE]['said']
    assert 'found a pipe' in refused[CONVOLUTIONAL]['said']
    # beside the task files, a few small Python files of theirs alone
    many = str(tmpdir.join('many'))
    os.makedirs(many)
    shutil.copy(os.path.join(ROOT, VANILLA), many)
    for number in range(files.OTHERS + 4):
        tmpdir.join('many', 'helper{:02d}.py'.format(number)).write(
            'x = 1\n')
    copied, refused = files.gather(many, [VANILLA],
                                   str(tmpdir.join('copy2')))
    assert sorted(os.listdir(str(tmpdir.join('copy2')))) == [VANILLA] + [
        'helper{:02d}.py'.format(number) for number in range(files.OTHERS)]


@pytest.mark.skipif(TF_VERSION != (2, 15),
                    reason='make check runs on TF 2.15, the graded line')
def test_make_check_says_the_checkers_own_status(tmpdir):
    """Through make, a failed check and a folder with nothing to check
    both end make with its own status 2, naming the checker's, Error 1
    and Error 2 (make exits 2 whenever a command fails: docs/check.md;
    where every check passes, the checker's 0 is make's); with
    FORMAT=json, stdout is the JSON alone."""
    wrong_folder = solution(str(tmpdir.join('wrong')), ['vanilla_summary'])
    tmpdir.join('empty').ensure(dir=True)
    for folder, status, said in ((wrong_folder, 2, 'Error 1'),
                                 (str(tmpdir.join('empty')), 2, 'Error 2')):
        process = subprocess.Popen(
            ['make', '--no-print-directory', 'check', 'SOLUTION=' + folder,
             'QUICK=1', 'TF=2.15'], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True)
        output = process.communicate(timeout=600)[0]
        assert process.returncode == status, output
        assert said in output.splitlines()[-1], output
    # FORMAT=json: the JSON alone on stdout, make's own words on stderr
    process = subprocess.Popen(
        ['make', '--no-print-directory', 'check', 'SOLUTION=' + wrong_folder,
         'QUICK=1', 'TF=2.15', 'FORMAT=json'], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True)
    output, errors = process.communicate(timeout=600)
    assert process.returncode == 2 and 'Error 1' in errors, errors
    assert json.loads(output)['status'] == 'fail', output
