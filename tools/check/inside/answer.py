#!/usr/bin/env python3
"""The one program of ours that runs beside a learner's code: inside the
sandbox, it imports their task module as a grader does and answers the
judge's questions about what it builds (tools.check.judge.judging),
nothing else.

    python answer.py FD FOLDER

It reads each question from the file descriptor FD (one end of a socket
pair whose other end the judge holds) and writes its answer there, as
plain data: numbers, strings, lists, arrays. It holds no reference
model, no expected value and no verdict; whatever the learner's code
does to this process (patch numpy, rewrite this file's functions, write
to FD itself), the judge only ever gets data that it checks against what
it computed itself, on questions drawn anew for each check.

It imports the standard library, numpy and TensorFlow alone, so the
sandbox can show it as one file; the judge imports it too, for the
channel (send, receive, encode, decode) and for describe_model, so that
our models and the learner's are described by the same code. The
functions the channel uses are bound here, before the learner's module
is imported: a module that replaces json.dumps or numpy.asarray changes
what it calls, not what answers.

One answerer answers for a learner's four tasks in turn, as a test
runner that imports them all would: each `import` question starts a
task (its side effects counted afresh); the judge starts a new answerer
where one ends."""
import copy
import os
import struct
import sys
import traceback
from base64 import b64decode, b64encode
from json import dumps, loads
from select import select
from time import time as now

from numpy import asarray, dtype as numpy_dtype, frombuffer, ndim, prod, \
    ravel

# what the learner's code printed, kept up to this many characters
PRINTED = 4096
# the operating-system calls that are side effects, by audit event
EFFECTS = {'open', 'socket.__new__', 'socket.connect', 'subprocess.Popen',
           'os.system', 'os.posix_spawn', 'os.spawn', 'os.exec', 'os.fork',
           'os.forkpty', 'ctypes.dlopen'}
# Python's own library: its frames are passed over to find who asked
STDLIB = os.path.dirname(os.__file__) + os.sep
# a message's length, before it: 8 bytes, big-endian
HEADER = struct.Struct('>Q')


class Closed(Exception):
    """The other end closed the channel."""


class Refused(Exception):
    """A message that cannot be taken: over the size limit, late, or not
    the plain data the channel carries. Its text says which."""


def encode(value):
    """Returns value as JSON-ready data: a numpy array as its dtype, shape
    and bytes; a tuple marked as one (the caller's arguments are compared
    as given); numbers, strings, lists and dicts as they are."""
    if hasattr(value, 'dtype') and hasattr(value, 'shape') and \
            hasattr(value, 'tobytes'):
        array = value if value.dtype.kind in 'fiub' else value.astype(float)
        return {'array': str(array.dtype), 'shape': list(array.shape),
                'data': b64encode(array.tobytes()).decode('ascii')}
    if isinstance(value, tuple):
        return {'tuple': [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {'dict': [[str(key), encode(item)]
                         for key, item in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, 'item'):
        return value.item()
    return {'repr': repr(value)[:200]}


def decode(value):
    """Returns what encode made of a value; raises Refused on anything
    else (a dtype that is no number, bytes that do not fill the shape)."""
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        raise Refused('a value of type {}'.format(type(value).__name__))
    if 'array' in value:
        dtype = numpy_dtype(str(value['array']))
        if dtype.kind not in 'fiub':
            raise Refused('an array of dtype {}'.format(dtype))
        shape = tuple(int(size) for size in value['shape'])
        data = b64decode(str(value['data']).encode('ascii'))
        if len(data) != int(prod(shape)) * dtype.itemsize:
            raise Refused('an array whose bytes do not fill its shape')
        return frombuffer(data, dtype).reshape(shape).copy()
    if 'tuple' in value:
        return tuple(decode(item) for item in value['tuple'])
    if 'dict' in value:
        return {str(key): decode(item) for key, item in value['dict']}
    if 'repr' in value:
        return Repr(str(value['repr']))
    raise Refused('an object that is no plain data')


class Repr(str):
    """What encode said of a value that is no plain data: its repr."""


def send(fd, message, deadline=None):
    """Writes message (a dict of plain data) to fd, length first, waiting
    until deadline (a time.time()) at most; raises Refused after it."""
    data = dumps(encode(message)).encode('utf-8')
    data = HEADER.pack(len(data)) + data
    while data:
        if deadline is not None:
            left = deadline - now()
            if left <= 0 or not select([], [fd], [], left)[1]:
                raise Refused('no answer within the time limit')
        data = data[os.write(fd, data[:1 << 20]):]


def receive(fd, limit=None, deadline=None):
    """Returns the next message on fd, decoded. Raises Closed where the
    other end closed it, Refused where the message is over limit bytes,
    comes after deadline (a time.time()) or is no plain data."""
    header = read(fd, HEADER.size, deadline)
    size = HEADER.unpack(header)[0]
    if limit is not None and size > limit:
        raise Refused('an answer of {} bytes, over the {} bytes an answer '
                      'may take'.format(size, limit))
    try:
        message = loads(read(fd, size, deadline).decode('utf-8'))
    except ValueError:
        raise Refused('an answer that is not JSON')
    if not isinstance(message, dict):
        raise Refused('an answer that is not a mapping')
    message = decode(message)
    if not isinstance(message, dict):
        raise Refused('an answer that is not a mapping')
    return message


def read(fd, size, deadline):
    """Returns size bytes read from fd, waiting until deadline at most."""
    chunks, got = [], 0
    while got < size:
        if deadline is not None:
            left = deadline - now()
            if left <= 0 or not select([fd], [], [], left)[0]:
                raise Refused('no answer within the time limit')
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            raise Closed()
        chunks.append(chunk)
        got += len(chunk)
    return b''.join(chunks)


def shape_of(tensor):
    """Returns a tensor's shape as a list, None for a size not known."""
    import tensorflow as tf
    return tf.TensorShape(tensor.shape).as_list()


def output_shape(layer):
    """Returns layer's output shape as a list, '...' for several."""
    try:
        output = layer.output
    except (AttributeError, ValueError, RuntimeError):
        return None
    if isinstance(output, (list, tuple)):
        return '...'
    return shape_of(output)


def regularizers(layer):
    """Returns [[kind, l1, l2]] of layer's regularisers."""
    found = []
    for kind in ('activity_regularizer', 'kernel_regularizer',
                 'bias_regularizer'):
        regulariser = getattr(layer, kind, None)
        if regulariser is not None:
            try:
                config = regulariser.get_config()
            except (AttributeError, NotImplementedError):
                config = {}
            found.append([kind, float(config.get('l1', 0)),
                          float(config.get('l2', 0))])
    return found


def describe_layer(layer):
    """Returns what the judge compares of a layer, as plain data: its
    class and where it comes from, activation, padding, sizes, output
    shape, parameters, weights' shapes, regularisers and initialiser."""
    found = {'class': type(layer).__name__,
             'module': type(layer).__module__.split('.')[0],
             'output_shape': output_shape(layer),
             'params': int(layer.count_params()),
             'weights': [list(weight.shape) for weight in
                         layer.get_weights()],
             'regularizers': regularizers(layer)}
    for name in ('activation', 'padding', 'kernel_size', 'pool_size',
                 'size', 'filters', 'units'):
        value = getattr(layer, name, None)
        if value is not None:
            value = getattr(value, '__name__', None) or (
                list(value) if isinstance(value, (list, tuple)) else value)
            found[name] = value if isinstance(
                value, (int, str, list)) else str(value)
    initializer = getattr(layer, 'kernel_initializer', None)
    if initializer is not None:
        found['initializer'] = type(initializer).__name__
    return found


def describe_model(model):
    """Returns what the judge compares of a model, as plain data: its
    layers, input and output shapes, the losses added to it, and how it
    was compiled."""
    outputs = model.outputs if isinstance(model.output, (list, tuple)) \
        else [model.output]
    optimizer = getattr(model, 'optimizer', None)
    settings = {}
    if optimizer is not None:
        try:
            config = optimizer.get_config()
        except (AttributeError, NotImplementedError):
            config = {}
        for name, value in config.items():
            try:
                settings[name] = float(value)
            except (TypeError, ValueError):
                pass
    loss = getattr(model, 'loss', None)
    return {'layers': [describe_layer(layer) for layer in model.layers],
            'input': shape_of(model.input) if not isinstance(
                model.input, (list, tuple)) else None,
            'outputs': [shape_of(output) for output in outputs],
            'listed': isinstance(model.output, (list, tuple)),
            'losses': len(model.losses),
            'optimizer': type(optimizer).__name__ if optimizer else None,
            'settings': settings,
            'loss': loss if isinstance(loss, str) else repr(loss)[:120],
            'loss_is_string': isinstance(loss, str)}


def error(caught):
    """Returns an exception as plain data: its type, message and frames."""
    return {'type': type(caught).__name__,
            'message': str(caught)[:20000],
            'code': repr(getattr(caught, 'code', None)),
            'frames': [[entry[0], entry[1]] for entry in
                       traceback.extract_tb(caught.__traceback__)]}


class TrainedAtImport(Exception):
    """fit was called while the module was imported."""


class Printed(object):
    """Catches what is printed to sys.stdout within it, keeping the first
    PRINTED characters: a module that prints a gigabyte costs nothing."""

    def __enter__(self):
        """Puts itself in sys.stdout's place."""
        self.text, self.saved = '', sys.stdout
        sys.stdout = self
        return self

    def write(self, text):
        """Keeps what fits of text."""
        if len(self.text) < PRINTED:
            self.text += str(text)[:PRINTED - len(self.text)]
        return len(text)

    def flush(self):
        """Nothing to flush."""

    def __exit__(self, *_):
        """Puts sys.stdout back."""
        sys.stdout = self.saved


class Answerer(object):
    """The learner's module and the three models of its last build, and
    the side effects its code asked for."""

    def __init__(self, folder):
        """Starts with nothing imported."""
        self.folder = folder
        self.function, self.models, self.real_paths = None, None, set()
        self.watching, self.effects = False, []

    def hook(self, event, arguments):
        """Python's audit hook: records the side effects the learner's
        code asks for itself while it runs, not TensorFlow's on its
        behalf (autograph's files)."""
        if not self.watching or event not in EFFECTS or \
                not self.asked_by_learner():
            return
        if event == 'open':
            path, mode, flags = (list(arguments) + [None, None])[:3]
            writing = (isinstance(mode, str) and any(
                letter in mode for letter in 'wax+')) or (
                isinstance(flags, int) and flags & (
                    os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND))
            if not isinstance(path, (str, bytes)):
                return
            path = os.path.abspath(os.fsdecode(path))
            if path == '/dev/null' or (not writing and (
                    path.startswith(self.folder + os.sep) or
                    path.startswith(sys.prefix + os.sep) or
                    path.startswith(sys.base_prefix + os.sep))):
                return
            self.effects.append(('writing ' if writing else 'reading ') +
                                path)
        elif event == 'socket.__new__':
            # asked before the kernel is: the filter refuses the socket
            self.effects.append('opening a socket ({})'.format(
                family_name(arguments[1])))
        elif event == 'socket.connect':
            self.effects.append('connecting to {}'.format(arguments[1]))
        elif event == 'ctypes.dlopen':
            # the kernel's calls straight from C (mount, unshare ...): a
            # Keras model needs none
            self.effects.append('calling C directly (ctypes loading {})'
                                .format(arguments[0] or 'this process'))
        else:
            what = arguments[1] if event == 'subprocess.Popen' else \
                arguments[0] if arguments else ''
            if isinstance(what, (list, tuple)):
                what = ' '.join(str(part) for part in what)
            self.effects.append('starting a process ({} {})'.format(
                event, str(what)[:80]).replace(' )', ')'))

    def asked_by_learner(self):
        """Returns True where the nearest caller outside Python's own
        library is the learner's file."""
        frame = sys._getframe(2)
        while frame is not None and \
                frame.f_code.co_filename.startswith(STDLIB) and \
                'site-packages' not in frame.f_code.co_filename:
            frame = frame.f_back
        return frame is not None and os.path.realpath(
            frame.f_code.co_filename) in self.real_paths

    def watched(self, run, *arguments):
        """Returns run(*arguments), recording side effects meanwhile."""
        self.watching = True
        try:
            return run(*arguments)
        finally:
            self.watching = False

    def answer(self, question):
        """Returns the answer to one question (a dict with 'ask')."""
        return getattr(self, 'ask_' + question['ask'])(question)

    def ask_import(self, question):
        """Imports the learner's module as a grader does, fit refused;
        answers how it went, what it printed and the function's name."""
        import tensorflow as tf
        keras = tf.keras
        file = question['file']
        # one task at a time: its side effects, its function
        self.real_paths = {os.path.realpath(os.path.join(self.folder,
                                                         file))}
        self.effects, self.function, self.models = [], None, None
        if self.folder not in sys.path:
            sys.path.insert(0, self.folder)
        fit = keras.Model.fit
        handlers = exit_handlers()

        def refuse(*_, **__):
            """fit at import: stop it before it trains."""
            raise TrainedAtImport()
        keras.Model.fit = refuse
        answer = {'status': 'ok'}
        module = None
        printed = Printed()
        try:
            with printed:
                module = self.watched(__import__, file[:-3])
        except TrainedAtImport:
            answer['status'] = 'trained'
        except SystemExit as stop:
            answer.update(status='exit', code=repr(stop.code))
        except BaseException as caught:
            answer.update(status='error', error=error(caught))
        finally:
            keras.Model.fit = fit
        if exit_handlers() > handlers:
            self.effects.append('registering {} exit handler(s) at import '
                                '(atexit)'.format(exit_handlers() - handlers))
        answer['printed'] = printed.text
        if module is not None:
            answer['function'] = next(
                (name for name in question['names']
                 if callable(getattr(module, name, None))), None)
            if answer['function']:
                self.function = getattr(module, answer['function'])
        return answer

    def ask_build(self, question):
        """Calls the learner's function on a fresh session (seeded where
        asked) with the arguments given; answers what it printed, the
        arguments after the call and the three models described."""
        import tensorflow as tf
        keras = tf.keras
        keras.backend.clear_session()
        if question.get('seed') is not None:
            seed(question['seed'])
        given = copy.deepcopy(question['arguments'])
        self.models = None
        answer = {'status': 'ok'}
        printed = Printed()
        try:
            with printed:
                result = self.watched(self.function, *given)
        except BaseException as caught:
            answer.update(status='error', error=error(caught))
            result = None
        answer.update(printed=printed.text, given=given,
                      kind=type(result).__name__)
        if answer['status'] == 'ok' and isinstance(
                result, (tuple, list)) and len(result) == 3 and all(
                    isinstance(model, keras.Model) for model in result):
            self.models = list(result)
            encoder, decoder, auto = result
            answer['models'] = [describe_model(model) for model in result]
            answer['nests'] = {
                'kinds': [type(layer).__name__ for layer in auto.layers],
                'encoder': len(auto.layers) > 1 and
                auto.layers[1] is encoder,
                'decoder': len(auto.layers) > 2 and
                auto.layers[2] is decoder}
        return answer

    def ask_predict(self, question):
        """Answers a model's outputs on the inputs given."""
        outputs = self.models[question['model']].predict(
            question['x'], verbose=0)
        listed = isinstance(outputs, (list, tuple))
        return {'outputs': [asarray(output, 'float32') for output in (
            outputs if listed else [outputs])], 'listed': listed}

    def ask_evaluate(self, question):
        """Answers auto's evaluate on the inputs given."""
        x = question['x']
        value = self.models[2].evaluate(
            x, x, batch_size=question.get('batch_size', 32), verbose=0)
        return {'value': [float(item) for item in ravel(value)],
                'scalar': ndim(value) == 0}

    def ask_set_weights(self, question):
        """Gives layer question['layer'] of a model the weights given."""
        self.models[question['model']].layers[
            question['layer']].set_weights(question['weights'])
        return {}

    def ask_fit(self, question):
        """Trains auto on the inputs given."""
        x = question['x']
        self.models[2].fit(x, x, epochs=question['epochs'],
                           batch_size=question['batch_size'], verbose=0)
        return {}

    def ask_effects(self, _):
        """Answers the side effects seen so far."""
        return {'effects': sorted(set(self.effects))}


def exit_handlers():
    """Returns how many atexit handlers are registered (0 where this
    Python does not say)."""
    import atexit
    count = getattr(atexit, '_ncallbacks', None)
    return count() if count else 0


def family_name(family):
    """Returns the name of a socket's address family (AF_INET ...), or
    its number."""
    import socket
    try:
        return socket.AddressFamily(family).name
    except ValueError:
        return str(family)


def seed(value):
    """Seeds numpy and TensorFlow as helpers.runtime.seed does, on any
    line (this file imports nothing of the project's)."""
    import numpy as np
    import tensorflow as tf
    if hasattr(tf.keras.utils, 'set_random_seed'):
        tf.keras.utils.set_random_seed(value)
    else:
        import random
        random.seed(value)
        np.random.seed(value)
        tf.set_random_seed(value)


def main(arguments):
    """FD FOLDER: answers the judge's questions on FD until it closes."""
    fd, folder = int(arguments[0]), os.path.abspath(arguments[1])
    import tensorflow  # noqa: F401 (loaded before the learner's module)
    answerer = Answerer(folder)
    if hasattr(sys, 'addaudithook'):
        sys.addaudithook(answerer.hook)
    while True:
        try:
            question = receive(fd)
        except Closed:
            return 0
        try:
            answer = answerer.answer(question)
        except BaseException as caught:
            answer = {'failed': error(caught)}
        answer['id'] = question.get('id')
        # the side effects so far go with every answer: a process that
        # dies later has told them already
        answer['effects'] = sorted(set(answerer.effects))[:100]
        send(fd, answer)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
