#!/usr/bin/env python3
"""The score of a learner's folder: what each check is worth, and what
the findings earn.

Every check a task's findings can name is listed here, in the order
they run (checks(), every_check(); a test holds the list to the judge's
code). A check that can fail is worth points. By default each task file
is worth the same (POINTS, 100 over the four), weighed by what a check
shows (docs/check.md, The score): the conventions around the code
(TEXT: first line, run bit, pycodestyle, docstrings, ...) share a tenth
of a file's points (CONVENTIONS), what the exercise teaches (the model
the file builds, its loss, its training, what the spec's main prints)
shares the rest, a share each; and a file whose model is wrong in what
its task exists to teach (a fail of a CORE check: the wrong layers, no
L1 on the code, a VAE that decodes the mean or does not sample, a wrong
loss, the encoder's outputs out of order) keeps at most CAP percent of
its points. A teacher's weights file gives other points to a file,
other shares to a check and another cap (read_weights).

A check earns its points where it ran and did not fail: ok and note
earn, a fail loses them. A check that did not run (skipped, or never
reached) earns nothing either: its points are lost with the fail that
kept it from running, which the skip names; a file that does not parse
must not keep the points of the thirty checks it stopped. Some checks
speak only when they fail (GATES: file, parses, builds, ...): they
passed where the check after them ran (answers, finishes and side
effects: where the import ran). Checks that only note (auto.layers, KL
in the loss, sampling layer) or only stand for others (module, VAE) are
worth nothing of their own."""
from tools.check import FILES, TASKS

# points of each task file where no weights file says otherwise
POINTS = 100.0 / len(TASKS)
TEXT = ['file', 'first line', 'executable', 'final newline', 'line endings',
        'pycodestyle', 'parses', 'docstrings', 'imports', 'function',
        'keywords']
MODULE = ['import', 'quiet import', 'answers', 'finishes', 'builds',
          'quiet build', 'arguments kept', 'returns', 'layers',
          'auto nests the models', 'optimizer', 'loss', 'metrics',
          'computes']
OWN = {'sparse': ['L1 on the code'],
       'variational': ['encoder outputs', 'z spread', 'auto decodes z']}
AFTER = ['side effects']
TRAINING = ['untrained loss', 'trained loss']
MAINS = ['main', 'main prints', 'first loss']
# the share of a file's points its conventions (TEXT) keep by default;
# what the exercise teaches shares the rest
CONVENTIONS = 0.1
# a fail of one of these: the file's model is wrong in what its task
# exists to teach (it does not build or return the models, has the wrong
# layers or loss, computes other than its layers say, trains to nothing,
# has no L1 on its code, or is a VAE whose encoder outputs, sampling or
# decoding are wrong); the file then keeps at most CAP percent of its
# points, whatever else passed
CORE = ['builds', 'returns', 'layers', 'auto nests the models', 'loss',
        'computes', 'L1 on the code', 'encoder outputs', 'z spread',
        'auto decodes z', 'trained loss']
CAP = 50.0
# checks worth nothing of their own: notes alone, or a stand-in for the
# checks it kept from running (their points are lost with it)
UNSCORED = ['module', 'VAE', 'auto.layers', 'KL in the loss',
            'sampling layer']
# a check that speaks only when it fails, and the check whose finding
# shows it was passed (that check ran: not skipped); side effects speaks
# on Python 3.6 and 3.7 only when a file was left (no audit hooks)
GATES = {'file': 'first line', 'parses': 'docstrings',
         'answers': 'import', 'finishes': 'import', 'side effects': 'import',
         'builds': 'quiet build', 'returns': 'layers'}
# the statuses of a check in the score: those of the findings, and
# 'not run' where none names it; the first that any finding has wins
ORDER = ('fail', 'skipped', 'note', 'ok')


def checks(task, quick=False):
    """Returns the checks of a task that are worth points, in the order
    they run; quick leaves out what trains."""
    return TEXT + MODULE + OWN.get(task.name, []) + AFTER + (
        [] if quick else TRAINING + MAINS)


def every_check(task):
    """Returns every check name a finding of the task can have."""
    return checks(task) + UNSCORED


class WeightsError(ValueError):
    """A weights file that cannot be used, saying where and why."""


def read_weights(path):
    """Returns {(task file, check or None): weight} from a teacher's
    weights file, one entry a line (docs/check.md, The score), and the
    cap under the key (None, 'cap') where the file sets it:

        0-vanilla.py = 10            the file's points (default 25)
        3-variational.py: loss = 3   the check's share of them (default 1
                                     for what the exercise teaches; the
                                     conventions share a tenth)
        cap = 100                    the percent of its points a file
                                     whose CORE check failed keeps at
                                     most (default 50; 100: no cap)

    Blank lines and # comments are passed over. Raises WeightsError
    naming the line of an unknown file or check, a weight that is no
    number or is negative, an entry given twice, or a file whose checks
    would share nothing."""
    try:
        with open(path, encoding='utf-8') as source:
            lines = source.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise WeightsError('WEIGHTS={}: cannot be read: {}'.format(
            path, error))
    weights = {}
    for number, line in enumerate(lines, 1):
        text = line.split('#', 1)[0].strip()
        if not text:
            continue
        where = 'WEIGHTS={} line {}'.format(path, number)
        name, equals, value = text.rpartition('=')
        if not equals:
            raise WeightsError('{}: expected "FILE = POINTS" or "FILE: '
                               'CHECK = SHARE", found {!r}'.format(
                                   where, text))
        file, _, check = (part.strip() for part in name.partition(':'))
        if file == 'cap' and not check:
            try:
                cap = float(value)
            except ValueError:
                cap = -1
            if not 0 <= cap <= 100:
                raise WeightsError('{}: expected a cap of 0 to 100 (the '
                                   'percent of its points a file whose '
                                   'model is wrong keeps), found {!r}'
                                   .format(where, value.strip()))
            if (None, 'cap') in weights:
                raise WeightsError('{}: the cap is given twice'.format(
                    where))
            weights[(None, 'cap')] = cap
            continue
        task = next((task for task in TASKS if task.file == file), None)
        if task is None:
            raise WeightsError('{}: unknown task file {!r}; the task files '
                               'are {}'.format(where, file, ', '.join(FILES)))
        if check and check not in checks(task):
            raise WeightsError('{}: {} has no check {!r} worth points; its '
                               'checks are {}'.format(
                                   where, file, check,
                                   ', '.join(checks(task))))
        try:
            weight = float(value)
        except ValueError:
            raise WeightsError('{}: expected a number after =, found '
                               '{!r}'.format(where, value.strip()))
        if not weight >= 0 or weight == float('inf'):
            raise WeightsError('{}: expected a weight of 0 or more, found '
                               '{}'.format(where, value.strip()))
        key = (file, check or None)
        if key in weights:
            raise WeightsError('{}: {} is given a weight twice'.format(
                where, file + (': ' + check if check else '')))
        weights[key] = weight
    for task in TASKS:
        if weights.get((task.file, None), POINTS) > 0 and not any(
                share > 0 for share in shares(task, weights, quick=True)):
            raise WeightsError('WEIGHTS={}: {} is worth points but every '
                               'check of it is given 0'.format(
                                   path, task.file))
    return weights


def shares(task, weights=None, quick=False):
    """Returns the share of each of the task's checks (checks(task,
    quick)), from weights where they name it, else by default: 1 for a
    check of what the exercise teaches, and for a convention (TEXT) a
    share such that the conventions together hold CONVENTIONS of the
    file's points against what the others hold."""
    weights = weights or {}
    names = checks(task, quick)
    taught = sum(weights.get((task.file, check), 1.0) for check in names
                 if check not in TEXT)
    convention = taught * CONVENTIONS / (1 - CONVENTIONS) / len(
        [check for check in names if check in TEXT])
    return [weights.get((task.file, check),
                        convention if check in TEXT else 1.0)
            for check in names]


def status_of(check, found):
    """Returns a check's status from the findings of its task (merged or
    not): that of its findings, a gate's 'ok' where the check after it
    ran (passed, noted or failed: not skipped), else 'not run'."""
    named = [item['status'] for item in found
             if check in item['check'].split(', ')]
    for status in ORDER:
        if status in named:
            return status
    if check in GATES and status_of(GATES[check], found) in (
            'ok', 'note', 'fail'):
        return 'ok'
    return 'not run'


# the score's unit: a ten-thousandth of a point (four decimals: a
# check of a 31st of 25 points is 0.8065)
UNIT = 10000


def apportioned(total, shares):
    """Returns total (whole units) split in proportion to shares, in whole
    units that sum to total exactly: each its share rounded down, the
    units left given to the largest remainders (the first of equal ones
    first). A platform that adds the checks' points up (Gradescope) then
    finds the file's to the last digit."""
    if not sum(shares):
        return [0] * len(shares)
    exact = [total * share / sum(shares) for share in shares]
    parts = [int(part) for part in exact]
    largest = sorted(range(len(shares)), key=lambda at: parts[at] - exact[at])
    for at in largest[:total - sum(parts)]:
        parts[at] += 1
    return parts


def worth_of(names, worth, parts):
    """Returns the units each check of names is worth, worth (whole
    units) shared by their parts: first between the conventions (TEXT)
    and the rest, then within each, so that the conventions' units add up
    to their share exactly (a tenth of 25 points is 25000 units, never
    24999)."""
    kinds = [check in TEXT for check in names]
    blocks = apportioned(worth, [
        sum(part for part, kind in zip(parts, kinds) if kind == which)
        for which in (True, False)])
    values = [0] * len(names)
    for which, block in zip((True, False), blocks):
        at = [i for i, kind in enumerate(kinds) if kind == which]
        for i, value in zip(at, apportioned(block, [parts[i] for i in at])):
            values[i] = value
    return values


def shown(points):
    """Returns points as text: two decimals at most (96.15, 25)."""
    return '{:g}'.format(round(points, 2))


def score(document, weights=None):
    """Returns the score of a folder's JSON document (tools.check.judge.
    report.document): {'points', 'max', 'files': [{'file', 'points',
    'max', 'capped', 'checks': [{'check', 'status', 'points', 'max'}]}]},
    capped naming the CORE checks that failed, where the cap holds the
    file's points (else empty), every
    task file listed (one the folder lacks earns nothing); weights as
    read_weights returns them, or None for the default. Every number is
    a whole count of UNITs, and each sum is the sum of its parts as
    written: a file's points of its checks', the score of its files'."""
    weights = weights or {}
    cap = weights.get((None, 'cap'), CAP)
    quick = document.get('quick', False)
    entries = {task['file']: task for task in document.get('tasks', [])}
    files, points, most = [], 0, 0
    for task in TASKS:
        names = checks(task, quick)
        worth = int(round(weights.get((task.file, None), POINTS) * UNIT))
        values = worth_of(names, worth, shares(task, weights, quick))
        found = entries[task.file]['findings'] \
            if task.file in entries else None
        statuses = [status_of(check, found) if found is not None
                    else 'absent' for check in names]
        gained = [value if status in ('ok', 'note') else 0
                  for value, status in zip(values, statuses)]
        # the model wrong in what the task teaches: what the file's
        # other checks earned is cut down to the cap, check by check in
        # proportion, in whole units (their sum still the file's points)
        wrong = [check for check, status in zip(names, statuses)
                 if check in CORE and status == 'fail'] if cap < 100 else []
        limit = int(worth * cap / 100.0)
        if wrong and sum(gained) > limit:
            gained = apportioned(limit, gained)
        earned = sum(gained)
        rows = [{'check': check, 'status': status, 'points': got / UNIT,
                 'max': value / UNIT}
                for check, status, got, value in zip(names, statuses,
                                                     gained, values)]
        files.append({'file': task.file, 'points': earned / UNIT,
                      'max': worth / UNIT, 'checks': rows,
                      'capped': wrong})
        points += earned
        most += worth
    return {'points': points / UNIT, 'max': most / UNIT, 'files': files}


def line(scored):
    """Returns the score as one line of text."""
    return 'score: {} / {} ({})'.format(
        shown(scored['points']), shown(scored['max']), ', '.join(
            '{} {}/{}{}'.format(entry['file'], shown(entry['points']),
                                shown(entry['max']), capped(entry))
            for entry in scored['files']))


def capped(entry):
    """Returns what a file's score says of its cap: ' (capped: the
    model is wrong: layers)' where the cap holds its points, else ''."""
    if not entry.get('capped'):
        return ''
    return ' (capped: the model is wrong: {})'.format(
        ', '.join(entry['capped']))
