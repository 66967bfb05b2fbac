#!/usr/bin/env python3
"""A class past one machine, on Dask distributed: `make check
SOLUTIONS=<folder> SCHEDULER=tcp://HOST:8786` sends each learner as one
task to a Dask cluster, with their files as bytes (the workers need no
shared disk), and gathers their JSONs into OUT; the table, the page,
the CSV, resume and MERGE are the class's own (tools.check.runners.classroom).

    python -m tools.check.runners.cluster scheduler [--host=127.0.0.1]
        [--port=8786] [--tls=DIR]
    python -m tools.check.runners.cluster worker SCHEDULER [--jobs=N]
        [--tls=DIR] [--death-timeout=S] [--name=NAME]

On a worker, each learner is checked as `make check` checks one here:
their own command (tools.check), its judge, its answerer in the
sandbox, its limits. A worker that dies while checking a learner loses
nothing: the scheduler gives that learner to another worker, and the
client writes each learner's JSON once, when their check ends.

A Dask scheduler runs whatever it is sent, so it listens on 127.0.0.1
unless told otherwise (--host); across machines, --tls=DIR makes every
connection TLS with the certificates in DIR (ca.pem, cert.pem and
key.pem: Dask's own TLS settings), and a client or worker without a
certificate signed by that CA is refused (docs/check.md says how to
make them)."""
import os
import shutil
import subprocess
import sys
import tempfile

from helpers import files
from tools import check
from tools.check import FILES, MOST_BYTES, ROOT, options
from tools.check.runners import classroom

# seconds a client or a worker waits for the scheduler before it says so
CONNECT = 30
# bytes of a learner's folder sent to a worker, at most: their task
# files always, the rest of the folder's top level where it fits
SENT = 16 << 20


def dask_command():
    """Returns the `dask` command of this Python's environment."""
    return os.path.join(os.path.dirname(sys.executable), 'dask')


def tls_files(tls):
    """Returns (ca, cert, key), the paths of the certificates in folder
    tls; raises SystemExit with one clear line where one is missing."""
    paths = tuple(os.path.join(tls, name)
                  for name in ('ca.pem', 'cert.pem', 'key.pem'))
    missing = [path for path in paths if not os.path.isfile(path)]
    if missing:
        raise SystemExit('make check: TLS={} must hold ca.pem, cert.pem and '
                         'key.pem (docs/check.md); missing {}'.format(
                             tls, ', '.join(missing)))
    return paths


def tls_options(tls):
    """Returns the dask command's options for TLS with the certificates
    in folder tls, or none."""
    if not tls:
        return []
    ca, cert, key = tls_files(tls)
    return ['--tls-ca-file', ca, '--tls-cert', cert, '--tls-key', key]


def security(tls):
    """Returns the client's Dask Security for the certificates in folder
    tls, or None."""
    if not tls:
        return None
    from distributed.security import Security
    ca, cert, key = tls_files(tls)
    return Security(tls_ca_file=ca, tls_client_cert=cert,
                    tls_client_key=key, require_encryption=True)


def scheduler_command(host, port, tls):
    """Returns the command that runs a scheduler on host:port."""
    return [dask_command(), 'scheduler', '--host', host, '--port',
            str(port), '--no-dashboard', '--no-show'] + (
                ['--protocol', 'tls'] + tls_options(tls) if tls else [])


def worker_command(scheduler, jobs, tls, death_timeout, name=None):
    """Returns the command that runs a worker of scheduler, checking jobs
    learners at a time (one process, jobs threads: each learner's check
    is a process of its own), giving up where it cannot reach the
    scheduler within death_timeout seconds."""
    return [dask_command(), 'worker', scheduler, '--nthreads', str(jobs),
            '--nworkers', '1', '--no-nanny', '--no-dashboard',
            '--death-timeout', str(death_timeout),
            '--local-directory', tempfile.gettempdir()] + (
                ['--name', name] if name else []) + tls_options(tls)


def learner_files(folder):
    """Returns {file name: (bytes, mode)} of a learner's folder as sent
    to a worker: the task files, then the rest of its top level while
    the total stays within SENT."""
    names = sorted(os.listdir(folder), key=lambda name: (
        name not in FILES, name))
    sent, total = {}, 0
    for name in names:
        path = os.path.join(folder, name)
        if os.path.islink(path) and name in FILES:
            # a link: sent as one that points nowhere, which the worker's
            # check finds as it would here (nothing it points at is read)
            sent[name] = (None, 0)
            continue
        if not os.path.isfile(path) or os.path.islink(path):
            continue
        size = os.path.getsize(path)
        if name not in FILES and total + size > SENT:
            continue
        with open(path, 'rb') as source:
            # past the size the judge reads, the part that tells it so
            sent[name] = (source.read(MOST_BYTES + 1),
                          os.stat(path).st_mode & 0o777)
        total += min(size, MOST_BYTES + 1)
    return sent


def remote_check(name, sent, quick, patience, seed, disk):
    """On a worker: writes the learner's files (sent, as learner_files
    made them) into a folder of its own, checks it with the learner's
    own command (their code's disk limited to disk bytes: the teacher's
    DISK, not the worker's), and returns (name, their JSON document or
    None, what broke the checker or None). Our own answers are kept on
    the worker for the class's seed."""
    from tools.check.runners import sandbox
    refused = sandbox.refusal('a Dask worker')
    if refused:
        return name, None, refused
    place = tempfile.mkdtemp(prefix='check-learner-')
    try:
        folder = os.path.join(place, name)
        os.makedirs(folder)
        for file, (data, mode) in sent.items():
            path = os.path.join(folder, os.path.basename(file))
            if data is None:
                os.symlink('/nonexistent', path)
                continue
            with open(path, 'wb') as target:
                target.write(data)
            os.chmod(path, mode)
        kept = os.path.join(place, 'result.json')
        ours = ours_folder(seed)
        broke = classroom.run_learner(folder, kept, ours, quick, patience,
                                      seed, disk)
        document = None if broke else files.read_json(kept)
        return name, document, broke
    finally:
        shutil.rmtree(place, ignore_errors=True)


def ours_folder(seed):
    """Returns the folder where a worker keeps our own answers for a
    class's seed, shared by its learners, removed when the worker's
    process ends."""
    import atexit
    ours = os.path.join(tempfile.gettempdir(), 'check-ours-{}'.format(seed))
    if ours not in _kept:
        _kept.append(ours)
        atexit.register(shutil.rmtree, ours, True)
    return ours


_kept = []


def check_class(scheduler, tls, solutions, names, out, quick, patience,
                seed):
    """Sends each learner of names to the cluster at scheduler, writes
    their JSON into out as their check ends; yields (name, None or what
    broke the checker), once per learner."""
    from distributed import Client, as_completed
    try:
        client = Client(scheduler, security=security(tls), timeout=CONNECT)
    except (OSError, TimeoutError) as error:
        raise SystemExit('make check: cannot reach the scheduler at {} within '
                         '{} s ({}): is make check-scheduler running there, '
                         'the port open{}?'.format(
                             scheduler, CONNECT, error,
                             ', and TLS= the same certificates' if tls
                             else ''))
    try:
        # a learner whose folder is a link is a row, not a task
        linked = {name: classroom.linked(os.path.join(solutions, name))
                  for name in names}
        for name in names:
            if linked[name]:
                files.write_json(os.path.join(out, name + '.json'),
                                 classroom.broken(os.path.join(
                                     solutions, name), linked[name]))
                yield name, linked[name]
        names = [name for name in names if not linked[name]]
        futures = [client.submit(
            remote_check, name, learner_files(os.path.join(solutions, name)),
            quick, patience, seed, check.DISK, pure=False,
            key='check-{}-{}-{}'.format(name, seed, os.urandom(4).hex()))
            for name in names]
        for future in as_completed(futures):
            try:
                name, document, broke = future.result()
            except Exception as error:
                name = names[futures.index(future)]
                document, broke = None, 'the cluster lost it: {}: {}'.format(
                    type(error).__name__, error)
            folder = os.path.join(solutions, name)
            kept = os.path.join(out, name + '.json')
            if document is None:
                document = classroom.broken(folder, broke)
            else:
                document['folder'] = folder
            files.write_json(kept, document)
            yield name, broke
    finally:
        client.close()


def loopback(host):
    """Returns True where host (a name or an address) is this machine's
    loopback alone: 127.0.0.0/8, ::1 or localhost."""
    import ipaddress
    if host.strip('[]').lower() == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host.strip('[]')).is_loopback
    except ValueError:
        return False


def project_environment():
    """Returns the environment of a scheduler or a worker: this project as
    its path, as both unpickle what a client sends (remote_check)."""
    return dict(os.environ, PYTHONPATH=ROOT)


def main(arguments):
    """scheduler or worker: runs it here until stopped."""
    named, rest = options(arguments)
    tls = named.get('tls') or None
    if rest[:1] == ['scheduler']:
        host = named.get('host', '127.0.0.1')
        if not tls and not loopback(host) and 'insecure' not in named:
            print('make check-scheduler: refused to listen on {} without '
                  'TLS: a Dask scheduler runs whatever a client sends it, on '
                  'every worker, as whoever runs the workers, and anyone who '
                  'reaches {} is such a client. Give TLS=<folder of ca.pem, '
                  'cert.pem, key.pem> (docs/check.md), or INSECURE=1 to '
                  'take that risk on a network you trust'.format(host, host),
                  file=sys.stderr)
            return 2
        command = scheduler_command(host, named.get('port', 8786), tls)
        print('make check-scheduler: listening on {}://{}:{}{}'.format(
            'tls' if tls else 'tcp', named.get('host', '127.0.0.1'),
            named.get('port', 8786), '' if tls else ' (no TLS: use it on '
            'one machine, or on a network you trust)'), file=sys.stderr)
        return subprocess.call(command, env=project_environment())
    if rest[:1] == ['worker'] and len(rest) == 2:
        from tools.check.runners import sandbox
        refused = sandbox.refusal('a Dask worker')
        if refused:
            print(refused, file=sys.stderr)
            return 2
        timeout = int(named.get('death-timeout', 60))
        process = subprocess.Popen(
            worker_command(rest[1], int(named.get('jobs', 1)), tls,
                           timeout, named.get('name')),
            stderr=subprocess.PIPE, universal_newlines=True,
            env=project_environment())
        for line in process.stderr:
            sys.stderr.write(line)
        code = process.wait()
        if code != 0:
            print('make check-worker: the worker stopped (exit {}): it '
                  'cannot reach the scheduler at {} within {} s, or lost '
                  'it; is make check-scheduler running there, the port '
                  'open{}?'.format(code, rest[1], timeout,
                                   ', and TLS= the same certificates'
                                   if tls else ''), file=sys.stderr)
        return code
    print('usage: python -m tools.check.runners.cluster scheduler [--host=H] '
          '[--port=P] [--tls=DIR] | worker SCHEDULER [--jobs=N] [--tls=DIR]',
          file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
