#!/usr/bin/env python3
"""The findings of one learner's folder, merged one per cause and said as
text (a block per task, then a table and the score) or as the JSON that
a class run keeps per learner and `FORMAT=json` prints."""
import re

from tools.check.judge import score

# numbers, which merging passes over: one cause in two configurations
NUMBERS = re.compile(r'-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?')
MARKS = {'ok': 'ok', 'fail': 'FAIL', 'note': 'NOTE', 'skipped': 'SKIP'}
# the learner's file and line a crash names
LINE = re.compile(r'raising ([^:\s]+\.py):([0-9]+):')
# what would act rather than show in a terminal, an XML file or a page:
# control characters (C0 but the tab and the newline, DEL, C1: an escape
# sequence that moves the cursor, clears a line or retitles a window;
# what XML 1.0 cannot hold) and the marks that reorder text as it is
# shown (bidirectional overrides)
ACTING = re.compile(u'[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e'
                    u'\u2066-\u2069]')


def plain(text):
    """Returns text (a learner's folder name, what their code printed or
    raised) with every ACTING character written as its escape (\\x1b),
    so that it shows as itself wherever a report goes."""
    return ACTING.sub(lambda found: ascii(found.group())[1:-1], text)


def plain_finding(item):
    """Returns a finding whose texts are plain()."""
    return {key: plain(value) if isinstance(value, str) else
            [plain(part) for part in value] if key == 'where' else value
            for key, value in item.items()}


def merge(findings):
    """Returns findings with those of one cause made one: the same likely
    cause, or the same sentence, in several configurations or checks
    becomes one finding naming every check, saying what each found and
    listing every configuration; the oks of a check likewise."""
    merged, index = [], {}
    for item in findings:
        if item['status'] == 'ok':
            key = ('ok', item['check'])
        else:
            key = (item['status'], NUMBERS.sub('#', item.get('cause') or
                                               item['said'] or item['check']))
        if key not in index:
            index[key] = len(merged)
            merged.append(dict(item))
            continue
        kept = merged[index[key]]
        checks = kept['check'].split(', ')
        if item['check'] not in checks:
            kept['check'] = ', '.join(checks + [item['check']])
            if item['said'] and NUMBERS.sub('#', item['said']) not in \
                    NUMBERS.sub('#', kept['said']):
                kept['said'] += '; {}: {}'.format(
                    item['check'], item['said'])
        for place in item.get('where', []):
            if place not in kept.setdefault('where', []):
                kept['where'].append(place)
    return merged


def details(found, status):
    """Returns the findings of found (a check's) that have status as text
    for a platform's report (JUnit, Gradescope): what was found, then the
    cause, the learner's line, why and where, a line each; a block each."""
    blocks = []
    for item in found:
        if item['status'] != status:
            continue
        place = LINE.search(item.get('said', ''))
        parts = [item['said']] + [
            '{}: {}'.format(name, value) for name, value in (
                ('cause', item.get('cause')),
                ('line', ':'.join(place.groups()) if place else ''),
                ('why', item.get('why')),
                ('where', '; '.join(item.get('where', [])))) if value]
        blocks.append('\n'.join(part for part in parts if part))
    return '\n\n'.join(blocks)


def counts(findings):
    """Returns {status: how many findings have it}."""
    return {status: sum(item['status'] == status for item in findings)
            for status in MARKS}


def status(tasks):
    """Returns 'fail' where a finding of tasks failed, else 'ok'."""
    return 'fail' if any(item['status'] == 'fail' for task in tasks
                         for item in task['findings']) else 'ok'


def document(folder, line, isolation, tasks, quick=False, weights=None):
    """Returns the JSON document of one folder: tasks is a list of
    (task, findings); quick, whether what trains was left out; its score
    from weights (tools.check.judge.score, None for the default)."""
    entries = [{'task': task.number, 'file': task.file,
                'findings': [plain_finding(item) for item in merge(found)]}
               for task, found in tasks]
    found = {'folder': plain(folder), 'line': line,
             'isolated': isolation[0],
             'isolation': isolation[1], 'status': status(entries),
             'quick': bool(quick), 'tasks': entries}
    found['score'] = score.score(found, weights)
    return found


def text(document, verbose=False):
    """Returns a folder's document as text: its first line says where
    and how the code ran, then a block per task: each fail, note and
    skip in full, and the checks that passed counted in one line (listed
    one by one where verbose); then the table."""
    lines = ['make check {} on TensorFlow {}: {}'.format(
        document['folder'], document['line'], document['isolation']), '']
    for task in document['tasks']:
        lines.append('Task {}: {}'.format(task['task'], task['file']))
        passed = [item['check'] for item in task['findings']
                  if item['status'] == 'ok']
        for item in task['findings']:
            if item['status'] == 'ok' and not verbose:
                continue
            lines.append('  {:<5} {}{}'.format(
                MARKS[item['status']], item['check'],
                ': ' + item['said'] if item['said'] else ''))
            if item['status'] == 'ok':
                continue
            if item.get('cause'):
                lines.append('        cause: ' + item['cause'])
            if item['why']:
                lines.append('        why: ' + item['why'])
            if len(item.get('where', [])) > 0:
                lines.append('        where: ' + '; '.join(item['where']))
        if passed and not verbose:
            lines.append('  ok    {} {}check(s) passed (VERBOSE=1 lists '
                         'them)'.format(len(passed), 'other ' if len(
                             passed) < len(task['findings']) else ''))
        lines.append('')
    lines += ['| task | file | checks | ok | fails | notes | skipped | '
              'score |', '| --- | --- | --- | --- | --- | --- | --- | --- |']
    scored = {entry['file']: entry for entry in document['score']['files']}
    for task in document['tasks']:
        count = counts(task['findings'])
        lines.append('| {} | {} | {} | {} | {} | {} | {} | {}/{} |'
                     .format(task['task'], task['file'],
                             len(task['findings']), count['ok'],
                             count['fail'], count['note'], count['skipped'],
                             score.shown(scored[task['file']]['points']),
                             score.shown(scored[task['file']]['max'])))
    return '\n'.join(lines + ['', score.line(document['score'])])


# what a spreadsheet reads as a formula at the start of a cell
FORMULA = ('=', '+', '-', '@', '\t', '\r')


def csv_text(rows):
    """Returns the text of a CSV file of rows (RFC 4180: quoted where
    needed; numbers written as 12.5, not '12.5'). A text a spreadsheet
    would read as a formula (a learner's folder named =HYPERLINK(...),
    a cause quoting what they printed) starts with a ' that Excel,
    LibreOffice and Google Sheets take as "this is text" (OWASP's advice
    on CSV injection); numbers stay numbers."""
    import csv
    import io
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator='\r\n').writerows(
        [[csv_cell(value) for value in row] for row in rows])
    return buffer.getvalue()


def csv_cell(value):
    """Returns value as a CSV cell: a number as it reads, a text that
    would start a formula behind a '."""
    if isinstance(value, float):
        return '{:.10g}'.format(value)
    if isinstance(value, str) and value.startswith(FORMULA):
        return "'" + value
    return value
