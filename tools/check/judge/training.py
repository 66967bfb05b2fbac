#!/usr/bin/env python3
"""The short training run: the spec's configuration trained for 4 epochs
beside ours from the same seed, both drawn for the run, its untrained
and trained losses each within its band of ours. Ours trains while the
learner's does, and is kept for a class's seed."""
import os

import numpy as np

from helpers import data, files, versions
from tools.check import TRAINED, UNTRAINED, finding
from tools.check.inside import answer
from tools.check.judge import diagnoses
from tools.check.judge.building import ours_built


def initializers(description):
    """Returns the names of the kernel initialisers of a model's layers
    (its description)."""
    return sorted(set(layer['initializer']
                      for layer in description['layers']
                      if isinstance(layer.get('initializer'), str)))


def training_checks(judged):
    """A short seeded training run of the spec's configuration, 4 epochs
    of batches of 32 on 2048 digits, beside ours trained the same way
    from the same seed: the untrained loss and the held-out loss after
    training on 512 test digits, each within its band of ours. The seed
    and the digits are drawn for this run (from the run's seed alone, so
    that a class shares ours); ours trains while the learner's does.
    Another initialiser than ours makes the untrained loss a note (in or
    out of its band, as the draw falls) and a trained loss out of its band
    a note, with the cause."""
    task = judged.task
    configuration = task.configuration
    rng = np.random.RandomState([judged.seed, task.number, 7])
    seed = int(rng.randint(0, 2 ** 31 - 1))
    (x_train, _), (x_test, _) = data.load_data()
    start = int(rng.randint(0, len(x_train) - 2048))
    test_start = int(rng.randint(0, len(x_test) - 512))
    x_train = configuration.shape(
        x_train[start:start + 2048].astype('float32') / 255.)
    x_test = configuration.shape(
        x_test[test_start:test_start + 512].astype('float32') / 255.)
    got = judged.build(configuration.arguments, seed=seed)
    theirs_start = initializers(got['models'][0]) + initializers(
        got['models'][1])
    untrained = judged.evaluate(x_test)[0][0]
    fitted = judged.answerer.asking('fit', x=x_train, epochs=4,
                                    batch_size=32)
    mine, ours_start = our_training(judged, seed, x_train, x_test)
    fitted()
    theirs = (untrained, judged.evaluate(x_test)[0][0])
    starts = [sorted(set(theirs_start)), sorted(set(ours_start))]
    other_start = starts[0] != starts[1]
    for i, (check, bands) in enumerate((('untrained loss', UNTRAINED),
                                        ('trained loss', TRAINED))):
        ratio = theirs[i] / mine[i]
        inside = abs(ratio - 1) <= bands[task.name]
        said = 'expected within {:.0%} of ours, {:.4f}, found {:.4f} ' \
            '({:.3g} times ours)'.format(bands[task.name], mine[i],
                                         theirs[i], ratio)
        if other_start and i == 0:
            # another initialiser draws other first weights: the untrained
            # loss lands in or out of its band by the draw, so it is a
            # note whatever this run drew
            judged.add(finding(
                check, 'note', said, 'graders do not check the '
                'initialiser, but the first losses a main prints then '
                'differ from the spec\'s',
                diagnoses.band(task, ratio, starts)))
            continue
        status = 'ok' if inside else 'note' if other_start else 'fail'
        judged.add(finding(
            check, status, '' if inside else said,
            'the same layers and loss learn the same way: graders compare '
            'the losses a main prints', diagnoses.band(
                task, ratio, starts if other_start else None)
            if not inside else ''))


def our_training(judged, seed, x_train, x_test):
    """Returns ((our untrained loss, trained loss), our kernel
    initialisers) for the training of training_checks from seed, kept in
    judged.kept (a folder shared by a class's learners) where there is
    one."""
    kept = os.path.join(judged.kept, 'training-{}-{}-{}.json'.format(
        versions.LINE, judged.task.number, seed)) if judged.kept else None
    if kept and os.path.isfile(kept):
        try:
            known = files.read_json(kept)
            return tuple(known['losses']), known['initializers']
        except (files.Torn, KeyError, ValueError):
            pass
    encoder, decoder, auto = ours_built(
        judged.ours, judged.task.configuration.arguments, seed)
    starts = initializers(answer.describe_model(encoder)) + \
        initializers(answer.describe_model(decoder))
    untrained = loss_of(auto.evaluate(x_test, x_test, verbose=0))
    auto.fit(x_train, x_train, epochs=4, batch_size=32, verbose=0)
    losses = (untrained, loss_of(auto.evaluate(x_test, x_test, verbose=0)))
    if kept:
        os.makedirs(judged.kept, exist_ok=True)
        files.write_json(kept, {'losses': losses, 'initializers': starts})
    return losses, starts


def loss_of(value):
    """Returns the loss of what evaluate returned (a number or a list)."""
    return float(np.ravel(value)[0])
