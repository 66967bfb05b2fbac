#!/usr/bin/env python3
"""The learner's folder read, and the checks of a task file read as
text, before any of it runs.

gather() copies the learner's files into a folder of the judge's own:
regular files of their folder alone, opened without following a link
and read up to MOST_BYTES; everything after (the checks here, the judge,
the sandbox, the mains) reads that copy, never their folder, so nothing
of theirs is changed and nothing they point at is read. Then the
conventions graders check (first line, run bit, final newline, line
endings, pycodestyle, docstrings, imports) and the function's name and
keywords, each bounded in time."""
import ast
import errno
import os
import stat
import subprocess
import sys

from tools.check import GRADER, MOST_BYTES, PATIENCE, amount, finding

FILE_WHY = 'a grader reads the task file itself, in your folder'


def gather(folder, names, place):
    """Copies into place (made here) the regular files of folder named
    names (the task files) and the other Python files beside them (a
    module a task file imports), each at most MOST_BYTES; returns
    ({task file copied: its mode in folder}, {task file not copied: the
    finding that says why}). A link is never followed, nor read."""
    os.makedirs(place)
    os.chmod(place, 0o755)
    copied, refused = {}, {}
    try:
        listed = sorted(os.listdir(folder))
    except OSError as error:
        listed = []
        for name in names:
            refused[name] = finding('file', 'fail', 'expected to read your '
                                    'folder, found {}'.format(error.strerror),
                                    FILE_WHY)
    # the task files first, then the others while they stay few and small
    others = [name for name in listed if name.endswith('.py') and
              name not in names][:OTHERS]
    room = OTHERS * 16 << 10
    for name in [name for name in listed if name in names] + others:
        said = copy_file(os.path.join(folder, name), os.path.join(
            place, name), MOST_BYTES if name in names else room)
        if isinstance(said, int):
            if name in names:
                copied[name] = said
            else:
                room -= os.path.getsize(os.path.join(place, name))
        elif name in names:
            refused[name] = finding('file', 'fail', said, FILE_WHY,
                                    REFUSED_CAUSE)
    for name in names:
        if name not in copied and name not in refused:
            refused[name] = finding('file', 'fail', 'expected to read {}, '
                                    'found it gone'.format(name), FILE_WHY)
    return copied, refused


# how many other Python files beside the task files are copied, about
# 16 kB each on average at most
OTHERS = 16


REFUSED_CAUSE = ('put the task file itself in your folder, as plain text '
                 'of a few kB; the checker reads nothing else')


def copy_file(path, target, most=MOST_BYTES):
    """Copies the regular file at path to target (readable by all, its run
    bit kept); returns its mode, or what it was instead, in a sentence
    (a link, a folder, a file past most bytes)."""
    data, info = read_regular(path, most)
    if data is None:
        return info
    with open(target, 'wb') as copy:
        copy.write(data)
    os.chmod(target, 0o644 | (info.st_mode & 0o111))
    return stat.S_IMODE(info.st_mode)


def read_regular(path, most=MOST_BYTES):
    """Returns (the bytes of the regular file at path, its stat) where it
    is one of most bytes at most, else (None, what it is instead, in a
    sentence): a link is never followed, a pipe never waited on."""
    name = os.path.basename(path)
    try:
        source = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return None, ('expected {} to be a file in your folder, found a '
                          'symbolic link: the checker follows no link, and '
                          'read nothing it points to'.format(name))
        return None, 'expected to read {}, found {}'.format(
            name, error.strerror)
    try:
        info = os.fstat(source)
        if not stat.S_ISREG(info.st_mode):
            return None, ('expected {} to be a file, found {}: the checker '
                          'reads plain files alone'.format(
                              name, kind(info.st_mode)))
        if info.st_size > most:
            return None, ('expected {} to be a few kB, found {} ({:,} '
                          'bytes): the checker reads task files of {} at '
                          'most'.format(name, amount(info.st_size),
                                        info.st_size, amount(MOST_BYTES)))
        data = b''
        while len(data) <= most:
            chunk = os.read(source, most + 1 - len(data))
            if not chunk:
                break
            data += chunk
        if len(data) > most:
            return None, 'expected {} to be a few kB, found it growing ' \
                'past {}'.format(name, amount(most))
    finally:
        os.close(source)
    return data, info


def kind(mode):
    """Returns what a file of mode is, in a word or two."""
    for test, word in ((stat.S_ISDIR, 'a folder'), (stat.S_ISFIFO, 'a pipe'),
                       (stat.S_ISSOCK, 'a socket'),
                       (stat.S_ISCHR, 'a device'), (stat.S_ISBLK, 'a device')):
        if test(mode):
            return word
    return 'no plain file'


SHEBANG = '#!/usr/bin/env python3'


def file_checks(path, task, mode=None):
    """Returns the findings of the task file at path (the judge's copy)
    read as text: the conventions graders check, and the function's name
    and keywords; mode is the learner's file's own (its run bit)."""
    with open(path, 'rb') as source:
        raw = source.read()
    found = []
    text = raw.decode('utf-8', 'replace')
    first = text.split('\n', 1)[0].rstrip('\r')
    found.append(finding(
        'first line', 'ok' if first == SHEBANG else 'fail',
        '' if first == SHEBANG else 'expected exactly {!r}, found {!r}'
        .format(SHEBANG, first[:60]),
        'graders run each file as a script: ' + GRADER + ', Conventions'))
    mode = stat.S_IMODE(os.stat(path).st_mode) if mode is None else mode
    executable = mode & stat.S_IXUSR
    found.append(finding(
        'executable', 'ok' if executable else 'fail',
        '' if executable else 'expected the run bit (chmod +x), found '
        'mode {:o}'.format(mode & 0o777),
        'graders run each file as a script: ' + GRADER + ', Conventions'))
    ends = raw.endswith(b'\n')
    found.append(finding(
        'final newline', 'ok' if ends else 'fail',
        '' if ends else 'expected the file to end with a newline, found '
        'none', 'a convention graders check: ' + GRADER + ', Conventions'))
    crlf = b'\r' in raw
    found.append(finding(
        'line endings', 'fail' if crlf else 'ok',
        'expected Unix line endings (LF), found Windows ones (CRLF): the '
        'first line then reads "python3\\r"' if crlf else '',
        'a CR in the first line stops the script from running'))
    found.append(style_check(path))
    try:
        tree = ast.parse(raw)
    except (RecursionError, MemoryError) as error:
        # nesting deeper than the parser goes
        found.append(finding(
            'parses', 'fail', 'expected Python, found what the parser '
            'cannot read ({})'.format(type(error).__name__),
            'nothing else can be checked', 'nest less deeply'))
        return found, False
    except SyntaxError as error:
        found.append(finding(
            'parses', 'fail', 'expected Python, found a SyntaxError on line '
            '{}: {}'.format(
                error.lineno, error.msg), 'nothing else can be checked'))
        return found, False
    except ValueError as error:
        # a NUL byte: not a text file at all
        found.append(finding(
            'parses', 'fail', 'expected Python source, found {}'.format(
                error), 'nothing else can be checked', 'save the file as '
            'plain UTF-8 text'))
        return found, False
    found.append(docstring_check(tree))
    found.append(import_check(tree))
    found += function_checks(tree, task)
    return found, True


def style_check(path):
    """Returns the finding of pycodestyle, the line's version, on path."""
    import pycodestyle
    process = subprocess.Popen(
        [sys.executable, '-m', 'pycodestyle', path], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True)
    try:
        output = process.communicate(timeout=PATIENCE)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return finding(
            'pycodestyle', 'fail', 'expected pycodestyle {} to read the '
            'file, found it still reading after the {} s limit'.format(
                pycodestyle.__version__, PATIENCE), 'graders run '
            'pycodestyle: ' + GRADER + ', Conventions', 'a task file of a '
            'few kB takes it a moment: shorten the file')
    lines = [line.replace(path + ':', 'line ', 1)
             for line in output.splitlines() if line.strip()]
    return finding(
        'pycodestyle', 'fail' if lines else 'ok',
        'expected no message from pycodestyle {}, found {}: {}'.format(
            pycodestyle.__version__, len(lines), '; '.join(lines[:3]))
        if lines else '', 'graders run pycodestyle: ' + GRADER +
        ', Conventions')


def docstring_check(tree):
    """Returns the finding on the docstrings of the module and of every
    class and function in it."""
    missing = [] if ast.get_docstring(tree) else ['the module']
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)) and not ast.get_docstring(node):
            missing.append('{} (line {})'.format(node.name, node.lineno))
    return finding(
        'docstrings', 'fail' if missing else 'ok',
        'expected a docstring on the module and every class and function, '
        'found none on ' + ', '.join(missing) if missing else '',
        'graders check every docstring: ' + GRADER + ', Conventions')


def import_check(tree):
    """Returns the finding on the imports: the spec allows `import
    tensorflow.keras as keras` alone."""
    other = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (alias.name, alias.asname) != ('tensorflow.keras',
                                                  'keras'):
                    other.append('import ' + alias.name + (
                        ' as ' + alias.asname if alias.asname else ''))
        elif isinstance(node, ast.ImportFrom):
            other.append('from {} import ...'.format(node.module))
    return finding(
        'imports', 'fail' if other else 'ok',
        'expected `import tensorflow.keras as keras` alone, found ' +
        ', '.join(other) if other else '',
        'the spec: "You are only allowed to import tensorflow.keras as '
        'keras"')


def function_checks(tree, task):
    """Returns the findings on the task's function: its name, and its
    keywords in the spec's order."""
    functions = {node.name: node for node in tree.body
                 if isinstance(node, ast.FunctionDef)}
    functions.update({target.id: None for node in tree.body
                      if isinstance(node, ast.Assign)
                      for target in node.targets
                      if isinstance(target, ast.Name)})
    named = [name for name in task.names if name in functions]
    if not named:
        return [finding(
            'function', 'fail', 'expected a function {}, found {}'.format(
                ' or '.join(repr(name) for name in task.names),
                ', '.join(sorted(name for name in functions)) or 'none'),
            'graders call {}.{}(...) by its name'.format(
                task.file[:-3], task.names[0]))]
    found = [finding('function', 'ok') if named[0] == task.names[0] else
             finding('function', 'note', 'expected autoencoder, found {} '
                     'alone: the 2020 edition\'s name, which graders of that '
                     'edition accept; the spec\'s main is run calling {}'
                     .format(named[0], named[0]), 'the spec\'s {}-main.py '
                     'calls autoencoder'.format(task.number))]
    node = functions[named[0]] or functions.get('autoencoder')
    if node is not None:
        keywords = tuple(argument.arg for argument in node.args.args)
        found.append(finding(
            'keywords', 'ok' if keywords == task.keywords else 'fail',
            '' if keywords == task.keywords else
            'expected def {}({}), found def {}({})'.format(
                node.name, ', '.join(task.keywords), node.name,
                ', '.join(keywords)),
            'graders may pass the arguments by their names, as the spec '
            'writes them'))
    return found
