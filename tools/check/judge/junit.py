#!/usr/bin/env python3
"""A folder's findings as JUnit XML (`make check FORMAT=junit`), the
test report CI systems read: GitHub Actions' test reporters, GitLab's
artifacts:reports:junit, GitHub Classroom's runners.

One <testsuite> per task file checked and one <testcase> per check its
findings name (classname the task file, name the check); a finding that
names several checks stands in each. A check's status is its findings'
(tools.check.judge.score.status_of): a fail is a <failure> whose message
is what was found and whose text the cause, the learner's line, why and
where; a skip is <skipped>; a note passes, its text in <system-out>.
Each suite's properties hold the file's score (and, where the cap held
it, the checks that show its model is wrong)."""
import xml.etree.ElementTree as ElementTree

from tools.check.judge import report, score


def cases(task):
    """Returns [(check, status, its findings)] of a task's entry in the
    JSON document, in the order the findings name them."""
    names = []
    for item in task['findings']:
        for check in item['check'].split(', '):
            if check not in names:
                names.append(check)
    return [(check, score.status_of(check, task['findings']),
             [item for item in task['findings']
              if check in item['check'].split(', ')]) for check in names]


def xml(document):
    """Returns the JUnit XML of a folder's JSON document."""
    suites = ElementTree.Element('testsuites', name='make check')
    scored = {entry['file']: entry for entry in document['score']['files']}
    totals = {'tests': 0, 'failures': 0, 'skipped': 0}
    for task in document['tasks']:
        listed = cases(task)
        counts = {'tests': len(listed),
                  'failures': sum(status == 'fail' for _, status, _ in listed),
                  'skipped': sum(status == 'skipped'
                                 for _, status, _ in listed)}
        suite = ElementTree.SubElement(
            suites, 'testsuite', name=task['file'], errors='0', time='0',
            **{key: str(value) for key, value in counts.items()})
        properties = ElementTree.SubElement(suite, 'properties')
        for name in ('points', 'max'):
            ElementTree.SubElement(
                properties, 'property', name='score ' + name,
                value='{:.10g}'.format(scored[task['file']][name]))
        if scored[task['file']].get('capped'):
            ElementTree.SubElement(
                properties, 'property', name='score capped',
                value='the model is wrong: ' + ', '.join(
                    scored[task['file']]['capped']))
        for check, status, found in listed:
            case = ElementTree.SubElement(suite, 'testcase',
                                          classname=task['file'], name=check,
                                          time='0')
            if status == 'fail':
                failed = [item for item in found if item['status'] == 'fail']
                failure = ElementTree.SubElement(
                    case, 'failure', type='fail', message='; '.join(
                        item['said'] for item in failed))
                failure.text = report.details(found, 'fail')
            elif status == 'skipped':
                ElementTree.SubElement(case, 'skipped', message='; '.join(
                    item['said'] for item in found
                    if item['status'] == 'skipped'))
            elif status == 'note':
                ElementTree.SubElement(case, 'system-out').text = \
                    'NOTE ' + report.details(found, 'note')
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set('errors', '0')
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
        suites, encoding='unicode') + '\n'
