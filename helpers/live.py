#!/usr/bin/env python3
"""LIVE=1: watch a main's model learn in a browser while it trains.

`live.watch(main, encoder, decoder, auto, x_test)` is the one line a main
adds. With LIVE unset it does nothing at all. With LIVE=1 it prints a
local address (http://127.0.0.1:PORT/, a free port, or LIVE_PORT) and
serves a page from this process while auto.fit trains: a Recorder (a
Keras callback) takes a snapshot of the model at the start, a few times
within the first epoch, when most of the change happens, and at the end
of every epoch: its weights (read, never written) and the losses so far.
The page fetches each new snapshot and draws it with the explorer's own
JavaScript layers (explorer/layers.js): the losses beside the spec's,
the same test digits' reconstructions, the code, and for the VAE the
latent plane of 3,000 test digits' means on fixed axes; a slider replays
every snapshot so far.

When fit ends (or is stopped with Ctrl-C), the replay is written as one
self-contained page, figures/<main>-live.html (FIGURES_DIR), its path
printed, and the server stops. The replay keeps at most about
REPLAY_BYTES of snapshots, fewer late in training (MILESTONES first),
each weight in one byte (helpers.pages). The server binds 127.0.0.1
alone and answers two routes, the page and its snapshots; anything else
gets a 404, a request for another Host than its own address a 403 (no
CORS header is ever sent), and it holds 16 connections at most.
"""
import base64
import json
import math
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn

import numpy as np
import tensorflow as tf

from helpers import (configurations, data, files, pages, runtime, spec,
                     variables, versions)
from helpers.configurations import LATENT_POINTS

# the page's scripts, beside the explorer's (helpers.pages.html)
SCRIPTS = ('layers.js', 'drawing.js', 'live.js')
# how many test digits the page reconstructs (the VAE's latent plane
# dots configurations.LATENT_POINTS)
SHOWN = 10
# the shares of the first epoch after which a snapshot is taken
FIRST_EPOCH = (0.05, 0.15, 0.35, 0.65)
# about how many bytes of snapshots the replay page keeps, and the epochs
# after which it keeps one where it must choose
REPLAY_BYTES = 10e6
# Seconds the server waits for a request on a connection before it drops it
TIMEOUT = 10
MILESTONES = (1, 2, 5, 10, 20, 50, 100)
# a page still fetching when fit ends gets this long to catch up
CATCH_UP_SECONDS = 3.0
# the one query the snapshots route takes
SNAPSHOTS = re.compile(r'^/snapshots\?after=(-1|[0-9]{1,6})$')


def watch(main, encoder, decoder, auto, x_test):
    """With LIVE=1, serves the live page of main (such as '0-main') while
    auto.fit trains, and writes its replay when fit ends; returns the
    Session. With LIVE unset or 0, does nothing and returns None."""
    if not variables.get('LIVE'):
        return None
    session = Session(main, encoder, decoder, x_test)
    session.start()
    fit = auto.fit

    def fit_and_watch(*args, **kwargs):
        """auto.fit with the Recorder among its callbacks; the replay is
        written and the server stopped however fit ends."""
        kwargs['callbacks'] = list(kwargs.get('callbacks') or []) + \
            [session.recorder]
        try:
            return fit(*args, **kwargs)
        finally:
            session.finish()
    auto.fit = fit_and_watch
    return session


class Recorder(tf.keras.callbacks.Callback):
    """Keeps snapshots of a model as it trains: before training, after
    each share of FIRST_EPOCH of the first epoch, and after every epoch.
    A snapshot reads the weights (helpers.pages.weights) and the losses
    so far; it changes neither the weights nor any random state."""

    def __init__(self, encoder=None, decoder=None, on_snapshot=None):
        """Records encoder's and decoder's layers (by default the model's
        own, auto.layers[1] and [2]); on_snapshot() is called after each
        snapshot."""
        super(Recorder, self).__init__()
        self.encoder, self.decoder = encoder, decoder
        self.on_snapshot = on_snapshot
        self.snapshots, self.loss, self.val_loss = [], [], []
        self.epoch, self.shares = 0, []

    def snapshot(self, label, epoch):
        """Takes one snapshot, at epoch (a float: 0.35 is a third of the
        way through the first)."""
        self.snapshots.append({
            'label': label, 'epoch': epoch, 'loss': list(self.loss),
            'valLoss': list(self.val_loss),
            'weights': pages.weights(self.encoder, self.decoder)})
        if self.on_snapshot:
            self.on_snapshot()

    def on_train_begin(self, logs=None):
        """The untrained model."""
        if self.encoder is None:
            self.encoder, self.decoder = self.model.layers[1:3]
        self.shares = list(FIRST_EPOCH)
        self.snapshot('before training', 0.0)

    def on_epoch_begin(self, epoch, logs=None):
        """Notes the epoch."""
        self.epoch = epoch

    def on_batch_end(self, batch, logs=None):
        """In the first epoch, a snapshot after each share of it."""
        if self.epoch or not self.shares:
            return
        steps = self.params.get('steps') or math.ceil(
            self.params['samples'] / float(self.params['batch_size']))
        done = (batch + 1) / float(steps)
        if done >= self.shares[0]:
            while self.shares and done >= self.shares[0]:
                self.shares.pop(0)
            self.snapshot('epoch 1, {:.0%} through'.format(done), done)

    def on_epoch_end(self, epoch, logs=None):
        """The model after the epoch, with its losses."""
        logs = logs or {}
        for name, series in (('loss', self.loss),
                             ('val_loss', self.val_loss)):
            # JSON has no NaN: a loss fit did not report stays null
            series.append(float(logs[name]) if name in logs else None)
        self.snapshot('epoch {}'.format(epoch + 1), float(epoch + 1))


def kept(snapshots, per_snapshot, budget=REPLAY_BYTES):
    """Returns the indices of the snapshots a replay keeps: all if they
    fit in budget bytes (per_snapshot each); else the first and the last,
    the first one within the first epoch and those after the epochs of
    MILESTONES, then, as room allows, others evenly spaced in
    log(1 + epoch), so that the early epochs, when most changes, keep
    more."""
    count = len(snapshots)
    room = max(2, int(budget // max(per_snapshot, 1)))
    if count <= room:
        return list(range(count))
    scale = [math.log1p(s['epoch']) for s in snapshots]
    within = [i for i, s in enumerate(snapshots) if 0 < s['epoch'] < 1]
    wanted = {0, count - 1} | set(within[:1]) | {
        i for i, s in enumerate(snapshots) if s['epoch'] in MILESTONES}
    # the milestones too many: every other one, till they fit
    while len(wanted) > room:
        inner = sorted(wanted)[1:-1]
        wanted = {0, count - 1} | set(inner[::2][:room - 2])
    for target in np.linspace(scale[0], scale[-1], count):
        if len(wanted) >= room:
            break
        wanted.add(min(range(count), key=lambda i: abs(scale[i] - target)))
    return sorted(wanted)


class Session(object):
    """One main's live view: the Recorder, the page and its server, and
    the replay written at the end."""

    def __init__(self, main, encoder, decoder, x_test):
        """Prepares the page's data: the model's shapes, the spec's
        printed losses on this line's scale, the digits it shows."""
        self.main, self.encoder, self.decoder = main, encoder, decoder
        configuration = configurations.configuration(main)
        self.name, self.epochs = configuration.name, configuration.epochs
        self.recorder = Recorder(encoder, decoder, self.wake)
        self.changed = threading.Condition()
        self.finished = False
        # whether a page has asked for snapshots, and been told they are
        # all there
        self.watched = self.told_done = False
        self.descriptions = {}
        self.server = self.thread = None
        digits = np.asarray(x_test).reshape(-1, 784)
        # the mains keep no labels: the page colours the plane by them
        (_, _), (_, labels) = data.load_data()
        shown = LATENT_POINTS if self.name == 'variational' else SHOWN
        pixels = np.round(digits[:shown] * 255).astype('uint8')
        self.data = {
            'main': main, 'model': self.name, 'epochs': runtime.epochs(
                self.epochs), 'tensorflow': versions.VERSION,
            'spec': spec.printed_epochs(self.name,
                                        versions.NUMBERS > (1, 12)),
            'shown': SHOWN,
            'latent': LATENT_POINTS if self.name == 'variational' else 0,
            'labels': labels[:shown].tolist(),
            'pixels': base64.b64encode(pixels.tobytes()).decode('ascii')}

    def wake(self):
        """Tells waiting requests that a snapshot came."""
        with self.changed:
            self.changed.notify_all()

    def snapshot_description(self, index, exact=True):
        """Returns snapshot index as the page reads it: its model with
        float32 weights where exact (kept, for the page asks again), else
        one byte a weight (the replay's)."""
        if exact and index in self.descriptions:
            return self.descriptions[index]
        snapshot = self.recorder.snapshots[index]
        described = {name: value for name, value in snapshot.items()
                     if name != 'weights'}
        described['index'] = index
        described['model'] = pages.model_description(
            self.encoder, self.decoder, snapshot['weights'], exact)
        if exact:
            self.descriptions[index] = described
        return described

    def page(self, snapshots=None):
        """Returns the page's HTML: live, fetching its snapshots, or with
        snapshots inside (the replay)."""
        return pages.html('live.html', SCRIPTS, dict(
            self.data, snapshots=snapshots,
            mode='live' if snapshots is None else 'replay'))

    def answer(self, path):
        """Returns (status, content type, body) for a request of path:
        the page, the snapshots after an index, or 404."""
        if path == '/':
            return 200, 'text/html; charset=utf-8', self.html
        match = SNAPSHOTS.match(path)
        if not match:
            return 404, 'text/plain; charset=utf-8', b'not found\n'
        after = int(match.group(1))
        with self.changed:
            # a long poll: wait a little for news, then answer anyway
            if len(self.recorder.snapshots) <= after + 1 and \
                    not self.finished:
                self.changed.wait(1.0)
            count, done = len(self.recorder.snapshots), self.finished
        # at most four snapshots an answer: the page asks again for more
        indices = list(range(after + 1, count))[:4]
        last = indices[-1] if indices else after
        done = done and last == count - 1
        body = json.dumps({
            'snapshots': [self.snapshot_description(i) for i in indices],
            'count': count, 'done': done})
        self.watched = True
        self.told_done = self.told_done or done
        return 200, 'application/json', body.encode('utf-8')

    def start(self):
        """Starts the server on 127.0.0.1 and prints the page's address."""
        self.html = self.page().encode('utf-8')
        self.server = serve(self, variables.get('LIVE_PORT'))
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={'poll_interval': 0.2})
        self.thread.daemon = True
        self.thread.start()
        print('live: watch {} learn at http://127.0.0.1:{}/'.format(
            self.main, self.server.server_address[1]))
        sys.stdout.flush()

    def finish(self):
        """Lets a page that is still fetching catch up (a few seconds at
        most), writes the replay, and stops the server."""
        with self.changed:
            self.finished = True
            self.changed.notify_all()
        deadline = time.time() + CATCH_UP_SECONDS
        while self.watched and not self.told_done and \
                time.time() < deadline:
            time.sleep(0.05)
        try:
            self.write_replay()
        finally:
            self.stop()

    def write_replay(self, budget=REPLAY_BYTES):
        """Writes figures/<main>-live.html (FIGURES_DIR), with at most
        about budget bytes of snapshots (kept), and prints its path;
        returns the path."""
        snapshots = self.recorder.snapshots
        if not snapshots:
            return None
        size = len(json.dumps(self.snapshot_description(0, False)))
        described = [self.snapshot_description(i, False)
                     for i in kept(snapshots, size, budget)]
        folder = variables.get('FIGURES_DIR')
        path = os.path.join(folder, self.main + '-live.html')
        files.write_text(path, self.page(described))
        print('live replay saved to', path)
        sys.stdout.flush()
        return path

    def stop(self):
        """Stops the server and frees its port."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)
            self.server = None


class LiveServer(ThreadingMixIn, HTTPServer):
    """The standard library's HTTP server, a thread a request (a page's
    long poll must not hold up another), its threads never outliving the
    process, and at most CONNECTIONS of them: a connection past those is
    closed at once, so a client that opens many holds no more."""
    daemon_threads = True
    allow_reuse_address = False
    CONNECTIONS = 16

    def __init__(self, *args, **kwargs):
        """Binds the server, with its slots for connections."""
        HTTPServer.__init__(self, *args, **kwargs)
        self.slots = threading.BoundedSemaphore(self.CONNECTIONS)

    def process_request(self, request, client_address):
        """Serves the connection on a thread of its own where a slot is
        free; else closes it."""
        if not self.slots.acquire(False):
            self.shutdown_request(request)
            return
        try:
            ThreadingMixIn.process_request(self, request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        """Serves the connection, then frees its slot."""
        try:
            ThreadingMixIn.process_request_thread(self, request,
                                                  client_address)
        finally:
            self.slots.release()


def serve(session, port):
    """Returns a LiveServer for session bound to 127.0.0.1:port (0: a
    free one); a port in use raises an OSError that names LIVE_PORT."""

    class Handler(BaseHTTPRequestHandler):
        """Answers GET with session.answer; nothing is read from disk. A
        request whose Host is not this server's own address gets 403: a
        page elsewhere that points a name of its own at 127.0.0.1 reads
        nothing. No CORS header is sent, and a client that sends nothing
        is dropped after TIMEOUT seconds."""
        timeout = TIMEOUT

        def do_GET(self):
            """Sends the page, the snapshots, a 404 or a 403."""
            port = self.server.server_address[1]
            if self.headers.get('Host', '') not in (
                    '127.0.0.1:{}'.format(port), 'localhost:{}'.format(port)):
                status, kind, body = 403, 'text/plain; charset=utf-8', \
                    b'forbidden: not this server\'s address\n'
            else:
                status, kind, body = session.answer(self.path)
            self.send_response(status)
            self.send_header('Content-Type', kind)
            self.send_header('Content-Length', str(len(body)))
            self.send_header('Cache-Control', 'no-store')
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            """Keeps the main's output to its epochs."""

    try:
        return LiveServer(('127.0.0.1', port), Handler)
    except OSError as error:
        raise OSError('live: cannot serve on 127.0.0.1:{} ({}); set '
                      'LIVE_PORT to a free port, or unset it for any free '
                      'one'.format(port, error.strerror or error))
