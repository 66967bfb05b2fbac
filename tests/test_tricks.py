#!/usr/bin/env python3
"""make check against a learner trying their luck (tools.check.judge.judging):
files, written as such a learner would (tests/learners/trick_*.py), that
rewrite the verdict at exit, write a verdict and leave at import,
replace numpy, json and Keras functions, print what looks like the
channel's messages, write a huge or forged answer on the channel, start
a great many processes, or read another learner's file, the grader's
home and this project's reference. Each gets the honest verdict on its
real fault and, where the attempt is seen, a fail naming it; nothing it
tried to read shows in any output. Run on TF 2.15, where the exercise is
graded: the judge and the sandbox are the same code on every line."""
import json
import os
import shutil
import site
import subprocess
import sys
import tempfile
import time

import pytest

from conftest import ROOT, TF_VERSION
from helpers import variables
from test_check import (CONVOLUTIONAL, LEARNERS, SPARSE, VANILLA,
                        VARIATIONAL, Wrong, assert_findings, check,
                        fingerprint, names_of)
from tools.check.judge import diagnoses
from tools.check.runners import sandbox

graded_line = pytest.mark.skipif(
    TF_VERSION != (2, 15), reason='the judge and the sandbox are the same '
    'code on every line: tested on TF 2.15, where the exercise is graded')
TRICKS = {
    'trick_vanilla_prints_verdicts': Wrong(
        VANILLA, {'quiet import', 'layers'}, cause='uses sigmoid'),
    'trick_sparse_writes_the_channel': Wrong(
        SPARSE, {'answers'}, cause='wrote to the judge\'s channel'),
    'trick_conv_forges_an_answer': Wrong(
        CONVOLUTIONAL, {'answers'}, cause='wrote to the judge\'s channel'),
    'trick_vae_atexit_rewrites_verdict': Wrong(
        VARIATIONAL, {'auto decodes z', 'side effects'},
        cause='auto decodes the mean'),
    'trick_vae_verdict_then_exit': Wrong(
        VARIATIONAL, {'finishes', 'side effects'}, cause='os._exit()'),
    'trick_vae_patches_numpy_json_keras': Wrong(
        VARIATIONAL, {'auto decodes z'}, cause='auto decodes the mean'),
}
FOLDERS = [
    ['trick_vanilla_prints_verdicts', 'trick_sparse_writes_the_channel',
     'trick_conv_forges_an_answer', 'trick_vae_atexit_rewrites_verdict'],
    ['trick_vae_verdict_then_exit'],
    ['trick_vae_patches_numpy_json_keras'],
]


def tricks(folder, names):
    """Writes the trick files names into folder, each under its task's
    name; returns folder."""
    os.makedirs(folder)
    for name in names:
        path = os.path.join(folder, TRICKS[name].file)
        shutil.copy(os.path.join(LEARNERS, name + '.py'), path)
        os.chmod(path, 0o755)
    return folder


@graded_line
@pytest.mark.parametrize('names', FOLDERS,
                         ids=['channel-and-exit', 'leaves', 'patches'])
def test_each_trick_gets_the_honest_verdict(names, tmpdir):
    """Each trick fails the checks of its real fault and those naming the
    attempt, and no other; the exit status is 1; the folder is as it
    was. The verdict file the atexit hook rewrites, the one written at
    import, the functions replaced and the forged answers change
    nothing the judge decides."""
    folder = tricks(str(tmpdir.join('solution')), names)
    before = fingerprint(folder)
    code, results = check(folder, '--quick', '--patience=120')
    assert code == 1, results
    for name in names:
        assert_findings(name, results[TRICKS[name].file], TRICKS[name])
    assert fingerprint(folder) == before
    if 'trick_vae_atexit_rewrites_verdict' in names:
        [effects] = [item for item in results[VARIATIONAL]
                     if item['check'] == 'side effects']
        assert 'findings.json' in effects['said']
    if 'trick_sparse_writes_the_channel' in names:
        [answers] = [item for item in results[SPARSE]
                     if item['check'] == 'answers']
        assert 'an answer of 1099511627776 bytes' in answers['said']


def reader(paths):
    """Returns a right vanilla file, a learner's, that prints at import
    each of paths, or why it could not."""
    with open(os.path.join(LEARNERS, 'vanilla_summary.py')) as source:
        text = source.read().replace('    auto.summary()\n', '')
    return text + '''

for path in [
        {},  # noqa
]:
    try:
        with open(path) as source:
            print(source.read())
    except OSError as error:
        print('could not read', path, error)
'''.format(',  # noqa\n        '.join(repr(path) for path in paths))


@graded_line
def test_a_file_that_reads_outside_its_folder_learns_nothing(tmpdir):
    """A class of three in a home folder: mallory's right vanilla file
    prints, at import, alice's file (beside its own folder), a secret in
    the grader's home folder, and this project's reference module and
    checker. The sandbox shows it none of them: no word of any shows in
    mallory's report, text or JSON, in the class's JSONs, table or page;
    the print is a fail, and the reads are named (Python 3.8 and
    later). trudy's folder is a link to the grader's home: it is a row
    that says so, and nothing it points to is read."""
    token = 'secret-{}-{}'.format(os.getpid(), int(time.time()))
    home = os.path.expanduser('~')
    classroom = tempfile.mkdtemp(dir=home, prefix='.check-class-')
    secret = os.path.join(home, '.check-secret-{}'.format(os.getpid()))
    try:
        with open(secret, 'w') as target:
            target.write('home ' + token + '\n')
        alice = os.path.join(classroom, 'alice')
        os.makedirs(alice)
        with open(os.path.join(ROOT, VANILLA)) as source:
            ours = source.read()
        with open(os.path.join(alice, VANILLA), 'w') as target:
            target.write(ours + '# alice ' + token + '\n')
        os.chmod(os.path.join(alice, VANILLA), 0o755)
        ours_words = ours.splitlines()[1]
        with open(os.path.join(ROOT, 'tools', 'check', '__init__.py')) as \
                source:
            checker_words = [line for line in source.read().splitlines()
                             if line.startswith('UNTRAINED')][0]
        mallory = os.path.join(classroom, 'mallory')
        os.makedirs(mallory)
        # trudy's folder is a link to the grader's home: never followed
        os.symlink(home, os.path.join(classroom, 'trudy'))
        paths = [os.path.join(mallory, '..', 'alice', VANILLA), secret,
                 os.path.join(ROOT, VANILLA),
                 os.path.join(ROOT, 'tools', 'check', '__init__.py')]
        with open(os.path.join(mallory, VANILLA), 'w') as target:
            target.write(reader(paths))
        os.chmod(os.path.join(mallory, VANILLA), 0o755)
        code, results = check(mallory, '--quick', '--patience=120')
        text = subprocess.run(
            [sys.executable, '-m', 'tools.check', mallory, '--quick'],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=600).stdout
        out = str(tmpdir.join('out'))
        table = subprocess.run(
            [sys.executable, '-m', 'tools.check', '--class=' + classroom,
             '--out=' + out, '--quick', '--jobs=2'], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            universal_newlines=True, timeout=900).stdout
    finally:
        shutil.rmtree(classroom, ignore_errors=True)
        os.remove(secret)
    assert code == 1, results
    fails = names_of(results[VANILLA], 'fail')
    assert fails == ({'quiet import', 'side effects'}
                     if sys.version_info >= (3, 8) else {'quiet import'})
    [quiet] = [item for item in results[VANILLA]
               if item['check'] == 'quiet import']
    assert 'could not read' in quiet['said']
    if sys.version_info >= (3, 8):
        [effects] = [item for item in results[VANILLA]
                     if item['check'] == 'side effects']
        assert 'reading ' + secret in effects['said']
    outputs = [json.dumps(results), text, table]
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name)) as source:
            outputs.append(source.read())
    assert any(name.endswith('.html') for name in os.listdir(out))
    with open(os.path.join(out, 'trudy.json')) as source:
        trudy = json.load(source)
    assert trudy['status'] == 'error' and trudy['tasks'] == []
    assert 'folder is a symbolic link' in trudy['error']
    assert 'trudy' in table
    for output in outputs:
        for words in (token, ours_words, checker_words):
            assert words not in output


SLEEPER = 'sleep 349'


def sleepers():
    """Returns the pids of processes running SLEEPER."""
    found = subprocess.run(['pgrep', '-f', SLEEPER], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.split()
    return [int(pid) for pid in found]


@graded_line
@pytest.mark.skipif(not (sandbox.bwrap() and sandbox.Group.works()),
                    reason='without a cgroup and a sandbox, two thousand '
                    'processes would really start')
def test_a_file_that_starts_many_processes_is_held(tmpdir):
    """A right vanilla file that starts two thousand sleepers at import:
    a few hundred start at most (the cgroup's count), the check ends
    with a fail that names them, and none is left running."""
    folder = str(tmpdir.join('solution'))
    os.makedirs(folder)
    shutil.copy(os.path.join(LEARNERS, 'trick_vanilla_starts_many_'
                             'processes.py'), os.path.join(folder, VANILLA))
    os.chmod(os.path.join(folder, VANILLA), 0o755)
    try:
        code, results = check(folder, '--quick', '--patience=120')
        assert code == 1, results
        assert sleepers() == []
    finally:
        for pid in sleepers():
            os.kill(pid, 9)
    told = [item for item in results[VANILLA] if item['status'] == 'fail']
    assert told, results
    [effects] = [item for item in told if item['check'] == 'side effects']
    assert 'starting a process' in effects['said']


def test_a_crash_with_no_frame_of_theirs_names_their_auto_line(tmpdir):
    """A decoder called on the encoder's whole output, raised inside
    Keras with no frame in the learner's file, written as two lines
    (encoded = encoder(inputs); decoder(encoded)): the finding names the
    line that calls the decoder."""
    path = str(tmpdir.join(VARIATIONAL))
    with open(path, 'w') as target:
        target.write('import tensorflow.keras as keras\n\n\n'
                     'def decoder_of(latent):\n    """A decoder"""\n'
                     '    return latent\n\n\n'
                     'encoded = encoder(inputs)\n'
                     'auto = keras.Model(inputs, decoder(encoded))\n')
    line, cause = diagnoses.from_error({
        'type': 'ValueError', 'frames': [['/keras/engine/functional.py', 9]],
        'message': 'Layer "decoder" expects 1 input(s), but it received 3 '
                   'input tensors.'}, [path])
    assert line.startswith('3-variational.py:10: ValueError'), line
    assert 'all three encoder outputs' in cause


@graded_line
@pytest.mark.skipif(not sandbox.bwrap() and not variables.get('CI'),
                    reason='no working sandbox: apt-get install bubblewrap')
def test_a_file_that_takes_the_machine_changes_nothing(tmpdir):
    """A folder of a learner trying to take the grading machine:
    0-vanilla.py remounts site-packages and its own folder writable,
    plants a .pth that would run at the grader's next start, writes
    beside itself, makes a disk's device node, writes into its cgroups
    through /sys, asks for a user namespace, then fills the disk;
    1-sparse.py is a link to a secret in the grader's home; and
    2-convolutional.py is 200 MB. Verdict: the import stopped at the
    disk limit (64 MB here) on its line, the attempts named, the link
    and the size each a finding that reads nothing of them. Nothing
    changed: no .pth in any site-packages, none ran, the folder is as
    it was, the machine's /tmp has nothing new and its disk did not fill
    by what was written."""
    token = 'secret-{}-{}'.format(os.getpid(), int(time.time()))
    secret = os.path.join(os.path.expanduser('~'),
                          '.check-secret-{}'.format(os.getpid()))
    escaped = os.path.join(os.path.expanduser('~'), 'ESCAPED')
    folder = str(tmpdir.join('solution'))
    os.makedirs(folder)
    shutil.copy(os.path.join(LEARNERS, 'trick_vanilla_takes_the_'
                             'machine.py'), os.path.join(folder, VANILLA))
    os.chmod(os.path.join(folder, VANILLA), 0o755)
    os.symlink(secret, os.path.join(folder, SPARSE))
    with open(os.path.join(folder, CONVOLUTIONAL), 'wb') as big:
        big.truncate(200 << 20)
    tmp = tempfile.gettempdir()
    listed, free = set(os.listdir(tmp)), os.statvfs(tmp)
    try:
        with open(secret, 'w') as target:
            target.write(token + '\n')
        before = fingerprint(folder)
        started = time.time()
        code, results = check(folder, '--quick', '--patience=120',
                              '--disk=64M')
        took = time.time() - started
        text = subprocess.run(
            [sys.executable, '-m', 'tools.check', folder, '--quick',
             '--disk=64M'], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True,
            timeout=600).stdout
        planted = [path for path in site.getsitepackages() + [
            site.getusersitepackages()]
            if os.path.exists(os.path.join(path, 'zz-grade.pth'))]
        subprocess.check_call([sys.executable, '-c', 'pass'])
        assert planted == [] and not os.path.exists(escaped)
        assert fingerprint(folder) == before
    finally:
        os.remove(secret)
    assert code == 1, results
    assert set(os.listdir(tmp)) - listed == set()
    now = os.statvfs(tmp)
    assert now.f_bavail * now.f_frsize > \
        free.f_bavail * free.f_frsize - (32 << 20)
    assert names_of(results[VANILLA], 'fail') == (
        {'imports', 'import', 'side effects'}
        if sys.version_info >= (3, 8) else {'imports', 'import'})
    [imported] = [item for item in results[VANILLA]
                  if item['check'] == 'import']
    assert 'expected it to run within the 64 MB disk limit, found it ' \
        'stopped at that limit while importing 0-vanilla.py ' \
        '(0-vanilla.py:66: OSError' in imported['said'], imported
    if sys.version_info >= (3, 8):
        [effects] = [item for item in results[VANILLA]
                     if item['check'] == 'side effects']
        assert 'calling C directly' in effects['said']
        assert 'cgroup.procs' in effects['said']
    for name, words in ((SPARSE, 'found a symbolic link'),
                        (CONVOLUTIONAL, 'found 200 MB')):
        assert [(item['check'], item['status']) for item in results[
            name]] == [('file', 'fail'), ('module', 'skipped')], results
        assert words in results[name][0]['said']
    assert took < 120, took
    for output in (json.dumps(results), text):
        assert token not in output and secret not in output
