#!/usr/bin/env python3
"""The grader's conventions: the exercise files' first line, executable
bit and final newline; pycodestyle and docstrings on all Python code; the
exercise modules importing tensorflow.keras alone and standing alone."""
import ast
import glob
import os
import shutil
import subprocess
import sys

import pycodestyle
import pytest

from conftest import ROOT
from helpers.configurations import BATCH_SIZE, CONFIGURATIONS

MODULES = [known.module + '.py' for known in CONFIGURATIONS]
MAINS = [known.main + '.py' for known in CONFIGURATIONS]
PYTHON = sorted(
    os.path.relpath(path, ROOT) for pattern in ('*.py', '*/*.py',
                                                'tools/check/*.py',
                                                'tools/check/*/*.py')
    for path in glob.glob(os.path.join(ROOT, pattern)))


def test_python_files_are_found():
    """The exercise files, the helpers, the tools, the explorer and the
    tests are all checked."""
    assert set(MODULES + MAINS) <= set(PYTHON)
    for name in ('helpers/data.py', 'tools/report.py', 'explorer/build.py',
                 'tests/conftest.py', 'tools/check/judge/judging.py',
                 'tools/check/runners/sandbox.py',
                 'tools/check/inside/answer.py'):
        assert name in PYTHON


@pytest.mark.parametrize('name', MODULES + MAINS)
def test_exercise_file_header_mode_and_end(name):
    """First line exactly the shebang, executable, ending in a newline."""
    path = os.path.join(ROOT, name)
    with open(path, 'rb') as source:
        text = source.read()
    assert text.split(b'\n')[0] == b'#!/usr/bin/env python3'
    assert text.endswith(b'\n')
    assert os.access(path, os.X_OK)


@pytest.mark.parametrize('name', PYTHON)
def test_pycodestyle_clean(name):
    """No pycodestyle error or warning."""
    style = pycodestyle.StyleGuide(quiet=True)
    assert style.check_files([os.path.join(ROOT, name)]).total_errors == 0


@pytest.mark.parametrize('name', PYTHON)
def test_every_module_class_and_function_has_a_docstring(name):
    """Docstrings on the module and on each class and function."""
    with open(os.path.join(ROOT, name)) as source:
        tree = ast.parse(source.read())
    assert ast.get_docstring(tree), name
    for node in ast.walk(tree):
        if isinstance(node, (ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)):
            assert ast.get_docstring(node), '{}: {}'.format(name, node.name)


@pytest.mark.parametrize('name', MODULES)
def test_module_imports_tensorflow_keras_alone(name):
    """The only import is `import tensorflow.keras as keras`."""
    with open(os.path.join(ROOT, name)) as source:
        tree = ast.parse(source.read())
    imports = [node for node in ast.walk(tree)
               if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert len(imports) == 1 and isinstance(imports[0], ast.Import)
    assert [(alias.name, alias.asname) for alias in imports[0].names] == \
        [('tensorflow.keras', 'keras')]
    assert '__import__' not in ast.dump(tree)


def project_imports(name):
    """Returns the project modules that file name imports, as dotted
    names ('helpers.data', 'tools.models', 'explorer'), however it
    imports them."""
    with open(os.path.join(ROOT, name)) as source:
        tree = ast.parse(source.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update('{}.{}'.format(node.module, alias.name)
                         for alias in node.names)
    return {module for module in found
            if module.split('.')[0] in ('helpers', 'tools', 'explorer')}


def test_the_tools_build_on_the_helpers_never_the_reverse():
    """The mains' helpers import no tool and nothing of the explorer; the
    tools import nothing of the explorer; no tool imports one that
    imports it back."""
    for name in PYTHON:
        package = name.split('/')[0]
        imported = {module.split('.')[0] for module in project_imports(name)}
        if package == 'helpers':
            assert imported <= {'helpers'}, name
        if package == 'tools':
            assert 'explorer' not in imported, name
    graph = {name[len('tools/'):-len('.py')]: {
        module.split('.')[1] for module in project_imports(name)
        if module.startswith('tools.')}
        for name in PYTHON if name.startswith('tools/')}

    def reaches(start, goal, seen):
        """True if tool start imports goal, directly or through others."""
        for step in graph.get(start, ()):
            if step == goal or (step not in seen and
                                reaches(step, goal, seen | {step})):
                return True
        return False
    assert graph['report'] >= {'models', 'sparsity', 'training'}
    for tool in graph:
        assert not reaches(tool, tool, set()), tool


def test_each_module_works_copied_alone(tmpdir):
    """A grader copies one file into an empty folder and imports it: each
    module, in a folder of its own, imported with that folder alone on
    the path and as the working folder (one Python for the four, each
    module's folder in place of the one before)."""
    for name in MODULES:
        shutil.copy(os.path.join(ROOT, name), str(tmpdir.mkdir(name[0])))
    script = '\n'.join([
        "import os, sys",
        "for folder, name, call in zip(*[iter(sys.argv[1:])] * 3):",
        "    os.chdir(folder)",
        "    sys.path[0] = folder",
        "    print(name, len(__import__(name).autoencoder(*eval(call))))"])
    calls = [repr(known.arguments) for known in CONFIGURATIONS]
    arguments = []
    for name, call in zip(MODULES, calls):
        arguments += [os.path.join(str(tmpdir), name[0]), name[:-3], call]
    output = subprocess.check_output(
        [sys.executable, '-c', script] + arguments, cwd=arguments[0],
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=300)
    printed = [line for line in output.splitlines()
               if line.endswith(' 3') and line.split()[0] in
               [name[:-3] for name in MODULES]]
    assert [line.split()[0] for line in printed] == [
        name[:-3] for name in MODULES], output


def main_calls(main):
    """Returns, read from main's source, the arguments of its one call of
    autoencoder(...), and the epochs and batch size of its auto.fit(...),
    each as the value written there."""
    with open(os.path.join(ROOT, main)) as source:
        tree = ast.parse(source.read())
    calls = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func
            name = getattr(called, 'id', getattr(called, 'attr', None))
            calls.setdefault(name, []).append(node)
    assert len(calls['autoencoder']) == 1, main
    assert len(calls['fit']) == 1, main
    arguments = tuple(ast.literal_eval(argument)
                      for argument in calls['autoencoder'][0].args)
    fit = {keyword.arg: keyword.value for keyword in calls['fit'][0].keywords}
    # epochs=runtime.epochs(50): the main's own figure, which EPOCHS may
    # lower for a quick run
    epochs = fit['epochs']
    assert getattr(epochs.func, 'attr', None) == 'epochs', main
    return (arguments, ast.literal_eval(epochs.args[0]),
            ast.literal_eval(fit['batch_size']))


@pytest.mark.parametrize('known', CONFIGURATIONS,
                         ids=[known.main for known in CONFIGURATIONS])
def test_each_main_trains_its_configuration(known):
    """The table of configurations (helpers.configurations) says what the
    mains do: each main's autoencoder(...) call, epochs and batch size,
    read from its source, are the table's."""
    arguments, epochs, batch_size = main_calls(known.main + '.py')
    assert arguments == known.arguments
    assert [type(argument) for argument in arguments] == \
        [type(argument) for argument in known.arguments]
    assert epochs == known.epochs
    assert batch_size == BATCH_SIZE
    with open(os.path.join(ROOT, known.main + '.py')) as source:
        assert "__import__('{}')".format(known.module) in source.read()


def function_sources(module):
    """Returns {name: source} of the top-level functions of the exercise
    module: from its def to the two blank lines after it."""
    with open(os.path.join(ROOT, module)) as source:
        text = source.read()
    lines = text.splitlines()
    return {node.name: '\n'.join(lines[node.lineno - 1:]).split('\n\n\n')[0]
            for node in ast.parse(text).body
            if isinstance(node, ast.FunctionDef)}


def test_the_argument_checks_are_the_same_in_every_exercise_file():
    """_size and _sizes, which check the sizes every task takes, are one
    text copied into each of the four files (each must stand alone):
    an edit to one copy is an edit to all four."""
    copies = [function_sources(module) for module in MODULES]
    for name in ('_size', '_sizes'):
        assert len({copy[name] for copy in copies}) == 1, name


def check_imports():
    """Returns {module of tools.check: the modules of tools.check it
    imports anywhere in its text, functions included}."""
    names = {name[:-len('.py')].replace('/', '.').replace('.__init__', ''):
             name for name in PYTHON if name.startswith('tools/check/')}
    graph = {}
    for module, name in names.items():
        # a module, or a name imported from one
        imported = {other if other in names else other.rpartition('.')[0]
                    for other in project_imports(name)}
        graph[module] = {other for other in imported
                         if other in names and other != module}
    return graph


def test_the_checkers_layout_shows_the_sandboxs_boundary():
    """tools/check: what runs inside the sandbox (inside/) imports nothing
    of this project; the judge (judge/) nothing of the runners
    (runners/); and no module of the package imports, through others,
    one that imports it (no circle)."""
    graph = check_imports()
    assert {'tools.check.inside.answer', 'tools.check.judge.judging',
            'tools.check.runners.sandbox'} <= set(graph)
    assert 'tools.check.judge.channel' in graph['tools.check.judge.judging']
    for name in graph:
        if name.startswith('tools.check.inside.'):
            assert project_imports(name.replace('.', '/') + '.py') == \
                set(), name
        if name.startswith('tools.check.judge'):
            assert not [other for other in graph[name]
                        if other.startswith('tools.check.runners')], name

    def reaches(start, seen):
        """The modules start imports, through others."""
        for other in graph[start]:
            if other not in seen:
                seen.add(other)
                reaches(other, seen)
        return seen
    circles = [name for name in graph if name in reaches(name, set())]
    assert circles == [], circles
