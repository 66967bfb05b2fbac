#!/usr/bin/env python3
"""Every child that runs a learner's code (the model checks, the short
training, the spec's main) runs here: code nobody here wrote, contained
as a server contains a request.

Where Debian's bubblewrap (`bwrap`) works, the child sees the whole file
system read-only, the learner's folder read-only, a private empty /tmp
and its scratch folder as the only places it can write; it has no
network (a network namespace of its own, with no interface up) and a
process tree of its own (a PID namespace): when the child ends, or is
stopped, everything it started ends with it, and --die-with-parent ends
it all if the checker itself dies. Where bwrap is missing or cannot make
namespaces (a container without them, macOS), or CHECK_SANDBOX=0, the
child runs unisolated with the limits alone, and the report's first line
says so (isolation()).

Either way: a time limit (the child and all it started are killed at
it, and the checker never waits on a pipe a grandchild still holds), a
memory limit on every process it starts (address space), and its output
kept as a bounded head and tail, the rest counted, not stored."""
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading

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
    if bwrap():
        return True, ('isolated: each child ran in a bubblewrap sandbox '
                      '(files read-only but its scratch folder and a '
                      'private /tmp, no network, its own process tree); '
                      + named)
    why = 'CHECK_SANDBOX=0' if not variables.get('CHECK_SANDBOX') else \
        'bwrap is missing or cannot make namespaces here'
    return False, ('NOT ISOLATED ({}): the learner\'s code ran with your '
                   'rights, limited only in time and memory; for a sandbox, '
                   '{} (Debian, Ubuntu) and run again'.format(why, INSTALL))


def command(arguments, scratch, readable):
    """Returns the command line that runs this project's Python with
    arguments in scratch, inside the sandbox where there is one; readable
    are the folders the child reads (the learner's, this project's),
    bound read-only over the private /tmp where they lie under it."""
    python = [sys.executable] + list(arguments)
    found = bwrap()
    if not found:
        return python
    line = [found] + namespaces() + [
        '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
        '--tmpfs', '/tmp', '--tmpfs', '/dev/shm']
    for folder in readable:
        line += ['--ro-bind', folder, folder]
    return line + ['--bind', scratch, scratch, '--chdir', scratch] + python


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


def limits():
    """In the child before it runs: at most MEMORY bytes mapped by each
    process it starts, and a session of its own so that a kill reaches
    all it started outside a sandbox too."""
    from tools import check
    resource.setrlimit(resource.RLIMIT_AS, (check.MEMORY, check.MEMORY))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.setsid()


def run(arguments, scratch, readable, patience, **env):
    """Runs this project's Python with arguments in scratch, contained
    (command()) and limited (limits(), patience seconds); env adds to the
    environment of a learner's shell (tools.runs.environment). Returns a
    Run."""
    settings = runs.environment(
        PYTHONDONTWRITEBYTECODE='1', PYTHONPATH=runs.ROOT, HOME=scratch,
        MPLCONFIGDIR=os.path.join(scratch, '.matplotlib'), **env)
    line = command(arguments, scratch, readable)
    process = subprocess.Popen(
        line, cwd=scratch, env=settings,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, preexec_fn=limits)
    kept = {'head': b'', 'tail': b'', 'dropped': 0}
    reader = threading.Thread(target=keep, args=(process.stdout, kept))
    reader.daemon = True
    reader.start()
    timed_out = False
    try:
        process.wait(timeout=patience)
    except subprocess.TimeoutExpired:
        timed_out = True
    # whatever it started goes with it: its session, and in the sandbox
    # its PID namespace, whose first process this is
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    process.wait()
    # a grandchild outside the session may still hold the pipe: stop
    # reading after a moment rather than wait on it
    reader.join(timeout=2)
    code = None if timed_out else process.returncode
    return Run(code, timed_out, runs.COLOUR.sub('', text(kept['head'])),
               runs.COLOUR.sub('', text(kept['tail'])), kept['dropped'],
               sandboxed=line[0] != sys.executable)


def keep(pipe, kept):
    """Reads pipe to its end, keeping its first HEAD and last TAIL bytes
    in kept and counting the rest."""
    while True:
        try:
            chunk = pipe.read1(65536) if hasattr(pipe, 'read1') else \
                os.read(pipe.fileno(), 65536)
        except (OSError, ValueError):
            return
        if not chunk:
            return
        room = HEAD - len(kept['head'])
        if room > 0:
            kept['head'] += chunk[:room]
            chunk = chunk[room:]
        tail = kept['tail'] + chunk
        kept['dropped'] += max(0, len(tail) - TAIL)
        kept['tail'] = tail[-TAIL:]


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
