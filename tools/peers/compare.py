#!/usr/bin/env python3
"""`make bench PEERS=1`, after our lines' rows: runs each peer from its
own environment (made by make on first use, from requirements/peer-*.txt)
and prints their figures beside ours, in the same run on the same CPU,
with a column ours/peer (below 1: ours trains faster). Ours is the
fastest of our lines that ran; each peer is checked to train a model
with as many parameters as ours, the same layers. Python's standard
library alone, so any Python 3 runs it.

usage: python3 tools/peers/compare.py ROWS  (the BENCH_ROWS file)
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Seconds a peer may take to time its four models before it is stopped
PATIENCE = 3600
sys.path.insert(0, HERE)

import common  # noqa: E402

# (the environment under .venv, the peer's script)
PEERS = (('peer-jax', 'keras_jax.py'), ('peer-torch', 'pytorch.py'))


def run_peer(venv, script):
    """Runs one peer; returns its rows (one a model), or raises
    RuntimeError with the end of its output if it failed."""
    python = os.path.join(ROOT, '.venv', venv, 'bin', 'python')
    process = subprocess.Popen([python, os.path.join(HERE, script)],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               universal_newlines=True, cwd=ROOT)
    try:
        output = process.communicate(timeout=PATIENCE)[0]
    except subprocess.TimeoutExpired:
        process.kill()
        output = process.communicate()[0] + '\nstopped after {} s'.format(
            PATIENCE)
    if process.returncode != 0:
        raise RuntimeError('{} failed:\n{}'.format(script, output[-3000:]))
    return [json.loads(line[len(common.MARK):])
            for line in output.splitlines() if line.startswith(common.MARK)]


def fastest(rows, model):
    """Returns the row of model with the fewest seconds per epoch."""
    return min((row for row in rows if row['model'] == model),
               key=lambda row: row['seconds'])


def main(path):
    """Prints the peers' figures and the table beside ours; returns 1
    where a peer's model differs from ours, else 0."""
    with open(path) as lines:
        ours = [json.loads(line) for line in lines if line.strip()]
    peers = []
    for venv, script in PEERS:
        rows = run_peer(venv, script)
        peers.append(rows)
        print('{} ({}) on {}, {} measured epochs after a warm-up:'.format(
            rows[0]['peer'], rows[0]['version'], ours[0]['cpu'],
            common.epochs()))
        for row in rows:
            print('  {:<14} {:>8.2f} s/epoch   loss {:.4g}'.format(
                row['model'], row['seconds'], row['loss']))
    names = [rows[0]['peer'] for rows in peers]
    print()
    print('Ours (the fastest line) beside the peers, median seconds per '
          'epoch; ours/peer below 1: ours is faster')
    print('{:<14} {:>18} '.format('model', 'ours') + ' '.join(
        '{:>16} {:>9}'.format(name, 'ours/peer') for name in names))
    status = 0
    for model in common.MODELS:
        best = fastest(ours, model)
        cells = []
        for rows in peers:
            row = fastest(rows, model)
            cells.append('{:>16.2f} {:>9.2f}'.format(
                row['seconds'], best['seconds'] / row['seconds']))
            if row['parameters'] != best['parameters']:
                print('{} {} has {} parameters, ours {}'.format(
                    row['peer'], model, row['parameters'],
                    best['parameters']))
                status = 1
        print('{:<14} {:>18} '.format(model, '{:.2f} (TF {})'.format(
            best['seconds'], best['line'].replace('tf', ''))) +
            ' '.join(cells))
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
