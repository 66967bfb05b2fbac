#!/usr/bin/env python3
"""Every child that runs a learner's code (the answerer of
tools.check.answer, the spec's main) runs here: code nobody here wrote,
contained as a server contains a request.

Where Debian's bubblewrap (`bwrap`) works, the child sees only what it
needs (view()): the system's programs and libraries, this Python and its
packages, the learner's own folder read-only, the one program of ours it
runs, a private empty /tmp, and its scratch folder, the only place it
can write. It does not see this project (our reference modules, the
judge, other tasks' results), another learner's folder, the class's
results or any home folder. It has no network (a network namespace of
its own, with no interface up) and a process tree of its own (a PID
namespace): when the child ends, or is stopped, everything it started
ends with it, and --die-with-parent ends it all if the checker dies.
Where bwrap is missing or cannot make namespaces (a container without
them, macOS), or CHECK_SANDBOX=0, the child runs unisolated with the
limits alone, and the report's first line says so (isolation()).

Either way: a time limit (the child and all it started are killed at
it, and the checker never waits on a pipe a grandchild still holds);
memory and a count of processes limited over the child and everything
it starts together, by a cgroup of its own where the machine lets one
be made (root, cgroup v1 or v2), else memory per process (address
space) and the report's first line says so; and its output kept as a
bounded head and tail, the rest counted, not stored."""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from helpers import variables
from tools import runs

# bytes of a child's output kept from its start, and from its end
HEAD = TAIL = 8192
INSTALL = 'apt-get install bubblewrap'
_works = []


def bwrap():
    """Returns the path of a bwrap that makes its namespaces here, or
    None (missing, refused, or CHECK_SANDBOX=0). Asked once a process."""
    if not variables.get('CHECK_SANDBOX'):
        return None
    if not _works:
        found = shutil.which('bwrap')
        if found:
            try:
                subprocess.check_call(
                    [found] + namespaces() + ['--ro-bind', '/', '/',
                                              'true'],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    timeout=30)
            except (subprocess.SubprocessError, OSError):
                found = None
        _works.append(found)
    return _works[0]


def namespaces():
    """bwrap's options for a network and a process tree of its own, ended
    with the checker."""
    return ['--unshare-net', '--unshare-pid', '--unshare-ipc',
            '--die-with-parent']


def isolation():
    """Returns (isolated, one sentence saying how the learner's code runs
    here) for the report's first line."""
    named = 'side effects named by Python\'s audit hooks' if hasattr(
        sys, 'addaudithook') else 'side effects contained but not named: ' \
        'Python {}.{} has no audit hooks'.format(*sys.version_info[:2])
    from tools import check
    limited = ('{} GB of memory and {} processes over all it started '
               '(a cgroup)'.format(check.MEMORY >> 30, check.PROCESSES)
               if Group.works() else '{} GB of memory per process (no '
               'cgroup could be made here: memory and processes are not '
               'limited over all it started)'.format(check.MEMORY >> 30))
    if bwrap():
        return True, ('isolated: each child ran in a bubblewrap sandbox '
                      'that shows it only Python, its packages and the '
                      'learner\'s own folder (read-only), writes only its '
                      'scratch folder, has no network and its own process '
                      'tree; limited to ' + limited + '; ' + named)
    why = 'CHECK_SANDBOX=0' if not variables.get('CHECK_SANDBOX') else \
        'bwrap is missing or cannot make namespaces here'
    return False, ('NOT ISOLATED ({}): the learner\'s code ran with your '
                   'rights, limited only to {}; for a sandbox, '
                   '{} (Debian, Ubuntu) and run again'.format(
                       why, limited, INSTALL))


# The files of /etc a child reads: the dynamic linker's cache, the time
# zone, fonts (a main's figures); the users file is one of our own (no
# one's name or home), as some packages ask who runs them
ETC = ('/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d',
       '/etc/localtime', '/etc/fonts', '/etc/alternatives')
USERS = ('root:x:0:0:root:/tmp:/bin/sh\n'
         'nobody:x:65534:65534:nobody:/tmp:/bin/sh\n')
GROUPS = 'root:x:0:\nnogroup:x:65534:\n'
_own = []


def own_etc():
    """Returns the folder of the users and groups files a child sees,
    made once a process."""
    if not _own:
        folder = tempfile.mkdtemp(prefix='check-etc-')
        for name, text in (('passwd', USERS), ('group', GROUPS)):
            with open(os.path.join(folder, name), 'w') as target:
                target.write(text)
        _own.append(folder)
    return _own[0]


def bind(source, target=None):
    """Returns bwrap's options that show source read-only at target (its
    own path by default): a symbolic link as that link."""
    target = target or source
    if os.path.islink(source) and target == source:
        return ['--symlink', os.readlink(source), source]
    return ['--ro-bind', source, target]


def view(readable, files=()):
    """Returns bwrap's options for what a child sees: the system's
    programs and libraries, /etc's few files, this Python and its
    packages, the folders readable (read-only) and files, (source,
    target) pairs of single files shown read-only at target."""
    line = []
    for path in ('/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32',
                 '/libx32'):
        if os.path.lexists(path):
            line += bind(path)
    for path in ETC:
        if os.path.exists(path):
            line += bind(path)
    for name in ('passwd', 'group'):
        line += bind(os.path.join(own_etc(), name), '/etc/' + name)
    # the private /tmp first: what is bound below (a project, a Python or
    # a learner's folder under /tmp) is bound over it, not hidden by it
    line += ['--dev', '/dev', '--proc', '/proc', '--ro-bind', '/sys', '/sys',
             '--tmpfs', '/tmp', '--tmpfs', '/dev/shm']
    pythons = []
    for path in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                 os.path.dirname(os.path.dirname(os.path.realpath(
                     sys.executable)))):
        path = os.path.realpath(path)
        if not path.startswith('/usr/') and path != '/usr' and \
                path not in pythons:
            pythons.append(path)
    for path in pythons:
        line += ['--ro-bind', path, path]
        if os.path.realpath(sys.prefix) == path and \
                os.path.abspath(sys.prefix) != path:
            line += ['--symlink', path, os.path.abspath(sys.prefix)]
    for folder in readable:
        line += ['--ro-bind', folder, folder]
    for source, target in files:
        line += ['--ro-bind', source, target]
    return line


def command(arguments, scratch, readable, files=()):
    """Returns the command line that runs this project's Python with
    arguments in scratch, inside the sandbox where there is one; it sees
    view(readable, files), and writes scratch alone."""
    python = [sys.executable] + list(arguments)
    found = bwrap()
    if not found:
        return python
    return [found] + namespaces() + view(readable, files) + [
        '--bind', scratch, scratch, '--chdir', scratch] + python


class Group(object):
    """A cgroup of a child's own (cgroup v2, or v1's memory and pids
    hierarchies), where root can make one here: memory and the count of
    processes limited over the child and all it starts; all of them
    killed when it is done."""
    V2 = '/sys/fs/cgroup'
    V1 = ('/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids')
    _works = []

    def __init__(self):
        """Makes the cgroup, or none (self.paths empty)."""
        from tools import check
        self.paths = []
        name = 'check-{}-{}'.format(os.getpid(), id(self))
        if os.path.isfile(os.path.join(self.V2, 'cgroup.controllers')):
            settings = [(self.V2, {'memory.max': check.MEMORY,
                                   'memory.swap.max': 0,
                                   'pids.max': check.PROCESSES})]
        else:
            settings = [(self.V1[0], {'memory.limit_in_bytes': check.MEMORY}),
                        (self.V1[1], {'pids.max': check.PROCESSES})]
        try:
            for top, limits in settings:
                path = os.path.join(top, name)
                os.mkdir(path)
                self.paths.append(path)
                for key, value in limits.items():
                    if os.path.exists(os.path.join(path, key)):
                        with open(os.path.join(path, key), 'w') as target:
                            target.write(str(value))
        except OSError:
            self.close()
            self.paths = []

    @classmethod
    def works(cls):
        """Returns True where a cgroup can be made here (asked once)."""
        if not cls._works:
            group = cls()
            cls._works.append(bool(group.paths))
            group.close()
        return cls._works[0]

    def enter(self):
        """In the child, before it runs: puts it in the cgroup."""
        for path in self.paths:
            with open(os.path.join(path, 'cgroup.procs'), 'w') as target:
                target.write(str(os.getpid()))

    def close(self):
        """Kills whatever is left in the cgroup and removes it."""
        for path in self.paths:
            for _ in range(50):
                try:
                    with open(os.path.join(path, 'cgroup.procs')) as source:
                        pids = [int(pid) for pid in source.read().split()]
                except OSError:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                try:
                    os.rmdir(path)
                    break
                except OSError:
                    time.sleep(0.05)


class Run(object):
    """What a child did: its exit code (None where the time limit stopped
    it), the signal that ended it (or None), its output's head and tail
    (text) and how many bytes of it were dropped between them."""

    def __init__(self, code, timed_out, head, tail, dropped,
                 sandboxed=False):
        """Keeps what was seen; a sandboxed child killed by a signal ends
        bwrap with 128 plus the signal's number."""
        self.code, self.timed_out = code, timed_out
        self.signal = None
        if code is not None and code < 0:
            self.signal = -code
        elif sandboxed and code is not None and code > 128:
            self.signal = code - 128
        self.head, self.tail, self.dropped = head, tail, dropped

    @property
    def output(self):
        """The output kept: head, a line counting what was dropped, tail."""
        if not self.dropped:
            return self.head + self.tail
        return '{}\n[... {} bytes not kept ...]\n{}'.format(
            self.head, self.dropped, self.tail)


def limits(group):
    """Returns what runs in the child before it starts: into its cgroup
    (group), at most MEMORY bytes mapped by each process it starts, no
    core file, and a session of its own so that a kill reaches all it
    started outside a sandbox too."""
    def before():
        """In the child, before it runs."""
        from tools import check
        group.enter()
        resource.setrlimit(resource.RLIMIT_AS, (check.MEMORY, check.MEMORY))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()
    return before


class Child(object):
    """A child started in the sandbox, running while the caller talks to
    it (the answerer) or waits for it (a main): its process, its cgroup
    and its output, kept bounded as it comes."""

    def __init__(self, arguments, scratch, readable, files=(), keep_fds=(),
                 **env):
        """Starts this project's Python with arguments in scratch,
        contained (command()) and limited (limits()); keep_fds are file
        descriptors it inherits; env adds to the environment of a
        learner's shell (tools.runs.environment)."""
        settings = runs.environment(
            PYTHONDONTWRITEBYTECODE='1', HOME=scratch,
            MPLCONFIGDIR=os.path.join(scratch, '.matplotlib'),
            **dict(one_thread(), **env))
        if 'PYTHONPATH' not in env:
            settings.pop('PYTHONPATH', None)
        self.line = command(arguments, scratch, readable, files)
        self.group = Group()
        self.started = time.time()
        self.process = subprocess.Popen(
            self.line, cwd=scratch, env=settings, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            preexec_fn=limits(self.group), pass_fds=tuple(keep_fds))
        self.kept = nothing_kept()
        self.reader = threading.Thread(target=keep, args=(
            self.process.stdout, self.kept))
        self.reader.daemon = True
        self.reader.start()
        self.timed_out = False

    def wait(self, patience):
        """Waits for the child to end, patience seconds from its start at
        most; then stops it and all it started. Returns a Run."""
        try:
            self.process.wait(timeout=max(
                0.1, patience - (time.time() - self.started)))
        except subprocess.TimeoutExpired:
            self.timed_out = True
        return self.stop()

    def stop(self, timed_out=None):
        """Stops the child and all it started; returns a Run (timed_out
        says it was stopped at its time limit)."""
        if timed_out:
            self.timed_out = True
        # whatever it started goes with it: its session, its cgroup, and
        # in the sandbox its PID namespace, whose first process this is
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.process.wait()
        self.group.close()
        # a grandchild outside the session may still hold the pipe: stop
        # reading after a moment rather than wait on it
        self.reader.join(timeout=2)
        code = None if self.timed_out else self.process.returncode
        return run_of(code, self.timed_out, self.kept,
                      self.line[0] != sys.executable)


def one_thread():
    """Returns the environment that has TensorFlow run a child's work on
    one thread, unless THREADS was set: a check runs its children side by
    side (the answerer, the mains, a class's other learners), and on a
    few cores TensorFlow's pools of one thread per core each then spend
    about a tenth more CPU waiting on each other than they compute in
    less time (measured on 2 cores; docs/check.md). A loss's digits
    follow the thread count (TF 1.12's vanilla first loss by 0.6%): ours
    run with the same setting."""
    if variables.text('THREADS'):
        return {}
    return {'THREADS': '1', 'TF_NUM_INTRAOP_THREADS': '1',
            'TF_NUM_INTEROP_THREADS': '1'}


def run(arguments, scratch, readable, patience, files=(), **env):
    """Runs this project's Python with arguments in scratch, contained
    and limited (Child), for patience seconds at most; returns a Run."""
    return Child(arguments, scratch, readable, files, **env).wait(patience)


def keep(pipe, kept):
    """Reads pipe to its end, keeping its first HEAD and last TAIL bytes
    in kept (kept_chunk)."""
    while True:
        try:
            chunk = pipe.read1(65536) if hasattr(pipe, 'read1') else \
                os.read(pipe.fileno(), 65536)
        except (OSError, ValueError):
            return
        if not chunk:
            return
        keep_chunk(chunk, kept)


def nothing_kept():
    """Returns what keep_chunk fills: nothing kept yet."""
    return {'head': b'', 'tail': b'', 'dropped': 0}


def keep_chunk(chunk, kept):
    """Adds chunk, the next bytes of an output, to kept: the first HEAD
    bytes in its head, the last TAIL in its tail, the rest counted."""
    room = HEAD - len(kept['head'])
    if room > 0:
        kept['head'] += chunk[:room]
        chunk = chunk[room:]
    tail = kept['tail'] + chunk
    kept['dropped'] += max(0, len(tail) - TAIL)
    kept['tail'] = tail[-TAIL:]


def run_of(code, timed_out, kept, sandboxed=False):
    """Returns the Run of an output kept by keep_chunk."""
    return Run(code, timed_out, runs.COLOUR.sub('', text(kept['head'])),
               runs.COLOUR.sub('', text(kept['tail'])), kept['dropped'],
               sandboxed)


def text(data):
    """Returns data decoded as UTF-8, what does not decode replaced."""
    return data.decode('utf-8', 'replace')


def stopped(run, phase):
    """Returns why a run stopped before its end, in a sentence ending with
    what it was doing (phase), or None where it ended by itself."""
    from tools import check
    if run.timed_out:
        return 'stopped at the {} s time limit while {}'.format(
            check.PATIENCE, phase)
    tail = run.output[-3000:]
    if 'MemoryError' in tail or 'bad_alloc' in tail or \
            'Resource exhausted' in tail or 'out of memory' in tail.lower():
        return 'stopped at the {} GB memory limit while {}'.format(
            check.MEMORY >> 30, phase)
    if run.signal:
        name = getattr(signal.Signals(run.signal), 'name', run.signal) \
            if hasattr(signal, 'Signals') else run.signal
        return 'stopped by signal {} while {}{}'.format(
            name, phase, ' (the system\'s out-of-memory killer sends it)'
            if run.signal == signal.SIGKILL else '')
    return None
