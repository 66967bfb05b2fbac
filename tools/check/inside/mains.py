#!/usr/bin/env python3
"""The spec's mains of one learner, run in one sandboxed process that
imports TensorFlow once: each main runs in a fresh child forked from it,
as if started on its own (tools.check.runners.single reads what they print).

    python mains.py FD PATIENCE SWEEP OUTPUTS FOLDER MAIN [FOLDER MAIN ...]

Each MAIN is run in turn from its FOLDER, which holds a copy of the
learner's task file beside it. Before the first, this process imports
what the mains import (their own import statements: numpy, TensorFlow,
the helpers) and Keras; a fork then costs a fraction of a second where a
new Python costs the seconds of TensorFlow's import, and the child
starts from the state a fresh process would reach, so it prints the
same losses (none of the learner's code runs before the fork, and
nothing one main does reaches the next). Each child writes its output,
stdout and stderr together, to a pipe of its own that the judge's side
reads (OUTPUTS: their file descriptors, one per main, comma-separated):
nothing of it passes through here, so a main that kills this process
loses none of it. Over FD goes when each main starts and how it ended:
its exit code or signal, or that it was stopped after PATIENCE seconds.
SWEEP=1 (the sandbox's own process tree) stops every process a main left
behind before the next starts.

Like answer.py it imports the standard library and the channel's
functions alone before the mains' own imports, and it runs no code of
the learner's itself: only the forked children do, each closing FD and the
other mains' outputs first; this process is made not dumpable, so a
child cannot open them again through /proc."""
import ctypes
import os
import signal
import sys
import time
import types

from answer import send

PR_SET_DUMPABLE = 4


def imports(path):
    """Returns the modules the file at path imports at its top level by
    import statements (not the learner's, which it loads by
    __import__)."""
    import ast
    with open(path, 'rb') as source:
        tree = ast.parse(source.read())
    names = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and \
                not node.level:
            names += ['{}.{}'.format(node.module, alias.name)
                      for alias in node.names] + [node.module]
    return names


def warm(mains):
    """Imports what the mains import, and Keras, once for them all; a
    name that is no module (a function imported from one) is passed
    over."""
    for name in imports_of(mains) + ['tensorflow', 'tensorflow.keras']:
        try:
            __import__(name)
        except ImportError:
            pass


def imports_of(mains):
    """Returns what the mains (FOLDER, MAIN pairs) import, once each."""
    names = []
    for folder, main in mains:
        for name in imports(os.path.join(folder, main)):
            if name not in names:
                names.append(name)
    return names


def not_dumpable():
    """Makes this process not dumpable: its /proc files (its file
    descriptors among them) are then closed to its children."""
    try:
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def exit_code(error):
    """Returns the exit code Python gives a SystemExit, printing its
    message where it is no number, as Python does."""
    code = error.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def run_main(closed, folder, main, write):
    """In the forked child: runs main from folder as `python MAIN` would,
    its output to write (its pipe), the file descriptors closed shut
    first, and ends the process with its exit code. Python's own
    traceback where it raises, exit handlers and threads waited for at
    its end, as at a Python's exit."""
    os.setsid()
    for fd in closed:
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.dup2(write, 1)
    os.dup2(write, 2)
    os.close(write)
    os.chdir(folder)
    path = os.path.join(folder, main)
    sys.path[0] = folder
    sys.argv = [main]
    module = types.ModuleType('__main__')
    module.__file__ = path
    module.__builtins__ = __builtins__
    sys.modules['__main__'] = module
    code = 0
    try:
        with open(path, 'rb') as source:
            compiled = compile(source.read(), path, 'exec')
        exec(compiled, module.__dict__)
    except SystemExit as error:
        code = exit_code(error)
    except BaseException:
        kind, error, trace = sys.exc_info()
        # from the main's own frame on, as Python prints it
        trace = trace.tb_next or trace
        sys.excepthook(kind, error.with_traceback(trace), trace)
        code = 1
    code = at_exit(code)
    os._exit(code & 0xff)


def at_exit(code):
    """Returns the exit code once threads were joined, exit handlers run
    and the output flushed, as at a Python's own end."""
    try:
        import threading
        if hasattr(threading, '_shutdown'):
            threading._shutdown()
        import atexit
        atexit._run_exitfuncs()
    except SystemExit as error:
        code = exit_code(error)
    except BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    return code


def sweep(own):
    """Stops every process it may signal but this one and those above it
    (own): what a main left behind. It is alone: in a sandbox that is its
    process tree, as a user of its own (no sandbox) that user's."""
    for name in os.listdir('/proc'):
        if name.isdigit() and int(name) not in own:
            try:
                os.kill(int(name), signal.SIGKILL)
            except OSError:
                pass


def ancestors():
    """Returns this process's id and those of the processes above it."""
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            with open('/proc/{}/stat'.format(pid)) as stat:
                pid = int(stat.read().rsplit(')', 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return pids | {1}


def watch(pid, patience):
    """Waits for the child to end, patience seconds at most (then stops
    it and all it started); returns (its wait status or None, whether it
    was stopped)."""
    deadline = time.time() + patience
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() >= deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, True
        time.sleep(0.05)
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    return status, False


def main(arguments):
    """Runs each main in a child of its own, in turn."""
    fd, patience, tidy = int(arguments[0]), float(arguments[1]), \
        arguments[2] == '1'
    outputs = [int(item) for item in arguments[3].split(',')]
    mains = list(zip(arguments[4::2], arguments[5::2]))
    not_dumpable()
    warm(mains)
    own = ancestors()
    for index, (folder, main_file) in enumerate(mains):
        send(fd, {'main': index, 'start': True})
        sys.stdout.flush()
        sys.stderr.flush()
        write = outputs[index]
        pid = os.fork()
        if pid == 0:
            run_main([fd] + outputs[index + 1:], folder, main_file, write)
        os.close(write)
        status, stopped = watch(pid, patience)
        if tidy:
            sweep(own)
        code = None if status is None else os.WEXITSTATUS(status) \
            if os.WIFEXITED(status) else -os.WTERMSIG(status)
        send(fd, {'main': index, 'end': True, 'code': code,
                  'timed_out': stopped})
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
