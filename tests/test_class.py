#!/usr/bin/env python3
"""`make check SOLUTIONS=<folder>` (tools.check.runners.classroom): a class of
learners checked at once, each by its own command. A class of six
folders (ours, two wrong, one without any task file, one whose file
hangs, one whose import crashes) and a .git folder: the right table, a
JSON per learner equal to a single run's, a page that loads in headless
Chromium with no console error and no request but itself, a rerun that
checks nobody again, the table rebuilt from the JSONs alone, and a
learner who breaks the checker itself one line of the table while the
others still run. On TF 2.15, where the exercise is graded."""
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, TF_VERSION, needs_browser
from test_check import (VANILLA, VARIATIONAL, assert_findings, check,
                        wrong)
from tools import browser
from tools.check import FILES, TASKS
from tools.check.judge import score
from tools.check.runners import classroom

pytestmark = pytest.mark.skipif(
    TF_VERSION != (2, 15), reason='the class is checked on TF 2.15, where '
    'the exercise is graded; each learner\'s checks are those of a single '
    'folder, tested on every line')
# seconds a learner's task may take: the hanging one is stopped at it
PATIENCE = 20


def learner(root, name, files):
    """Writes learner name's folder under root: files is {task file:
    text, or None for ours}."""
    folder = os.path.join(root, name)
    os.makedirs(folder)
    for file, text in files.items():
        path = os.path.join(folder, file)
        if text is None:
            shutil.copy(os.path.join(ROOT, file), path)
        else:
            with open(path, 'w') as target:
                target.write(text)
        os.chmod(path, 0o755)
    return folder


def our(file):
    """Returns the text of our own task file."""
    with open(os.path.join(ROOT, file)) as source:
        return source.read()


def run_class(solutions, out, *options):
    """Runs `python -m tools.check --class=solutions --out=out` with
    options; returns (exit status, what it printed)."""
    process = subprocess.Popen(
        [sys.executable, '-m', 'tools.check', '--class=' + solutions,
         '--out=' + out, '--jobs=2', '--quick',
         '--patience={}'.format(PATIENCE)] + list(options), cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True)
    output = process.communicate(timeout=900)[0]
    return process.returncode, output


@pytest.fixture(scope='module')
def checked(tmpdir_factory):
    """The class, checked once: (solutions, out, exit status, output)."""
    root = str(tmpdir_factory.mktemp('class'))
    solutions = os.path.join(root, 'solutions')
    learner(solutions, 'ada', {VANILLA: None, VARIATIONAL: None})
    learner(solutions, 'ben', {VANILLA: wrong('vanilla_summary')[1]})
    learner(solutions, 'cy', {VARIATIONAL: wrong('vae_kl_averaged')[1]})
    learner(solutions, 'dee', {'notes.txt': 'nothing yet\n'})
    learner(solutions, 'eve', {VANILLA: our(VANILLA) +
                               '\n\nwhile True:\n    pass\n'})
    learner(solutions, 'fay', {VANILLA: our(VANILLA) +
                               '\n\nraise ImportError(\'not done yet\')\n'})
    learner(solutions, '.git', {VANILLA: None})
    out = os.path.join(root, 'out')
    code, output = run_class(solutions, out)
    return solutions, out, code, output


def rows(output):
    """Returns {learner: [cells]} of the class table in output."""
    found = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip('|').split('|')]
        if line.startswith('| ') and cells[0] not in ('learner', '---'):
            found[cells[0]] = cells[1:]
    return found


def one_fail(task):
    """Returns the points of a task file whose checks (QUICK) all passed
    but one of what the exercise teaches, not of its model's core, by
    default weights: its share of the nine tenths the exercise holds."""
    taught = [check for check in score.checks(task, quick=True)
              if check not in score.TEXT]
    return score.POINTS * (1 - (1 - score.CONVENTIONS) / len(taught))


def test_the_table_has_a_row_per_learner(checked):
    """Ours all ok, each wrong file its fail, the hanging and crashing
    files theirs, - where a file is absent; no row for the folder
    without a task file or for .git; exit status 1."""
    _, _, code, output = checked
    assert code == 1, output
    found = rows(output)
    assert {name: cells[:4] for name, cells in found.items()} == {
        'ada': ['ok', '-', '-', 'ok'],
        'ben': ['1 fail', '-', '-', '-'],
        'cy': ['-', '-', '-', '1 fail'],
        'eve': ['1 fail', '-', '-', '-'],
        'fay': ['1 fail', '-', '-', '-'],
    }, output
    # the score: each file 25 points shared by its checks; ben's summary()
    # costs one check's share, cy's loss (the model wrong) half the file
    assert found['ada'][4] == '50 / 100'
    assert found['ben'][4] == '{} / 100'.format(
        score.shown(one_fail(TASKS[0])))
    assert found['cy'][4] == '{} / 100'.format(
        score.shown(score.POINTS * score.CAP / 100))
    assert '5 learner(s), 1 with every check ok' in output


def test_each_learner_has_the_json_of_a_single_run(checked):
    """A JSON per learner; ben's findings are those a single run of his
    folder gives; cy's the KL averaged over the latent axis (her wrong
    solution is checked here alone); eve's says the time limit, fay's her
    line."""
    solutions, out, _, _ = checked
    assert sorted(name for name in os.listdir(out)
                  if name.endswith('.json')) == [
        name + '.json' for name in ('ada', 'ben', 'cy', 'eve', 'fay')]

    def findings(name):
        """The findings of learner name's JSON, by file."""
        with open(os.path.join(out, name + '.json')) as source:
            return {task['file']: task['findings']
                    for task in json.load(source)['tasks']}
    _, single = check(os.path.join(solutions, 'ben'), '--quick')
    assert findings('ben') == single
    assert_findings('vae_kl_averaged', findings('cy')[VARIATIONAL])
    [hung] = [item for item in findings('eve')[VANILLA]
              if item['status'] == 'fail']
    assert 'time limit while importing' in hung['said']
    [crash] = [item for item in findings('fay')[VANILLA]
               if item['status'] == 'fail']
    assert 'raising 0-vanilla.py:' in crash['said'] and \
        'ImportError: not done yet' in crash['said']


def test_the_class_csv_has_a_row_per_learner_file_and_check(checked):
    """OUT/class.csv: a header, then a row per learner, task file and
    check, with its status and cause; fay's crash carries her line."""
    import csv
    _, out, _, _ = checked
    with open(os.path.join(out, 'class.csv'), newline='') as source:
        table = list(csv.reader(source))
    assert table[0] == ['learner', 'task file', 'check', 'status', 'cause',
                        'line']
    by_key = {(row[0], row[1], row[2]): row[3:] for row in table[1:]}
    assert by_key[('ada', VANILLA, 'layers')][0] == 'ok'
    status, cause, _ = by_key[('ben', VANILLA, 'quiet build')]
    assert status == 'fail' and 'model.summary()' in cause
    status, _, line = by_key[('fay', VANILLA, 'import')]
    assert status == 'fail' and line.isdigit()
    learners = {row[0] for row in table[1:]}
    assert learners == {'ada', 'ben', 'cy', 'eve', 'fay'}


def grades(out):
    """Returns the rows of OUT/grades.csv as Python's csv module reads
    them."""
    import csv
    with open(os.path.join(out, 'grades.csv'), newline='',
              encoding='utf-8') as source:
        return list(csv.reader(source))


def test_the_gradebook_has_a_row_per_learner_and_their_scores(checked):
    """OUT/grades.csv: a header (learner, each task file, total, max),
    then a row per learner in the table's order, each score a number
    equal to the learner's JSON's."""
    _, out, _, output = checked
    table = grades(out)
    assert table[0] == ['learner'] + FILES + ['total', 'max']
    assert [row[0] for row in table[1:]] == list(rows(output))
    for row in table[1:]:
        with open(os.path.join(out, row[0] + '.json')) as source:
            scored = json.load(source)['score']
        assert [float(cell) for cell in row[1:5]] == [
            entry['points'] for entry in scored['files']]
        assert float(row[5]) == scored['points']
        assert float(row[6]) == scored['max'] == 100
    assert table[1][1:] == ['25', '0', '0', '25', '50', '100']


def test_a_teachers_weights_change_the_gradebook(checked, tmpdir):
    """MERGE with a weights file giving 0-vanilla.py 50 points: ada's
    0-vanilla.py is worth 50 of 125 in the gradebook, the table and her
    JSON; the class's own OUT is left as it was; with FORMAT=junit, a
    JUnit file per learner."""
    solutions, out, _, _ = checked
    copy = str(tmpdir.join('out'))
    shutil.copytree(out, copy)
    weights = str(tmpdir.join('weights.txt'))
    with open(weights, 'w') as target:
        target.write('0-vanilla.py = 50\n')
    code, merged = run_class(solutions, copy, '--merge', '--junit',
                             '--weights=' + weights)
    assert code == 1, merged
    assert rows(merged)['ada'][4] == '75 / 125'
    assert grades(copy)[1][1:] == ['50', '0', '0', '25', '75', '125']
    with open(os.path.join(copy, 'ada.json')) as source:
        assert json.load(source)['score']['points'] == 75
    assert grades(out)[1][1:] == ['25', '0', '0', '25', '50', '100']
    # FORMAT=junit: a JUnit file per learner, its suites their files
    import xml.etree.ElementTree as ElementTree
    suites = ElementTree.parse(os.path.join(copy, 'ben.xml')).getroot()
    assert [suite.get('name') for suite in suites] == [VANILLA]
    assert suites.get('failures') == '1'


def test_a_rerun_checks_nobody_and_merge_reads_the_jsons(checked):
    """Run again, it checks no learner (their JSONs are newer than their
    files) and prints the same table; MERGE builds it from the JSONs."""
    solutions, out, _, output = checked
    times = {name: os.stat(os.path.join(out, name)).st_mtime
             for name in os.listdir(out) if name.endswith('.json')}
    code, again = run_class(solutions, out)
    assert code == 1 and '0 to check' in again, again
    assert rows(again) == rows(output)
    code, merged = run_class(solutions, out, '--merge')
    assert code == 1 and rows(merged) == rows(output), merged
    assert times == {name: os.stat(os.path.join(out, name)).st_mtime
                     for name in times}


@needs_browser
def test_the_class_page_in_a_real_browser(checked):
    """class.html loads with no console error and no request but itself;
    its table shows every learner; a click opens a learner's findings;
    the mistakes are counted over the class; its pictures and its section
    on similar code are there, and OUT/similar.csv and
    OUT/similar-learners.csv beside it, a header alone. A screenshot is
    kept in out for a person to look at."""
    from playwright.sync_api import sync_playwright
    _, out, _, output = checked
    path = os.path.join(out, 'class.html')
    with open(os.path.join(out, 'similar.csv'), newline='') as source:
        assert source.read() == 'file,learner,other,share_learner,' \
            'share_other,how,lines\r\n'
    with open(os.path.join(out, 'similar-learners.csv'),
              newline='') as source:
        assert source.read() == 'learner,other,files,of,named,' \
            'lines_learner,lines_other\r\n'
    assert 'similar: 0 pair(s) of task files' in output
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        tab = browser.watched_page(chromium, 1280, 1200)
        tab.goto('file://' + path)
        text = tab.inner_text('body')
        for name in ('ada', 'ben', 'cy', 'eve', 'fay'):
            assert name in text
        assert not tab.is_visible('#ben .finding')
        tab.click('#ben summary')
        assert tab.is_visible('#ben .finding')
        assert 'model.summary()' in tab.inner_text('#ben')
        counted = tab.inner_text('table:nth-of-type(2)')
        assert 'quiet build' in counted and 'finishes' in counted
        [summary] = [row for row in counted.splitlines()
                     if 'model.summary()' in row]
        assert 'ben' in summary and 'ada' not in summary
        tab.click('table:nth-of-type(2) a[href="#eve"]')
        assert tab.url.endswith('#eve')
        tab.click('#eve summary')
        assert 'time limit' in tab.inner_text('#eve')
        # the scores' spread and the mistakes as bars, drawn into the page;
        # the similar code's section (nobody here: ada's files are ours,
        # eve's and fay's ours and a line)
        assert tab.locator('figure svg').count() == 2
        assert 'The same code beyond the spec\'s skeleton' in \
            tab.inner_text('body')
        tab.screenshot(path=os.path.join(out, 'class.png'), full_page=True)
        assert tab.errors == []
        assert tab.requests == ['file://' + path]
        chromium.close()


def test_a_learner_who_breaks_the_checker_is_one_line(tmpdir, monkeypatch):
    """Where a learner's own command breaks (simulated: it exits 3 with a
    message), the table says error for that learner alone, the other is
    checked, and a rerun tries the broken one again."""
    solutions = str(tmpdir.join('solutions'))
    learner(solutions, 'gus', {VANILLA: None})
    learner(solutions, 'hal', {VANILLA: None})
    real = classroom.learner_command

    def breaking(folder, *rest):
        """hal's command fails as a crash of the checker would."""
        if folder.endswith('hal'):
            return [sys.executable, '-c', 'import sys; sys.exit("checker '
                    'crashed on hal")']
        return real(folder, *rest)
    monkeypatch.setattr(classroom, 'learner_command', breaking)
    out = str(tmpdir.join('out'))
    code = classroom.main({'class': solutions, 'out': out, 'jobs': '2',
                           'quick': True}, [])
    assert code == 1
    results = classroom.documents(out, ['gus', 'hal'])
    assert results['gus']['status'] == 'ok'
    assert 'checker crashed on hal' in results['hal']['error']
    table = classroom.table(results)
    assert '| hal | error | error | error | error |' in table
    assert classroom.stale(os.path.join(solutions, 'hal'),
                           os.path.join(out, 'hal.json'))
    assert not classroom.stale(os.path.join(solutions, 'gus'),
                               os.path.join(out, 'gus.json'))


def test_mistakes_are_counted_by_cause_naming_their_learners():
    """One row per cause, whatever checks and files it shows in, numbers
    aside: two learners whose averaged reconstruction fails three checks
    between them are one row naming both, the commonest first; a learner
    the checker broke on adds no mistake."""
    averaged = 'likely the reconstruction averaged ({} times ours)'

    def document(*findings):
        """A learner's document holding findings in 3-variational.py."""
        return {'status': 'fail', 'tasks': [{
            'task': 3, 'file': VARIATIONAL, 'findings': [
                {'check': check, 'status': status, 'said': 'expected',
                 'why': 'w', 'cause': cause}
                for check, status, cause in findings]}]}
    results = {
        'ann': document(('loss', 'fail', averaged.format(0.0013)),
                        ('first loss', 'fail', averaged.format(0.0012)),
                        ('auto.layers', 'note', 'add_loss layers')),
        'bo': document(('trained loss', 'fail', averaged.format(0.0011))),
        'cal': {'status': 'error', 'error': 'broke', 'tasks': []},
    }
    rows = classroom.mistakes(results)
    assert [(status, names, checks) for status, _, names, _, checks
            in rows] == [
        ('fail', ['ann', 'bo'], ['first loss', 'loss', 'trained loss']),
        ('note', ['ann'], ['auto.layers'])]
