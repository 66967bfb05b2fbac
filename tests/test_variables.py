#!/usr/bin/env python3
"""helpers.variables, the one declaration of the environment variables:
every variable the code reads is declared there and read through it, each
declaration is read somewhere, the Makefile's head and docs/variables.md
name them all, and get() parses each kind one way."""
import ast
import glob
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from helpers import quiet, variables
from tools import bench, suite

# who reads a variable the project does not read itself
OUTSIDE = ('TensorFlow', 'oneDNN', 'OpenMP')


def python_files():
    """Returns the project's Python files, relative to the root."""
    return sorted(os.path.relpath(path, ROOT) for pattern in
                  ('*.py', '*/*.py', '*/*/*.py', '*/*/*/*.py')
                  for path in glob.glob(os.path.join(ROOT, pattern))
                  if not os.path.relpath(path, ROOT).startswith('.'))


def reads(tree):
    """Returns [(how, name)] of every environment variable that the code
    of tree reads by a literal name: 'environ' for os.environ.get('X'),
    os.environ['X'] or os.getenv('X'), 'declared' for variables.get('X')
    or variables.text('X')."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and \
                isinstance(node.args[0], ast.Str):
            called = ast.dump(node.func)
            name = node.args[0].s
            if "attr='get'" in called and "attr='environ'" in called or \
                    "attr='getenv'" in called:
                found.append(('environ', name))
            elif "id='variables'" in called and (
                    "attr='get'" in called or "attr='text'" in called):
                found.append(('declared', name))
        if isinstance(node, ast.Subscript) and \
                isinstance(node.ctx, ast.Load) and \
                "attr='environ'" in ast.dump(node.value):
            index = node.slice
            if isinstance(index, ast.Index):  # Python 3.8 and older
                index = index.value
            if isinstance(index, ast.Str):
                found.append(('environ', index.s))
    return found


def everything_read():
    """Returns {file: [(how, name)]} over the project's Python files but
    this one (whose examples name variables that do not exist)."""
    found = {}
    for path in python_files():
        if path == os.path.join('tests', 'test_variables.py'):
            continue
        with open(os.path.join(ROOT, path)) as source:
            found[path] = reads(ast.parse(source.read()))
    return found


def test_the_scan_finds_reads_of_each_form():
    """The scan sees every way of reading a variable, so that the tests
    below cannot pass by seeing nothing."""
    tree = ast.parse("os.environ.get('A'); os.environ['B']; os.getenv('C')"
                     "; variables.get('D'); variables.text('E')\n"
                     "os.environ['F'] = '1'")
    assert sorted(reads(tree)) == [('declared', 'D'), ('declared', 'E'),
                                   ('environ', 'A'), ('environ', 'B'),
                                   ('environ', 'C')]


def test_every_variable_read_is_declared():
    """No file reads a variable that helpers/variables.py does not
    declare, the names make bench and the tests report included."""
    undeclared = ['{}: {}'.format(path, name)
                  for path, found in everything_read().items()
                  for _, name in found if name not in variables.DECLARED]
    assert undeclared == []
    import conftest
    for names in (bench.VARIABLES, conftest.VARIABLES):
        assert set(names) <= set(variables.DECLARED)


def test_the_code_reads_them_through_the_declaration_alone():
    """Outside helpers/variables.py (and the tests, which look at what a
    run was given) nothing reads os.environ: each variable is parsed one
    way, the declared one."""
    direct = ['{}: {}'.format(path, name)
              for path, found in everything_read().items()
              for how, name in found
              if how == 'environ' and path != 'helpers/variables.py' and
              not path.startswith('tests/')]
    assert direct == []


def test_every_declared_variable_is_read():
    """Each declaration is read by the project (or by TensorFlow, oneDNN
    or OpenMP, which the project only reports)."""
    read = {name for found in everything_read().values()
            for _, name in found}
    read |= set(bench.VARIABLES)
    unread = [variable.name for variable in variables.VARIABLES
              if variable.name not in read and
              not any(outside in variable.reader for outside in OUTSIDE)]
    assert unread == []


def test_the_makefile_head_and_the_docs_name_them_all():
    """The Makefile's head comment names every variable, and
    docs/variables.md holds helpers.variables.table() as it is now (make
    test-docs writes it anew)."""
    with open(os.path.join(ROOT, 'Makefile')) as makefile:
        # the first block of comment lines
        head = makefile.read().split('\n\n')[1]
    assert head.startswith('# make run')
    missing = [name for name in variables.DECLARED
               if not re.search(r'\b{}\b'.format(name), head)]
    assert missing == []
    with open(suite.VARIABLES_PAGE) as page:
        assert variables.table() in page.read()


@pytest.mark.parametrize('name, given, expected', [
    ('EPOCHS', None, None), ('EPOCHS', '', None), ('EPOCHS', ' 3 ', 3),
    ('SEED', '0', 0), ('STEPS_PER_CALL', None, 47), ('LIVE', None, False),
    ('LIVE', '1', True), ('LIVE', ' 0 ', False), ('LIVE', 'yes', True),
    ('XLA', None, True), ('XLA', '0', False), ('QUIET', '1', True),
    ('EDITION', ' 2024 ', '2024'), ('FIGURES_DIR', None, 'figures'),
])
def test_get_reads_each_kind_one_way(monkeypatch, name, given, expected):
    """Counts and numbers become ints, switches booleans (0 alone is off),
    texts stay texts; unset, empty and spaces are the default."""
    if given is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, given)
    assert variables.get(name) == expected


@pytest.mark.parametrize('name, given', [
    ('EPOCHS', '0'), ('EPOCHS', '-1'), ('EPOCHS', 'two'), ('SEED', '-1'),
    ('THREADS', '1.5'), ('LIVE_PORT', 'x')])
def test_a_bad_count_or_number_is_named(monkeypatch, name, given):
    """A bad count or number raises a ValueError naming the variable and
    what it got."""
    monkeypatch.setenv(name, given)
    with pytest.raises(ValueError) as raised:
        variables.get(name)
    assert name in str(raised.value) and repr(given) in str(raised.value)


def test_an_undeclared_name_is_refused():
    """Reading a variable that is not declared fails at once."""
    with pytest.raises(KeyError):
        variables.get('NOT_DECLARED')


def test_the_table_and_the_declarations_need_no_tensorflow():
    """helpers.configurations and helpers.variables import with the
    standard library alone, as the peers' environments (no TensorFlow)
    and helpers.quiet's copier import them: the helpers folder taken as
    a package without its __init__."""
    code = quiet.WITHOUT_INIT + (
        'from helpers import configurations, quiet, variables; '
        'print(sorted(name for name in sys.modules '
        'if name.split(".")[0] in ("tensorflow", "numpy", "keras")))')
    output = subprocess.check_output(
        [sys.executable, '-S', '-c', code, os.path.join(ROOT, 'helpers')],
        universal_newlines=True, timeout=60)
    assert output.strip() == '[]'
