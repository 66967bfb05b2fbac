#!/usr/bin/env python3
"""Files written whole or not at all, and checked before they are trusted.

Every file the project writes (the mains' figures, the live replay, the
saved models, the report and its sweep, the explorer page, the bench's
rows) goes through whole(): the new content is written to a temporary
file in the same folder, flushed and synced to disk, then put in place
with os.replace, one step of the file system. So a Ctrl-C, a kill, a
full disk or a machine going down at any moment leaves the old file or
the new one, never part of either; what is left of an interrupted write
is a temporary file (.tmp-<pid>-<name>), removed by the next write into
that folder once its process is gone.

What a run finds on disk it verifies before it trusts it: read_json
raises Torn, naming the file, where a JSON does not parse, and a saved
model's JSON names its weights' checksum (tools.models). A folder that
a run writes to is held with lock(): a second run on the same folder
says which run holds it and stops.

This module needs nothing but the standard library and
helpers.variables, so a test can run it in a child process without
TensorFlow. TEST_KILL_AT=N (tests only)
has the process kill itself with SIGKILL at the Nth point of writing,
each file having two: written but not yet in place, and in place.
"""
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import signal

from helpers import variables

# The start of a temporary file's name: the writing process's id follows
PREFIX = '.tmp-'
# The file in a folder that lock() holds
LOCK = '.lock'

# Points of writing passed in this process, for TEST_KILL_AT
_points = [0]


class WriteError(OSError):
    """A file could not be written (a full disk, no permission): the
    message names it; the file that was there before is still whole."""


class Torn(ValueError):
    """A file on disk is not what the project writes: cut short, emptied
    or overwritten. The message names it."""


class Busy(RuntimeError):
    """Another run holds the folder: the message names the folder and
    the run."""


@contextlib.contextmanager
def whole(path):
    """Yields a temporary path, in path's folder and with path's ending
    (Keras and matplotlib choose a format from it), for the caller to
    write the file at; when the block ends without error, the file is
    synced to disk and put at path in one step. On any error, a
    KeyboardInterrupt included, the temporary file is removed and path
    is left as it was; an OSError is raised again as a WriteError naming
    path."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder)
        clean(folder)
    except OSError as error:
        raise _write_error(path, error)
    temporary = os.path.join(folder, '{}{}-{}'.format(
        PREFIX, os.getpid(), os.path.basename(path)))
    try:
        yield temporary
        _sync(temporary)
        _point()
        os.replace(temporary, path)
    except BaseException as error:
        _remove(temporary)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            raise _write_error(path, error)
        raise
    _sync_folder(folder)
    _point()


def write_bytes(path, data):
    """Writes data (bytes) to path, whole or not at all."""
    with whole(path) as temporary:
        with open(temporary, 'wb') as target:
            target.write(data)


def write_text(path, text):
    """Writes text to path as UTF-8, whole or not at all."""
    write_bytes(path, text.encode('utf-8'))


def write_json(path, data, indent=1):
    """Writes data as JSON to path, whole or not at all."""
    write_text(path, json.dumps(data, indent=indent))


def append_line(path, line):
    """Adds line to the text file at path (made where missing), the
    file written whole again: its old lines and the new one, or its old
    lines alone."""
    old = ''
    if os.path.exists(path):
        with open(path, 'rb') as source:
            old = source.read().decode('utf-8')
    if old and not old.endswith('\n'):
        old += '\n'
    write_text(path, old + line.rstrip('\n') + '\n')


def read_json(path):
    """Returns the JSON data in path, or None where there is no such
    file; raises Torn naming path where it does not parse."""
    if not os.path.exists(path):
        return None
    try:
        with open(path, 'rb') as source:
            return json.loads(source.read().decode('utf-8'))
    except ValueError as error:
        raise Torn('{} is torn (it does not parse as JSON: {})'.format(
            path, error))


def checksum(path):
    """Returns the SHA-256 of the file at path, in hex."""
    digest = hashlib.sha256()
    with open(path, 'rb') as source:
        for block in iter(lambda: source.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def lock(folder, what):
    """Holds folder for this run, what (such as 'make report') naming it,
    until the block ends or the process does (the system lets the lock
    go with the process, however it ends). Raises Busy, naming the run
    that holds it, where another does."""
    if not os.path.isdir(folder):
        os.makedirs(folder)
    path = os.path.join(folder, LOCK)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            holder = os.read(handle, 1000).decode('utf-8', 'replace')
            raise Busy('{} is in use by another run ({}): wait for it to '
                       'end, or stop it, then start this one again'.format(
                           folder, holder.strip() or 'starting'))
        os.ftruncate(handle, 0)
        os.write(handle, 'pid {}, {}\n'.format(os.getpid(),
                                               what).encode('utf-8'))
        yield
    finally:
        os.close(handle)


def clean(folder):
    """Removes the temporary files in folder left by processes that are
    gone (a write interrupted by a kill)."""
    for name in os.listdir(folder):
        if not name.startswith(PREFIX):
            continue
        pid = name[len(PREFIX):].split('-', 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            _remove(os.path.join(folder, name))


def _alive(pid):
    """Returns True where a process pid runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync(path):
    """Flushes the file at path to the disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _sync_folder(folder):
    """Flushes folder's entries (the rename) to the disk, where the
    system allows a folder to be synced."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _remove(path):
    """Removes the file at path, if it is there."""
    try:
        os.remove(path)
    except OSError:
        pass


def _write_error(path, error):
    """Returns a WriteError naming path, from the OSError error."""
    return WriteError(error.errno, 'cannot write {}: {}'.format(
        path, error.strerror or error))


def _point():
    """Counts a point of writing; kills this process at the one that
    TEST_KILL_AT names (tests only)."""
    _points[0] += 1
    if variables.get('TEST_KILL_AT') == _points[0]:
        os.kill(os.getpid(), signal.SIGKILL)
