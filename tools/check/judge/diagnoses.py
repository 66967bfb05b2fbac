#!/usr/bin/env python3
"""What a failure most likely means, said in the learner's terms: a crash
as `<file>:<line>: <ExceptionType>: <first line of its message>` from the
innermost frame in the learner's own file, and for the mistakes learners
are known to make, the likely cause and what to change. Every cause here
is a guess from what was seen ("likely"), never a verdict of its own: the
finding that carries it says what was expected and found.

Standard library alone: the judge reads a main's traceback with it, and
an exception the learner's code raised in the answerer, sent as data."""
import os
import re
import signal

# A crash's message, by the words TensorFlow and Keras use on each line:
# what it most likely means, and where a traceback that never passes
# through the learner's file (an error inside a TensorFlow function) most
# likely points in their source (a pattern of the line)
CRASHES = [
    (re.compile(r'expects 1 input.*(received|but got) 3|'
                r'expected 1 input.*(received|got) 3', re.S),
     'likely the decoder is called on all three encoder outputs '
     '(decoder(encoder(inputs))): the encoder returns [z, mean, log_var]; '
     'decode z alone, decoder(encoder(inputs)[0])',
     (r'decoder\(\s*encoder\([^()]*\)\s*\)',
      r'^(?!\s*def\b).*\bdecoder\s*\(\s*[A-Za-z_]')),
    (re.compile(r'A KerasTensor cannot be used as input to a TensorFlow '
                r'function'),
     'likely backend operations on the model\'s symbolic tensors outside '
     'any layer: a KL computed from the encoder\'s outputs for add_loss, or '
     'a compiled loss that reads the encoder\'s mean and log_var. Keras 3 '
     'refuses both; compute the KL inside a layer (a Layer subclass whose '
     'call uses self.add_loss) or run the encoder on the batch inside the '
     'loss (TF 2.15 builds the add_loss idiom, TF 1.15 both)', None),
    (re.compile(r'KerasTensor|symbolic (input|tensor)|Graph tensor|'
                r'out of scope|not an element of this graph|'
                r'inaccessible tensor', re.I),
     'likely a compiled loss that reads the encoder\'s mean and log_var '
     'tensors (the TF 1 / Keras 2.2 idiom, which trains on TF 1.12 and '
     '1.15): TF 2 calls a loss with the batch alone, away from those '
     'tensors. Compute the KL inside the model (auto.add_loss) or run the '
     'encoder on the batch inside the loss; `make check TF=1.15` tells '
     'whether the rest is right', 'LOSS'),
    (re.compile(r'Read-only file system'),
     'the sandbox refused a write: a task file writes no file when '
     'imported or called; remove that code', None),
    (re.compile(r'Network is unreachable|Connection refused|'
                r'Name or service not known|Temporary failure in name'),
     'a task file opens no connection (the sandbox has no network): '
     'remove that code', None),
]
# The VAE's reconstruction averaged where the spec sums it: the loss on
# given weights, the short run's and the main's first loss all say it
AVERAGED = ('likely the reconstruction averaged over the input\'s values '
            'instead of summed (about 1/784 of the sum on MNIST, 1/20 on '
            'the check\'s 20 values): binary_crossentropy, and loss='
            '\'binary_crossentropy\', average over the last axis; sum it, '
            'keras.backend.sum(keras.backend.binary_crossentropy(x, '
            'x_decoded), axis=-1), or multiply it by input_dims')
# Exceptions of code that counts on the spec's own numbers
INDEXING = ('IndexError', 'UnboundLocalError', 'NameError')


# a line of TensorFlow's own C++ log ("2026-12-03 01:07:32.718905: E
# external/...]"): no word of the learner's
NATIVE_LOG = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+: [IWEF] ')


def last_line(output):
    """Returns the last line of output that is not empty nor TensorFlow's
    own log: what a run that stopped said last."""
    lines = [line for line in output.splitlines()
             if line.strip() and not NATIVE_LOG.match(line)]
    return lines[-1][:300] if lines else 'it printed no error'


def learner_frame(frames, paths):
    """Returns the innermost (file name, line) of frames, a list of
    (path, line), whose path is one of paths; None where none is."""
    wanted = set(os.path.realpath(path) for path in paths)
    for path, line in reversed(frames):
        if os.path.realpath(path) in wanted:
            return os.path.basename(path), line
    return None


def crash_line(kind, message, frame):
    """Returns '<file>:<line>: <kind>: <first line of message>', without
    the place where frame is None; Keras's "Exception encountered when
    calling layer" passed over for the line that says what."""
    said = [line.strip() for line in message.splitlines() if line.strip()]
    if len(said) > 1 and said[0].startswith('Exception encountered'):
        said = said[1:]
    first = said[0] if said else ''
    # a long line is cut after its first sentence where there is one
    cut = first.find('. ', 40)
    if len(first) > 160 and cut > 0:
        first = first[:cut + 1]
    text = '{}: {}'.format(kind, first) if first else kind
    if len(text) > 300:
        text = text[:297] + '...'
    return '{}:{}: {}'.format(frame[0], frame[1], text) if frame else text


def from_error(error, paths):
    """Returns (the crash line of error, its cause or '') where paths are
    the learner's files; error is an exception as the answerer sends it
    (tools.check.inside.answer.error: its type, message and frames)."""
    frames = [(str(path), int(line)) for path, line in error['frames']]
    kind, message, frames = unwrap(error['type'], error['message'], frames)
    return explained(kind, message, learner_frame(frames, paths), paths)


def explained(kind, message, frame, paths):
    """Returns (the crash line, its likely cause): where no frame of the
    traceback is the learner's, the line of their source that the cause
    points to, if any."""
    cause, pattern = crash_cause(kind, message)
    if frame is None and pattern and paths:
        frame = locate(paths[0], pattern)
    return crash_line(kind, message, frame), cause


def locate(path, pattern):
    """Returns (file name, line) of the first line of the source at path
    that pattern finds (of several, the first that finds one); for
    'LOSS', the function passed to compile as its loss. None where there
    is none."""
    try:
        with open(path) as source:
            lines = source.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if pattern == 'LOSS':
        named = [match.group(1) for match in (
            re.search(r'loss\s*=\s*([A-Za-z_][A-Za-z0-9_]*)\s*[,)]', line)
            for line in lines) if match]
        if not named:
            return None
        pattern = r'^\s*def\s+{}\s*\('.format(named[0])
    for each in (pattern,) if isinstance(pattern, str) else pattern:
        for number, line in enumerate(lines, 1):
            if re.search(each, line):
                return os.path.basename(path), number
    return None


INNER_FRAME = re.compile(r'File "([^"]+)", line ([0-9]+)')
INNER_ERROR = re.compile(r'^\s*([A-Za-z_][A-Za-z0-9_]*(Error|Exception)): '
                         r'(.*)$')


def unwrap(kind, message, frames):
    """Returns (kind, message, frames) of the error inside a TensorFlow
    function's "in user code:" message (its frames and its own error are
    written in the text), else those given."""
    if not message.lstrip().startswith('in user code'):
        return kind, message, frames
    inner = [(path, int(line)) for path, line in
             INNER_FRAME.findall(message)]
    errors = [match for match in (INNER_ERROR.match(line)
                                  for line in message.splitlines())
              if match]
    if errors:
        kind = errors[-1].group(1)
        message = message[message.index(errors[-1].group(0)):]
        message = message.split(':', 1)[1]
    return kind, message, frames + inner


FRAME = re.compile(r'^  File "(.*)", line ([0-9]+)')
RAISED = re.compile(r'^([A-Za-z_][A-Za-z0-9_.]*(Error|Exception|Exit|'
                    r'Interrupt|Warning|Iteration)[A-Za-z0-9_]*)(: (.*))?$')


def from_output(output, paths):
    """Returns (the crash line, its cause) of the last Python traceback in
    a run's output, where paths are the learner's files (by name: the
    copies a main imports); (None, '') where there is none."""
    lines = output.splitlines()
    starts = [i for i, line in enumerate(lines)
              if line.startswith('Traceback (most recent call last)')]
    if not starts:
        return None, ''
    frames, kind, message = [], None, ''
    names = set(os.path.basename(path) for path in paths)
    for i, line in enumerate(lines[starts[-1] + 1:], starts[-1] + 1):
        match = FRAME.match(line)
        if match:
            frames.append((match.group(1), int(match.group(2))))
            continue
        raised = RAISED.match(line)
        if raised and not line.startswith(' '):
            kind = raised.group(1).rsplit('.', 1)[-1]
            message = '\n'.join([raised.group(4) or ''] + [
                rest for rest in lines[i + 1:i + 60]
                if not rest.startswith('Traceback')])
            break
    if kind is None:
        return None, ''
    kind, message, frames = unwrap(kind, message, frames)
    frame = next(((os.path.basename(path), number)
                  for path, number in reversed(frames)
                  if os.path.basename(path) in names), None)
    return explained(kind, message, frame, paths)


def crash_cause(kind, message):
    """Returns (the likely cause of a crash of kind with message, or '',
    the pattern of the learner's line it points to, or None)."""
    for pattern, cause, line in CRASHES:
        if pattern.search(message) or pattern.search(kind):
            return cause, line
    return '', None


def in_configuration(kind, task, arguments):
    """Returns the likely cause of a crash of kind (or of a layer that
    differs, kind 'layers') that shows only with arguments, not with the
    spec's: code that counts on the spec's numbers."""
    if kind not in INDEXING + ('layers',) and \
            task.name != 'convolutional':
        return ''
    sizes = arguments[1]
    if task.name == 'convolutional':
        return ('it shows with filters of length {}, not the spec\'s 3: the '
                'decoder is likely written for three (filters[2], i == 2, '
                'three layers by hand); loop over reversed(filters) and '
                'give the valid padding to the convolution at index '
                'len(filters) - 1'.format(len(sizes)))
    return ('it shows with hidden_layers of length {}, not the spec\'s {}: '
            'the code likely counts on the spec\'s number of hidden layers '
            '(hidden_layers[1], a variable set only inside the loop); loop '
            'over hidden_layers and reversed(hidden_layers)'.format(
                len(sizes), len(task.configuration.arguments[1])))


def band(task, ratio, starts=None):
    """Returns the likely cause of a loss ratio times ours, or '';
    starts are (theirs, ours) kernel initialisers where they differ."""
    if starts:
        return ('your layers start from {} where Keras\'s default (the '
                'spec\'s) is {}: the first losses differ from the spec\'s '
                'logs; graders do not check the initialiser'.format(
                    ', '.join(starts[0]), ', '.join(starts[1])))
    if task.name == 'variational' and ratio < 0.05:
        return AVERAGED
    if task.name != 'variational' and ratio > 50:
        return ('about {:.0f} times ours: likely the cross-entropy summed '
                'over the pixels where the spec\'s string '
                '\'binary_crossentropy\' averages'.format(ratio))
    return ''


# what writing past the disk limit raises (errno 28, ENOSPC), and past
# the size of one file (errno 27, EFBIG)
NO_SPACE = 'No space left on device'
TOO_LARGE = 'File too large'


def stopped(run, phase):
    """Returns why a run stopped before its end, in a sentence ending with
    what it was doing (phase), or None where it ended by itself."""
    from tools import check
    if run.timed_out:
        return 'stopped at the {} s time limit while {}'.format(
            check.PATIENCE, phase)
    tail = run.output[-3000:]
    if run.code != 0 and (run.full or NO_SPACE in tail or
                          TOO_LARGE in tail):
        return 'stopped at the {} disk limit while {}'.format(
            check.amount(check.DISK), phase)
    if 'MemoryError' in tail or 'bad_alloc' in tail or \
            'Resource exhausted' in tail or 'out of memory' in tail.lower():
        return 'stopped at the {} memory limit while {}'.format(
            check.amount(check.MEMORY), phase)
    if run.signal:
        name = getattr(signal.Signals(run.signal), 'name', run.signal) \
            if hasattr(signal, 'Signals') else run.signal
        return 'stopped by signal {} while {}{}'.format(
            name, phase, ' (the system\'s out-of-memory killer sends it)'
            if run.signal == signal.SIGKILL else '')
    return None
