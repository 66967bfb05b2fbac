#!/usr/bin/env python3
"""`make test-docs`: writes the figures of the last `make test` into
docs/testing.md, so that the page shows the run it describes, not one
copied by hand: per line what passed and skipped (and why), how long it
took and its slowest tests, the whole run's time, the CPU and the
settings. It reads what `make test` leaves in .venv: results (a line
per TensorFlow line, and the run's seconds) and pytest-tf<line>.log.

    python -m tools.suite [results] [docs/testing.md]
"""
import os
import re
import sys

from helpers import files, variables

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the page of the environment variables, and the lines between which it
# holds helpers.variables.table()
VARIABLES_PAGE = os.path.join(ROOT, 'docs', 'variables.md')
MARKERS = ('<!-- helpers.variables.table() -->',
           '<!-- end of the table -->')
BEGIN = '<!-- make test-docs writes what follows, from make test\'s run -->'
END = '<!-- end of what make test-docs writes -->'
# "TF 2.15: 311 passed, 5 skipped, 18 warnings in 277.17s (0:04:37); ..."
LINE = re.compile(r'^TF ([0-9.]+): (.*?) in ([0-9.]+)s')
SLOW = re.compile(r'^([0-9.]+)s (call|setup|teardown) +(\S+)')
COUNTS = re.compile(r'([0-9]+) (passed|failed|skipped|errors?)')


def field(text, name):
    """Returns the part of a results line after 'name: ', up to the next
    '; name:' field (skipped, the last, to the end), or ''."""
    if name == 'skipped':
        return text.split('; skipped: ', 1)[1] if '; skipped: ' in text \
            else ''
    match = re.search(r'(?:^|; ){}: (.*?)(?=; [a-z ]+: |$)'.format(
        re.escape(name)), text)
    return match.group(1).strip() if match else ''


def slowest(log, count=3):
    """Returns the count slowest tests of a pytest log, as text."""
    if not os.path.exists(log):
        return ''
    with open(log) as source:
        found = [SLOW.match(line) for line in source]
    found = [match for match in found if match][:count]
    return ', '.join('{} {:.0f} s'.format(
        match.group(3).split('/')[-1], float(match.group(1)))
        for match in found)


def minutes(seconds):
    """Returns seconds as 'M min S s'."""
    seconds = int(round(float(seconds)))
    return '{} min {} s'.format(seconds // 60, seconds % 60)


def section(results_path):
    """Returns the markdown of the last run's figures."""
    with open(results_path) as source:
        rows = [line.rstrip('\n') for line in source if line.strip()]
    lines, total, cpu, settings = [], None, set(), set()
    for row in rows:
        if row.startswith('make test took '):
            total = row.split()[3]
            continue
        match = LINE.match(row)
        if not match:
            continue
        line, summary, seconds = match.groups()
        counts = dict((kind, number) for number, kind in
                      COUNTS.findall(summary))
        ran_on = field(row, 'ran on')
        cpu.add(ran_on)
        settings.add('{}; variables set: {}'.format(
            field(row, 'settings'), field(row, 'variables set')))
        lines.append('| TF {} | {} passed, {} failed, {} skipped | {} | {} '
                     '| {} |'.format(
                         line, counts.get('passed', '0'),
                         counts.get('failed', '0'),
                         counts.get('skipped', '0'), minutes(seconds),
                         field(row, 'skipped') or 'none',
                         slowest(os.path.join(os.path.dirname(results_path),
                                              'pytest-tf{}.log'.format(
                                                  line)))))
    if not lines:
        raise ValueError('{} holds no line of make test\'s results: run '
                         'make test first'.format(results_path))
    text = ['`make test` {}on {}, settings {}:'.format(
        'took {} '.format(minutes(total)) if total else '',
        ' and '.join(sorted(cpu)), ' / '.join(sorted(settings))), '',
        '| line | tests | time | skipped, and why | slowest tests |',
        '| --- | --- | --- | --- | --- |'] + lines
    return '\n'.join(text)


def write(results_path, docs_path):
    """Replaces what stands between BEGIN and END in docs_path by the
    figures of results_path."""
    with open(docs_path) as source:
        text = source.read()
    if BEGIN not in text or END not in text:
        raise ValueError('{} has no place for the figures: the lines {} '
                         'and {}'.format(docs_path, BEGIN, END))
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    files.write_text(docs_path, head + BEGIN + '\n' + section(results_path)
                     + '\n' + END + tail)


def write_variables(path):
    """Writes helpers.variables.table() into the page at path, between its
    MARKERS, leaving the rest of it as it is."""
    with open(path) as page:
        text = page.read()
    start = text.index(MARKERS[0]) + len(MARKERS[0])
    end = text.index(MARKERS[1])
    files.write_text(path, text[:start] + '\n' + variables.table() +
                     text[end:])


def main(arguments):
    """The command line: [results] [docs page]."""
    results = arguments[0] if arguments else os.path.join(
        ROOT, '.venv', 'results')
    docs = arguments[1] if len(arguments) > 1 else os.path.join(
        ROOT, 'docs', 'testing.md')
    try:
        write(results, docs)
        write_variables(VARIABLES_PAGE)
    except (ValueError, OSError) as error:
        print('make test-docs:', error, file=sys.stderr)
        return 1
    print('figures of', results, 'written to', docs)
    print('the environment variables written to', VARIABLES_PAGE)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
