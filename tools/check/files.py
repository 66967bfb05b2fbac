#!/usr/bin/env python3
"""The checks of a task file read as text, before any of it runs: the
conventions graders check (first line, run bit, final newline, line
endings, pycodestyle, docstrings, imports) and the function's name and
keywords."""
import ast
import os
import stat
import subprocess
import sys

from tools.check import GRADER, PATIENCE, finding

SHEBANG = '#!/usr/bin/env python3'


def file_checks(path, task):
    """Returns the findings of the task file at path read as text: the
    conventions graders check, and the function's name and keywords."""
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
    executable = os.stat(path).st_mode & stat.S_IXUSR
    found.append(finding(
        'executable', 'ok' if executable else 'fail',
        '' if executable else 'expected the run bit (chmod +x), found '
        'mode {:o}'.format(os.stat(path).st_mode & 0o777),
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
    process = subprocess.Popen(
        [sys.executable, '-m', 'pycodestyle', path], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True)
    output = process.communicate(timeout=PATIENCE)[0]
    lines = [line.replace(path + ':', 'line ', 1)
             for line in output.splitlines() if line.strip()]
    import pycodestyle
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
