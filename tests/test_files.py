#!/usr/bin/env python3
"""helpers.files, on every line: a file is written whole or not at all,
whatever stops the writer (an error, a full disk, SIGKILL at any moment);
what is torn is named; a folder is held by one run at a time. The
children that get killed import the module alone (it needs only the
standard library), so each starts in a fraction of a second."""
import errno
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from helpers import figures, files, quiet

HELPERS = os.path.join(ROOT, 'helpers')
# Seconds any child of these tests may take before it counts as hung
PATIENCE = 60


def child(code, **env):
    """Starts a Python running code with helpers.files imported as files
    (and nothing else of the project: the helpers folder as a package
    whose __init__, which imports TensorFlow, is not run), env added to
    its environment."""
    return subprocess.Popen(
        [sys.executable, '-c', quiet.WITHOUT_INIT +
         'from helpers import files\n' + code, HELPERS],
        env=dict(os.environ, **env), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True)


def leftovers(folder):
    """Returns the temporary files in folder."""
    return [name for name in os.listdir(folder)
            if name.startswith(files.PREFIX)]


def read(path):
    """Returns the bytes of the file at path."""
    with open(path, 'rb') as source:
        return source.read()


def test_a_file_is_written_whole_and_replaced_whole(tmpdir):
    """Text, bytes and JSON land whole, a second write replaces the
    first, the folder is made where missing, and no temporary file
    stays."""
    path = str(tmpdir.join('new', 'page.html'))
    files.write_text(path, 'first \u00e9')
    assert read(path) == 'first \u00e9'.encode('utf-8')
    files.write_text(path, 'second')
    assert read(path) == b'second'
    files.write_json(str(tmpdir.join('a.json')), {'loss': [0.5]})
    assert files.read_json(str(tmpdir.join('a.json'))) == {'loss': [0.5]}
    files.write_bytes(str(tmpdir.join('b.bin')), b'\x00\x01')
    assert read(str(tmpdir.join('b.bin'))) == b'\x00\x01'
    assert leftovers(str(tmpdir)) == [] and \
        leftovers(str(tmpdir.join('new'))) == []


def test_an_error_while_writing_leaves_the_old_file(tmpdir):
    """An exception, or Ctrl-C, inside the block: the old file is as it
    was and the temporary one is gone."""
    path = str(tmpdir.join('report.md'))
    files.write_text(path, 'old')
    for error in (ValueError('drawing failed'), KeyboardInterrupt()):
        with pytest.raises(type(error)):
            with files.whole(path) as temporary:
                with open(temporary, 'w') as target:
                    target.write('half of the new')
                raise error
        assert read(path) == b'old'
        assert leftovers(str(tmpdir)) == []


def test_a_full_disk_names_the_path_and_keeps_the_old_file(tmpdir):
    """A write that fails with ENOSPC raises a WriteError naming the
    path, with that errno; the file that was there is whole and no
    temporary file is left. The same through a real writer, a main's
    figure."""
    path = str(tmpdir.join('vanilla.json'))
    files.write_text(path, '{"old": 1}')
    with pytest.raises(files.WriteError) as info:
        with files.whole(path) as temporary:
            with open(temporary, 'w') as target:
                target.write('{"new"')
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert info.value.errno == errno.ENOSPC
    assert path in str(info.value) and 'No space left' in str(info.value)
    assert read(path) == b'{"old": 1}' and leftovers(str(tmpdir)) == []

    figure_path = figures.grid([[0.5] * 784], 1, 1, 'grid', str(tmpdir))
    before = read(figure_path)
    figure = figures.plt.figure()

    def full(*_, **__):
        """savefig on a full disk."""
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    figure.savefig = full
    with pytest.raises(files.WriteError) as info:
        figures.finish(figure, 'grid', str(tmpdir))
    assert figure_path in str(info.value)
    assert read(figure_path) == before and leftovers(str(tmpdir)) == []


def test_killed_between_writing_and_placing_the_old_file_stays(tmpdir):
    """SIGKILL at the first point (the new file written, not yet in
    place): the old file is intact and the dead writer's temporary file
    is removed by the next write into the folder; at the second point
    (in place): the new file."""
    path = str(tmpdir.join('page.html'))
    files.write_text(path, 'old page')
    write = 'files.write_text({!r}, "new page")'.format(path)
    process = child(write, TEST_KILL_AT='1')
    process.communicate(timeout=PATIENCE)
    assert process.returncode == -signal.SIGKILL
    assert read(path) == b'old page'
    left = leftovers(str(tmpdir))
    assert len(left) == 1 and read(str(tmpdir.join(left[0]))) == b'new page'
    files.write_text(str(tmpdir.join('other.txt')), 'x')
    assert leftovers(str(tmpdir)) == []
    process = child(write, TEST_KILL_AT='2')
    process.communicate(timeout=PATIENCE)
    assert process.returncode == -signal.SIGKILL
    assert read(path) == b'new page'


def test_killed_at_any_moment_the_file_is_old_or_new(tmpdir):
    """A child rewrites a 4 MB file over and over, all 'a' then all 'b',
    in 64 pieces as Keras and matplotlib write theirs; killed at moments
    spread over its writes, it always leaves one whole version, never a
    mix or a cut."""
    path = str(tmpdir.join('weights.h5'))
    size = 4 << 20
    versions = (b'a' * size, b'b' * size)
    for delay in (0.05, 0.13, 0.21, 0.34, 0.55, 0.89):
        process = child('print("started", flush=True)\n'
                        'for i in range(10 ** 6):\n'
                        '    with files.whole({!r}) as temporary:\n'
                        '        with open(temporary, "wb") as target:\n'
                        '            for _ in range(64):\n'
                        '                target.write(b"ab"[i % 2:i % 2 + 1]'
                        ' * {})'.format(path, size // 64))
        assert process.stdout.readline().strip() == 'started'
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=PATIENCE)
        assert process.returncode == -signal.SIGKILL
        if os.path.exists(path):
            assert read(path) in versions
    assert os.path.exists(path)


def test_a_torn_json_is_named(tmpdir):
    """Cut to half, emptied or garbage: read_json raises Torn naming the
    file; a missing file is None."""
    path = str(tmpdir.join('sparse.json'))
    text = json.dumps({'loss': [0.25, 0.125], 'epochs': 2})
    for torn in (text[:len(text) // 2], '', '\x00\x17garbage'):
        with open(path, 'w') as target:
            target.write(torn)
        with pytest.raises(files.Torn) as info:
            files.read_json(path)
        assert path in str(info.value) and 'torn' in str(info.value)
    assert files.read_json(str(tmpdir.join('missing.json'))) is None


def test_appended_lines_keep_the_old_ones(tmpdir):
    """append_line adds a line to what is there, made where missing."""
    path = str(tmpdir.join('rows.jsonl'))
    files.append_line(path, '{"a": 1}')
    files.append_line(path, '{"b": 2}\n')
    assert read(path) == b'{"a": 1}\n{"b": 2}\n'


def test_a_held_folder_names_its_run_and_is_freed_by_a_kill(tmpdir):
    """A second holder gets Busy naming the folder and the first run;
    when the block ends, or a holding process is killed, the folder is
    free again."""
    folder = str(tmpdir)
    with files.lock(folder, 'make report'):
        with pytest.raises(files.Busy) as info:
            with files.lock(folder, 'make explore'):
                pass
        message = str(info.value)
        assert folder in message and 'make report' in message
        assert 'pid {}'.format(os.getpid()) in message
    with files.lock(folder, 'make explore'):
        pass
    process = child('import time\nwith files.lock({!r}, "make report"):\n'
                    '    print("held", flush=True)\n'
                    '    time.sleep(60)'.format(folder))
    assert process.stdout.readline().strip() == 'held'
    with pytest.raises(files.Busy):
        with files.lock(folder, 'make explore'):
            pass
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=PATIENCE)
    with files.lock(folder, 'make explore'):
        pass


def test_a_checksum_tells_a_cut_file(tmpdir):
    """The SHA-256 of a file changes when it is cut short."""
    path = str(tmpdir.join('w.h5'))
    files.write_bytes(path, b'weights' * 1000)
    whole = files.checksum(path)
    with open(path, 'r+b') as target:
        target.truncate(3500)
    assert files.checksum(path) != whole and len(whole) == 64
