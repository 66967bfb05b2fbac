#!/usr/bin/env python3
"""`make check SOLUTIONS= SCHEDULER=` on Dask distributed
(tools.check.runners.cluster), with a real scheduler and two real workers
started here as local processes on 127.0.0.1, each wait bounded: the
JSONs equal a local run's (the same seed and DISK); a worker killed while it
checks a learner loses nothing and counts nobody twice, and leaves
nothing running; a worker that cannot reach the scheduler says so; with
a certificate made here, a scheduler and a worker speak TLS, and a
worker without it is refused. On TF 2.15, make check's line, whose
environment holds Dask."""
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from conftest import ROOT, TF_VERSION
from test_check import VANILLA, VARIATIONAL, wrong
from test_class import learner, rows

try:
    import distributed  # noqa: F401
    HAS_DASK = True
except ImportError:
    HAS_DASK = False
pytestmark = pytest.mark.skipif(
    TF_VERSION != (2, 15) or not HAS_DASK, reason='the cluster runs make '
    'check\'s line, TF 2.15, whose environment holds Dask')
# seconds a scheduler or worker may take to start, and a class to end
START, CLASS = 60, 600


def free_port():
    """Returns a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Started(object):
    """A process of the cluster started here in a session of its own,
    its output in a file."""

    def __init__(self, arguments, log, **env):
        """Starts python -m tools.check.runners.cluster with arguments,
        env added to its environment."""
        self.log = log
        with open(log, 'w') as target:
            self.process = subprocess.Popen(
                [sys.executable, '-m', 'tools.check.runners.cluster'] +
                arguments,
                cwd=ROOT, stdout=target, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
                env=dict(os.environ, **env))

    def said(self):
        """Returns what it printed so far."""
        with open(self.log) as source:
            return source.read()

    def wait_for(self, words, patience=START):
        """Waits until it prints words; fails after patience seconds or
        where it ends first."""
        ends = time.time() + patience
        while time.time() < ends:
            if words in self.said():
                return
            assert self.process.poll() is None, self.said()
            time.sleep(0.2)
        raise AssertionError('no {!r} within {} s: {}'.format(
            words, patience, self.said()))

    def kill(self):
        """Kills it and all it started."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.process.wait()


def start_cluster(tmpdir, workers=2, tls=None, **env):
    """Returns (address, scheduler, [workers]) of a cluster started here,
    each worker registered, env added to the workers' environment."""
    port = free_port()
    options = ['--tls=' + tls] if tls else []
    scheduler = Started(['scheduler', '--port={}'.format(port)] + options,
                        str(tmpdir.join('scheduler.log')))
    started = [scheduler]
    try:
        scheduler.wait_for('Scheduler at')
        address = '{}://127.0.0.1:{}'.format('tls' if tls else 'tcp', port)
        for i in range(workers):
            worker = Started(['worker', address, '--name=w{}'.format(i)] +
                             options, str(tmpdir.join('w{}.log'.format(i))),
                             **env)
            started.append(worker)
            worker.wait_for('Registered to')
    except BaseException:
        for each in started:
            each.kill()
        raise
    return address, scheduler, started[1:]


def run_class(solutions, out, *options):
    """Runs the class (--quick, the seed 20261202, the learners' disk
    limited to 64 MB, not the 1 GB a worker has by default), SECRETS in
    the checker's environment; returns (status, output)."""
    process = subprocess.run(
        [sys.executable, '-m', 'tools.check', '--class=' + solutions,
         '--out=' + out, '--quick', '--seed=20261202', '--disk=64M'] +
        list(options),
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=CLASS,
        env=dict(os.environ, **SECRETS))
    return process.returncode, process.stdout


def jsons(out):
    """Returns {learner: their JSON} in out."""
    found = {}
    for name in sorted(os.listdir(out)):
        if name.endswith('.json'):
            with open(os.path.join(out, name)) as source:
                found[name[:-5]] = json.load(source)
    return found


def checkers():
    """Returns the pids of learners' checks running now."""
    found = subprocess.run(['pgrep', '-f', 'tools.check .*--output='],
                           stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.split()
    return [int(pid) for pid in found]


# secrets in the environments of the checker and of the workers (a
# worker's own and the teacher's): none may reach a learner's code
SECRETS = {'CI_JOB_TOKEN': 'glcbt-job-token-0461',
           'AWS_SECRET_ACCESS_KEY': 'aws-secret-key-0462'}
WORKER_SECRETS = {'GITHUB_TOKEN': 'ghp-worker-token-0463',
                  'DASK_SECRET_KEY': 'worker-secret-key-0464'}
# a learner's import that prints every value in its environment whose
# name holds TOKEN, SECRET or KEY: what it printed is quoted in its report
PRINTS_SECRETS = '''

import os
print('found: ' + ' '.join(value for name, value in os.environ.items()
                           if 'TOKEN' in name or 'SECRET' in name or
                           'KEY' in name))
'''


@pytest.fixture
def solutions(tmpdir):
    """A class of two: ours, and a summary() inside autoencoder() whose
    import prints the secrets it finds."""
    folder = str(tmpdir.join('solutions'))
    learner(folder, 'ada', {VANILLA: None})
    learner(folder, 'ben', {VANILLA: wrong('vanilla_summary')[1] +
                            PRINTS_SECRETS, VARIATIONAL: None})
    return folder


def assert_no_secret(out):
    """Asserts that no file of a class's out holds a secret of SECRETS or
    WORKER_SECRETS, and that ben's import was heard (it printed)."""
    for name in os.listdir(out):
        path = os.path.join(out, name)
        if os.path.isfile(path):
            with open(path, errors='replace') as source:
                text = source.read()
            for value in list(SECRETS.values()) + list(
                    WORKER_SECRETS.values()):
                assert value not in text, (name, value)
    with open(os.path.join(out, 'ben.json')) as source:
        assert 'found:' in source.read()


def test_the_cluster_gives_a_local_runs_jsons_and_loses_nobody(solutions,
                                                               tmpdir):
    """The class on a scheduler and two workers: each learner's JSON
    equals a local run's with the same seed, and the table is the same;
    neither the checker's secrets nor the workers' reach the learner's
    code (its report quotes what it printed of them: nothing).
    Run again with a worker killed while it checks a learner: that
    learner is checked on the other worker, each learner is said checked
    once, every JSON is right, and no check is left running."""
    code, local = run_class(solutions, str(tmpdir.join('local')),
                            '--jobs=2')
    assert code == 1, local
    assert_no_secret(str(tmpdir.join('local')))
    address, scheduler, workers = start_cluster(tmpdir, **WORKER_SECRETS)
    try:
        code, output = run_class(solutions, str(tmpdir.join('cluster')),
                                 '--scheduler=' + address)
        assert code == 1, output
        assert 'on the cluster at ' + address in output
        assert_no_secret(str(tmpdir.join('cluster')))
        assert rows(output) == rows(local)
        assert jsons(str(tmpdir.join('cluster'))) == \
            jsons(str(tmpdir.join('local')))
        # the teacher's DISK reached the workers
        for document in jsons(str(tmpdir.join('cluster'))).values():
            assert 'writes only 64 MB of its own scratch' in \
                document['isolation'], document['isolation']
        # again, a worker killed while it checks
        out = str(tmpdir.join('killed'))
        process = subprocess.Popen(
            [sys.executable, '-m', 'tools.check', '--class=' + solutions,
             '--out=' + out, '--quick', '--seed=20261202', '--disk=64M',
             '--scheduler=' + address], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True)
        ends = time.time() + START
        while not checkers() and time.time() < ends:
            time.sleep(0.2)
        assert checkers(), 'no check started'
        workers[0].kill()
        output = process.communicate(timeout=CLASS)[0]
        assert process.returncode == 1, output
        for name in ('ada', 'ben'):
            assert output.count('  {}: checked'.format(name)) == 1, output
        assert jsons(out) == jsons(str(tmpdir.join('local')))
        time.sleep(1)
        assert checkers() == []
    finally:
        for each in [scheduler] + workers:
            each.kill()


def test_a_worker_that_cannot_reach_the_scheduler_says_so():
    """A worker given an address where no scheduler listens stops within
    its wait and says what to look at."""
    started = time.time()
    process = subprocess.run(
        [sys.executable, '-m', 'tools.check.runners.cluster', 'worker',
         'tcp://127.0.0.1:{}'.format(free_port()), '--death-timeout=5'],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True, timeout=120)
    assert process.returncode != 0
    assert time.time() - started < 100
    assert 'cannot reach the scheduler' in process.stderr.splitlines()[-1]


def certificates(folder):
    """Makes, with openssl, a certificate authority and a certificate it
    signed for 127.0.0.1 in folder: ca.pem, cert.pem, key.pem."""
    os.makedirs(folder)

    def openssl(*arguments):
        """Runs openssl in folder."""
        subprocess.run(['openssl'] + list(arguments), cwd=folder,
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout',
            'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj',
            '/CN=make check CA')
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem',
            '-out', 'cert.csr', '-subj', '/CN=127.0.0.1')
    with open(os.path.join(folder, 'names.cnf'), 'w') as target:
        target.write('subjectAltName=IP:127.0.0.1\n')
    openssl('x509', '-req', '-in', 'cert.csr', '-CA', 'ca.pem', '-CAkey',
            'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2',
            '-extfile', 'names.cnf')
    return folder


def test_a_cluster_over_tls(tmpdir):
    """With a certificate made here: a TLS scheduler and a worker that
    holds the certificate check a learner; a worker without it is
    refused and says so."""
    tls = certificates(str(tmpdir.join('tls')))
    solutions = str(tmpdir.join('solutions'))
    learner(solutions, 'ada', {VANILLA: None})
    address, scheduler, workers = start_cluster(tmpdir, workers=1, tls=tls)
    try:
        assert address.startswith('tls://')
        code, output = run_class(solutions, str(tmpdir.join('out')),
                                 '--scheduler=' + address, '--tls=' + tls)
        assert code == 0 and '  ada: checked' in output, output
        refused = subprocess.run(
            [sys.executable, '-m', 'tools.check.runners.cluster', 'worker',
             address, '--death-timeout=5'], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
        assert refused.returncode != 0
        assert 'cannot reach the scheduler' in \
            refused.stderr.splitlines()[-1]
    finally:
        for each in [scheduler] + workers:
            each.kill()
