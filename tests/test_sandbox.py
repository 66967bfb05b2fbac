#!/usr/bin/env python3
"""make check runs code nobody here wrote (tools.check.runners.sandbox): a
learner's file that writes files, connects and starts a process is
contained (nothing written outside scratch, nothing received, nothing
left running) and each attempt is named; what a child prints is kept
bounded; a child at the memory or the time limit is said to be exactly
that; without bubblewrap the report's first line says the code ran
unisolated. With bwrap present (CI installs it) the sandbox is tested;
where it is missing the containment tests skip, except in CI."""
import os
import resource
import socket
import tempfile
import subprocess
import sys
import time

import pytest

from conftest import ROOT, TF_VERSION
from helpers import variables
from test_check import SPARSE, VANILLA, check, solution
from tools.check.judge import diagnoses
from tools.check.runners import sandbox

SANDBOX = sandbox.bwrap()
# a test of code that is the same on every line: run on TF 2.15 alone
same_code = pytest.mark.skipif(
    TF_VERSION != (2, 15), reason='the sandbox is the same code on every '
    'line: tested on TF 2.15')
needs_sandbox = pytest.mark.skipif(
    SANDBOX is None and not variables.get('CI'),
    reason='no working bwrap: apt-get install bubblewrap')
# a sleep whose length no other process here has
SLEEPER = 'sleep 347'


def sleepers():
    """Returns the pids of processes running SLEEPER."""
    found = subprocess.run(['pgrep', '-f', SLEEPER], stdout=subprocess.PIPE,
                           universal_newlines=True).stdout.split()
    return [int(pid) for pid in found]


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that accepts nothing by itself; yields
    (its port, a function returning what connected to it)."""
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(4)
    server.setblocking(False)

    def received():
        """Returns the bytes of every connection made so far."""
        got = []
        while True:
            try:
                connection, _ = server.accept()
            except (BlockingIOError, socket.timeout):
                return got
            connection.settimeout(2)
            try:
                got.append(connection.recv(100))
            except OSError:
                got.append(b'')
            connection.close()
    yield server.getsockname()[1], received
    server.close()


# A right vanilla file (a learner's) that meddles when imported: it
# writes to each of {paths}, connects to {port} and starts {sleeper}
MEDDLING = '''

for path in [
        {paths},  # noqa
]:
    try:
        with open(path, 'w') as note:
            note.write('written at import')
    except OSError:
        pass
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')
except OSError:
    pass
subprocess.Popen({sleeper!r}.split(), start_new_session=True)
'''


def meddler(paths, port):
    """Returns the text of the meddling file."""
    with open(os.path.join(ROOT, 'tests', 'learners',
                           'vanilla_summary.py')) as source:
        text = source.read().replace('    auto.summary()\n', '')
    text = text.replace('import tensorflow.keras as keras\n',
                        'import socket\nimport subprocess\n\n'
                        'import tensorflow.keras as keras\n')
    return text + MEDDLING.format(
        paths=',  # noqa\n        '.join(repr(path) for path in paths),
        port=port, sleeper=SLEEPER)


@needs_sandbox
@pytest.mark.skipif(TF_VERSION not in ((2, 15), (1, 15)),
                    reason='the sandbox is the line\'s own: tested on TF '
                    '2.15 (audit hooks name what was tried) and on TF 1.15 '
                    '(Python 3.7: contained alone)')
def test_side_effects_are_contained_and_named(tmpdir, listener):
    """A file that at import writes under /tmp, into its own folder and
    into the project, connects to a listener on 127.0.0.1 and starts a
    detached sleeper: afterwards no such file exists, the listener got
    nothing, no sleeper is left, and (Python 3.8 and later) one finding
    names each attempt."""
    port, received = listener
    folder, paths = meddling(tmpdir, ROOT, port)
    before = set(sleepers())
    try:
        code, results = check(folder, '--quick', '--patience=120')
        assert code == 1, results
        assert [path for path in paths if os.path.exists(path)] == []
        assert received() == []
        assert set(sleepers()) - before == set()
    finally:
        for path in paths:
            if os.path.exists(path):
                os.remove(path)
    if sys.version_info >= (3, 8):
        assert_named(results[VANILLA], paths)
    else:
        assert {item['check'] for item in results[VANILLA]
                if item['status'] == 'fail'} == {'imports'}, results


def meddling(tmpdir, project, port):
    """Returns (a folder holding the meddling vanilla file, the paths it
    writes: under /tmp, into that folder and into project)."""
    folder = str(tmpdir.join('meddler'))
    os.makedirs(folder)
    paths = ['/tmp/learner-wrote-{}.txt'.format(os.getpid()),
             os.path.join(folder, 'dropped.txt'),
             os.path.join(project, 'learner-wrote-here.txt')]
    with open(os.path.join(folder, VANILLA), 'w') as target:
        target.write(meddler(paths, port))
    os.chmod(os.path.join(folder, VANILLA), 0o755)
    return folder, paths


def assert_named(findings, paths):
    """Asserts that the meddling file fails its imports and side effects
    alone, the side effects naming each write, the socket it asked for
    and the sleeper."""
    assert {item['check'] for item in findings
            if item['status'] == 'fail'} == {'imports', 'side effects'}
    [effects] = [item for item in findings
                 if item['check'] == 'side effects']
    for path in paths:
        assert 'writing ' + path in effects['said'], effects
    # the filter refuses the socket itself: named as it is asked for
    assert 'opening a socket (AF_INET)' in effects['said'], effects
    assert 'sleep 347' in effects['said']


def run_child(tmpdir, code, patience=60):
    """Runs `python -c code` through sandbox.run in a scratch folder;
    returns (the Run, seconds it took)."""
    scratch = tempfile.mkdtemp(dir=str(tmpdir))
    started = time.time()
    run = sandbox.run(['-c', code], scratch, [ROOT], patience)
    return run, time.time() - started


# secrets a checker's environment holds (a CI job's, a cloud's, a
# token of its own): none may reach a learner's code
SECRETS = {'CI_JOB_TOKEN': 'glcbt-job-token-0451',
           'AWS_SECRET_ACCESS_KEY': 'aws-secret-key-0452',
           'GITHUB_TOKEN': 'ghp-github-token-0453'}
# what a learner's code reads of itself: its whole environment, whether
# the filter is on, and a connection to port (one JSON line)
READS = r"""
import json, os, socket
status = dict(line.split(':', 1) for line in open('/proc/self/status'))
try:
    socket.create_connection(('127.0.0.1', PORT), timeout=2).sendall(b'hi')
    connected = 'done'
except OSError as error:
    connected = str(error.errno)
print(json.dumps({'environ': open('/proc/self/environ').read(),
                  'seccomp': status['Seccomp'].strip(),
                  'connected': connected}))
"""


def assert_alone(read, received):
    """Asserts what a child read of itself (READS): no secret nor name of
    SECRETS in its environment, only what sandbox.environment() makes
    (and PWD, which bubblewrap sets), the filter on, the connection
    refused (EPERM) and nothing received."""
    import errno
    environ = dict(entry.split('=', 1) for entry in
                   read['environ'].split('\0') if entry)
    for name, value in SECRETS.items():
        assert name not in environ and value not in read['environ'], read
    assert environ['PATH'] == sandbox.PATH
    assert set(environ) <= set(sandbox.PASSED) | {
        'PATH', 'HOME', 'PYTHONUNBUFFERED', 'PYTHONDONTWRITEBYTECODE',
        'MPLCONFIGDIR', 'THREADS', 'TF_NUM_INTRAOP_THREADS',
        'TF_NUM_INTEROP_THREADS', 'PWD'}, environ
    assert read['seccomp'] == '2'
    assert read['connected'] == str(errno.EPERM), read
    assert received() == []


@needs_sandbox
@pytest.mark.parametrize('sandboxed', [None, False],
                         ids=['in the sandbox', 'unisolated'])
def test_a_child_holds_none_of_the_checkers_environment(
        tmpdir, monkeypatch, listener, sandboxed):
    """With secrets in the checker's environment, a child reads its own
    (/proc/self/environ): none of them, only the environment of ours;
    the filter is on, in the sandbox and outside one, and a TCP
    connection to a listener here is refused by it."""
    import json
    port, received = listener
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    scratch = tempfile.mkdtemp(dir=str(tmpdir))
    run = sandbox.Child(['-c', 'PORT = {}\n'.format(port) + READS], scratch,
                        [], sandboxed=sandboxed).wait(60)
    assert run.code == 0, run.output
    assert_alone(json.loads(run.output.strip().splitlines()[-1]), received)


def test_what_a_child_prints_is_kept_bounded(tmpdir):
    """300 MB printed: the head and tail kept are a few kB, the rest only
    counted, and the checker's memory does not grow by it."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run, _ = run_child(tmpdir, 'import sys\nfor _ in range(300):\n'
                       '    sys.stdout.write("x" * 999999 + "\\n")\n')
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert run.code == 0
    assert len(run.output) < sandbox.HEAD + sandbox.TAIL + 100
    assert run.dropped == 300 * 10 ** 6 - sandbox.HEAD - sandbox.TAIL
    assert grown < 64 * 1024, grown  # kB


def test_a_grandchild_holding_the_pipe_does_not_hold_the_check(tmpdir):
    """A child that starts a detached sleeper holding its output and
    exits: the run returns at once (the sleeper ended with it in the
    sandbox; outside one, no longer read)."""
    run, took = run_child(tmpdir, 'import subprocess\nsubprocess.Popen('
                          '{!r}.split(), start_new_session=True)\n'
                          'print("started")\n'.format(SLEEPER))
    try:
        assert run.code == 0 and 'started' in run.output
        assert took < 30
        if SANDBOX:
            assert sleepers() == []
    finally:
        for pid in sleepers():
            os.kill(pid, 9)


@same_code
def test_the_limits_are_named(tmpdir, monkeypatch):
    """A child past the memory limit, one past the time limit and one
    killed by a signal are each said to be exactly that."""
    from tools import check
    monkeypatch.setattr(check, 'MEMORY', 1 << 30)
    monkeypatch.setattr(check, 'PATIENCE', 5)
    run, _ = run_child(tmpdir, 'hog = bytearray(2 << 30)')
    assert diagnoses.stopped(run, 'allocating') == \
        'stopped at the 1 GB memory limit while allocating'
    run, took = run_child(tmpdir, 'import time\ntime.sleep(60)', patience=5)
    assert took < 30
    assert diagnoses.stopped(run, 'sleeping') == \
        'stopped at the 5 s time limit while sleeping'
    run, _ = run_child(tmpdir, 'import os, signal\nos.kill(os.getpid(), '
                       'signal.SIGSEGV)')
    assert diagnoses.stopped(run, 'building') == \
        'stopped by signal SIGSEGV while building'


@pytest.mark.skipif(TF_VERSION != (2, 15),
                    reason='the report\'s first line is the same on every '
                    'line: tested on TF 2.15')
def test_without_bwrap_the_report_says_unisolated(tmpdir):
    """CHECK_SANDBOX=0 (as where bwrap is missing): the report's first
    line says the code ran unisolated and how to get a sandbox."""
    folder = solution(str(tmpdir.join('solution')), modules=(VANILLA,))
    process = subprocess.Popen(
        [sys.executable, '-m', 'tools.check', folder, '--quick'], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, env=dict(os.environ, CHECK_SANDBOX='0'))
    output = process.communicate(timeout=600)[0]
    assert process.returncode == 0, output
    first = output.splitlines()[0]
    assert 'NOT ISOLATED (CHECK_SANDBOX=0)' in first
    assert 'apt-get install bubblewrap' in first


def test_what_lies_under_tmp_is_bound_over_the_private_tmp():
    """A learner's folder, a project or a Python under /tmp (a clone
    there) is shown in the child's view: the private /tmp is made before
    anything is bound, never over it."""
    line = sandbox.view(['/tmp/class/ada'], [(__file__, '/check/x.py')])
    made = [i for i, part in enumerate(line[:-1])
            if part == '--tmpfs' and line[i + 1] == '/tmp']
    # every bind but the system's own folders (a Python, a project or a
    # learner's folder may lie anywhere, /tmp included)
    system = ('/usr', '/bin', '/sbin', '/lib', '/etc/', '/sys')
    bound = [i for i, part in enumerate(line[:-2])
             if part in ('--ro-bind', '--bind', '--symlink') and
             not line[i + 2].startswith(system)]
    assert len(made) == 1 and bound and min(bound) > made[0], line
    assert '/tmp/class/ada' in line[made[0]:]


# What a learner trying their luck does from inside, at import: each
# attempt's outcome printed as one JSON line (the errno's name, or 'done')
ESCAPES = r'''
import ctypes, errno, json, os, site, sys
libc = ctypes.CDLL(None, use_errno=True)
tried = {}


def attempt(name, call):
    try:
        result = call()
    except OSError as error:
        tried[name] = errno.errorcode.get(error.errno, str(error.errno))
        return
    if isinstance(result, int) and result < 0:
        tried[name] = errno.errorcode.get(ctypes.get_errno(), 'failed')
    else:
        tried[name] = 'done'


status = dict(line.split(':', 1) for line in open('/proc/self/status'))
tried['status'] = {key: status[key].split()[0] for key in (
    'Uid', 'Gid', 'CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb',
    'NoNewPrivs', 'Seccomp')}
tried['groups'] = status['Groups'].split()
packages = [path for path in sys.path if path.endswith('site-packages')][-1]
MS_REMOUNT, MS_BIND = 32, 4096
for name, path in (('remount packages', packages),
                   ('remount own folder', os.getcwd()),
                   ('remount python', sys.prefix)):
    attempt(name, lambda: libc.mount(b'none', path.encode(), None,
                                     MS_REMOUNT | MS_BIND, None))
attempt('plant pth', lambda: open(os.path.join(packages, PTH), 'w').write(
    'import os; open(' + repr(MARK) + ', "w").write("ran")\n'))
attempt('mount tmpfs', lambda: libc.mount(b'none', b'/tmp', b'tmpfs', 0,
                                          None))
attempt('umount sys', lambda: libc.umount2(b'/sys', 2))
attempt('user namespace', lambda: libc.unshare(0x10000000))
attempt('mount namespace', lambda: libc.unshare(0x00020000))
attempt('device node', lambda: os.mknod(
    '/tmp/disk', 0o600 | 0o060000, os.makedev(253, 0)))
attempt('read a disk', lambda: [open(path, 'rb').read(512) for path in (
    '/tmp/disk', '/dev/vda', '/dev/sda', '/dev/nvme0n1')])
attempt('leave cgroup', lambda: open(
    '/sys/fs/cgroup/cgroup.procs' if os.path.exists(
        '/sys/fs/cgroup/cgroup.procs') else
    '/sys/fs/cgroup/memory/cgroup.procs', 'w').write(str(os.getpid())))
attempt('remount sys', lambda: libc.mount(b'none', b'/sys', None,
                                          MS_REMOUNT, None))
attempt('ptrace', lambda: libc.ptrace(16, 1, None, None))
attempt('bpf', lambda: libc.syscall(321, 0, None, 0))
attempt('perf_event_open', lambda: libc.syscall(298, None, 0, -1, -1, 0))
attempt('keyctl', lambda: libc.syscall(250, 0, 0, 0, 0, 0))
attempt('setuid root', lambda: os.setuid(0))
attempt('terminal', lambda: os.open('/dev/tty', os.O_RDWR))
attempt('TIOCSTI', lambda: libc.ioctl(0, 0x5412, ctypes.c_char_p(b'x')))
# a set-user-ID program gains nothing under no_new_privs
import subprocess
tried['setuid mount'] = subprocess.call(
    ['mount', '-o', 'remount,rw', packages], stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
print(json.dumps(tried))
'''


@needs_sandbox
def test_the_learners_code_holds_no_privilege(tmpdir):
    """Read from inside, as a learner's code would: the child runs as
    nobody in no group, with every capability set empty, no_new_privs
    and the filter on; remounting site-packages, its folder or Python
    writable, planting a .pth, mounting, leaving its cgroup through /sys,
    a user or mount namespace, a device node and reading a disk, ptrace,
    bpf, perf_event_open, keyctl, setuid, its terminal, TIOCSTI and a
    set-user-ID mount all fail; the .pth is nowhere, and the next Python
    of this line runs none."""
    mark = str(tmpdir.join('pth-ran'))
    pth = 'zz-check-{}.pth'.format(os.getpid())
    run, _ = run_child(tmpdir, 'PTH, MARK = {!r}, {!r}\n'.format(
        pth, mark) + ESCAPES)
    assert run.code == 0, run.output
    import json
    tried = json.loads(run.output.strip().splitlines()[-1])
    assert tried.pop('status') == {
        'Uid': '65534', 'Gid': '65534', 'CapInh': '0' * 16,
        'CapPrm': '0' * 16, 'CapEff': '0' * 16, 'CapBnd': '0' * 16,
        'CapAmb': '0' * 16, 'NoNewPrivs': '1', 'Seccomp': '2'}, tried
    assert tried.pop('groups') == []
    assert tried.pop('setuid mount') != 0, tried
    refused = ('EPERM', 'EACCES', 'EROFS')
    # no terminal to open; no disk to read (the node was not made, and the
    # sandbox's /dev holds none)
    elsewise = {'terminal': 'ENXIO', 'read a disk': 'ENOENT'}
    assert {name: outcome for name, outcome in tried.items()
            if outcome not in refused and
            outcome != elsewise.get(name)} == {}, tried
    # the filter, not the missing privilege alone, answers what it denies
    for name in ('mount tmpfs', 'user namespace', 'ptrace', 'bpf',
                 'perf_event_open', 'keyctl', 'TIOCSTI', 'device node'):
        assert tried[name] == 'EPERM', (name, tried)
    import site
    for folder in site.getsitepackages():
        assert not os.path.exists(os.path.join(folder, pth))
    subprocess.check_call([sys.executable, '-c', 'pass'])
    assert not os.path.exists(mark)


@needs_sandbox
def test_what_the_child_writes_is_held_to_its_disk(tmpdir, monkeypatch):
    """A child that writes 1 MB at a time until it cannot, with the disk
    limit at 64 MB: it stops at ENOSPC within that limit, is said to be
    stopped at the 64 MB disk limit, the machine's disk holds none of it
    (its free space did not fall by it) and nothing of the child is
    left (no new entry in the machine's /tmp)."""
    from tools import check
    monkeypatch.setattr(check, 'DISK', 64 << 20)
    tmp = tempfile.gettempdir()
    before, free = set(os.listdir(tmp)), disk_free(tmp)
    run, _ = run_child(tmpdir, 'import os\nwritten = 0\n'
                       'with open("big", "wb") as target:\n'
                       '    while written < 256 << 20:\n'
                       '        target.write(b"x" * (1 << 20))\n'
                       '        written += 1 << 20\n')
    assert run.code != 0 and 'No space left on device' in run.output
    assert run.full and run.left == [os.path.join(sandbox.SCRATCH, 'big')]
    assert diagnoses.stopped(run, 'writing') == \
        'stopped at the 64 MB disk limit while writing'
    assert disk_free(tmp) > free - (32 << 20)
    assert set(os.listdir(tmp)) - before == set()


def disk_free(folder):
    """Returns the bytes free on folder's file system."""
    usage = os.statvfs(folder)
    return usage.f_bavail * usage.f_frsize


def test_every_folder_made_on_the_way_is_open_to_nobody():
    """A Python, a project and a learner's copy under a folder closed to
    others (root's home, mode 0700): bwrap makes every folder on the way
    to what it shows, and each is made 0755, before it is shown."""
    line = sandbox.view(['/root/class/ada'], [(__file__, '/check/x.py')])
    made = {line[i + 3]: line[i + 1] for i, part in enumerate(line[:-3])
            if part == '--perms' and line[i + 2] == '--dir'}
    for folder in ('/root', '/root/class', '/check'):
        assert made.get(folder) == '0755', line
    shown = line.index('/root/class/ada')
    assert max(line.index(folder) for folder in ('/root', '/root/class')) \
        < shown


@same_code
def test_a_class_is_never_checked_unisolated_by_default(tmpdir):
    """Where no sandbox can be made (CHECK_SANDBOX=0 stands in for a
    missing bwrap), a class and a Dask worker are refused, saying how to
    install bwrap and which setting runs them unisolated on purpose: no
    learner's code ran (the file that writes at import wrote nothing),
    no result was written."""
    solutions = str(tmpdir.join('class'))
    eve = os.path.join(solutions, 'eve')
    os.makedirs(eve)
    mark = str(tmpdir.join('eve-ran'))
    with open(os.path.join(eve, VANILLA), 'w') as target:
        target.write('#!/usr/bin/env python3\n"""Eve"""\nopen({!r}, "w")'
                     '.write("ran")\n'.format(mark))
    out = str(tmpdir.join('out'))
    unisolated = dict(os.environ, CHECK_SANDBOX='0')
    unisolated.pop('CHECK_UNISOLATED', None)
    for command in ([sys.executable, '-m', 'tools.check', '--class=' +
                     solutions, '--out=' + out, '--quick'],
                    [sys.executable, '-m', 'tools.check.runners.cluster',
                     'worker', 'tcp://127.0.0.1:9']):
        process = subprocess.run(
            command, cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, universal_newlines=True, timeout=300,
            env=unisolated)
        assert process.returncode == 2, process.stdout
        for words in ('refused, no learner\'s code was run',
                      'apt-get install bubblewrap', 'CHECK_UNISOLATED=1',
                      'CHECK_SANDBOX=0'):
            assert words in process.stdout, process.stdout
    assert not os.path.exists(mark)
    assert not os.path.exists(out) or [name for name in os.listdir(out)
                                       if name.endswith('.json')] == []


# Where the project is seen in the stand-in for a container
PROJECT = '/srv/check-project'


def in_container(line, binds=(), timeout=600, **env):
    """Runs line as root from PROJECT (this project shown there) in a
    stand-in for a container where no sandbox can be made, as Docker's
    default and Gradescope's are: bwrap hidden (an empty file stands at
    its path), the cgroups read-only, and this Python reachable by every
    user, as a container's under /usr is (here it may lie under /root,
    closed to others); binds, (folder, where it is shown) pairs; env adds
    to the environment. Returns the finished process (output and errors
    together)."""
    stand_in = [SANDBOX, '--dev-bind', '/', '/', '--ro-bind', '/dev/null',
                SANDBOX, '--ro-bind', '/sys/fs/cgroup', '/sys/fs/cgroup']
    python = os.path.realpath(sys.base_prefix)
    if python.startswith('/root/'):
        # its folder in /root shown whole (pyenv's), the rest hidden
        python = '/'.join(python.split('/')[:3])
        stand_in += ['--tmpfs', '/root', '--ro-bind', python, python]
    stand_in += ['--bind', ROOT, PROJECT]
    for folder, shown in binds:
        stand_in += ['--bind', folder, shown]
    return subprocess.run(
        stand_in + ['--chdir', PROJECT] + list(line),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=timeout,
        env=dict(os.environ, PYTHONPATH=PROJECT, **env))


def contained_python():
    """Returns the path of this line's Python in that stand-in: its
    environment as PROJECT shows it."""
    venv = os.path.join(PROJECT, os.path.relpath(sys.prefix, ROOT)) \
        if sys.prefix.startswith(ROOT + '/') else sys.prefix
    return os.path.join(venv, 'bin', 'python')


# Run in the stand-in for a container: a child of the checker's sandbox
# module, its outcome one JSON line
DROPPED = r"""
import json, os, subprocess, sys, tempfile
from tools.check.runners import sandbox
assert sandbox.bwrap() is None and sandbox.dropped(), sandbox.why_not_dropped()
top = sandbox.scratch_top('check-test-')
os.mkdir(os.path.join(top, 'child'))
run = sandbox.run(['-c', sys.argv[1]], os.path.join(top, 'child'), [], 60)
print(json.dumps({'code': run.code, 'output': run.output,
                  'isolation': sandbox.isolation()[1]}))
"""
# What a learner's code tries there: each outcome by name
TRIES = r"""
import ctypes, errno, json, os, socket, subprocess
tried = {}
status = dict(line.split(':', 1) for line in open('/proc/self/status'))
tried['status'] = {key: status[key].split()[0] for key in (
    'Uid', 'Gid', 'CapEff', 'CapPrm', 'CapBnd', 'NoNewPrivs', 'Seccomp')}
tried['groups'] = status['Groups'].split()
tried['environ'] = open('/proc/self/environ').read()


def attempt(name, call):
    try:
        call()
        tried[name] = 'done'
    except OSError as error:
        tried[name] = errno.errorcode.get(error.errno, str(error.errno))


for name, path in (('write the project', PROJECT + '/learner-wrote.txt'),
                   ('write /etc', '/etc/learner-wrote.txt'),
                   ('write its scratch', 'wrote.txt'),
                   ('write /tmp', LEFT)):
    attempt(name, lambda: open(path, 'w').write('x'))
attempt('signal the checker', lambda: os.kill(os.getppid(), 0))
attempt('setuid root', lambda: os.setuid(0))
attempt('read root\'s home', lambda: os.listdir('/root/.ssh'))
attempt('connect', lambda: socket.create_connection(('127.0.0.1', PORT),
                                                    timeout=2))
subprocess.Popen(SLEEPER.split(), start_new_session=True)
print(json.dumps(tried))
"""


@pytest.mark.skipif(TF_VERSION != (2, 15) or os.geteuid() != 0,
                    reason='a user of its own needs root; the sandbox is '
                    'the same code on every line: tested on TF 2.15')
@needs_sandbox
def test_without_namespaces_a_child_still_holds_no_privilege(tmpdir,
                                                             listener):
    """In a stand-in for a container where no sandbox can be made, with
    secrets in the checker's environment, read from inside as a learner's
    code would: the child runs as a user of its own (no account's, in no
    group) with every capability set empty, no_new_privs and the filter
    on; its environment holds none of the secrets; it writes its scratch
    and /tmp alone (the project, /etc and the checker are refused it),
    and its connection to a listener here is refused (EPERM) and nothing
    received; when it ends, what it left in /tmp is gone and the sleeper
    it started in a session of its own is no longer running. The
    report's first line says how it ran."""
    port, received = listener
    left = '/tmp/learner-left-{}.txt'.format(os.getpid())
    before = set(sleepers())
    try:
        process = in_container([contained_python(), '-c', DROPPED,
                                'PROJECT, LEFT, SLEEPER, PORT = '
                                '{!r}, {!r}, {!r}, {}\n'.format(
                                    PROJECT, left, SLEEPER, port) + TRIES],
                               **SECRETS)
        assert process.returncode == 0, process.stdout
        import json
        outcome = json.loads(process.stdout.strip().splitlines()[-1])
        assert outcome['code'] == 0, outcome
        tried = json.loads(outcome['output'].strip().splitlines()[-1])
        assert not os.path.exists(left)
        assert set(sleepers()) - before == set()
    finally:
        if os.path.exists(left):
            os.remove(left)
    status = tried.pop('status')
    assert int(status['Uid']) >= sandbox.OWN_USERS, status
    assert status == {'Uid': status['Uid'], 'Gid': status['Uid'],
                      'CapEff': '0' * 16, 'CapPrm': '0' * 16,
                      'CapBnd': '0' * 16, 'NoNewPrivs': '1',
                      'Seccomp': '2'}, status
    assert tried.pop('groups') == []
    environ = tried.pop('environ')
    for name, value in SECRETS.items():
        assert name not in environ and value not in environ, environ
    assert received() == []
    assert tried == {'write the project': 'EACCES', 'write /etc': 'EACCES',
                     'write its scratch': 'done', 'write /tmp': 'done',
                     'signal the checker': 'EPERM', 'setuid root': 'EPERM',
                     'read root\'s home': tried['read root\'s home'],
                     'connect': 'EPERM'}, tried
    assert tried['read root\'s home'] in ('EACCES', 'ENOENT'), tried
    assert not os.path.exists(os.path.join(ROOT, 'learner-wrote.txt'))
    assert outcome['isolation'].startswith(
        'PARTLY ISOLATED (no sandbox: bwrap is missing): each child ran as '
        'a user of its own'), outcome['isolation']
    assert 'no network (the system-call filter refuses sockets' in \
        outcome['isolation'], outcome['isolation']
    assert 'reach the network' not in outcome['isolation']


@pytest.mark.skipif(TF_VERSION != (2, 15) or os.geteuid() != 0,
                    reason='a user of its own needs root; the sandbox is '
                    'the same code on every line: tested on TF 2.15')
@needs_sandbox
def test_without_namespaces_make_check_judges_as_a_user_of_its_own(tmpdir,
                                                                   listener):
    """make check in that stand-in: our dense files pass every check, the
    mains included (two processes side by side, each as its own user);
    the meddling file's writes to the project and to its own folder are
    refused, what it wrote under /tmp is gone, its sleeper stopped, its
    connection refused by the filter (the listener received nothing), and
    each attempt is named."""
    port, received = listener
    # two files: two mains processes side by side, each its own user
    ours = solution(str(tmpdir.join('ours')), modules=(VANILLA, SPARSE))
    process = in_container([contained_python(), '-m', 'tools.check', ours,
                            '--json'])
    assert process.returncode == 0, process.stdout
    import json
    document = json.loads(process.stdout[process.stdout.index('{'):])
    assert document['isolation'].startswith('PARTLY ISOLATED'), document
    assert {item['status'] for task in document['tasks']
            for item in task['findings']} == {'ok'}, document
    folder, paths = meddling(tmpdir, PROJECT, port)
    before = set(sleepers())
    try:
        process = in_container([contained_python(), '-m', 'tools.check',
                                folder, '--json', '--quick'])
        assert process.returncode == 1, process.stdout
        assert [path for path in paths[:2] if os.path.exists(path)] == []
        assert not os.path.exists(os.path.join(ROOT,
                                               'learner-wrote-here.txt'))
        assert set(sleepers()) - before == set()
    finally:
        for path in paths[:2] + [os.path.join(ROOT,
                                              'learner-wrote-here.txt')]:
            if os.path.exists(path):
                os.remove(path)
    assert received() == []
    assert_named(json.loads(process.stdout[process.stdout.index('{'):])[
        'tasks'][0]['findings'], paths)


@same_code
def test_a_scheduler_others_reach_needs_tls():
    """A Dask scheduler asked to listen on every address without TLS is
    refused before it listens, saying why and what to give."""
    process = subprocess.run(
        [sys.executable, '-m', 'tools.check.runners.cluster', 'scheduler',
         '--host=0.0.0.0', '--port=8786'], cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=60)
    assert process.returncode == 2, process.stdout
    assert 'refused to listen on 0.0.0.0 without TLS' in process.stdout
    assert 'TLS=' in process.stdout and 'INSECURE=1' in process.stdout
    from tools.check.runners import cluster
    assert [cluster.loopback(host) for host in (
        '127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3', '0.0.0.0',
        '192.168.1.5', 'example.org')] == [True] * 5 + [False] * 3
