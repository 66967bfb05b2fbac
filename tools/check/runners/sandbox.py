#!/usr/bin/env python3
"""Every child that runs a learner's code (the answerer of
tools.check.inside.answer, the spec's mains) runs here: code nobody here wrote,
contained as a server contains a request, and holding no privilege of
the machine that grades it.

Where Debian's bubblewrap (`bwrap`) works, the child:
- runs as nobody (uid and gid 65534, no supplementary group), with every
  capability set empty (effective, permitted, inheritable, ambient and
  bounding) and no_new_privs, dropped by util-linux's setpriv inside the
  sandbox before its Python starts; a session of its own, no terminal;
- sees only what it needs (view()): the system's programs and libraries,
  this Python and its packages, the copy of the learner's task files the
  judge made (tools.check.judge.files.gather), the one program of ours it
  runs, users and groups files of our own, all read-only; it does not see
  this project's reference modules, the judge, another learner, the
  class's results or any home folder;
- writes only a tmpfs at /tmp, its scratch folder, bounded at DISK bytes
  (and /dev/shm at SHM): what it writes is memory its cgroup counts,
  never the machine's disk, and it is gone when the child has been read
  (the judge holds the tmpfs open by a descriptor to see what was left:
  Child.left());
- calls the kernel through a system-call filter (tools.check.runners.seccomp):
  mount, ptrace, namespaces, module loading, bpf, sockets and the like
  fail with EPERM;
- has no network (a network namespace with no interface up) and a
  process tree of its own (a PID namespace): when it ends, or is
  stopped, everything it started ends with it, and --die-with-parent
  ends it all if the checker dies.
Where no sandbox can be made (bwrap or libseccomp missing, or
namespaces refused: a container without them, such as Docker's default
and Gradescope's) but the checker is root, each child still holds no
privilege (dropped()): it runs as a user of its own, a uid no account
has and no other child shares (own_user()), with every capability set
empty and no_new_privs (setpriv), in a scratch folder that user owns,
the judge's copies readable and nothing of ours writable; the number of
its processes is that user's own (RLIMIT_NPROC), and when it ends every
process of that user is killed, wherever it went, and what that user
left in /tmp, /var/tmp or /dev/shm is removed. It can still read what
any user may read here, and the report's first line says so. Where the
checker is not root, or setpriv is missing, or that user cannot run
this Python (one under /root), or CHECK_SANDBOX=0, one learner's check
runs unisolated with the limits alone, and the report's first line
says that; a class refuses both (tools.check.runners.classroom).

Every way: the environment is ours alone (environment(): a fixed PATH,
the locale, TensorFlow's settings), never the checker's, whose tokens
and keys the learner's code could print into its report or send away;
outside a sandbox the child loads the same system-call filter before
it execs (outside_filter()), so that it has no network there either (the
filter refuses sockets) and the first line says where it cannot;
a time limit (the child and all it started are killed at
it, and the checker never waits on a pipe a grandchild still holds);
memory and a count of processes limited over the child and everything
it starts together, by a cgroup of its own where the machine lets one
be made (root, cgroup v1 or v2), else memory per process (address
space) and the report's first line says so; and its output kept as a
bounded head and tail, the rest counted, not stored."""
import itertools
import os
import resource
import shutil
import signal
import stat
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
# who the learner's code runs as: nobody
USER = 65534
# the sandbox's only writable place, a tmpfs: /tmp, and in it the
# child's scratch folder (its working folder and home); the bytes its
# /dev/shm may hold (Docker's own default)
WRITABLE = '/tmp'
SCRATCH = '/tmp/scratch'
SHM = 64 << 20
# Without a sandbox, each child runs as a user of its own: OWN_USERS plus
# this checker's pid (at most 2 ** 22) times 256 plus a count, a uid that
# no account has and no other child of any checker here shares, so that
# its processes are all and only the child's
OWN_USERS = 1 << 30
_children = itertools.count()
# the folders every user may write, where a child's user may leave files
SHARED = ('/tmp', '/var/tmp', '/dev/shm')


def dropping(user):
    """Returns setpriv's options that drop to user (a uid, its own group),
    clear every capability set (the bounding set too) and set
    no_new_privs."""
    return ['--reuid={}'.format(user), '--regid={}'.format(user),
            '--clear-groups', '--inh-caps=-all', '--ambient-caps=-all',
            '--bounding-set=-all', '--no-new-privs', '--']


# what a child runs first in the sandbox: setpriv drops to nobody
DROP = dropping(USER)
# what the sandbox's first child checks: it runs as that user with no
# capability and the filter on, and can read this Python's library and
# packages
PROBE = ('import os, sys\n'
         'assert os.getuid() == os.geteuid() == {} != 0\n'
         'status = open("/proc/self/status").read()\n'
         'assert "CapEff:\\t0000000000000000" in status, status\n'
         'assert "Seccomp:\\t2" in status, status\n'
         '[os.listdir(p) for p in sys.path if os.path.isdir(p)]\n'
         'import numpy\n')
# what a child of a user of its own checks first (dropped()): it runs as
# that user with no capability and no_new_privs, and can read this
# Python's library and packages, the programs of ours children run and
# this project's folders, and write its scratch folder; the system-call
# filter is on where it can be loaded here
DROPPED_PROBE = (
    'import os, sys\n'
    'assert os.getuid() == os.geteuid() == {user}\n'
    'status = open("/proc/self/status").read()\n'
    'assert "CapEff:\\t0000000000000000" in status, status\n'
    'assert "NoNewPrivs:\\t1" in status, status\n'
    'assert {filtered} <= ("Seccomp:\\t2" in status), status\n'
    '[os.listdir(p) for p in sys.path if os.path.isdir(p)]\n'
    'import numpy\n'
    'inside = os.path.join({root!r}, "tools", "check", "inside")\n'
    '[open(os.path.join(inside, name)).read() for name in os.listdir('
    'inside) if name.endswith(".py")]\n'
    'os.listdir({root!r})\n'
    'open("written", "w").close()\n')
_works, _dropped = [], []


def bwrap():
    """Returns the path of a bwrap that makes its sandbox here (as nobody,
    with the filter), or None (missing, refused, or CHECK_SANDBOX=0).
    Asked once a process; why_not() says why it is None."""
    if not variables.get('CHECK_SANDBOX'):
        return None
    if not _works:
        _works.append(probed())
    return _works[0][0]


def why_not():
    """Returns why there is no sandbox here, in a few words ('' where
    there is one)."""
    if not variables.get('CHECK_SANDBOX'):
        return 'CHECK_SANDBOX=0'
    bwrap()
    return _works[0][1]


def probed():
    """Returns (bwrap's path, '') where a sandbox runs this Python as
    nobody (user()) with no capability and the filter, else (None, why
    not)."""
    from tools.check.runners import seccomp
    found, setpriv = shutil.which('bwrap'), shutil.which('setpriv')
    if not found:
        return None, 'bwrap is missing'
    if not setpriv and os.geteuid() == 0:
        return None, 'setpriv (util-linux) is missing'
    if seccomp.program()[0] is None:
        return None, seccomp.program()[1]
    scratch = tempfile.mkdtemp(prefix='check-probe-')
    try:
        child = Child(['-c', PROBE.format(user())], scratch, [],
                      sandboxed=found)
        run = child.wait(60)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if run.code != 0:
        return None, 'bwrap cannot make its sandbox here ({})'.format(
            run.output.strip().splitlines()[-1][:200] if run.output.strip()
            else 'exit {}'.format(run.code))
    return found, ''


def user():
    """Returns the uid the learner's code runs as in the sandbox: nobody
    where the checker is root (setpriv drops to it), else the checker's
    own (in a user namespace of the sandbox's, which holds its only
    capabilities and makes no other)."""
    return USER if os.geteuid() == 0 else os.getuid()


def dropped():
    """Returns True where, no sandbox being made here, each child still
    runs as a user of its own with no privilege: the checker is root,
    setpriv is here and such a user can run this Python and read what a
    child reads (probed once); why_not_dropped() says why not."""
    if bwrap() or not variables.get('CHECK_SANDBOX') or os.geteuid() != 0:
        return False
    if not _dropped:
        _dropped.append(probed_dropped())
    return _dropped[0][0]


def why_not_dropped():
    """Returns why a child here does not run as a user of its own, in a
    few words ('' where it does)."""
    if os.geteuid() != 0:
        return 'the checker is not root'
    if bwrap() or not variables.get('CHECK_SANDBOX'):
        return why_not()
    dropped()
    return _dropped[0][1]


def probed_dropped():
    """Returns (True, '') where a child run as a user of its own passes
    DROPPED_PROBE in a scratch folder made as a check makes them, else
    (False, why not)."""
    if not shutil.which('setpriv'):
        return False, 'setpriv (util-linux) is missing'
    top = scratch_top('check-probe-')
    try:
        scratch = os.path.join(top, 'probe')
        os.mkdir(scratch)
        first = own_user()
        run = Child(['-c', DROPPED_PROBE.format(
            user=first, root=runs.ROOT,
            filtered=outside_filter()[0] is not None)],
                    scratch, [], sandboxed=False, user=first).wait(60)
    finally:
        shutil.rmtree(top, ignore_errors=True)
    if run.code != 0:
        return False, 'a user of its own cannot run this Python or read ' \
            'this project here ({})'.format(
                run.output.strip().splitlines()[-1][:200]
                if run.output.strip() else 'exit {}'.format(run.code))
    return True, ''


def scratch_top(prefix):
    """Returns a new folder (named from prefix) to hold children's scratch
    folders and the judge's copies: a child's user of its own
    (dropped()) may pass through it to its own, but not list it."""
    top = tempfile.mkdtemp(prefix=prefix)
    os.chmod(top, 0o711)
    return top


def own_user():
    """Returns a uid for the next child of this checker (OWN_USERS)."""
    return OWN_USERS + (os.getpid() << 8) + next(_children) % 256


def end_user(user):
    """Kills every process of user (a child's own), in its session or
    not, from a process of that user (kill(-1) reaches exactly them, and
    all at once); then removes what that user left in the folders every
    user may write (SHARED)."""
    for _ in range(20):
        if not processes_of(user):
            break
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setresgid(user, user, user)
                os.setresuid(user, user, user)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
    for folder in SHARED:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
                if info.st_uid != user:
                    continue
                if stat.S_ISDIR(info.st_mode):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


def processes_of(user):
    """Returns the pids of the processes whose real, effective, saved or
    file-system uid is user."""
    found = []
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        try:
            with open('/proc/{}/status'.format(name)) as source:
                for line in source:
                    if line.startswith('Uid:'):
                        if str(user) in line.split()[1:]:
                            found.append(int(name))
                        break
        except OSError:
            pass
    return found


def namespaces():
    """bwrap's options for a network, a process tree and a session of its
    own, ended with the checker."""
    return ['--unshare-net', '--unshare-pid', '--unshare-ipc',
            '--die-with-parent', '--new-session']


def isolation():
    """Returns (isolated, one sentence saying how the learner's code ran
    here) for the report's first line."""
    named = 'side effects named by Python\'s audit hooks' if hasattr(
        sys, 'addaudithook') else 'side effects contained but not named: ' \
        'Python {}.{} has no audit hooks'.format(*sys.version_info[:2])
    from tools import check
    if Group.works():
        limited = '{} of memory and {} processes over all it started ' \
            '(a cgroup)'.format(check.amount(check.MEMORY), check.PROCESSES)
    elif dropped():
        limited = '{} of memory per process and {} processes (its user\'s ' \
            'own count; no cgroup could be made here)'.format(
                check.amount(check.MEMORY), check.PROCESSES)
    else:
        limited = '{} of memory per process (no cgroup could be made ' \
            'here: memory and processes are not limited over all it ' \
            'started)'.format(check.amount(check.MEMORY))
    if bwrap():
        return True, ('isolated: each child ran as {} (uid {}) with no '
                      'capability and no_new_privs, in a bubblewrap sandbox '
                      'that shows it only Python, its packages and a copy '
                      'of the learner\'s task files (read-only), writes '
                      'only {} of its own scratch (a tmpfs), has no network '
                      'and its own process tree, behind a system-call '
                      'filter (libseccomp: mount, ptrace, namespaces, '
                      'sockets and the like fail), with an environment of '
                      'ours alone (none of yours); limited to {}; {}'.format(
                          'nobody' if user() == USER else 'you', user(),
                          check.amount(check.DISK), limited, named))
    load, why = outside_filter()
    network = 'no network (the system-call filter refuses sockets, and ' \
        'mount, ptrace, namespaces and the like), an environment of ours ' \
        'alone (none of yours)' if load else 'an environment of ours ' \
        'alone (none of yours), but no system-call filter ({}): it could ' \
        'reach the network'.format(why)
    if dropped():
        return False, ('PARTLY ISOLATED (no sandbox: {}): each child ran as '
                       'a user of its own (a uid from {} on, no account\'s), '
                       'with no capability and no_new_privs, writing its '
                       'own scratch folder and nothing of yours, every '
                       'process of that user killed when it ended and what '
                       'it left in /tmp removed; {}; it could still read '
                       'what any user may read here; limited to {}, and {} '
                       'a file; {}; for a sandbox, {} (Debian, Ubuntu) where '
                       'namespaces can be made'.format(
                           why_not(), OWN_USERS, network, limited,
                           check.amount(check.DISK), named, INSTALL))
    why = why_not()
    if os.geteuid() == 0 and variables.get('CHECK_SANDBOX'):
        why += '; no user of its own: ' + why_not_dropped()
    return False, ('NOT ISOLATED ({}): the learner\'s code ran with your '
                   'rights, with {}, limited only to {}; for a sandbox, '
                   '{} (Debian, Ubuntu) and run again'.format(
                       why, network, limited, INSTALL))


def refusal(what):
    """Returns the message that refuses to run learners' code for what (a
    class, a worker) where no sandbox can be made here, or None where one
    can, or the teacher set CHECK_UNISOLATED=1 to run it so on purpose."""
    if bwrap() or variables.get('CHECK_UNISOLATED'):
        return None
    return ('make check: {} runs many learners\' code, and no sandbox can '
            'be made here ({}): refused, no learner\'s code was run. '
            'Install one with `sudo {}` (Debian, Ubuntu; setpriv and '
            'libseccomp come with the system), or run it unisolated on '
            'purpose, every learner\'s code with your rights and none '
            'kept from the others\' files, with CHECK_UNISOLATED=1'.format(
                what, why_not(), INSTALL))


# The files of /etc a child reads: the dynamic linker's cache, the time
# zone, fonts (a main's figures); the users and groups files are our own
# (no one's name or home), as some packages ask who runs them
ETC = ('/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d',
       '/etc/localtime', '/etc/fonts', '/etc/alternatives')
USERS = ('root:x:0:0:root:/nonexistent:/bin/sh\n'
         'nobody:x:{0}:{0}:nobody:{1}:/bin/sh\n'.format(USER, WRITABLE))
GROUPS = 'root:x:0:\nnogroup:x:{}:\n'.format(USER)


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
    target) pairs of single files shown read-only at target; the scratch
    tmpfs at WRITABLE, bounded at DISK bytes. Every folder bwrap makes
    on the way to what is shown is open to nobody (0755)."""
    from tools import check
    # the options so far, the folders made, the places shown (bound)
    line, made, places = [], set(['/']), []

    def shown(option, source, target):
        """Adds option showing source at target, the folders above it
        made first."""
        parents = []
        folder = os.path.dirname(target)
        while folder not in made and not any(
                folder == place or folder.startswith(place + '/')
                for place in places):
            parents.append(folder)
            folder = os.path.dirname(folder)
        for folder in reversed(parents):
            line.extend(['--perms', '0755', '--dir', folder])
            made.add(folder)
        line.extend([option, source, target])
        made.add(target)
        if option != '--symlink':
            places.append(target)
    for path in ('/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32',
                 '/libx32'):
        if os.path.lexists(path):
            shown(*bind(path))
    for path in ETC:
        if os.path.exists(path):
            shown(*bind(path))
    # the private /tmp first: what is bound below (a project, a Python or
    # a learner's folder under /tmp) is bound over it, not hidden by it
    line += ['--dev', '/dev', '--proc', '/proc', '--ro-bind', '/sys', '/sys',
             '--size', str(check.DISK), '--perms', '1777', '--tmpfs',
             WRITABLE, '--size', str(SHM), '--perms', '1777', '--tmpfs',
             '/dev/shm']
    made.update([WRITABLE, '/dev', '/proc', '/sys'])
    places[:] = [place for place in places
                 if not place.startswith(WRITABLE + '/')]
    pythons = []
    for path in (sys.prefix, sys.base_prefix, sys.exec_prefix,
                 os.path.dirname(os.path.dirname(os.path.realpath(
                     sys.executable)))):
        path = os.path.realpath(path)
        if not path.startswith('/usr/') and path != '/usr' and \
                path not in pythons:
            pythons.append(path)
    for path in pythons:
        shown('--ro-bind', path, path)
        if os.path.realpath(sys.prefix) == path and \
                os.path.abspath(sys.prefix) != path:
            shown('--symlink', path, os.path.abspath(sys.prefix))
    for folder in readable:
        shown('--ro-bind', folder, folder)
    for source, target in files:
        shown('--ro-bind', source, target)
    return line


def data_pipe(data):
    """Returns the reading end of a pipe holding data (a few kB at most,
    which a pipe holds before anyone reads), its writing end closed."""
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    return read


def command(arguments, scratch, readable, files=(), found=None,
            own=None):
    """Returns (the command line that runs this project's Python with
    arguments, inside the sandbox where there is one, and the file
    descriptors it reads at its start); it sees view(readable, files)
    and writes its scratch tmpfs alone, as nobody. Outside a sandbox it
    runs in scratch, as the user own where given (setpriv drops to it)."""
    from tools.check.runners import seccomp
    python = [sys.executable] + list(arguments)
    found = bwrap() if found is None else found
    if not found:
        if own is not None:
            return [shutil.which('setpriv')] + dropping(own) + python, []
        return python, []
    users, groups = USERS, GROUPS
    if os.geteuid() == 0:
        # bwrap keeps root's capabilities for the child: setpriv drops
        # them, and root, before Python starts
        drop, own = [shutil.which('setpriv')] + DROP, []
    else:
        # not root: the child is the checker's own user, with no
        # capability outside a user namespace that makes no other
        drop, own = [], ['--unshare-user', '--disable-userns']
        users += 'learner:x:{}:{}:learner:{}:/bin/sh\n'.format(
            os.getuid(), os.getgid(), SCRATCH)
        groups += 'learner:x:{}:\n'.format(os.getgid())
    fds = [data_pipe(users.encode()), data_pipe(groups.encode()),
           data_pipe(seccomp.program()[0])]
    return [found] + namespaces() + own + view(readable, files) + [
        '--perms', '0644', '--ro-bind-data', str(fds[0]), '/etc/passwd',
        '--perms', '0644', '--ro-bind-data', str(fds[1]), '/etc/group',
        '--perms', '0777', '--dir', SCRATCH, '--chdir', SCRATCH,
        '--seccomp', str(fds[2])] + drop + python, fds


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
    (text) and how many bytes of it were dropped between them; full, True
    where it filled its disk."""

    def __init__(self, code, timed_out, head, tail, dropped,
                 sandboxed=False, full=False):
        """Keeps what was seen; a sandboxed child killed by a signal ends
        bwrap with 128 plus the signal's number."""
        self.code, self.timed_out, self.full = code, timed_out, full
        self.signal = None
        if code is not None and code < 0:
            self.signal = -code
        elif sandboxed and code is not None and code > 128:
            self.signal = code - 128
        self.head, self.tail, self.dropped = head, tail, dropped
        self.left = []

    @property
    def output(self):
        """The output kept: head, a line counting what was dropped, tail."""
        if not self.dropped:
            return self.head + self.tail
        return '{}\n[... {} bytes not kept ...]\n{}'.format(
            self.head, self.dropped, self.tail)


def limits(group, own=None, load=None):
    """Returns what runs in the child before it starts: into its cgroup
    (group), at most MEMORY bytes mapped by each process it starts and
    about DISK bytes in any file it writes, no core file, at most
    PROCESSES processes of its user where it has one of its own (own),
    a session of its own so that a kill reaches all it started outside
    a sandbox too, and last the system-call filter where load loads it
    (outside a sandbox: outside_filter())."""
    def before():
        """In the child, before it runs."""
        from tools import check
        group.enter()
        if own is not None:
            resource.setrlimit(resource.RLIMIT_NPROC,
                               (check.PROCESSES, check.PROCESSES))
        resource.setrlimit(resource.RLIMIT_AS, (check.MEMORY, check.MEMORY))
        # past the sandbox's tmpfs, so that there it is the tmpfs that
        # fills (ENOSPC); outside one, no file grows past it (EFBIG)
        size = check.DISK + (1 << 20)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setsid()
        if load is not None:
            load()
    return before


_outside = []


def outside_filter():
    """Returns (what loads the system-call filter into a child started
    outside a sandbox, '') or (None, why it cannot be loaded here), asked
    once a process (tools.check.runners.seccomp.loader)."""
    from tools.check.runners import seccomp
    if not _outside:
        _outside.append(seccomp.loader())
    return _outside[0]


class Child(object):
    """A child started in the sandbox, running while the caller talks to
    it (the answerer) or waits for it (a main): its process, its cgroup,
    its scratch tmpfs (held open by a descriptor) and its output, kept
    bounded as it comes."""

    def __init__(self, arguments, scratch, readable, files=(), keep_fds=(),
                 decoy=None, sandboxed=None, user=None, **env):
        """Starts this project's Python with arguments, contained
        (command()) and limited (limits()); outside a sandbox it runs in
        scratch (as a user of its own where dropped(), who then owns
        scratch); keep_fds are file descriptors it inherits; decoy, a
        (name, text) file put in its scratch first; env adds to its
        environment, which is ours alone (environment());
        sandboxed, the bwrap to use (bwrap() by default, False for
        none); user, the uid to run as outside a sandbox (own_user()
        where dropped() by default)."""
        found = bwrap() if sandboxed is None else sandboxed
        if not found and user is None and dropped():
            user = own_user()
        self.user = None if found else user
        self.line, fds = command(arguments, scratch, readable, files,
                                 found, self.user)
        self.sandboxed = bool(found)
        self.scratch = SCRATCH if self.sandboxed else scratch
        if self.user is not None:
            os.chown(scratch, self.user, self.user)
            os.chmod(scratch, 0o700)
        settings = environment(self.scratch, **env)
        self.disk, self.decoy = None, decoy
        if decoy and self.sandboxed:
            fds.append(data_pipe(decoy[1].encode()))
            at = self.line.index('--chdir')
            self.line[at:at] = ['--perms', '0666', '--file', str(fds[-1]),
                                os.path.join(SCRATCH, decoy[0])]
        elif decoy:
            with open(os.path.join(scratch, decoy[0]), 'w') as target:
                target.write(decoy[1])
        if self.sandboxed:
            # bwrap says its child's pid, then waits until the judge holds
            # the child's scratch tmpfs open
            info, blocked = os.pipe(), os.pipe()
            self.line[1:1] = ['--info-fd', str(info[1]), '--block-fd',
                              str(blocked[0])]
            fds += [info[1], blocked[0]]
        self.group = Group()
        self.started = time.time()
        try:
            self.process = subprocess.Popen(
                self.line, cwd=scratch, env=settings,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                preexec_fn=limits(self.group, self.user, None if
                                  self.sandboxed else outside_filter()[0]),
                pass_fds=tuple(keep_fds) + tuple(fds))
        finally:
            for fd in fds:
                os.close(fd)
        self.kept = nothing_kept()
        self.reader = threading.Thread(target=keep, args=(
            self.process.stdout, self.kept))
        self.reader.daemon = True
        self.reader.start()
        self.timed_out = False
        if self.sandboxed:
            self.disk = hold_disk(info[0], blocked[1])

    def left(self):
        """Returns the files in the child's scratch folder now (in the
        sandbox, in its tmpfs, still readable once it ended), as paths the
        child saw, and whether its tmpfs is full."""
        full = False
        try:
            if self.sandboxed:
                if self.disk is None:
                    return [], False
                usage = os.fstatvfs(self.disk)
                full = usage.f_bavail * usage.f_frsize < (1 << 20)
                top = os.open(os.path.relpath(SCRATCH, WRITABLE),
                              os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                              dir_fd=self.disk)
            else:
                top = os.open(self.scratch, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return [], full
        try:
            return [os.path.join(self.scratch, name) for name in files_in(
                top, self.decoy)], full
        finally:
            os.close(top)

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
        says it was stopped at its time limit), whose left are the files
        it left in its scratch; then lets its tmpfs go."""
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
        if self.user is not None:
            end_user(self.user)
        # a grandchild outside the session may still hold the pipe: stop
        # reading after a moment rather than wait on it
        self.reader.join(timeout=2)
        code = None if self.timed_out else self.process.returncode
        left, full = self.left()
        if self.disk is not None:
            os.close(self.disk)
            self.disk = None
        run = run_of(code, self.timed_out, self.kept, self.sandboxed, full)
        run.left = left
        return run


def hold_disk(info, blocked, patience=30):
    """Returns a descriptor of the sandbox's scratch tmpfs (or None where
    it cannot be had within patience seconds): bwrap writes its child's
    pid to info and holds the child until a byte comes on blocked, and
    the tmpfs is open here before that byte is sent, so nothing the
    child does can come first. Closes info and blocked."""
    import json
    import select
    from tools import check
    deadline, data, disk = time.time() + patience, b'', None
    try:
        while b'}' not in data and time.time() < deadline:
            if not select.select([info], [], [], 1)[0]:
                continue
            chunk = os.read(info, 4096)
            if not chunk:
                break
            data += chunk
        pid = json.loads(data.decode()[:data.decode().index('}') + 1])[
            'child-pid']
        while disk is None and time.time() < deadline:
            try:
                fd = os.open('/proc/{}/root{}'.format(pid, WRITABLE),
                             os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                time.sleep(0.01)
                continue
            usage = os.fstatvfs(fd)
            if usage.f_blocks * usage.f_frsize == check.DISK:
                disk = fd
            else:
                os.close(fd)
                time.sleep(0.01)
    except (ValueError, KeyError, OSError):
        pass
    finally:
        try:
            os.write(blocked, b'x')
        except OSError:
            pass
        os.close(blocked)
        os.close(info)
    return disk


def files_in(top, decoy=None):
    """Returns the paths, relative to top (a descriptor of a folder), of
    the files below it on its own file system: what is shown there from
    elsewhere (the folders bound into a sandbox's /tmp) is passed over,
    and so are the folders TensorFlow, Keras and matplotlib make by
    themselves (OWN) and decoy, a (name, text) file, where it still holds
    its text."""
    found, device = [], os.fstat(top).st_dev
    for path, folders, names, fd in os.fwalk('.', dir_fd=top):
        kept = []
        for name in folders:
            try:
                info = os.stat(name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue
            if name not in OWN and info.st_dev == device:
                kept.append(name)
        folders[:] = kept
        for name in names:
            relative = os.path.normpath(os.path.join(path, name))
            if decoy and relative == decoy[0] and holds(fd, name, decoy[1]):
                continue
            found.append(relative)
    return sorted(found)


# what TensorFlow, Keras and matplotlib make in a home folder by
# themselves: not the learner's side effects
OWN = ('.keras', '.matplotlib', '.config', '.cache', '__pycache__')


def holds(folder, name, text):
    """Returns True where the file name in the folder of descriptor folder
    holds text alone."""
    try:
        opened = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder)
    except OSError:
        return False
    with os.fdopen(opened, 'rb') as source:
        return source.read(len(text) + 1) == text.encode()


# A child's environment is ours alone, never the checker's: a checker's
# holds its tokens and keys (a CI job's, a cloud's, a teacher's shell's),
# which the learner's code could print into the report it is shown or
# send away. Besides what the check sets (environment()), only these are
# taken from the checker's, where set: the locale and time zone; where
# this Python's libraries are, for an installation that needs it; the
# settings that change TensorFlow's arithmetic or threads on this CPU
# (docs/variables.md), so that a learner's mains compute as ours do.
PASSED = ('LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_NUMERIC', 'TZ',
          'LD_LIBRARY_PATH', 'TF_ENABLE_ONEDNN_OPTS', 'ONEDNN_MAX_CPU_ISA',
          'OMP_NUM_THREADS', 'OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE',
          'THREADS', 'TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS',
          'STEPS_PER_CALL', 'XLA')
# the programs a child finds by name: the system's
PATH = '/usr/local/bin:/usr/bin:/bin'


def environment(scratch, **env):
    """Returns the whole environment of a child whose scratch folder (and
    home) is scratch: a fixed PATH, PASSED where set here, Python
    unbuffered and writing no bytecode, TensorFlow on one thread
    (one_thread()), and env, what the check sets for this child."""
    settings = {name: os.environ[name] for name in PASSED
                if name in os.environ}
    settings.update(PATH=PATH, HOME=scratch, PYTHONUNBUFFERED='1',
                    PYTHONDONTWRITEBYTECODE='1',
                    MPLCONFIGDIR=os.path.join(scratch, '.matplotlib'))
    settings.update(one_thread())
    settings.update(env)
    return settings


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


def run_of(code, timed_out, kept, sandboxed=False, full=False):
    """Returns the Run of an output kept by keep_chunk (full: its disk
    was full)."""
    return Run(code, timed_out, runs.COLOUR.sub('', text(kept['head'])),
               runs.COLOUR.sub('', text(kept['tail'])), kept['dropped'],
               sandboxed, full)


def text(data):
    """Returns data decoded as UTF-8, what does not decode replaced."""
    return data.decode('utf-8', 'replace')
