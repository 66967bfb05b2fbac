#!/usr/bin/env python3
"""make gradescope (tools.check.runners.gradescope) as Gradescope runs
it, under a simulated root (AUTOGRADER_ROOT) of the test's own: the zip
built (QUICK=1), unzipped into its source/ as unzip does (modes and
times kept), setup.sh run there as root, then run_autograder on four
uploads: our task files in a folder of the upload, a wrong solution
(two wrong files and a link), a file that writes its own verdict where
Gradescope reads it, and an upload with no task file. Each
results.json is held to the keys and types of Gradescope's
specification (tests/test_score.assert_results). The verdict file runs
again in a stand-in for a container where no sandbox can be made
(tests/test_sandbox.in_container). setup.sh finds what it installs
present here (make, bwrap, setpriv, Python 3.9) and the TF 2.15
environment made (linked from this project's, as an image layer would
keep it): its install steps themselves need Ubuntu and the network. On
TF 2.15, the line the autograder runs."""
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import ROOT, TF_VERSION
from test_check import wrong
from test_sandbox import contained_python, in_container, needs_sandbox
from test_score import assert_results
from tools.check import FILES

pytestmark = [
    pytest.mark.skipif(TF_VERSION != (2, 15), reason='the autograder runs '
                       'TF 2.15, where the exercise is graded; its results '
                       'are tested on every line (test_score)'),
    pytest.mark.skipif(os.geteuid() != 0, reason='Gradescope runs setup.sh '
                       'and run_autograder as root')]
VANILLA, SPARSE, CONVOLUTIONAL, VARIATIONAL = FILES


def unzip(path, place):
    """Extracts the zip at path into place as unzip does: each file's
    mode and time kept."""
    with zipfile.ZipFile(path) as archive:
        for entry in archive.infolist():
            target = archive.extract(entry, place)
            mode = entry.external_attr >> 16
            if mode:
                os.chmod(target, mode & 0o7777)
            stamp = time.mktime(entry.date_time + (0, 0, -1))
            os.utime(target, (stamp, stamp))


@pytest.fixture(scope='module')
def autograder(tmpdir_factory):
    """The zip built, unzipped and set up under a root of our own:
    (the root, the environment its scripts run in, the zip's names)."""
    work = str(tmpdir_factory.mktemp('gradescope'))
    subprocess.check_call([sys.executable, '-m',
                           'tools.check.runners.gradescope', 'build',
                           os.path.join(work, 'out'), '--quick'], cwd=ROOT)
    path = os.path.join(work, 'out', 'autograder.zip')
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    root = os.path.join(work, 'autograder')
    source = os.path.join(root, 'source')
    unzip(path, source)
    os.makedirs(os.path.join(source, '.venv'))
    os.symlink(os.path.join(ROOT, '.venv', 'tf2.15'),
               os.path.join(source, '.venv', 'tf2.15'))
    env = dict(os.environ, AUTOGRADER_ROOT=root)
    setup = subprocess.run(['bash', 'setup.sh'], cwd=source, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=600)
    assert setup.returncode == 0, setup.stdout
    return root, env, names


def grade(autograder, files):
    """Runs run_autograder on an upload of files ({path in the upload:
    text, None for ours, or ('link', target)}); returns results.json."""
    root, env, _ = autograder
    upload(root, files)
    run = subprocess.run(['bash', os.path.join(root, 'source',
                                               'run_autograder')],
                         cwd=root, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, universal_newlines=True,
                         timeout=900)
    assert run.returncode == 0, run.stdout
    return results_of(root)


def results_of(root):
    """Returns the results.json under root, held to the specification."""
    with open(os.path.join(root, 'results', 'results.json')) as source:
        result = json.load(source)
    assert_results(result)
    return result


def upload(root, files):
    """Makes root's submission folder hold files alone (as grade has
    them) and its results folder absent."""
    submission = os.path.join(root, 'submission')
    shutil.rmtree(submission, ignore_errors=True)
    shutil.rmtree(os.path.join(root, 'results'), ignore_errors=True)
    os.makedirs(submission)
    for name, text in files.items():
        path = os.path.join(submission, name)
        if not os.path.isdir(os.path.dirname(path)):
            os.makedirs(os.path.dirname(path))
        if isinstance(text, tuple):
            os.symlink(text[1], path)
            continue
        if text is None:
            shutil.copy(os.path.join(ROOT, os.path.basename(name)), path)
        else:
            with open(path, 'w') as target:
                target.write(text)
        os.chmod(path, 0o755)


def named_tests(result):
    """Returns {test's name: test} of a results.json."""
    return {test['name']: test for test in result['tests']}


def test_the_zip_holds_the_scripts_at_its_root(autograder):
    """setup.sh and run_autograder at the zip's root (executable), the
    reference modules, mains, helpers, tools and data beside them."""
    root, _, names = autograder
    for name in ['setup.sh', 'run_autograder', 'Makefile',
                 'requirements/tf2.15.txt', 'data/mnist.npz',
                 'helpers/data.py', 'tools/check/__main__.py',
                 'gradescope.json'] + FILES:
        assert name in names
    assert not any('__pycache__' in name for name in names)
    for script in ('setup.sh', 'run_autograder'):
        assert os.access(os.path.join(root, 'source', script), os.X_OK)


def test_our_files_score_full_marks_wherever_they_are(autograder):
    """Our four task files in a folder of the upload: every test passed,
    100 of 100, the output naming that folder."""
    result = grade(autograder, {'autoencoders/' + name: None
                                for name in FILES})
    assert result['score'] == 100.0, result['output']
    assert all(test['status'] == 'passed' for test in result['tests'])
    assert sum(test['max_score'] for test in result['tests']) == \
        pytest.approx(100, abs=0.05)
    assert 'checked the task files in autoencoders' in result['output']
    assert result['output'].startswith('make check on TensorFlow 2.15')


def test_a_wrong_solution_loses_what_it_got_wrong(autograder):
    """A summary printed in 0-vanilla.py, the KL averaged in
    3-variational.py, 1-sparse.py a link: those tests failed, saying what
    was found and the likely cause; the absent file's tests not checked;
    the score the tests' sum."""
    result = grade(autograder, {
        VANILLA: wrong('vanilla_summary')[1],
        VARIATIONAL: wrong('vae_kl_averaged')[1],
        SPARSE: ('link', os.path.join(ROOT, SPARSE))})
    tests = named_tests(result)
    quiet = tests['0-vanilla.py: quiet build']
    assert quiet['status'] == 'failed' and quiet['score'] == 0
    assert 'model.summary()' in quiet['output']
    loss = tests['3-variational.py: loss']
    assert loss['status'] == 'failed' and \
        'KL averaged over the latent axis' in loss['output']
    link = tests['1-sparse.py: file']
    assert link['status'] == 'failed' and 'symbolic link' in link['output']
    assert tests['2-convolutional.py: layers']['output'].startswith(
        'not checked')
    assert tests['0-vanilla.py: layers']['status'] == 'passed'
    assert 0 < result['score'] < 50
    assert result['score'] == pytest.approx(sum(
        test['score'] for test in result['tests']), abs=0.05)


# a task file that writes its own verdict where Gradescope reads it, at
# import and again at exit
FORGES = """

import atexit as _atexit
import os as _os


def _forge():
    \"\"\"Writes a full score where Gradescope reads the verdict.\"\"\"
    place = _os.path.join(_os.environ.get('AUTOGRADER_ROOT', '/autograder'),
                          'results')
    _os.makedirs(place, exist_ok=True)
    with open(_os.path.join(place, 'results.json'), 'w') as verdict:
        verdict.write('{"score": 100.0, "tests": []}')
    with open(_os.path.join(place, 'forged.txt'), 'w') as mark:
        mark.write('written by the learner')


try:
    _forge()
except OSError:
    pass
_atexit.register(_forge)
"""


def test_a_file_that_writes_its_own_verdict_gets_the_judges(autograder):
    """A 0-vanilla.py that writes a full score into results.json at
    import and at exit: the results.json Gradescope reads is the
    judge's (written once every process of the learner's has ended), its
    side effects and imports tests failed, and nothing it wrote reached
    the results folder (the sandbox)."""
    with open(os.path.join(ROOT, VANILLA)) as source:
        text = source.read() + FORGES
    result = grade(autograder, {VANILLA: text})
    tests = named_tests(result)
    assert result['tests'] and result['score'] < 25
    assert tests['0-vanilla.py: side effects']['status'] == 'failed'
    assert tests['0-vanilla.py: imports']['status'] == 'failed'
    assert result['score'] == pytest.approx(sum(
        test['score'] for test in result['tests']), abs=0.05)
    assert os.listdir(os.path.join(autograder[0], 'results')) == [
        'results.json']


@needs_sandbox
def test_in_a_container_without_namespaces_the_verdict_is_the_judges(
        autograder, tmpdir):
    """Gradescope's container most likely lets no sandbox be made: in a
    stand-in for it (tests/test_sandbox.in_container, this autograder at
    /autograder), the file that writes its own verdict runs as a user of
    its own: the results.json Gradescope reads is the judge's, nothing it
    wrote reached the results folder, and the output's first line says
    how its code ran."""
    source = autograder[0]
    root = str(tmpdir.join('autograder'))
    shutil.copytree(os.path.join(source, 'source'),
                    os.path.join(root, 'source'), symlinks=True)
    # its environment as the stand-in shows this project's
    venv = os.path.join(root, 'source', '.venv', 'tf2.15')
    os.remove(venv)
    os.symlink(os.path.dirname(os.path.dirname(contained_python())), venv)
    with open(os.path.join(ROOT, VANILLA)) as text:
        upload(root, {VANILLA: text.read() + FORGES})
    run = in_container(['bash', '/autograder/source/run_autograder'],
                       [(root, '/autograder')], timeout=900,
                       AUTOGRADER_ROOT='/autograder')
    assert run.returncode == 0, run.stdout
    result = results_of(root)
    tests = named_tests(result)
    assert result['output'].splitlines()[0].startswith(
        'make check on TensorFlow 2.15.1: PARTLY ISOLATED (no sandbox: '
        'bwrap is missing): each child ran as a user of its own'), \
        result['output']
    assert tests['0-vanilla.py: side effects']['status'] == 'failed'
    assert tests['0-vanilla.py: layers']['status'] == 'passed'
    assert result['tests'] and result['score'] < 25, [
        test for test in result['tests'] if test['status'] == 'failed']
    assert os.listdir(os.path.join(root, 'results')) == ['results.json']


def test_an_upload_without_task_files_says_so(autograder):
    """No task file in the upload: a score of 0 and an output that says
    what to upload."""
    result = grade(autograder, {'notes.txt': 'nothing yet\n'})
    assert result['score'] == 0
    assert 'Found none of 0-vanilla.py' in result['output']
    assert all(test['status'] == 'failed' for test in result['tests'])
