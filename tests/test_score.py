#!/usr/bin/env python3
"""make check's score (tools.check.judge.score), its JUnit XML
(tools.check.judge.junit) and Gradescope's results.json
(tools.check.judge.gradescope), from documents made here: arithmetic on
given findings, nothing trained. The list of checks is held to the
judge's code: every check name the code can give a finding is listed,
and nothing listed is missing from the code. The JUnit XML is read by
junitparser, as a CI system reads it."""
import ast
import os
import subprocess
import sys

import pytest

from conftest import ROOT, TF_VERSION
from tools.check import FILES, TASKS
from tools.check.judge import gradescope, junit, report, score

VANILLA, SPARSE, CONVOLUTIONAL, VARIATIONAL = FILES
CALLS = ('finding', 'crash', 'guarded', 'Broken')


def strings(node):
    """Returns the string constants in node's lists and tuples (their
    first items where nested: ('untrained loss', UNTRAINED))."""
    found = []
    for child in ast.walk(node):
        if isinstance(child, (ast.List, ast.Tuple)):
            for item in child.elts:
                value = getattr(item, 's', getattr(item, 'value', None))
                if isinstance(value, str):
                    found.append(value)
    return found


def named_in_code():
    """Returns every check name the judge's and the runner's code give a
    finding: the first argument of finding(), crash(), guarded() and
    Broken() where it is text, the lists skip() is given, the lists of
    later_checks(), and what loops over a variable named check take."""
    names = set()
    paths = [os.path.join(ROOT, 'tools', 'check', 'judge', name)
             for name in os.listdir(os.path.join(ROOT, 'tools', 'check',
                                                 'judge'))
             if name.endswith('.py')] + [
        os.path.join(ROOT, 'tools', 'check', 'runners', 'single.py')]
    for path in paths:
        with open(path) as source:
            tree = ast.parse(source.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, 'id', getattr(node.func, 'attr',
                                                        None))
                first = node.args[0] if node.args else None
                value = getattr(first, 's', getattr(first, 'value', None))
                if name in CALLS and isinstance(value, str):
                    names.update(value.split(', '))
                if name == 'skip' and len(node.args) > 1:
                    names.update(strings(node.args[1]))
            elif isinstance(node, ast.FunctionDef) and \
                    node.name == 'later_checks':
                names.update(strings(node))
            elif isinstance(node, ast.For) and 'check' in [
                    child.id for child in ast.walk(node.target)
                    if isinstance(child, ast.Name)]:
                names.update(strings(node.iter))
    return names


def test_every_check_of_the_code_is_listed_and_none_else():
    """The score's list of checks (CHECKS and the unscored) is the set of
    names the code can give a finding."""
    listed = set()
    for task in TASKS:
        listed.update(score.every_check(task))
    assert named_in_code() == listed


def document(findings, quick=False):
    """Returns a folder's document holding findings: {task file: [(check,
    status)]}."""
    return {'folder': 'f', 'line': '2.15.1', 'isolation': 'isolated: ...',
            'quick': quick, 'tasks': [
                {'task': FILES.index(file), 'file': file, 'findings': [
                    {'check': check, 'status': status, 'said': said,
                     'why': 'w', 'cause': 'c' if status != 'ok' else ''}
                    for check, status, said in found]}
                for file, found in sorted(findings.items())]}


def all_ok(task, quick=False, but=None):
    """Returns the findings of a task whose checks all passed, each once,
    but those of the dict but given there."""
    but = but or {}
    return [(check, but.get(check, ('ok', ''))[0],
             but.get(check, ('ok', ''))[1])
            for check in score.checks(task, quick)
            if check not in score.GATES or check in but]


def test_the_default_weighs_what_the_exercise_teaches():
    """Every check ok: 25 of 25 a file; an absent file 0 of 25. The
    conventions (TEXT) share a tenth of a file, what the exercise
    teaches the rest, a share each: a fail loses its check's share, a
    note keeps it; a fail of the import loses the checks it kept from
    running too."""
    vanilla = TASKS[0]
    names = score.checks(vanilla, quick=True)
    taught = len([check for check in names if check not in score.TEXT])
    scored = score.score(document({
        VANILLA: all_ok(vanilla, True, {'optimizer': ('fail', 'x')}),
        SPARSE: all_ok(TASKS[1], True, {'function': ('note', 'y'),
                                        'pycodestyle': ('fail', 'z')}),
        CONVOLUTIONAL: [('first line', 'ok', ''), ('import', 'fail', 'z'),
                        ('layers', 'skipped', 'needs')]}, quick=True))
    files = {entry['file']: entry for entry in scored['files']}
    assert files[VANILLA]['points'] == pytest.approx(
        25 - 25 * 0.9 / taught, abs=1e-3)
    assert files[VANILLA]['capped'] == []
    assert files[SPARSE]['points'] == pytest.approx(
        25 - 25 * 0.1 / len(score.TEXT), abs=1e-3)
    assert sum(row['max'] for row in files[SPARSE]['checks']
               if row['check'] in score.TEXT) == pytest.approx(2.5, abs=1e-3)
    assert files[VARIATIONAL] == dict(files[VARIATIONAL], points=0, max=25)
    assert {row['status'] for row in files[VARIATIONAL]['checks']} == {
        'absent'}
    # first line, the gate before it (file) and the gates of the import
    # (it ran: the answerer answered, and did nothing it should not)
    assert [row['check'] for row in files[CONVOLUTIONAL]['checks']
            if row['points']] == ['file', 'first line', 'answers',
                                  'finishes', 'side effects']
    layers = [row for row in files[CONVOLUTIONAL]['checks']
              if row['check'] == 'layers']
    assert layers[0]['status'] == 'skipped' and layers[0]['points'] == 0
    assert scored['max'] == 100
    assert scored['points'] == pytest.approx(sum(
        entry['points'] for entry in scored['files']), abs=1e-3)


# the CORE fault of each kind the exercise teaches, and the task it is of
CORE_FAULTS = [(VARIATIONAL, 'auto decodes z'), (VARIATIONAL, 'z spread'),
               (VARIATIONAL, 'encoder outputs'), (VARIATIONAL, 'loss'),
               (SPARSE, 'L1 on the code'), (CONVOLUTIONAL, 'layers'),
               (VANILLA, 'trained loss'), (VANILLA, 'computes')]


@pytest.mark.parametrize('quick', [False, True], ids=['full', 'quick'])
def test_a_wrong_model_keeps_half_and_conventions_alone_ninety(quick):
    """A file whose model is wrong in what its task teaches keeps at most
    half its points, however much else passed (each CORE fault alone);
    a file that fails every convention check that can fail and nothing
    else keeps 90% or more; a missing run bit alone costs an eleventh of a
    tenth; the cap said in the file's entry and on the line."""
    for file, check in CORE_FAULTS:
        task = TASKS[FILES.index(file)]
        if check not in score.checks(task, quick):
            continue
        entry = score.score(document({file: all_ok(task, quick, {
            check: ('fail', 'x')})}, quick))['files'][FILES.index(file)]
        assert entry['points'] == 12.5 and entry['capped'] == [check], \
            (file, check, entry['points'])
        assert sum(row['points'] for row in entry['checks']) == \
            pytest.approx(12.5, abs=1e-4)
    conventions = {check: ('fail', 'x') for check in score.TEXT
                   if check not in score.GATES}
    for task, file in zip(TASKS, FILES):
        found = document({file: all_ok(task, quick, conventions)}, quick)
        entry = score.score(found)['files'][FILES.index(file)]
        # the two gates among them (file, parses) passed: the checks
        # after them ran
        assert entry['points'] >= 22.5 and entry['points'] == \
            pytest.approx(25 - 2.5 * 9 / 11, abs=1e-3)
        assert entry['capped'] == []
        found = document({file: all_ok(task, quick, {
            'executable': ('fail', 'x')})}, quick)
        entry = score.score(found)['files'][FILES.index(file)]
        assert entry['points'] == pytest.approx(25 - 2.5 / 11, abs=1e-3)
    scored = score.score(document({VARIATIONAL: all_ok(TASKS[3], quick, {
        'auto decodes z': ('fail', 'x')})}, quick))
    assert '3-variational.py 12.5/25 (capped: the model is wrong: auto ' \
        'decodes z)' in score.line(scored)


def test_a_teachers_cap_and_shares_replace_the_default(tmpdir):
    """cap = 100 lifts the cap, cap = 20 lowers it; a convention given a
    share keeps it, the others still share a tenth against what the
    exercise teaches."""
    task = TASKS[2]
    found = document({CONVOLUTIONAL: all_ok(task, True, {
        'layers': ('fail', 'x')})}, quick=True)
    taught = len([check for check in score.checks(task, True)
                  if check not in score.TEXT])
    for text, points in (('cap = 100\n', 25 - 22.5 / taught),
                         ('cap = 20\n', 5.0), ('', 12.5)):
        weights = score.read_weights(weights_file(tmpdir, text))
        entry = score.score(found, weights)['files'][2]
        assert entry['points'] == pytest.approx(points, abs=1e-3), text
        assert bool(entry['capped']) == (text != 'cap = 100\n')
    weights = score.read_weights(weights_file(
        tmpdir, '2-convolutional.py: executable = 9\n'))
    shares = dict(zip(score.checks(task, True),
                      score.shares(task, weights, True)))
    assert shares['executable'] == 9 and shares['layers'] == 1
    assert shares['pycodestyle'] == pytest.approx(
        taught / 9.0 / len(score.TEXT))


def test_a_check_failing_in_one_configuration_fails_and_gates_pass():
    """layers ok in one configuration and failing in another fails; a
    gate (builds) passes where the check after it ran, fails where it
    failed; a merged finding counts for each check it names."""
    found = [{'check': 'layers', 'status': 'ok'},
             {'check': 'layers', 'status': 'fail'},
             {'check': 'quiet build', 'status': 'ok'},
             {'check': 'loss, metrics', 'status': 'fail'}]
    assert score.status_of('layers', found) == 'fail'
    assert score.status_of('builds', found) == 'ok'
    assert score.status_of('loss', found) == 'fail'
    assert score.status_of('metrics', found) == 'fail'
    assert score.status_of('returns', found[2:]) == 'not run'
    assert score.status_of('builds', found + [
        {'check': 'builds', 'status': 'fail'}]) == 'fail'


def weights_file(tmpdir, text):
    """Writes a weights file holding text; returns its path."""
    path = str(tmpdir.join('weights.txt'))
    with open(path, 'w') as target:
        target.write(text)
    return path


def test_weights_change_a_file_and_a_checks_share(tmpdir):
    """A file given 50 points is worth 50 (the total 125); a check given
    3 shares of 25 loses three shares when it fails; a check given 0 is
    worth nothing."""
    vanilla = TASKS[0]
    weights = score.read_weights(weights_file(tmpdir, (
        '# the convolutional model counts double\n'
        '2-convolutional.py = 50\n\n'
        '0-vanilla.py: layers = 3   # the layers matter most\n'
        '0-vanilla.py: pycodestyle = 0\n')))
    found = document({VANILLA: all_ok(vanilla, True, {
        'layers': ('fail', 'x'), 'pycodestyle': ('fail', 'y')}),
        CONVOLUTIONAL: all_ok(TASKS[2], True)}, quick=True)
    scored = score.score(found, weights)
    files = {entry['file']: entry for entry in scored['files']}
    # pycodestyle given 0, layers 3 in place of 1; layers fails: a wrong
    # model, the file held to half
    assert files[VANILLA]['points'] == 12.5
    assert files[VANILLA]['capped'] == ['layers']
    layers = dict(zip(score.checks(vanilla, True),
                      score.shares(vanilla, weights, True)))
    assert layers['layers'] == 3 and layers['pycodestyle'] == 0
    assert files[CONVOLUTIONAL]['points'] == files[CONVOLUTIONAL]['max'] \
        == 50
    assert scored['max'] == 125
    default = {entry['file']: entry for entry in score.score(found)['files']}
    assert default[CONVOLUTIONAL]['points'] == 25
    assert [row['max'] for row in default[VANILLA]['checks']] != [
        row['max'] for row in files[VANILLA]['checks']]


@pytest.mark.parametrize('text, words', [
    ('4-denoising.py = 10\n', "unknown task file '4-denoising.py'"),
    ('0-vanilla.py: z spread = 2\n', "0-vanilla.py has no check 'z spread'"),
    ('1-sparse.py = -5\n', 'a weight of 0 or more, found -5'),
    ('1-sparse.py = ten\n', "a number after =, found 'ten'"),
    ('cap = 150\n', 'a cap of 0 to 100'),
    ('cap = 50\ncap = 40\n', 'the cap is given twice'),
    ('1-sparse.py: loss = 1\n1-sparse.py: loss = 2\n',
     '1-sparse.py: loss is given a weight twice'),
    ('0-vanilla.py\n', 'expected "FILE = POINTS"'),
    ('\n'.join('3-variational.py: {} = 0'.format(check) for check in
               score.checks(TASKS[3], True)) + '\n',
     '3-variational.py is worth points but every check of it is given 0'),
])
def test_a_bad_weights_file_is_a_clear_error(tmpdir, text, words):
    """Each bad entry names the file, its line and what is wrong."""
    path = weights_file(tmpdir, '# weights\n' + text)
    with pytest.raises(score.WeightsError) as raised:
        score.read_weights(path)
    assert words in str(raised.value)
    assert 'WEIGHTS={}'.format(path) in str(raised.value)


@pytest.mark.skipif(TF_VERSION != (2, 15), reason='make check runs on '
                    'TF 2.15, the graded line')
def test_make_check_refuses_a_bad_weights_file_before_it_runs(tmpdir):
    """python -m tools.check with a bad --weights exits 2 at once, saying
    why, and checks nothing."""
    path = weights_file(tmpdir, '0-vanilla.py = -1\n')
    process = subprocess.Popen(
        [sys.executable, '-m', 'tools.check', ROOT, '--weights=' + path],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 2
    assert out == '' and 'line 1: expected a weight of 0 or more' in err


def findings_of(status_by_check):
    """A task's findings: a merged one naming two checks included."""
    return [('first line', 'ok', ''),
            ('untrained loss, trained loss', 'fail',
             'expected it to run, found it raising 0-vanilla.py:12: '
             'ValueError: no'),
            ('layers', 'note', 'another initialiser'),
            ('computes', 'skipped', 'needs the layers of ours')] + \
        status_by_check


def test_junit_has_a_suite_per_file_and_a_case_per_check():
    """junitparser reads it as CI does: a suite per task file, a case per
    check named (the merged finding one each), the fail's message what
    was found and its text the cause and line, the skip skipped, the
    note a pass saying it; the counts those of the JSON; the file's score
    and cap its suite's properties."""
    junitparser = pytest.importorskip('junitparser')
    found = document({VANILLA: findings_of([]),
                      VARIATIONAL: findings_of([('loss', 'fail', 'x')])})
    found['score'] = score.score(found)
    path = os.path.join(ROOT, '.tmp-junit.xml')
    try:
        with open(path, 'w') as target:
            target.write(junit.xml(found))
        parsed = junitparser.JUnitXml.fromfile(path)
    finally:
        os.remove(path)
    suites = list(parsed)
    assert [suite.name for suite in suites] == [VANILLA, VARIATIONAL]
    for suite, task in zip(suites, found['tasks']):
        names = [check for item in task['findings']
                 for check in item['check'].split(', ')]
        cases = {case.name: case for case in suite}
        assert sorted(cases) == sorted(names)
        assert all(case.classname == task['file'] for case in suite)
        fails = [item for item in task['findings']
                 if item['status'] == 'fail']
        assert suite.tests == len(names)
        assert suite.failures == sum(len(item['check'].split(', '))
                                     for item in fails)
        assert suite.skipped == 1
        for name in ('untrained loss', 'trained loss'):
            [failure] = cases[name].result
            assert isinstance(failure, junitparser.Failure)
            assert 'raising 0-vanilla.py:12' in failure.message
            assert 'cause: c' in failure.text and \
                'line: 0-vanilla.py:12' in failure.text
        assert isinstance(cases['computes'].result[0], junitparser.Skipped)
        assert cases['layers'].is_passed and \
            'another initialiser' in cases['layers'].system_out
        assert cases['first line'].is_passed
        # trained loss fails in both: each file's model is wrong, held
        properties = {prop.name: prop.value for prop in suite.properties()}
        assert float(properties['score points']) <= 12.5
        assert properties['score capped'] == \
            'the model is wrong: ' + ', '.join(
                check for check in score.checks(TASKS[FILES.index(
                    task['file'])]) if check in ('trained loss', 'loss') and
                check in names)
    assert parsed.tests == sum(suite.tests for suite in suites)


def test_gradescope_results_hold_the_documented_keys():
    """results.json as Gradescope's specification has it: score,
    execution_time, output, tests each with name, number, score,
    max_score, status, output and visibility, of their types; a test
    per check worth points, the scores adding to the total; a refused
    submission scores 0 and says why in each test."""
    found = document({VANILLA: all_ok(TASKS[0], but={
        'layers': ('fail', 'expected Dense(128), found Dense(64)')})})
    found['score'] = score.score(found)
    result = gradescope.results(found, 12.7)
    assert_results(result)
    assert result['execution_time'] == 12
    assert len(result['tests']) == sum(
        len(score.checks(task)) for task in TASKS)
    [failed] = [test for test in result['tests']
                if test['status'] == 'failed' and
                test['name'].startswith(VANILLA)]
    assert failed['name'] == '0-vanilla.py: layers'
    assert 'expected Dense(128), found Dense(64)' in failed['output']
    assert 'cause: c' in failed['output']
    assert sum(test['score'] for test in result['tests']) == \
        pytest.approx(result['score'], abs=0.01)
    refused = gradescope.refused('found nothing', 3, quick=True)
    assert_results(refused)
    assert refused['score'] == 0 and refused['output'] == 'found nothing'
    assert all('found nothing' in test['output']
               for test in refused['tests'])


@pytest.mark.parametrize('weights', [None, {
    (VANILLA, None): 10.0, (VANILLA, 'layers'): 3.0,
    (SPARSE, None): 33.3333, (CONVOLUTIONAL, None): 7.0,
    (CONVOLUTIONAL, 'loss'): 0.5, (VARIATIONAL, 'z spread'): 2.0}],
    ids=['default', 'a teacher\'s weights'])
def test_gradescope_tests_add_up_to_the_score_exactly(weights):
    """Gradescope adds the tests up: their max_scores sum to the total
    and their scores to the score, to the last digit written (four
    decimals), whether every check passed, one failed, or a file is
    absent; each file's checks likewise sum to the file's points."""
    def units(value):
        """Returns value in ten-thousandths of a point."""
        return int(round(value * score.UNIT))
    for findings in ({file: all_ok(task) for file, task in
                      zip(FILES, TASKS)},
                     {VANILLA: all_ok(TASKS[0], but={
                         'layers': ('fail', 'x')}),
                      SPARSE: all_ok(TASKS[1])}):
        found = document(findings)
        found['score'] = score.score(found, weights)
        result = gradescope.results(found, 1)
        assert sum(units(test['max_score']) for test in result['tests']) \
            == units(found['score']['max'])
        assert sum(units(test['score']) for test in result['tests']) == \
            units(result['score'])
        capped = [test for test in result['tests'] if 'its points cut '
                  'with its file' in test['output']]
        assert bool(capped) == (len(findings) == 2), capped
        assert all(test['status'] == 'passed' and test['name'].startswith(
            VANILLA) and test['score'] < test['max_score']
            for test in capped)
        for entry in found['score']['files']:
            assert sum(units(row['max']) for row in entry['checks']) == \
                units(entry['max'])
            assert sum(units(row['points']) for row in entry['checks']) \
                == units(entry['points'])
    # the default: 100 points over the four files, a check each a share
    assert units(score.score(document({}))['max']) == 100 * score.UNIT


def test_apportioning_gives_the_units_left_to_the_largest_remainders():
    """25 points (250000 units) over 32 equal checks, 7812.5 each: 7813
    to the first 16 (the 16 units left), 7812 to the rest; shares 1:2:1 of
    10 units: 3, 5, 2 (2.5, 5, 2.5: the first equal remainder first)."""
    parts = score.apportioned(250000, [1.0] * 32)
    assert parts == [7813] * 16 + [7812] * 16
    assert score.apportioned(10, [1, 2, 1]) == [3, 5, 2]
    assert score.apportioned(7, [0, 0]) == [0, 0]


def test_a_gradebook_holds_no_formula_whatever_the_learners_named():
    """Learners' folders named as formulas (CSV injection: =, +, -, @, a
    tab, a carriage return) and a cause that starts like one: class.csv
    and grades.csv, read back as a spreadsheet reads them, hold no cell
    that starts a formula, each such text behind a '; the scores are
    still numbers."""
    import csv
    import io
    from tools.check.runners import classroom
    names = ['=HYPERLINK("http://example.org","open")', '+SUM(1,1)',
             '@SUM(1)', '-2+3', '\tx', '\rx', 'ada']
    results = {}
    for name in names:
        found = document({VANILLA: all_ok(TASKS[0], but={
            'layers': ('fail', '=1+1 found')})})
        found['score'] = score.score(found)
        results[name] = found
    results['=cmd|"/c calc"!A0'] = {'error': '=1+2 the checker broke'}
    for rows in (classroom.csv_rows(results),
                 classroom.grade_rows(results)):
        text = report.csv_text(rows)
        table = list(csv.reader(io.StringIO(text, newline='')))
        cells = [cell for row in table for cell in row]
        assert [cell for cell in cells
                if cell.startswith(report.FORMULA)] == [], text
        assert {row[0] for row in table[1:]} == {
            "'" + name if name != 'ada' else name
            for name in list(results)}
    grades = list(csv.reader(io.StringIO(report.csv_text(
        classroom.grade_rows(results)), newline='')))
    assert [float(cell) for cell in grades[-1][1:]] == [
        entry['points'] for entry in results['ada']['score']['files']] + [
        results['ada']['score']['points'], 100]


def assert_results(result):
    """Asserts a results.json has the keys and types of Gradescope's
    specification."""
    assert isinstance(result['score'], float)
    assert isinstance(result['execution_time'], int)
    assert isinstance(result['output'], str)
    assert result['visibility'] in ('visible', 'hidden', 'after_due_date',
                                    'after_published')
    assert result['tests']
    for test in result['tests']:
        assert set(test) == {'name', 'number', 'score', 'max_score',
                             'status', 'output', 'visibility'}
        assert isinstance(test['name'], str) and \
            isinstance(test['output'], str)
        task, check = test['number'].split('.')
        assert int(task) in range(len(TASKS)) and int(check) >= 1
        assert isinstance(test['score'], float) and \
            isinstance(test['max_score'], float)
        assert 0 <= test['score'] <= test['max_score']
        assert test['status'] in ('passed', 'failed')
        assert test['visibility'] == 'visible'


def test_the_text_and_table_say_the_score():
    """The text's table has a score column and its last line the
    score."""
    found = document({VANILLA: all_ok(TASKS[0])})
    found['score'] = score.score(found)
    text = report.text(found)
    assert '| 0 | 0-vanilla.py | ' in text and text.splitlines()[-3] \
        .endswith('| 25/25 |')
    assert text.splitlines()[-1] == (
        'score: 25 / 100 (0-vanilla.py 25/25, 1-sparse.py 0/25, '
        '2-convolutional.py 0/25, 3-variational.py 0/25)')


def test_the_upload_folder_holding_most_task_files_is_checked(tmpdir):
    """Gradescope's upload: the folder holding most task files is
    checked (the shallowest on a tie), the others named; a link to a
    folder is not followed; an upload without task files gives None."""
    from tools.check.runners import gradescope as runner
    upload = tmpdir.mkdir('submission')
    for folder, names in (('a', FILES[:2]), ('b/c', FILES[1:]),
                          ('d', FILES[1:])):
        for name in names:
            upload.join(folder, name).ensure()
    os.symlink(str(upload.join('b')), str(upload.join('e')))
    found, others = runner.submitted(str(upload))
    assert found == str(upload.join('d'))
    assert sorted(others) == [str(upload.join('a')), str(upload.join('b/c'))]
    assert runner.submitted(str(tmpdir.mkdir('empty'))) == (None, [])


def test_a_submission_that_breaks_the_check_still_gets_results(
        tmpdir, monkeypatch):
    """Where the check itself raises on a submission, results.json is
    still written: a score of 0, an output that says it is the
    checker's fault, every test not checked."""
    import json
    from tools.check.runners import gradescope as runner
    from tools.check.runners import single

    def broken(*arguments, **named):
        """The check breaking as a bug of ours would."""
        raise RuntimeError('a bug of the checker')
    monkeypatch.setattr(single, 'document', broken)
    root = tmpdir.mkdir('autograder')
    root.mkdir('source')
    root.join('submission', VANILLA).ensure()
    runner.run(str(root))
    with open(str(root.join('results', 'results.json'))) as source:
        result = json.load(source)
    assert_results(result)
    assert result['score'] == 0
    assert 'RuntimeError: a bug of the checker' in result['output']
    assert 'not a finding on your code' in result['output']
    assert all(test['output'].startswith('not checked')
               for test in result['tests'])
