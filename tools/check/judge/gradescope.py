#!/usr/bin/env python3
"""A folder's findings as Gradescope's results.json (its autograder
specification: gradescope-autograders.readthedocs.io, Autograder
Specifications): the submission's score, execution_time and output, and
one test per check that is worth points (tools.check.judge.score): its
name (task file: check), number (task.check), score, max_score, status,
output and visibility. A check's output holds what was expected and
found, the likely cause and what to change, the learner's line, why a
grader looks at it and where; a check that did not run says what kept
it from running. A submission the check could not take (nothing to
check, or the checker itself broken) is a results.json too, that says
so."""
from tools.check.judge import report, score

VISIBILITY = 'visible'


def output(check, status, found):
    """Returns the output of one check's test from its findings."""
    if status == 'absent':
        return 'not checked: the file is not in the submission'
    if status == 'not run':
        return ('not run: a check before it failed (see the fails above), '
                'so it could not run')
    text = report.details(found, status)
    if status == 'skipped':
        return 'not run: ' + text
    if status == 'note':
        return 'passed, with a note: ' + text
    return text or 'passed'


def held(entry, row):
    """Returns what a passed check's output adds where the cap cut its
    points (tools.check.judge.score.CAP): why, else ''."""
    if not entry.get('capped') or row['status'] not in ('ok', 'note') or \
            row['points'] >= row['max']:
        return ''
    return ('\nits points cut with its file\'s: the file\'s model is wrong '
            '({}), and such a file keeps at most half its points'.format(
                ', '.join(entry['capped'])))


def results(document, seconds):
    """Returns the results.json of a folder's JSON document, the check
    having taken seconds."""
    scored = document['score']
    entries = {task['file']: task for task in document['tasks']}
    tests = []
    for number, entry in enumerate(scored['files']):
        found = entries.get(entry['file'], {}).get('findings', [])
        for index, row in enumerate(entry['checks'], 1):
            if row['max'] == 0:
                continue
            named = [item for item in found
                     if row['check'] in item['check'].split(', ')]
            tests.append({
                'name': '{}: {}'.format(entry['file'], row['check']),
                'number': '{}.{}'.format(number, index),
                'score': row['points'], 'max_score': row['max'],
                'status': 'passed' if row['status'] in ('ok', 'note')
                else 'failed',
                'output': output(row['check'], row['status'], named) +
                held(entry, row),
                'visibility': VISIBILITY})
    lines = ['make check on TensorFlow {}: {}'.format(
        document['line'], document['isolation']), score.line(scored)]
    for task in document['tasks']:
        counts = report.counts(task['findings'])
        lines.append('{}: {} fail(s), {} note(s), {} skipped'.format(
            task['file'], counts['fail'], counts['note'], counts['skipped']))
    return {'score': scored['points'], 'execution_time': int(seconds),
            'output': '\n'.join(lines), 'visibility': VISIBILITY,
            'stdout_visibility': 'hidden', 'tests': tests}


def refused(said, seconds, weights=None, quick=False):
    """Returns the results.json of a submission the check could not
    take: a score of 0, said as the output, and a failed test per check
    worth points, so the learner sees what was not checked."""
    empty = score.score({"tasks": [], "quick": quick}, weights)
    result = results({'line': '', 'isolation': '', 'tasks': [],
                      'score': empty}, seconds)
    result['output'] = said
    for test in result['tests']:
        test['output'] = 'not checked: ' + said
    return result
