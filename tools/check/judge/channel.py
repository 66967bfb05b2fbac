#!/usr/bin/env python3
"""The judge's side of the channel to the answerer (tools.check.inside.answer):
the answerer process in its sandbox, each question sent with a token of
its own and each answer taken back as plain data, bounded in size, on
time and checked to be one. An answerer that ends, is stopped at a
limit, or sends what is no answer is a Broken, said as a finding; where
the learner's code raised while answering, a Raised. Nothing here runs
the learner's code or takes anything it printed as a verdict."""
import os
import time

from tools.check import PROCESSES
from tools.check.inside import answer
from tools.check.judge import diagnoses


# the most bytes one answer may take: the largest honest one (outputs on
# 4000 inputs) takes about 300 kB
ANSWER_BYTES = 16 << 20


# where the answerer's program is shown in the sandbox
PROGRAM = '/check/answer.py'


# a file in the answerer's scratch folder that looks like a verdict; it
# is never read: a module that rewrites it is seen doing so
DECOY = 'findings.json'


DECOY_TEXT = '{"phase": "done", "findings": []}\n'


class Raised(Exception):
    """The learner's code raised while answering: error is the exception
    as the answerer sent it."""

    def __init__(self, error):
        """Keeps the exception's data."""
        Exception.__init__(self, error.get('type'))
        self.error = error


class Broken(Exception):
    """The answerer cannot answer any more: it ended, was stopped at its
    time limit, or sent what is not an answer. said is the finding's
    text; check its name."""

    def __init__(self, check, said, cause='', run=None):
        """Keeps the finding's parts."""
        Exception.__init__(self, said)
        self.check, self.said, self.cause, self.run = check, said, cause, run


class Answerer(object):
    """The learner's side as the judge sees it: the answerer process in
    its sandbox, the channel to it, and the phase it is asked about."""

    def __init__(self, child, ours, patience):
        """Keeps the answerer's process, child (a runners.sandbox.Child
        started by the runner: tools.check.runners.single.answerer), the
        judge's end of its channel, ours (a socket), and the seconds each
        task may take."""
        self.child, self.ours, self.patience = child, ours, patience
        self.phase, self.deadline, self.run = 'starting', None, None
        self.asked, self.paths, self.effects = 0, [], []
        self.reported = set()

    def alive(self):
        """Returns True while the answerer can be asked."""
        return self.run is None

    def start_task(self):
        """Gives the next task its own time limit, from now, and its own
        side effects."""
        self.deadline = time.time() + self.patience
        self.effects = []

    def ask(self, what, **question):
        """Returns the answer to question what, checked to be one: raises
        Raised where the learner's code raised, Broken where no answer
        can be had."""
        return self.asking(what, **question)()

    def asking(self, what, **question):
        """Sends question what and returns the function that waits for
        its answer (ask() both at once): the judge can compute meanwhile."""
        self.asked += 1
        token = '{}-{}'.format(self.asked, os.urandom(8).hex())
        question.update(ask=what, id=token)
        try:
            answer.send(self.ours.fileno(), question, self.deadline)
        except (answer.Closed, OSError):
            raise self.ended()
        except answer.Refused:
            self.end(timed_out=True)
            raise self.ended()
        return lambda: self.answered(token)

    def answered(self, token):
        """Returns the answer to the question of token (see ask)."""
        try:
            got = answer.receive(self.ours.fileno(), ANSWER_BYTES,
                                 self.deadline)
        except (answer.Closed, OSError):
            raise self.ended()
        except answer.Refused as refused:
            late = 'time limit' in str(refused)
            if late:
                self.end(timed_out=True)
                raise self.ended()
            self.end()
            raise Broken('answers', 'expected an answer to the judge\'s '
                         'question while {}, found {}'.format(self.phase,
                                                              refused),
                         cause='something in the module wrote to the '
                         'judge\'s channel, or replaced the program that '
                         'answers it: a task file only defines its '
                         'function')
        if got.get('id') != token:
            self.end()
            raise Broken('answers', 'expected the answer to question {} '
                         'while {}, found one to {!r}'.format(
                             token.split('-')[0], self.phase,
                             got.get('id')),
                         cause='something in the module wrote to the '
                         'judge\'s channel: a task file only defines its '
                         'function')
        if isinstance(got.get('effects'), list):
            self.effects = [str(effect) for effect in got['effects']]
        if 'failed' in got:
            raise Raised(expect(got, 'failed', dict))
        return got

    def ended(self):
        """Returns the Broken that says how the answerer ended (it has)."""
        run = self.end()
        stopped = diagnoses.stopped(run, self.phase)
        if stopped:
            return Broken('finishes', 'expected the checks to end, found '
                          'them ' + stopped, cause=stopped_cause(
                              run, stopped, self.phase), run=run)
        line, cause = diagnoses.from_output(run.output, self.paths)
        return Broken('finishes', 'expected the module to be checked, found '
                      'the check stopped (exit {}) while {}: {}'.format(
                          run.code, self.phase,
                          line or diagnoses.last_line(run.output)),
                      cause=cause or ended_cause(run), run=run)

    def end(self, timed_out=False):
        """Ends the answerer (once); keeps what it did (a Run of
        tools.check.runners.sandbox)."""
        if self.run is None:
            try:
                self.ours.close()
            except OSError:
                pass
            if not timed_out:
                # an answerer whose channel closed ends by itself, its
                # exit handlers run (a module's too: seen by written())
                for _ in range(200):
                    if self.child.process.poll() is not None:
                        break
                    time.sleep(0.05)
            self.run = self.child.stop(timed_out)
        return self.run

    def written(self):
        """Returns the files the learner's code left in its scratch since
        the last call (the decoy among them where it was changed), as
        sentences; once the answerer ended, what it left at its end."""
        left = self.run.left if self.run is not None else \
            self.child.left()[0]
        found = []
        for path in left:
            if path not in self.reported:
                self.reported.add(path)
                found.append('writing ' + path)
        return found


def stopped_cause(run, stopped, phase):
    """Returns the likely cause of an answerer stopped at a limit or by a
    signal (stopped says which) while in phase."""
    if run.timed_out:
        return ('what the module does while {} does not end within the '
                'limit: likely a loop, or training, at its top level or in '
                'autoencoder(); the checks before this one ran'.format(phase))
    if 'memory limit' in stopped:
        return ('it asks for more memory than a grader gives while {}: look '
                'at what it allocates there'.format(phase))
    return ('the process died of a signal while {}: native code (TensorFlow) '
            'aborts where it cannot start its threads or get memory; likely '
            'processes or threads the module starts at its top level (a '
            'grader allows {} together), or a crash in an extension it '
            'calls'.format(phase, PROCESSES))


def ended_cause(run):
    """Returns the likely cause of an answerer that ended by itself while
    asked, with no traceback to read."""
    if run.code == 0:
        return ('the process ended by itself while the module was checked: '
                'likely os._exit() or sys.exit() from an atexit or thread, '
                'at the module\'s top level; a task file only defines its '
                'function')
    return ''


def expect(got, key, kind):
    """Returns got[key], raising Broken where it is missing or not of
    kind (a type or a tuple of types)."""
    value = got.get(key) if isinstance(got, dict) else None
    if not isinstance(value, kind):
        raise Broken('answers', 'expected an answer holding {} ({}), found '
                     '{}'.format(key, getattr(kind, '__name__', kind),
                                 type(value).__name__),
                     cause='something in the module wrote to the judge\'s '
                     'channel, or replaced the program that answers it')
    return value


def valid_model(description):
    """Raises Broken where a model's description is not what the answerer
    makes (describe_model); returns it."""
    for key, kind in (('layers', list), ('outputs', list), ('listed', bool),
                      ('losses', int), ('settings', dict),
                      ('loss_is_string', bool)):
        expect(description, key, kind)
    for layer in description['layers']:
        for key, kind in (('class', str), ('module', str), ('params', int),
                          ('weights', list), ('regularizers', list)):
            expect(layer, key, kind)
    return description


def fresh_seed():
    """Returns a seed drawn anew: the questions of one run."""
    return int.from_bytes(os.urandom(4), 'big') % (2 ** 31)
