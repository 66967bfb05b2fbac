#!/usr/bin/env python3
"""The command line of `make check` (tools.check's docstring):

    python -m tools.check FOLDER [--json | --junit] [--quick]
        [--output=FILE] [--patience=S] [--disk=SIZE] [--ours=DIR]
        [--tasks=N] [--verbose] [--seed=N] [--weights=FILE]
    python -m tools.check --class SOLUTIONS [--out=DIR] [--jobs=N]
        [--merge] [--quick] [--patience=S] [--disk=SIZE] [--seed=N]
        [--weights=FILE] [--scheduler=tcp://HOST:8786 [--tls=DIR]]
        [--prior=FOLDER[:FOLDER...]]
    python -m tools.check --similar SOLUTIONS [--prior=FOLDER[:FOLDER...]]
        [--out=DIR]

One folder: each task file it holds judged, the spec's mains run beside
the judge in two processes, two mains each (or --tasks=N processes:
tools.check.inside.mains), the report printed as text or
JSON or JUnit XML (tools.check.judge.junit), or written whole to --output
as JSON; --weights a teacher's points per file and check
(tools.check.judge.score); --seed draws the judge's questions
from N (a class shares one, drawn anew for each run); --disk what the
learner's code may write (1G by default). Exit status: 0 where no check
failed, 1 where one did, 2 where the folder holds nothing to check (or
an option is wrong). A class: tools.check.runners.classroom, on a Dask cluster
tools.check.runners.cluster. Similar code: tools.check.runners.similar."""
import os
import sys

import tools.check
from helpers import files
from tools.check import options
from tools.check.judge import report, score
from tools.check.runners import classroom, single


def main(arguments):
    """Checks one folder, or a class of them (--class)."""
    named, names = options(arguments)
    if 'patience' in named:
        tools.check.PATIENCE = int(named['patience'])
    if 'disk' in named:
        try:
            tools.check.DISK = tools.check.size_of(named['disk'])
        except ValueError as error:
            print('make check: {}'.format(error), file=sys.stderr)
            return 2
    weights = None
    if 'weights' in named:
        try:
            weights = score.read_weights(str(named['weights']))
        except score.WeightsError as error:
            print('make check: {}'.format(error), file=sys.stderr)
            return 2
    if 'similar' in named:
        from tools.check.runners import similar
        return similar.main(named, names)
    if 'class' in named:
        from tools.check.runners import cluster
        return classroom.main(named, names, cluster.check_class, weights)
    folder = os.path.abspath(names[0]) if names else ''
    if not names or not os.path.isdir(folder):
        print('make check: SOLUTION must be a folder holding some of {}; '
              'got {!r}'.format(', '.join(tools.check.FILES),
                                names[0] if names else ''), file=sys.stderr)
        return 2
    document = single.document(folder, 'quick' in named, named.get('ours'),
                               int(named.get('tasks', 2)),
                               int(named['seed']) if 'seed' in named
                               else None, weights)
    if document is None:
        print('make check: {} holds none of {}'.format(
            folder, ', '.join(tools.check.FILES)), file=sys.stderr)
        return 2
    if 'output' in named:
        files.write_json(named['output'], document)
    elif 'json' in named:
        import json
        print(json.dumps(document, indent=1))
    elif 'junit' in named:
        from tools.check.judge import junit
        sys.stdout.write(junit.xml(document))
    else:
        print(report.text(document, 'verbose' in named))
    return 1 if document['status'] == 'fail' else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
