#!/usr/bin/env python3
"""`make test-docs`: writes the figures of the last `make test` into
docs/testing.md, so that the page shows the run it describes, not one
copied by hand: per line what passed and skipped (and why), how long it
took and its slowest tests, the whole run's time, the CPU and the
settings. It reads what `make test` leaves in .venv: results (a line
per TensorFlow line, and the run's seconds), environments (the seconds
each line's environment took to make, or to find made) and
pytest-tf<line>.log.

`make test` ends with `python -m tools.suite --summary`: where the time
went, per line (its tests' time, its environment's, its twenty slowest
tests), beside the budget of this kind of CPU (BUDGETS), saying plainly
which line went over and which tests grew against the durations of the
run docs/testing.md shows (DURATIONS, written with it). It never fails
for time: a budget is printed, never asserted.

    python -m tools.suite [results] [docs/testing.md]
    python -m tools.suite --summary [results]
"""
import collections
import json
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
# or a part of a line's tests: "TF 2.15 a: ..."
LINE = re.compile(r'^TF ([0-9.]+)(?: ([a-z]+))?: (.*?) in ([0-9.]+)s')
# a skip reason and its count, in a results line's skipped field
REASON = re.compile(r'(.*) \(([0-9]+)\)$')
SLOW = re.compile(r'^([0-9.]+)s (call|setup|teardown) +(\S+)')
COUNTS = re.compile(r'([0-9]+) (passed|failed|skipped|errors?)')
# The durations of the run docs/testing.md shows, per kind of CPU and
# line: {kind: {line: {"call tests/...::test": seconds}}}
DURATIONS = os.path.join(ROOT, 'docs', 'testing-durations.json')
# What make test may take on a clean clone whose environments were made
# once on the machine (issue 48's target), per kind of CPU: each line's
# tests, and the whole run, in seconds. Two jobs run at once, so each
# line's own time is longer than alone; the budget of a line is its
# measured time (docs/testing.md) with about a fifth more.
BUDGETS = {
    'AVX-512': {'1.15': 300, '2.15': 660, '1.12': 300, '2.21': 480,
                'make test': 15 * 60},
    'AVX2': {'1.15': 600, '2.15': 1320, '1.12': 600, '2.21': 960,
             'make test': 30 * 60},
}
# a test grew where it took this many times its reference, and at least
# GREW_BY seconds more
GREW, GREW_BY = 1.5, 10


def field(text, name):
    """Returns the part of a results line after 'name: ', up to the next
    '; name:' field (skipped, the last, to the end), or ''."""
    if name == 'skipped':
        return text.split('; skipped: ', 1)[1] if '; skipped: ' in text \
            else ''
    match = re.search(r'(?:^|; ){}: (.*?)(?=; [a-z ]+: |$)'.format(
        re.escape(name)), text)
    return match.group(1).strip() if match else ''


def cpu_kind(flags=None):
    """Returns the kind of CPU whose budget applies: 'AVX-512' where the
    CPU has avx512f, else 'AVX2' (tools.speed.cpu_info's flags)."""
    if flags is None:
        from tools import speed
        flags = speed.cpu_info().get('flags', '').split()
    return 'AVX-512' if 'avx512f' in flags else 'AVX2'


def logs(folder, line):
    """Returns the pytest logs of a line in folder: pytest-tf<line>.log, or
    one a part of its tests (pytest-tf<line>-a.log, ...)."""
    return sorted(os.path.join(folder, name) for name in (
        os.listdir(folder) if os.path.isdir(folder) else [])
        if name == 'pytest-tf{}.log'.format(line) or
        name.startswith('pytest-tf{}-'.format(line)) and
        name.endswith('.log'))


def durations(paths):
    """Returns {"phase test id": seconds} of the slowest durations that
    the pytest logs at paths list, slowest first (an empty dict without
    them)."""
    found = {}
    for log in paths:
        with open(log) as source:
            for line in source:
                match = SLOW.match(line)
                if match:
                    found.setdefault('{} {}'.format(
                        match.group(2), match.group(3)),
                        float(match.group(1)))
    return dict(sorted(found.items(), key=lambda item: -item[1]))


def grown(now, before):
    """Returns [(test, seconds before, seconds now)] of the tests of now
    that took GREW times their time before and GREW_BY seconds more, or
    that were not among the slowest before and take more than the
    slowest listed then did plus GREW_BY."""
    if not before:
        return []
    floor = min(before.values())
    found = []
    for test, seconds in now.items():
        then = before.get(test)
        if then is None and seconds > floor + GREW_BY or \
                then is not None and seconds > then * GREW and \
                seconds > then + GREW_BY:
            found.append((test, then, seconds))
    return found


def merged(rows):
    """Returns make test's results rows with each line's parts (TF 2.15
    a, TF 2.15 b) made one row, as a line run whole writes it: the
    counts and seconds added, the skip reasons' counts added, the other
    fields the first part's."""
    found, other = collections.OrderedDict(), []
    for row in rows:
        match = LINE.match(row)
        if not match:
            other.append(row)
            continue
        line, _, summary, seconds = match.groups()
        if line not in found:
            found[line] = {'counts': {}, 'seconds': 0.0, 'row': row,
                           'skipped': collections.OrderedDict()}
        entry = found[line]
        for number, kind in COUNTS.findall(summary):
            kind = 'errors' if kind.startswith('error') else kind
            entry['counts'][kind] = entry['counts'].get(kind, 0) + \
                int(number)
        entry['seconds'] += float(seconds)
        # a reason may hold '; ' itself: it ends at its count
        reason = ''
        for piece in field(row, 'skipped').split('; '):
            reason = reason + '; ' + piece if reason else piece
            said = REASON.match(reason)
            if said:
                entry['skipped'][said.group(1)] = entry['skipped'].get(
                    said.group(1), 0) + int(said.group(2))
                reason = ''
    rows = []
    for line, entry in found.items():
        counts = ', '.join('{} {}'.format(entry['counts'][kind], kind)
                           for kind in ('failed', 'passed', 'skipped',
                                        'errors')
                           if kind in entry['counts'])
        rest = entry['row'].split('; ', 1)[1] if '; ' in entry['row'] \
            else ''
        rest = rest.split('; skipped: ')[0]
        rows.append('TF {}: {} in {:.2f}s; {}; skipped: {}'.format(
            line, counts, entry['seconds'], rest, '; '.join(
                '{} ({})'.format(reason, count) for reason, count in
                entry['skipped'].items()) or 'none'))
    return rows + other


def results_rows(path):
    """Returns make test's results rows, each line's parts merged (an
    empty list without the file)."""
    if not os.path.exists(path):
        return []
    with open(path) as source:
        return merged([line.rstrip('\n') for line in source
                       if line.strip()])


def read_results(path):
    """Returns ({line: (summary, seconds)}, the run's seconds or None) from
    make test's results."""
    lines, total = {}, None
    for row in results_rows(path):
        if row.startswith('make test took '):
            total = float(row.split()[3])
        match = LINE.match(row)
        if match:
            lines[match.group(1)] = (match.group(3), float(match.group(4)))
    return lines, total


def read_environments(path):
    """Returns {line: seconds} its environment took, from make test's
    environments file."""
    found = {}
    if os.path.exists(path):
        with open(path) as source:
            for row in source:
                line, _, seconds = row.partition(':')
                if line.startswith('TF ') and seconds.strip().isdigit():
                    found[line[3:]] = int(seconds)
    return found


def summary(results_path, kind=None, references=None):
    """Returns the text make test ends with: per line its tests' time
    beside the budget, its environment's time and its twenty slowest
    tests; the run's time beside its budget; then each line over its
    budget said plainly, with the tests that grew against references
    ({line: durations}, by default the DURATIONS of this kind of CPU)."""
    kind = kind or cpu_kind()
    budget = BUDGETS[kind]
    if references is None:
        references = {}
        if os.path.exists(DURATIONS):
            with open(DURATIONS) as source:
                references = json.load(source).get(kind, {})
    folder = os.path.dirname(results_path)
    lines, total = read_results(results_path)
    made = read_environments(os.path.join(folder, 'environments'))
    text = ['', '== where make test\'s time went (a CPU with {}: its '
            'budgets)'.format(kind)]
    over = []
    for line in sorted(lines, key=lambda line: -lines[line][1]):
        seconds = lines[line][1]
        limit = budget.get(line)
        text.append('TF {}: tests {}{}; environment {}'.format(
            line, minutes(seconds), ' (budget {})'.format(minutes(limit))
            if limit else '', '{} s'.format(made[line]) if line in made
            else 'not timed'))
        now = durations(logs(folder, line))
        for test, taken in list(now.items())[:20]:
            text.append('  {:7.1f} s  {}'.format(taken, test))
        if limit and seconds > limit:
            over.append((line, seconds, limit,
                         grown(now, references.get(line, {}))))
    if total is not None:
        text.append('make test: {} in all (budget {})'.format(
            minutes(total), minutes(budget['make test'])))
        if total > budget['make test']:
            over.append(('make test', total, budget['make test'], []))
    for line, seconds, limit, grew in over:
        text.append('OVER BUDGET: {} took {}, over its {} on a CPU with '
                    '{}{}'.format(
                        'TF ' + line if line != 'make test' else line,
                        minutes(seconds), minutes(limit), kind,
                        '' if line == 'make test' else
                        '; tests that grew against docs/testing.md\'s run: '
                        + (', '.join('{} {} -> {:.0f} s'.format(
                            test, 'new' if then is None else
                            '{:.0f} s'.format(then), now)
                            for test, then, now in grew) or
                            'none of its slowest: many small ones')))
    if not over:
        text.append('within the budget')
    return '\n'.join(text)


def write_durations(results_path, path=DURATIONS, kind=None):
    """Keeps the slowest durations of each line of the run in path, under
    this kind of CPU, the other kinds' kept: the reference against which
    make test says which tests grew."""
    kind = kind or cpu_kind()
    kept = {}
    if os.path.exists(path):
        with open(path) as source:
            kept = json.load(source)
    folder = os.path.dirname(results_path)
    kept[kind] = dict((line, durations(logs(folder, line)))
                      for line in read_results(results_path)[0])
    files.write_text(path, json.dumps(kept, indent=1, sort_keys=True) + '\n')


def slowest(paths, count=3):
    """Returns the count slowest tests of pytest logs, as text."""
    return ', '.join('{} {:.0f} s'.format(test.split()[1].split('/')[-1],
                                          seconds)
                     for test, seconds in list(
                         durations(paths).items())[:count])


def minutes(seconds):
    """Returns seconds as 'M min S s'."""
    seconds = int(round(float(seconds)))
    return '{} min {} s'.format(seconds // 60, seconds % 60)


def section(results_path):
    """Returns the markdown of the last run's figures."""
    if not os.path.exists(results_path):
        raise ValueError('{} is missing: run make test first'.format(
            results_path))
    lines, total, cpu, settings = [], None, set(), set()
    for row in results_rows(results_path):
        if row.startswith('make test took '):
            total = row.split()[3]
            continue
        match = LINE.match(row)
        if not match:
            continue
        line, _, said, seconds = match.groups()
        counts = dict((kind, number) for number, kind in
                      COUNTS.findall(said))
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
                         slowest(logs(os.path.dirname(results_path),
                                      line))))
    if not lines:
        raise ValueError('{} holds no line of make test\'s results: run '
                         'make test first'.format(results_path))
    text = ['`make test` {}on {}, settings {}:'.format(
        'took {} '.format(minutes(total)) if total else '',
        ' and '.join(sorted(cpu)), ' / '.join(sorted(settings))), '',
        '| line | tests | time | skipped, and why | slowest tests |',
        '| --- | --- | --- | --- | --- |'] + lines + [
        '', 'Where the time went, as `make test` ended:', '', '```'] + \
        summary(results_path).strip().splitlines() + ['```']
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
    """The command line: [results] [docs page], or --summary [results]."""
    if arguments[:1] == ['--summary']:
        print(summary(arguments[1] if len(arguments) > 1 else os.path.join(
            ROOT, '.venv', 'results')))
        return 0
    results = arguments[0] if arguments else os.path.join(
        ROOT, '.venv', 'results')
    docs = arguments[1] if len(arguments) > 1 else os.path.join(
        ROOT, 'docs', 'testing.md')
    try:
        write(results, docs)
        if docs == os.path.join(ROOT, 'docs', 'testing.md'):
            write_durations(results)
        write_variables(VARIABLES_PAGE)
    except (ValueError, OSError) as error:
        print('make test-docs:', error, file=sys.stderr)
        return 1
    print('figures of', results, 'written to', docs)
    print('the environment variables written to', VARIABLES_PAGE)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
