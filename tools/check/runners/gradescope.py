#!/usr/bin/env python3
"""make check as a Gradescope autograder (docs/check.md, Gradescope).

    python -m tools.check.runners.gradescope build OUT [--quick]
        [--weights=FILE]
    python -m tools.check.runners.gradescope run [ROOT]

build writes OUT/autograder.zip, as Gradescope's autograder
specification has it: setup.sh and run_autograder at its root, beside
what make check needs of this project (the reference modules and mains,
helpers, tools, the pinned requirements, MNIST) and the teacher's
settings (QUICK=1, WEIGHTS=). Gradescope unzips it into
/autograder/source and runs setup.sh there once, on its Ubuntu image:
it installs what is missing (make; bubblewrap, where the container lets
a sandbox work; a Python 3.9, from the deadsnakes archive on Ubuntu) and
makes the TF 2.15 environment from this project's pins (make venv).
For each submission it runs run_autograder, which runs `run` here: the
task files found in /autograder/submission, wherever the learner put
them (the folder holding most of them; the shallowest on a tie), are
checked as make check checks a folder, and
/autograder/results/results.json is written
(tools.check.judge.gradescope). Nothing of the submission is changed or
followed: the check reads a copy (tools.check.judge.files). A submission
that holds no task file, or that breaks the check itself, still gets a
results.json that says so. Both scripts take the root from
AUTOGRADER_ROOT (default /autograder), so that a test runs them under a
folder of its own."""
import json
import os
import sys
import time
import traceback
import zipfile

from helpers import files, variables
from tools.check import FILES, ROOT, TASKS, options
from tools.check.judge import gradescope, score

# what the autograder needs of this project, beside the two scripts
PARTS = FILES + [task.main for task in TASKS] + [
    'Makefile', 'requirements.txt', 'requirements', 'helpers', 'tools',
    'data']
SETTINGS = 'gradescope.json'
WEIGHTS = 'weights.txt'
SETUP = r'''#!/usr/bin/env bash
# Gradescope runs this once, in /autograder/source, to make the image
# that checks every submission (docs/check.md, Gradescope): what make
# check needs, then the TF 2.15 environment from this project's pins.
set -euo pipefail
cd "${AUTOGRADER_ROOT:-/autograder}/source"
missing=()
command -v make > /dev/null || missing+=(make)
# the sandbox (bwrap), and setpriv, which drops root inside it
command -v bwrap > /dev/null || missing+=(bubblewrap)
command -v setpriv > /dev/null || missing+=(util-linux)
# TF 2.15 runs on Python 3.9, found as make finds it: on PATH or under
# pyenv; on Ubuntu, from the deadsnakes archive
python_found() {
  command -v python3.9 > /dev/null ||
    compgen -G "$HOME/.pyenv/versions/3.9.*/bin/python3.9" > /dev/null
}
if [ ${#missing[@]} -gt 0 ] || ! python_found; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  if ! python_found; then
    apt-get install -y --no-install-recommends software-properties-common
    add-apt-repository -y ppa:deadsnakes/ppa
    apt-get update
    apt-get install -y --no-install-recommends python3.9 python3.9-venv
  fi
fi
make venv TF=2.15
'''
RUN = r'''#!/usr/bin/env bash
# Gradescope runs this for each submission: make check on the task files
# in /autograder/submission, its verdict in /autograder/results/results.json
# (docs/check.md, Gradescope)
root="${AUTOGRADER_ROOT:-/autograder}"
cd "$root/source" || exit 1
python=.venv/tf2.15/bin/python
if [ ! -x "$python" ]; then
  mkdir -p "$root/results"
  said='The autograder is not set up: setup.sh did not make its'
  said+=' TensorFlow 2.15 environment. Tell your teacher; nothing of yours'
  said+=' was checked.'
  printf '{"score": 0.0, "output": "%s", "tests": []}\n' "$said" \
    > "$root/results/results.json"
  exit 0
fi
exec "$python" -m tools.check.runners.gradescope run "$root"
'''


def build(out, quick=False, weights=None):
    """Writes out/autograder.zip (the scripts at its root, then PARTS,
    then the settings and the weights file, where given); returns its
    path."""
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, 'autograder.zip')
    temporary = path + '.part'
    with zipfile.ZipFile(temporary, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, text in (('setup.sh', SETUP), ('run_autograder', RUN)):
            entry = zipfile.ZipInfo(name, time.localtime()[:6])
            entry.external_attr = 0o100755 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text)
        for part in PARTS:
            for source in walk(os.path.join(ROOT, part)):
                archive.write(source, os.path.relpath(source, ROOT))
        archive.writestr(SETTINGS, json.dumps({'quick': bool(quick)}) + '\n')
        if weights:
            archive.write(weights, WEIGHTS)
    os.replace(temporary, path)
    return path


def walk(path):
    """Returns the files at path (a file, or a folder's files, sorted),
    without caches."""
    if os.path.isfile(path):
        return [path]
    found = []
    for folder, folders, names in os.walk(path):
        folders[:] = sorted(name for name in folders
                            if name != '__pycache__' and
                            not name.startswith('.'))
        found += [os.path.join(folder, name) for name in sorted(names)
                  if not name.endswith('.pyc')]
    return found


def submitted(submission):
    """Returns (the folder of submission holding most task files, the
    shallowest on a tie, or None; the other folders holding some), links
    listed where they are and never followed."""
    places = []
    for folder, folders, names in os.walk(submission):
        folders[:] = sorted(name for name in folders
                            if not name.startswith(('.', '__MACOSX')))
        count = sum(name in FILES for name in names)
        if count:
            depth = os.path.relpath(folder, submission).count(os.sep)
            places.append((-count, depth, folder))
    places.sort()
    if not places:
        return None, []
    return places[0][2], [folder for _, _, folder in places[1:]]


def run(root):
    """Checks the submission under root and writes root/results/
    results.json; returns the results written."""
    started = time.time()
    source = os.path.join(root, 'source')
    submission = os.path.join(root, 'submission')
    try:
        with open(os.path.join(source, SETTINGS)) as kept:
            settings = json.load(kept)
    except (OSError, ValueError):
        settings = {}
    weights = None
    try:
        if os.path.isfile(os.path.join(source, WEIGHTS)):
            weights = score.read_weights(os.path.join(source, WEIGHTS))
        folder, others = submitted(submission)
        if folder is None:
            result = gradescope.refused(
                'Found none of {} in your submission: upload your task '
                'files themselves (or a zip of them).'.format(
                    ', '.join(FILES)), time.time() - started, weights)
        else:
            from tools.check.runners import single
            document = single.document(folder, bool(settings.get('quick')),
                                       weights=weights)
            result = gradescope.results(document, time.time() - started)
            where = os.path.relpath(folder, submission)
            result['output'] += '\nchecked the task files in {}{}'.format(
                'your submission\'s top folder' if where == '.' else where,
                '; found some in {} too, not checked: put the task files '
                'in one folder'.format(', '.join(
                    os.path.relpath(other, submission)
                    for other in others)) if others else '')
    except Exception as error:
        result = gradescope.refused(
            'The check itself broke on this submission ({}: {}). Tell your '
            'teacher: it is the checker\'s fault, not a finding on your '
            'code.'.format(type(error).__name__, str(error)[:300]),
            time.time() - started, weights)
        traceback.print_exc()
    files.write_json(os.path.join(root, 'results', 'results.json'), result)
    print(result['output'])
    return result


def main(arguments):
    """build OUT [--quick] [--weights=FILE], or run [ROOT]."""
    named, rest = options(arguments)
    if rest[:1] == ['build'] and len(rest) == 2:
        if named.get('weights'):
            try:
                score.read_weights(str(named['weights']))
            except score.WeightsError as error:
                print('make gradescope: {}'.format(error), file=sys.stderr)
                return 2
        print('autograder: ' + build(os.path.abspath(rest[1]),
                                     'quick' in named,
                                     named.get('weights') or None))
        return 0
    if rest[:1] == ['run']:
        run(rest[1] if len(rest) > 1 else variables.get('AUTOGRADER_ROOT'))
        return 0
    print(__doc__.split('\n\n')[1], file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
