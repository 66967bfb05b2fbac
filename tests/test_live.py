#!/usr/bin/env python3
"""LIVE=1 (helpers.live): nothing changes without it; its snapshots leave
training as it was; its server answers its page and snapshots alone, on
127.0.0.1, and stops with the main (Ctrl-C included); and, in headless
Chromium, a live run's page follows training to its last epoch with
forward passes equal to Keras's, and the replay works from disk. Every
wait is bounded and every request goes to 127.0.0.1."""
import base64
import http.client
import os
import queue
import signal
import socket
import threading
import time

import numpy as np
import pytest

from conftest import ROOT, SEED, load, needs_browser
from helpers import live, pages, runtime
from tools import browser, margins, runs


TOLERANCE = 1e-4
# the most any wait in these tests lasts, in seconds
PATIENCE = 180


def sockets():
    """Returns how many sockets this process holds open."""
    folder = '/proc/self/fd'
    count = 0
    for name in os.listdir(folder):
        try:
            count += os.readlink(os.path.join(folder, name)).startswith(
                'socket:')
        except OSError:
            pass
    return count


def test_live_unset_changes_nothing(monkeypatch, tmpdir, capsys):
    """Without LIVE (or with LIVE=0) watch does nothing: fit untouched,
    and after watch and a fit no thread, socket, file or output more than
    before."""
    encoder, decoder, auto = load('0-vanilla').autoencoder(784, [16], 4)
    x = np.random.RandomState(0).rand(64, 784).astype('float32')
    monkeypatch.setenv('FIGURES_DIR', str(tmpdir))
    auto.fit(x, x, epochs=1, batch_size=32, verbose=0)
    threads, open_sockets = threading.active_count(), sockets()
    capsys.readouterr()
    for value in (None, '0', ' 0 '):
        if value is None:
            monkeypatch.delenv('LIVE', raising=False)
        else:
            monkeypatch.setenv('LIVE', value)
        assert live.watch('0-main', encoder, decoder, auto, x) is None
        assert 'fit' not in vars(auto)
        auto.fit(x, x, epochs=1, batch_size=32, verbose=0)
        assert threading.active_count() == threads
        assert sockets() == open_sockets
        assert os.listdir(str(tmpdir)) == []
        assert capsys.readouterr() == ('', '')


def train_vae(record):
    """Trains a small VAE from SEED for two epochs of 8 batches, with a
    Recorder where record; returns (its losses, its weights, the
    Recorder or None)."""
    from tensorflow import keras
    keras.backend.clear_session()
    x = margins.digits()[0][:512].reshape(-1, 784)
    runtime.seed(SEED)
    encoder, decoder, auto = load('3-variational').autoencoder(784, [64], 2)
    recorder = live.Recorder(encoder, decoder) if record else None
    history = auto.fit(x, x, epochs=2, batch_size=64, shuffle=True,
                       verbose=0, callbacks=[recorder] if record else [])
    return history.history['loss'], auto.get_weights(), recorder


def test_snapshots_leave_training_as_it_was():
    """The VAE draws noise every step: with the Recorder the losses and
    the weights come out the same as without, and it took a snapshot
    before training, after each share of the first epoch and after each
    epoch, the last holding the trained weights."""
    plain_losses, plain_weights, _ = train_vae(False)
    losses, weights, recorder = train_vae(True)
    np.testing.assert_allclose(losses, plain_losses, rtol=1e-6)
    for a, b in zip(weights, plain_weights):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    labels = [snapshot['label'] for snapshot in recorder.snapshots]
    assert labels[0] == 'before training'
    assert labels[-2:] == ['epoch 1', 'epoch 2']
    assert len(labels) == 2 + len(live.FIRST_EPOCH) + 1
    assert [s['epoch'] for s in recorder.snapshots] == sorted(
        s['epoch'] for s in recorder.snapshots)
    last = recorder.snapshots[-1]
    assert last['loss'] == pytest.approx(losses)
    trained = pages.weights(recorder.encoder, recorder.decoder)
    for a, b in zip(last['weights'], trained):
        for x, y in zip(a, b):
            np.testing.assert_array_equal(x, y)


def test_replay_keeps_first_last_and_early_epochs():
    """Within budget all snapshots stay; past it, the first and the last,
    the first within epoch 1 and those after epochs 1, 2, 5, 10, 20, 50,
    then more early than late ones; too many of those, every other."""
    snapshots = [{'epoch': e} for e in [0, .2, .4, .6, .8] +
                 list(range(1, 51))]
    assert live.kept(snapshots, 1, budget=1000) == list(range(55))
    chosen = live.kept(snapshots, 10, budget=100)
    epochs = [snapshots[i]['epoch'] for i in chosen]
    assert {0, .2, 1, 2, 5, 10, 20, 50} <= set(epochs) and len(chosen) == 10
    assert sum(e <= 5 for e in epochs) > sum(e > 25 for e in epochs)
    chosen = live.kept(snapshots, 10, budget=50)
    assert len(chosen) == 5 and chosen[0] == 0 and chosen[-1] == 54


def test_a_real_replay_keeps_to_its_budget(monkeypatch, tmpdir, mnist):
    """0-main's model trained 12 epochs with the Recorder, its replay
    written with room for seven snapshots: it holds those seven, before
    training, the first within epoch 1, after epochs 1, 2, 5 and 10 and
    the last, their JSON within the budget; with the default budget, all
    of them."""
    import json
    from tensorflow import keras
    keras.backend.clear_session()
    x = mnist[0].reshape(-1, 784)
    runtime.seed(SEED)
    encoder, decoder, auto = load('0-vanilla').autoencoder(784, [128, 64],
                                                           32)
    session = live.Session('0-main', encoder, decoder, mnist[1])
    auto.fit(x, x, epochs=12, batch_size=256, verbose=0,
             callbacks=[session.recorder])
    monkeypatch.setenv('FIGURES_DIR', str(tmpdir))
    per_snapshot = len(json.dumps(session.snapshot_description(0, False)))
    count = len(session.recorder.snapshots)
    assert count > 12

    def replayed(budget):
        """The snapshots of a replay written with budget."""
        with open(session.write_replay(budget)) as page:
            text = page.read()
        data = text.split('<script type="application/json" id="data">')[1]
        return json.loads(data.split('</script>')[0])['snapshots']
    snapshots = replayed(7.5 * per_snapshot)
    assert len(json.dumps(snapshots)) <= 7.5 * per_snapshot
    first_within = min(s['epoch'] for s in session.recorder.snapshots
                       if s['epoch'] > 0)
    assert [s['epoch'] for s in snapshots] == [0, first_within, 1, 2, 5,
                                               10, 12]
    assert [s['index'] for s in snapshots][::6] == [0, count - 1]
    assert len(replayed(live.REPLAY_BYTES)) == count


def get(port, path, host=None):
    """Returns (status, body, headers) of GET path from 127.0.0.1:port,
    sent as written, with the Host header host (the server's own address
    by default)."""
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
    try:
        connection.putrequest('GET', path, skip_host=True,
                              skip_accept_encoding=True)
        connection.putheader('Host', host or '127.0.0.1:{}'.format(port))
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


def refused(port):
    """True if nothing listens on 127.0.0.1:port."""
    with socket.socket() as probe:
        probe.settimeout(5)
        return probe.connect_ex(('127.0.0.1', port)) != 0


def watched(monkeypatch, tmpdir, x):
    """Returns (session, auto, port): a small vanilla model watched with
    LIVE=1 on a free port, its replay going to tmpdir, x its test
    digits."""
    monkeypatch.setenv('LIVE', '1')
    monkeypatch.setenv('LIVE_PORT', '0')
    monkeypatch.setenv('FIGURES_DIR', str(tmpdir))
    encoder, decoder, auto = load('0-vanilla').autoencoder(784, [16], 4)
    session = live.watch('0-main', encoder, decoder, auto, x)
    return session, auto, session.server.server_address[1]


def test_server_serves_its_two_routes_alone_and_stops(monkeypatch, tmpdir):
    """The page and its snapshots, nothing else (traversal, other files,
    long or malformed paths: 404, nothing read from disk); finish writes
    the replay and frees the port."""
    session, _, port = watched(monkeypatch, tmpdir,
                               np.zeros((20, 784), 'float32'))
    assert session.server.server_address[0] == '127.0.0.1'
    session.recorder.on_train_begin()
    status, body, _ = get(port, '/')
    assert status == 200 and b'Watch it learn' in body
    status, body, _ = get(port, '/snapshots?after=-1')
    assert status == 200 and b'"before training"' in body
    for path in ('/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd',
                 '/live.js', '/index.html', '/explorer/live.html',
                 '/snapshots', '/snapshots?after=x', '/snapshots?after=1&a=b',
                 '/snapshots?after=' + '9' * 40, '/' + 'a' * 4000,
                 '//etc/passwd', '/?x'):
        assert get(port, path)[0] == 404, path
    session.finish()
    assert refused(port)
    assert os.path.exists(str(tmpdir.join('0-main-live.html')))


def test_server_answers_its_own_address_alone_and_no_other_origin(
        monkeypatch, tmpdir):
    """A request whose Host is not 127.0.0.1:PORT or localhost:PORT (a
    page elsewhere that points its own name at 127.0.0.1, or no port)
    gets 403 and nothing of the model; no answer carries a CORS header."""
    session, _, port = watched(monkeypatch, tmpdir,
                               np.zeros((20, 784), 'float32'))
    session.recorder.on_train_begin()
    try:
        for host in ('127.0.0.1:{}'.format(port), 'localhost:{}'.format(port)):
            for path in ('/', '/snapshots?after=-1'):
                status, _, headers = get(port, path, host)
                assert status == 200
                assert not [name for name in headers
                            if name.lower().startswith('access-control')]
        for host in ('evil.example:{}'.format(port), '127.0.0.1',
                     'localhost', '127.0.0.1:{}'.format(port + 1),
                     '[::1]:{}'.format(port), 'evil.example'):
            for path in ('/', '/snapshots?after=-1'):
                status, body, headers = get(port, path, host)
                assert status == 403 and b'snapshot' not in body
                assert not [name for name in headers
                            if name.lower().startswith('access-control')]
    finally:
        session.finish()


def test_many_silent_connections_neither_stall_training_nor_outlive_it(
        monkeypatch, tmpdir):
    """Sixty connections that send nothing: the server keeps to its 16
    threads, the model trains on (snapshots taken), and finish stops the
    server and frees the port at once; the silent ones are closed."""
    x = np.random.RandomState(0).rand(64, 784).astype('float32')
    threads = threading.active_count()
    session, auto, port = watched(monkeypatch, tmpdir, x)
    silent = []
    try:
        for _ in range(60):
            client = socket.create_connection(('127.0.0.1', port), 5)
            silent.append(client)
        time.sleep(0.5)
        assert threading.active_count() <= threads + 1 + \
            live.LiveServer.CONNECTIONS + 1
        started = time.time()
        auto.fit(x, x, epochs=2, batch_size=32, verbose=0)
        assert time.time() - started < 30
        assert [s['epoch'] for s in session.recorder.snapshots][-1] == 2
    finally:
        started = time.time()
        if session.server is not None:
            session.finish()
        for client in silent:
            client.close()
    assert time.time() - started < 15
    assert refused(port)


def test_a_port_in_use_or_a_bad_port_is_named(monkeypatch):
    """LIVE_PORT taken: an error naming LIVE_PORT; not a port number: a
    ValueError naming it."""
    encoder, decoder, auto = load('0-vanilla').autoencoder(784, [16], 4)
    monkeypatch.setenv('LIVE', '1')
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen(1)
        monkeypatch.setenv('LIVE_PORT', str(taken.getsockname()[1]))
        with pytest.raises(OSError) as info:
            live.watch('0-main', encoder, decoder, auto, np.zeros((20, 784)))
        assert 'LIVE_PORT' in str(info.value)
    monkeypatch.setenv('LIVE_PORT', 'eighty')
    with pytest.raises(ValueError) as info:
        live.watch('0-main', encoder, decoder, auto, np.zeros((20, 784)))
    assert 'LIVE_PORT' in str(info.value)
    assert 'fit' not in vars(auto)


def default_sigint():
    """Gives a main Python's own SIGINT handling (KeyboardInterrupt), even
    where the suite was started in the background of a script, which has
    its children ignore SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Main(object):
    """A main run as a learner runs it, with LIVE=1, its output read line
    by line on a thread so that every wait can be bounded."""

    def __init__(self, script, figures_dir, **env):
        """Starts script with LIVE=1 and env."""
        self.process = runs.start([script], ROOT, default_sigint, LIVE='1',
                                  LIVE_PORT='0', FIGURES_DIR=figures_dir,
                                  **env)
        self.lines, self.output = queue.Queue(), []
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        """Queues every line the main prints."""
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, text):
        """Returns the first line holding text, within PATIENCE seconds."""
        deadline = time.time() + PATIENCE
        while time.time() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                if self.process.poll() is not None and self.lines.empty():
                    break
                continue
            if text in line:
                return line
        raise AssertionError('no "{}" in:\n{}'.format(
            text, ''.join(self.output)[-3000:]))

    def end(self):
        """Returns the exit code, waiting PATIENCE seconds at most."""
        try:
            return self.process.wait(PATIENCE)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def weights_of(snapshot):
    """Returns [[kernel, bias]] of a snapshot's page layers, float32."""
    model = snapshot['model']
    layers = model['encoder'] + [model[part] for part in ('mean', 'logVar')
                                 if part in model] + model['decoder']
    return [[np.frombuffer(base64.b64decode(layer[name]), '<f4')
             for name in ('kernel', 'bias')]
            for layer in layers if 'kernel' in layer]


@pytest.fixture(scope='module')
def chromium():
    """One headless Chromium for the module's pages."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        started = browser.launch(playwright)
        yield started
        started.close()


@needs_browser
def test_a_live_run_is_followed_to_its_last_epoch(chromium, tmpdir, mnist):
    """0-main.py with LIVE=1 for three epochs: the page follows it to
    'epoch 3', its forward passes of that snapshot equal Keras's with the
    same weights, it asked 127.0.0.1 alone and logged no error; the main
    ends, printing what it prints without LIVE, frees its port and leaves
    a replay that works from disk with no request."""
    tab = browser.watched_page(chromium)
    main = Main('0-main.py', str(tmpdir), EPOCHS='3')
    address = main.wait_for('live: watch 0-main learn at ').split()[-1]
    port = int(address.rstrip('/').rsplit(':', 1)[1])
    tab.goto(address)
    tab.wait_for_function('window.live && window.live.done() && '
                          'window.live.count() > 0 && window.live.label('
                          'window.live.count() - 1) === "epoch 3"',
                          timeout=PATIENCE * 1000)
    last = tab.evaluate('window.live.count() - 1')
    snapshot = tab.evaluate('window.live.snapshot({})'.format(last))
    assert len(snapshot['loss']) == 3 and len(snapshot['valLoss']) == 3
    encoder, decoder, _ = load('0-vanilla').autoencoder(784, [128, 64], 32)
    for (_, layer), values in zip(pages.page_layers(encoder, decoder),
                                  weights_of(snapshot)):
        kernel, bias = layer.get_weights()
        layer.set_weights([values[0].reshape(kernel.shape), values[1]])
    digits = mnist[1][:4].reshape(-1, 784)
    codes = encoder.predict(digits)
    for digit, code in zip(digits, codes):
        page_code = tab.evaluate('window.live.encode({}, {})'.format(
            last, digit.tolist()))
        np.testing.assert_allclose(page_code, code, atol=TOLERANCE)
        page_pixels = tab.evaluate('window.live.decode({}, {})'.format(
            last, code.tolist()))
        np.testing.assert_allclose(
            page_pixels, decoder.predict(code[None])[0], atol=TOLERANCE)
    assert main.end() == 0, ''.join(main.output)[-3000:]
    output = ''.join(main.output)
    assert len(runs_losses(output)) == 3
    assert 'figure saved to' in output
    assert refused(port)
    assert tab.errors == []
    assert all(url.startswith('http://127.0.0.1:{}/'.format(port))
               for url in tab.requests), tab.requests
    replay = str(tmpdir.join('0-main-live.html'))
    assert 'live replay saved to ' + replay in output
    check_replay(chromium, replay, 'epoch 3')


def runs_losses(output):
    """The (loss, val_loss) of every epoch the output shows."""
    from tools.runs import epoch_losses
    return epoch_losses(output)


def check_replay(chromium, path, last_label):
    """The replay opened from disk: no request but the file, no error,
    its last snapshot shown, and the slider goes back to the start."""
    tab = browser.watched_page(chromium)
    tab.goto('file://' + path)
    tab.wait_for_function('window.live && window.live.painted > 0',
                          timeout=PATIENCE * 1000)
    count = tab.evaluate('window.live.count()')
    assert count >= 2
    assert tab.evaluate('window.live.label(window.live.shown())') == \
        last_label
    painted = tab.evaluate('window.live.painted')
    tab.fill('#slider', '0')
    tab.wait_for_function('window.live.painted > {}'.format(painted),
                          timeout=PATIENCE * 1000)
    assert 'before training' in tab.inner_text('#status')
    assert tab.errors == []
    assert tab.requests == ['file://' + path]
    tab.close()


def test_ctrl_c_stops_the_main_and_its_server(tmpdir):
    """SIGINT during training: the main stops within the bounded wait,
    its port is free, and the replay of what it saw is written."""
    main = Main('0-main.py', str(tmpdir), EPOCHS='50')
    address = main.wait_for('live: watch 0-main learn at ').split()[-1]
    port = int(address.rstrip('/').rsplit(':', 1)[1])
    main.wait_for('Epoch 2/50')
    main.process.send_signal(signal.SIGINT)
    code = main.end()
    assert code != 0 and 'KeyboardInterrupt' in ''.join(main.output)
    assert refused(port)
    assert os.path.exists(str(tmpdir.join('0-main-live.html')))
