#!/usr/bin/env python3
"""A class at once: `make check SOLUTIONS=<folder>`, as a teacher or a
grader runs it. Every subfolder of SOLUTIONS that holds at least one task
file is a learner's solution (hidden folders such as .git are passed
over). Each is checked by one independent command,

    python -m tools.check LEARNER --output=OUT/LEARNER.json --tasks=1

JOBS of them at a time (default: the cores), each with its own limits;
so any batch system can run them, and `--merge` (MERGE=1) builds the
table and the page from the JSONs alone. Then the class table on stdout
(learner x task: ok, or its fails and notes); one self-contained page,
OUT/class.html: the table, each learner's findings behind a click, and
the mistakes counted by cause over the class, each row naming its
learners; OUT/class.csv, a row per learner, task file and check; and
OUT/grades.csv, the gradebook: a row per learner, a score per task file
(tools.check.judge.score, from the teacher's weights where given); the
page's pictures (tools.check.runners.pictures); and which learners
handed in the same code beyond the spec's skeleton, matched against
the earlier cohorts of --prior too (tools.check.runners.similar): the
page's last section and OUT/similar.csv. A
learner whose folder breaks the checker itself is one line in the
table; the others still run. Run
again, it checks only the learners whose JSON is missing, older than
their files, or an error. The solutions are never written to: OUT
defaults to checks/<name of SOLUTIONS> in this project."""
import html
import os
import subprocess
import sys
import tempfile
from multiprocessing.pool import ThreadPool

from helpers import files, variables
from tools import check
from tools.check import FILES, ROOT, TASKS
from tools.check.judge import report, score, similarity
from tools.check.runners import pictures, sandbox, similar


def learners(solutions):
    """Returns the names of the subfolders of solutions that hold a task
    file, sorted."""
    found = []
    for name in sorted(os.listdir(solutions)):
        path = os.path.join(solutions, name)
        # a learner's folder that is a link is listed, never followed
        # (linked())
        if not name.startswith('.') and os.path.islink(path):
            found.append(name)
        elif name.startswith('.') or not os.path.isdir(path):
            continue
        elif any(os.path.lexists(os.path.join(path, file))
                 for file in FILES):
            found.append(name)
    return found


def linked(folder):
    """Returns what the class's row says of a learner whose folder is a
    symbolic link (never followed, so that no learner's link shows the
    checker another's files or the machine's), or None."""
    if os.path.islink(folder):
        return ('not checked: this learner\'s folder is a symbolic link, '
                'which the checker does not follow (nothing it points to '
                'was read); put the task files in a folder of their own')
    return None


def newest(folder):
    """Returns the newest modification time of the task files in folder
    and of the folder itself."""
    times = [os.lstat(folder).st_mtime]
    for file in FILES:
        path = os.path.join(folder, file)
        if os.path.lexists(path):
            times.append(os.lstat(path).st_mtime)
    return max(times)


def stale(folder, kept):
    """Returns True where the learner in folder must be checked: no JSON
    kept, one older than their files, or one that records an error."""
    if not os.path.isfile(kept) or os.stat(kept).st_mtime < newest(folder):
        return True
    try:
        return 'error' in files.read_json(kept)
    except files.Torn:
        return True


def learner_command(folder, kept, ours, quick, patience, seed, disk):
    """Returns the one command that checks the learner in folder and
    writes their JSON to kept, our mains' output and training kept in
    ours, the judge's questions drawn from seed (the class's), their
    code's disk limited to disk bytes (the teacher's DISK)."""
    return [sys.executable, '-m', 'tools.check', folder, '--output=' + kept,
            '--tasks=1', '--ours=' + ours, '--patience={}'.format(patience),
            '--seed={}'.format(seed), '--disk={}'.format(disk)] + (
                ['--quick'] if quick else [])


def run_learner(folder, kept, ours, quick, patience, seed, disk):
    """Checks the learner in folder with their own command, their JSON
    written to kept; returns None, or what broke the checker."""
    command = learner_command(folder, kept, ours, quick, patience, seed,
                              disk)
    with tempfile.TemporaryFile() as errors:
        try:
            code = subprocess.call(command, cwd=ROOT, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=errors,
                                   timeout=len(TASKS) * 3 * patience + 300,
                                   preexec_fn=ends_with_caller)
        except subprocess.TimeoutExpired:
            code = 'a time-out'
        errors.seek(0)
        said = [line for line in errors.read()[-4000:].decode(
            'utf-8', 'replace').splitlines() if line.strip()]
    if code in (0, 1) and os.path.isfile(kept):
        return None
    return 'the checker itself stopped ({}): {}'.format(
        'exit {}'.format(code) if isinstance(code, int) else code,
        said[-1] if said else 'nothing said')


def ends_with_caller():
    """In a learner's command before it runs: it is killed where the
    thread that started it dies (Linux), so a Dask worker killed while
    it checks leaves nothing running."""
    try:
        import ctypes
        ctypes.CDLL(None).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def broken(folder, broke):
    """Returns the JSON document of a learner the checker broke on."""
    return {'folder': folder, 'status': 'error', 'error': broke,
            'tasks': []}


def check_learner(solutions, name, out, quick, patience, seed):
    """Checks one learner here; returns (name, None) or (name, what broke
    the checker)."""
    folder = os.path.join(solutions, name)
    kept = os.path.join(out, name + '.json')
    broke = linked(folder) or run_learner(
        folder, kept, os.path.join(out, '.ours'), quick, patience, seed,
        check.DISK)
    if broke:
        files.write_json(kept, broken(folder, broke))
    return name, broke


def documents(out, names):
    """Returns {learner: their JSON document} for names, from out."""
    found = {}
    for name in names:
        try:
            found[name] = files.read_json(os.path.join(out, name + '.json'))
        except (OSError, files.Torn) as error:
            found[name] = {'status': 'error', 'tasks': [],
                           'error': 'no readable result: {}'.format(error)}
    return found


def cell(document, file):
    """Returns the table's cell of one learner's task file: ok, its
    fails and notes, - where absent, error where the checker broke."""
    if 'error' in document:
        return 'error'
    task = next((task for task in document['tasks']
                 if task['file'] == file), None)
    if task is None:
        return '-'
    count = report.counts(task['findings'])
    parts = ['{} {}{}'.format(count[status], word, '' if count[status] == 1
                              else 's')
             for status, word in (('fail', 'fail'), ('note', 'note'))
             if count[status]]
    return ', '.join(parts) or 'ok'


def scored(document, weights=None):
    """Returns a learner's document with its score (from weights, None
    for the default) made anew: a class's weights are the teacher's,
    whatever each learner's run was told."""
    if 'error' not in document:
        document = dict(document, score=score.score(document, weights))
    return document


def total(document):
    """Returns a learner's score cell: points / max, or error."""
    if 'error' in document:
        return 'error'
    return '{} / {}'.format(score.shown(document['score']['points']),
                            score.shown(document['score']['max']))


def shown(name):
    """Returns a learner's folder name as the terminal's table shows it:
    plain (tools.check.judge.report.plain), a | escaped."""
    return report.plain(name).replace('|', '\\|')


def table(results):
    """Returns the class table as Markdown: a row per learner."""
    lines = ['| learner | ' + ' | '.join(FILES) + ' | score |',
             '| --- |' + ' --- |' * (len(FILES) + 1)]
    for name, document in sorted(results.items()):
        lines.append('| {} | {} | {} |'.format(shown(name), ' | '.join(
            cell(document, file) for file in FILES), total(document)))
    errors = [(name, document['error']) for name, document in
              sorted(results.items()) if 'error' in document]
    lines += ['', '{} learner(s), {} with every check ok{}'.format(
        len(results), sum(document.get('status') == 'ok'
                          for document in results.values()),
        ''.join('\nerror: {}: {}'.format(shown(name), report.plain(said))
                for name, said in errors))]
    return '\n'.join(lines)


def mistakes(results):
    """Returns [(status, cause or said, learners, files, checks)] over the
    class, the commonest first: one row per cause (the likely cause a
    finding names, else what it found, numbers aside), whatever checks
    and files it shows in, with the learners who made it (the first
    learner's words are shown)."""
    rows, order = {}, []
    for name, document in sorted(results.items()):
        for task in document.get('tasks', []):
            for item in task['findings']:
                if item['status'] not in ('fail', 'note'):
                    continue
                what = item.get('cause') or item['said']
                key = (item['status'], report.NUMBERS.sub('#', what))
                if key not in rows:
                    rows[key] = (what, set(), set(), set())
                    order.append(key)
                row = rows[key]
                row[1].add(name)
                row[2].add(task['file'])
                row[3].update(item['check'].split(', '))
    return sorted(((key[0], rows[key][0], sorted(rows[key][1]),
                    sorted(rows[key][2]), sorted(rows[key][3]))
                   for key in order),
                  key=lambda row: (-len(row[2]), row[0] != 'fail',
                                   order.index((row[0], report.NUMBERS.sub(
                                       '#', row[1])))))


CSV = ('learner', 'task file', 'check', 'status', 'cause', 'line')


def csv_rows(results):
    """Returns the rows of OUT/class.csv: one per learner, task file and
    check (a finding naming several checks, a row each), with its
    status, its cause (or what was found) and the learner's line where a
    crash names one; a learner the checker broke on, one error row."""
    rows = [CSV]
    for name, document in sorted(results.items()):
        if 'error' in document:
            rows.append((name, '', '', 'error', document['error'], ''))
            continue
        for task in document.get('tasks', []):
            for item in task['findings']:
                found = report.LINE.search(item.get('said', ''))
                for check in item['check'].split(', '):
                    rows.append((name, task['file'], check, item['status'],
                                 item.get('cause') or item.get('said', ''),
                                 found.group(2) if found else ''))
    return rows


def grade_rows(results):
    """Returns the rows of OUT/grades.csv: a header, then one per learner
    in the order of the class table: learner, each task file's points,
    total and max (numbers as numbers; a learner the checker broke on
    has empty scores)."""
    rows = [['learner'] + FILES + ['total', 'max']]
    for name, document in sorted(results.items()):
        if 'error' in document:
            rows.append([name] + [''] * (len(FILES) + 2))
            continue
        points = {entry['file']: entry['points']
                  for entry in document['score']['files']}
        rows.append([name] + [points[file] for file in FILES] + [
            document['score']['points'], document['score']['max']])
    return rows


STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; margin: 8px 0 24px; }
th, td { border: 1px solid #ccc; padding: 4px 10px; text-align: left;
  vertical-align: top; }
th { background: #f2f2f2; }
td.ok { background: #e6f4e6; }
td.fail, td.error { background: #fbe3e3; }
td.note { background: #fff6d6; }
details { margin: 6px 0; }
summary { cursor: pointer; font-weight: 600; }
.finding { margin: 4px 0 4px 18px; }
.status { font-weight: 700; display: inline-block; width: 3.6em; }
.fail .status { color: #b00; } .note .status { color: #a60; }
.skipped .status { color: #666; }
.said, .cause, .why, .where { margin-left: 3.8em; }
.cause { color: #034; } .why, .where { color: #555; }
"""


def status_class(text):
    """Returns the CSS class of a table cell's text."""
    if text in ('ok', 'error'):
        return text
    return 'fail' if 'fail' in text else 'note' if 'note' in text else ''


def finding_html(item):
    """Returns one finding as HTML."""
    escape = html.escape
    parts = ['<div class="finding {}"><span class="status">{}</span>{}'
             .format(item['status'], report.MARKS[item['status']],
                     escape(item['check']))]
    for key, name in (('said', 'said'), ('cause', 'cause'), ('why', 'why')):
        if item.get(key):
            parts.append('<div class="{}">{}{}</div>'.format(
                name, '' if key == 'said' else key + ': ',
                escape(item[key])))
    if item.get('where'):
        parts.append('<div class="where">where: {}</div>'.format(
            escape('; '.join(item['where']))))
    return ''.join(parts) + '</div>'


def page(title, results, found=None, ranked=()):
    """Returns the class page: one self-contained HTML file, its
    pictures drawn into it (tools.check.runners.pictures); found, the
    similar code of the class (tools.check.judge.similarity), its section
    last, the pairs of learners (ranked) first in it."""
    escape = html.escape
    rows = []
    for name, document in sorted(results.items()):
        cells = [cell(document, file) for file in FILES]
        rows.append('<tr><td><a href="#{0}">{0}</a></td>{1}<td class="score">'
                    '{2}</td></tr>'.format(
                        escape(name), ''.join(
                            '<td class="{}">{}</td>'.format(
                                status_class(text), escape(text))
                            for text in cells), escape(total(document))))
    causes = mistakes(results)
    common = ['<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
              '<td>{}</td></tr>'.format(
                  len(names), report.MARKS[status], escape(what),
                  ', '.join('<a href="#{0}">{0}</a>'.format(escape(name))
                            for name in names),
                  escape(', '.join(files)), escape(', '.join(checks)))
              for status, what, names, files, checks in causes]
    learners_html = []
    for name, document in sorted(results.items()):
        body = ['<p>{}</p>'.format(escape(document['error']))] \
            if 'error' in document else []
        for task in document.get('tasks', []):
            wrong = [item for item in task['findings']
                     if item['status'] != 'ok']
            points = next(entry for entry in document['score']['files']
                          if entry['file'] == task['file'])
            body.append('<h4>{} ({} checks ok; {} / {} points)</h4>{}'
                        .format(escape(task['file']),
                                len(task['findings']) - len(wrong),
                                score.shown(points['points']),
                                score.shown(points['max']),
                                ''.join(finding_html(item)
                                        for item in wrong) or
                                '<div class="finding">every check ok</div>'))
        learners_html.append(
            '<details id="{0}"><summary>{0}: {1}</summary>{2}</details>'
            .format(escape(name), escape(document.get('status', 'error')),
                    ''.join(body)))
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<title>make check: {title}</title><style>{style}</style></head>'
            '<body><h1>make check: {title}</h1><p>{count} learner(s), '
            'checked on TensorFlow {lines}; {isolation}. Click a learner for '
            'their findings.</p>'
            '<h2>The class</h2>{scores}<table><tr><th>learner</th>{heads}'
            '<th>score</th></tr>'
            '{rows}</table><h2>The mistakes, by cause, over the class</h2>'
            '{bars}<table><tr><th>learners</th><th>status</th><th>likely '
            'cause, or what was found</th><th>who</th><th>files</th>'
            '<th>checks</th></tr>{common}</table><h2>Each learner</h2>'
            '{learners}{similar}'
            '<p>The same, a row per learner, file and check: class.csv '
            'beside this page; the scores, a row per learner: grades.csv{csv}.'
            '</p></body></html>\n'
            .format(title=escape(report.plain(title)),
                    style=STYLE + similar.STYLE, count=len(results),
                    scores=pictures.scores(results),
                    bars=pictures.mistakes(causes) if causes else '',
                    similar=similar.section(found, ranked)
                    if found is not None
                    else '', csv='; the similar pairs, a row each: '
                    'similar.csv, similar-learners.csv' if found is not None
                    else '',
                    lines=escape(', '.join(sorted(set(
                        str(document.get('line', '?'))
                        for document in results.values())))),
                    isolation=escape(next((
                        document['isolation'] for document in
                        results.values() if 'isolation' in document),
                        'nothing checked')),
                    heads=''.join('<th>{}</th>'.format(file)
                                  for file in FILES),
                    rows=''.join(rows), common=''.join(common) or
                    '<tr><td colspan="6">none</td></tr>',
                    learners=''.join(learners_html)))


def alike(solutions, priors, results):
    """Returns (the similar code of the class in solutions, matched
    against the prior folders too (tools.check.runners.similar), the pairs
    of learners who also fail for one rare cause in results saying so;
    the pairs of learners, ranked)."""
    sources = similar.sources_of(solutions, [
        folder for folder in priors if os.path.isdir(folder)])
    found = similarity.similar(sources)
    similarity.corroboration(found, results)
    return found, similarity.learners(found, sources)


def main(named, names, remote=None, weights=None):
    """--class SOLUTIONS [--out=DIR] [--jobs=N] [--merge] [--quick]
    [--scheduler=ADDRESS [--tls=DIR]] [--seed=N]: checks the class here
    or on a Dask cluster (remote: the cluster's check_class, given by the
    command line), or with --merge only reads its JSONs; prints the
    table and writes OUT/class.html, OUT/class.csv and OUT/grades.csv,
    the scores from weights (tools.check.judge.score), and with --junit
    OUT/<learner>.xml. Exit status: 0
    where every learner passed, 1 where one failed or broke the checker,
    2 where there is no learner to check, or no sandbox for one."""
    try:
        solutions, out, priors = check.class_folders(named, names, 'class')
    except ValueError as error:
        print('make check: {}'.format(error), file=sys.stderr)
        return 2
    if not os.path.isdir(solutions):
        print('make check: SOLUTIONS must be a folder of learners\' folders, '
              'got {!r}'.format(solutions), file=sys.stderr)
        return 2
    names = learners(solutions)
    if not names:
        print('make check: {} holds no folder with any of {}'.format(
            solutions, ', '.join(FILES)), file=sys.stderr)
        return 2
    os.makedirs(out, exist_ok=True)
    refused = None if 'merge' in named or named.get('scheduler') else \
        sandbox.refusal('a class')
    if refused:
        print(refused, file=sys.stderr)
        return 2
    if 'merge' not in named:
        todo = [name for name in names if stale(
            os.path.join(solutions, name), os.path.join(out, name + '.json'))]
        jobs = int(named.get('jobs') or variables.get('JOBS') or
                   os.cpu_count() or 1)
        scheduler = named.get('scheduler') or None
        print('make check: {} learner(s) in {}, {} to check, {}'.format(
            len(names), solutions, len(todo), 'on the cluster at ' +
            scheduler if scheduler else '{} at a time'.format(jobs)))
        sys.stdout.flush()
        # one seed for the class's questions, drawn anew for each run
        # (--seed asks a run's again): our own answers are computed once
        # for all its learners
        seed = int(named['seed']) if 'seed' in named else \
            int.from_bytes(os.urandom(4), 'big') % (2 ** 31)
        if scheduler:
            checked = remote(scheduler, named.get('tls') or None, solutions,
                             todo, out, 'quick' in named, check.PATIENCE,
                             seed)
        else:
            pool = ThreadPool(max(1, jobs))
            checked = pool.imap_unordered(lambda name: check_learner(
                solutions, name, out, 'quick' in named, check.PATIENCE,
                seed), todo)
        for name, broke in checked:
            print('  {}: {}'.format(shown(name), report.plain(
                broke or 'checked')))
            sys.stdout.flush()
        if not scheduler:
            pool.close()
            pool.join()
    results = documents(out, names)
    for name, document in results.items():
        results[name] = scored(document, weights)
        if results[name] != document:
            # each learner's JSON holds the score the page and the
            # gradebook show
            files.write_json(os.path.join(out, name + '.json'),
                             results[name])
    print(table(results))
    found, ranked = alike(solutions, priors, results)
    similar.write(out, found, ranked)
    files.write_text(os.path.join(out, 'class.html'),
                     page(os.path.basename(solutions), results, found,
                          ranked))
    files.write_text(os.path.join(out, 'class.csv'),
                     report.csv_text(csv_rows(results)))
    files.write_text(os.path.join(out, 'grades.csv'),
                     report.csv_text(grade_rows(results)))
    if 'junit' in named:
        from tools.check.judge import junit
        for name, document in results.items():
            if 'error' not in document:
                files.write_text(os.path.join(out, name + '.xml'),
                                 junit.xml(document))
        print('JUnit XML, a file per learner: ' +
              os.path.join(out, '<learner>.xml'))
    print('page: ' + os.path.join(out, 'class.html'))
    print('a row per learner, file and check: ' +
          os.path.join(out, 'class.csv'))
    print('gradebook, a score per task file: ' +
          os.path.join(out, 'grades.csv'))
    print(similarity.text(found, os.path.join(out, 'class.html'), ranked))
    print('the similar pairs, a row each: {} (of files), {} (of '
          'learners)'.format(os.path.join(out, 'similar.csv'),
                             os.path.join(out, 'similar-learners.csv')))
    return 0 if all(document.get('status') == 'ok'
                    for document in results.values()) else 1
