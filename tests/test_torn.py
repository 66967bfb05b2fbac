#!/usr/bin/env python3
"""Nothing torn: the project's writers killed mid-run (the hook
TEST_KILL_AT of helpers.files kills the process with SIGKILL at the Nth
point of writing, more reliably than a timer), files torn by hand, and
two runs on one folder. These run on TF 1.15 alone, the project's own
line, whose runs start and train fastest (the writers are the same code
on every line; helpers.files is tested on every line in test_files.py):
a short report killed at eleven points spread over its run and a live
replay killed while written; the explorer page killed while written runs
on TF 2.15, whose trained models are committed."""
import os
import shutil
import signal

import numpy as np
import pytest

from conftest import ROOT, run_report
from helpers import configurations, files, versions
from tools import models, runs

# where a fault test runs: TF 1.15, and the explorer's on TF 2.15, the line
# whose trained models are committed (models/tf2.15)
fault_test = pytest.mark.skipif(
    versions.LINE != 'tf1.15', reason='fault tests run on TF 1.15 alone')
explorer_fault_test = pytest.mark.skipif(
    versions.LINE != 'tf2.15', reason='the explorer\'s fault test runs on '
    'TF 2.15, whose models are committed')

NAMES = configurations.NAMES
KILLED = -signal.SIGKILL
# Where each run of the report is killed, counted in that run's points of
# writing (two a file). A model's files take 10 points (the VAE's 16), a
# lambtha of the sweep 2; a resumed run trains again the model it was
# killed in. So these fall, in turn: in the vanilla weights' write (1),
# after its JSON but before its results (4), in its results' write (9),
# then one model further each run, in the sweep and its figures, and
# last in report.md's write and just after it.
KILL_POINTS = (1, 4, 9, 12, 17, 10, 19, 8, 7, 9, 10)


def assert_whole(folder):
    """Every file of a report folder and its models parses or loads:
    JSON, PNG, HDF5 and markdown; a model's JSON matches its weights."""
    import h5py
    from PIL import Image
    for where in (folder, os.path.join(folder, 'models')):
        if not os.path.isdir(where):
            continue
        for name in os.listdir(where):
            path = os.path.join(where, name)
            if name.startswith(files.PREFIX) or os.path.isdir(path):
                continue
            if name.endswith('.json'):
                files.read_json(path)
            elif name.endswith('.png'):
                Image.open(path).load()
            elif name.endswith('.h5'):
                with h5py.File(path, 'r') as weights:
                    weights.visit(lambda _: None)
            elif name.endswith('.md'):
                with open(path, 'rb') as source:
                    assert source.read().decode('utf-8').rstrip().endswith(
                        ')')
    store = os.path.join(folder, 'models')
    for name in NAMES:
        assert models.verified(name, store)[1] is None


def results(folder):
    """Returns each model's and each lambtha's final losses and squared
    error, from a report folder."""
    found = {}
    for name in NAMES:
        result = files.read_json(os.path.join(folder, name + '.json'))
        found[name] = result['loss'] + result['val_loss'] + \
            [result['squared_error']]
    for lambtha, result in files.read_json(
            os.path.join(folder, 'sparsity.json')).items():
        found[lambtha] = result['loss'] + result['val_loss'] + \
            [result['squared_error']]
    return found


def assert_same_results(folder, reference):
    """The folder's results are those of the uninterrupted run. Each
    model starts from the same seed in a fresh session whichever process
    trains it; the figures came out identical here, and 1e-4 leaves room
    for another CPU's kernels in a run of one epoch."""
    found, expected = results(folder), results(reference)
    assert sorted(found) == sorted(expected)
    for key in expected:
        np.testing.assert_allclose(found[key], expected[key], rtol=1e-4,
                                   err_msg=key)


@fault_test
def test_a_report_killed_anywhere_resumes_to_the_same_results(
        short_report, tmpdir):
    """Killed at each of KILL_POINTS in turn, every file on disk is whole
    after each kill; then a run completes with exit 0, leaves no
    temporary file and gives the uninterrupted run's results."""
    folder = str(tmpdir.join('killed'))
    killed = []
    for point in KILL_POINTS:
        code, output = run_report(folder, TEST_KILL_AT=str(point))
        assert code in (KILLED, 0), output[-3000:]
        if code == 0:
            break
        killed.append(point)
        assert_whole(folder)
    assert len(killed) >= 11, killed
    code, output = run_report(folder)
    assert code == 0, output[-3000:]
    assert 'epoch 1/1' not in output
    assert_whole(folder)
    for where in (folder, os.path.join(folder, 'models')):
        assert not [name for name in os.listdir(where)
                    if name.startswith(files.PREFIX)]
    assert_same_results(folder, short_report[0])


@fault_test
def test_torn_files_are_named_and_trained_again(short_report, tmpdir):
    """Weights cut to half, a results file emptied, a model's JSON filled
    with garbage and the sweep's results cut short: each is named in one
    line, its model (or the sweep) trained again, the untouched VAE
    kept, and the results are the uninterrupted run's."""
    folder = str(tmpdir.join('torn'))
    shutil.copytree(short_report[0], folder)
    store = os.path.join(folder, 'models')
    weights = models.weights_path('vanilla', store)
    sweep = os.path.join(folder, 'sparsity.json')
    for path, torn in ((weights, None), (sweep, None),
                       (os.path.join(folder, 'sparse.json'), b''),
                       (os.path.join(store, 'convolutional.json'),
                        b'\x8b\x00garbage{')):
        if torn is None:
            with open(path, 'rb') as source:
                torn = source.read()[:os.path.getsize(path) // 2]
        with open(path, 'wb') as target:
            target.write(torn)
    code, output = run_report(folder)
    assert code == 0, output[-3000:]
    assert 'vanilla: not done, {} is torn'.format(weights) in output
    assert 'sparse: not done, {} is torn'.format(
        os.path.join(folder, 'sparse.json')) in output
    assert 'convolutional: not done, {} is torn'.format(
        os.path.join(store, 'convolutional.json')) in output
    assert 'sparsity: not done, {} is torn'.format(sweep) in output
    for name in ('vanilla', 'sparse', 'convolutional'):
        assert '{} epoch 1/1'.format(name) in output
    assert 'variational: done before, kept' in output
    assert 'Traceback' not in output
    assert_whole(folder)
    assert_same_results(folder, short_report[0])


@fault_test
def test_a_second_run_on_a_held_folder_says_so_and_stops(tmpdir):
    """`make report` while another run holds its folder, and `make
    explore` while a report holds the models: each names the folder and
    the run that holds it, exits 1 and writes nothing."""
    folder = str(tmpdir.join('report'))
    store = os.path.join(folder, 'models')
    with files.lock(folder, 'make report'):
        code, output = run_report(folder)
    assert code == 1
    assert 'make report stopped: {} is in use by another run (pid {}, ' \
        'make report)'.format(folder, os.getpid()) in output
    with files.lock(store, 'make report'):
        code, output = runs.run(['-m', 'explorer.build'], MODELS_DIR=store,
                                EXPLORER_DIR=str(tmpdir.join('page')))
    assert code == 1
    assert 'make explore stopped: {} is in use by another run'.format(
        store) in output
    assert sorted(os.listdir(folder)) == ['.lock', 'models']
    assert os.listdir(store) == ['.lock']
    assert not os.path.exists(str(tmpdir.join('page', 'index.html')))


@explorer_fault_test
def test_the_explorer_page_killed_while_written_is_the_old_one(tmpdir):
    """`make explore` on this line's committed models, killed once the
    new page is written but before it is in place: the old page is
    there, whole; run again, the new page replaces it and the dead run's
    temporary file is gone."""
    store = str(tmpdir.join('models'))
    shutil.copytree(models.folder(), store)
    page = tmpdir.join('page', 'index.html')
    page.write('old page', ensure=True)
    code, output = runs.run(['-m', 'explorer.build'], MODELS_DIR=store,
                            EXPLORER_DIR=str(tmpdir.join('page')),
                            TEST_KILL_AT='1')
    assert code == KILLED, output[-3000:]
    assert page.read() == 'old page'
    code, output = runs.run(['-m', 'explorer.build'], MODELS_DIR=store,
                            EXPLORER_DIR=str(tmpdir.join('page')))
    assert code == 0, output[-3000:]
    text = page.read()
    assert text.startswith('<!DOCTYPE html>') and \
        text.rstrip().endswith('</html>')
    assert sorted(os.listdir(str(tmpdir.join('page')))) == \
        ['.lock', 'index.html']


@fault_test
def test_a_live_replay_killed_while_written_is_the_old_one(tmpdir):
    """0-main.py with LIVE=1 for one epoch, killed once its replay is
    written but before it is in place (the replay is the first file the
    main writes): the old replay is there, whole."""
    replay = tmpdir.join('0-main-live.html')
    replay.write('old replay')
    code, output = runs.run_main(os.path.join(ROOT, '0-main.py'), 1,
                                 str(tmpdir), LIVE='1', LIVE_PORT='0',
                                 TEST_KILL_AT='1')
    assert code == KILLED, output[-3000:]
    assert 'val_loss: ' in output
    assert replay.read() == 'old replay'
    left = [name for name in os.listdir(str(tmpdir))
            if name.startswith(files.PREFIX)]
    assert len(left) == 1 and tmpdir.join(left[0]).read().rstrip().endswith(
        '</html>')
