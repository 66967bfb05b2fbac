#!/usr/bin/env python3
"""The VAE's own checks, on weights and inputs drawn for the run: the
encoder's outputs told apart ([z, mean, log_var]), the KL added with
add_loss (a note), z's spread, auto decoding z, and the loss: the
cross-entropy summed over the values plus the KL summed over the latent
axis, once."""
import numpy as np

from tools.check import GRADER, finding
from tools.check.judge import building, diagnoses
from tools.check.judge.channel import Broken


def dense_layers(model):
    """Returns [(index, layer)] of a model description's Dense layers."""
    return [(i, layer) for i, layer in enumerate(model['layers'])
            if layer['class'] == 'Dense']


def set_linear(judged, model, layers, biases):
    """Gives each of layers (index, description) of the learner's model a
    zero kernel and the bias of biases."""
    for (i, layer), bias in zip(layers, biases):
        kernel = tuple(layer['weights'][0])
        judged.set_weights(model, i, [
            np.zeros(kernel, 'float32'),
            np.asarray(np.broadcast_to(bias, (kernel[1],)), 'float32')])


# The loss check's tolerance, a fraction of the loss; and how far apart
# draw_latent keeps the KL's mistaken values: on the check's weights the
# losses are under 25, so each mistake's loss is many tolerances from the
# others whatever the draw (tests/test_check.py measures it)
TOLERANCE = 1e-3
SEPARATION = 0.3
ORDER_WHY = ('the spec: the encoder outputs "the latent representation, '
             'the mean, and the log variance", in that order')


def vae_outputs(judged, encoder, x, centre):
    """Checks the encoder's outputs: z drawn anew at each call, mean and
    log_var from two linear Dense layers of the latent size, in the
    spec's order. Returns (index of z, of mean, of log_var, the mean's
    layer, the log variance's) or None where they cannot be told; centre
    is the bias the mean is given to tell it (drawn for this run)."""
    outputs, _ = judged.predict(0, x)
    if len(outputs) != 3:
        judged.add(finding('encoder outputs', 'fail', 'expected [z, mean, '
                           'log_var], found {} output(s)'.format(
                               len(outputs)), ORDER_WHY, 'return all three: '
                           'keras.Model(inputs, [z, mean, log_var])'))
        return None
    again, _ = judged.predict(0, x)
    drawn = [not np.allclose(a, b) for a, b in zip(outputs, again)]
    latent = outputs[0].shape[-1]
    linear = [(i, layer) for i, layer in dense_layers(encoder)
              if layer.get('activation') == 'linear' and
              layer.get('units') == latent]
    if sum(drawn) != 1 or len(linear) != 2:
        judged.add(finding(
            'encoder outputs', 'fail', 'expected [z, mean, log_var]: one '
            'output drawn anew at each call, mean and log_var from two '
            'linear Dense layers; found {} drawn and {} linear Dense '
            'layer(s) of the latent size'.format(sum(drawn), len(linear)),
            ORDER_WHY, 'likely no sampling, or mean and log_var with an '
            'activation: the spec asks for activation=None on both'))
        return None
    z_index = drawn.index(True)
    set_linear(judged, 0, linear, (centre, 0.0))
    outputs, _ = judged.predict(0, x)
    # the mean is the layer z centres on
    centred_on_first = np.allclose(outputs[z_index].mean(axis=0), centre,
                                   atol=0.3)
    mean_layer, log_var_layer = linear if centred_on_first else linear[::-1]
    value = centre if centred_on_first else 0.0
    others = [i for i in range(3) if i != z_index]
    mean_index = next((i for i in others
                       if np.allclose(outputs[i], value)), others[0])
    log_var_index = [i for i in others if i != mean_index][0]
    names = [''] * 3
    names[z_index], names[mean_index], names[log_var_index] = \
        'z', 'mean', 'log_var'
    good = names == ['z', 'mean', 'log_var']
    judged.add(finding(
        'encoder outputs', 'ok' if good else 'fail', '' if good else
        'expected [z, mean, log_var], found [{}] (z is the output drawn '
        'anew at each call; the mean, the one z centres on)'.format(
            ', '.join(names)), ORDER_WHY, '' if good else
        'return them in the spec\'s order: keras.Model(inputs, [z, mean, '
        'log_var]); the 3-main.py unpacks encoded, mu, log_sig' + (
            ' ([mean, log_var, z] is the order of the solutions that '
            'reproduce the 2024 page\'s log: docs/grader.md)'
            if names == ['mean', 'log_var', 'z'] else '')))
    return z_index, mean_index, log_var_index, mean_layer, log_var_layer


def draw_latent(rng, size=3):
    """Returns a mean and a log variance drawn for this run: log
    variances at least 0.5 from 0 (so exp(log_var / 2), exp(log_var) and
    exp(log_var / 4) differ by more than the checks' tolerance), a KL of
    at least 1 (so a KL missing, averaged or counted twice shows) and a
    KL read with mean and log_var swapped at least SEPARATION from each
    of those (so that mistake shows too, and is named as itself)."""
    while True:
        mean = rng.uniform(-1.5, 1.5, size)
        log_var = rng.uniform(0.5, 1.2, size) * rng.choice([-1, 1], size)
        kl = kl_divergence(mean, log_var)
        swapped = kl_divergence(log_var, mean)
        if kl >= 1 and all(abs(swapped - other) >= SEPARATION
                           for other in (0, kl / 3, kl, 2 * kl)):
            return mean, log_var


def kl_divergence(mean, log_var):
    """Returns the KL divergence of N(mean, exp(log_var)) from N(0, I),
    summed over the latent axis."""
    return -0.5 * np.sum(1 + log_var - mean ** 2 - np.exp(log_var))


def vae_checks(judged):
    """The VAE's own checks, each on weights and inputs drawn for this
    run: its outputs, the KL added with add_loss (a note), z's spread,
    auto decoding z, and the loss: the cross-entropy summed over the
    values plus the KL summed over the latent axis, once."""
    rng = judged.rng
    size = 20
    got = judged.build((size, [16], 3))
    if 'models' not in got:
        raise Broken('answers', 'expected three models of ({}, [16], 3), as '
                     'of the configurations before, found {}'.format(
                         size, got.get('kind')))
    encoder, decoder, auto = got['models']
    x = rng.rand(4000, size).astype('float32')
    judged.save('checking the encoder\'s outputs')
    told = judged.guarded('encoder outputs', ORDER_WHY, vae_outputs, judged,
                          encoder, x, float(rng.uniform(1.5, 2.5)))
    if auto['losses']:
        judged.add(finding(
            'KL in the loss', 'note', 'expected the KL inside the compiled '
            'loss, found {} loss(es) added to the model (add_loss)'.format(
                auto['losses']), 'allowed, but a grader reading auto.loss '
            'sees the cross-entropy alone', building.ADD_LOSS_CAUSE))
    if not told:
        for check in ('z spread', 'auto decodes z', 'loss'):
            judged.add(finding(check, 'skipped', 'needs mean and log_var '
                               'told apart: see encoder outputs'))
        return
    z_index, _, _, mean_layer, log_var_layer = told
    mean, log_var = draw_latent(rng)
    set_linear(judged, 0, (mean_layer, log_var_layer), (mean, log_var))
    judged.save('checking z')
    judged.guarded('z spread', 'the reparameterisation trick', z_spread,
                   judged, x, z_index, mean, log_var)
    judged.save('checking what auto decodes')
    judged.guarded('auto decodes z', 'the spec', decodes_z, judged, x,
                   z_index, mean, log_var)
    judged.save('checking the loss on given weights')
    judged.guarded('loss', 'the spec\'s loss', vae_loss, judged, decoder,
                   x, mean, log_var)


def z_spread(judged, x, z_index, mean, log_var):
    """Checks z = mean + exp(log_var / 2) * epsilon, epsilon from N(0, 1),
    where mean and log_var are the layers' given outputs."""
    z = judged.predict(0, x)[0][z_index]
    spread = z.std(axis=0)
    wanted = np.exp(log_var / 2)
    good = np.allclose(spread / wanted, 1, atol=0.1) and np.allclose(
        z.mean(axis=0), mean, atol=0.15)
    cause = ''
    if good:
        pass
    elif np.allclose(spread / np.exp(log_var), 1, atol=0.1):
        cause = 'likely exp(log_var) without the half: the standard ' \
            'deviation is exp(log_var / 2); write exp(0.5 * log_var)'
    elif np.allclose(spread / np.exp(log_var / 4), 1, atol=0.1):
        cause = 'likely sqrt(exp(log_var / 2)) or exp(log_var / 4): the ' \
            'standard deviation is exp(log_var / 2)'
    elif np.allclose(spread / np.abs(log_var).clip(0.01), 1, atol=0.1):
        cause = 'likely log_var used as the standard deviation itself: ' \
            'multiply epsilon by exp(log_var / 2)'
    elif np.allclose(spread, 0, atol=1e-3):
        cause = 'z does not vary: likely no epsilon, or one drawn once for ' \
            'all batches; draw it in the sampling function, ' \
            'keras.backend.random_normal(shape=...)'
    else:
        ratios = spread / wanted
        if np.allclose(ratios, ratios.mean(), rtol=0.1):
            cause = 'z spreads by {:.2g} times exp(log_var / 2) on every ' \
                'axis: likely epsilon drawn with a standard deviation of ' \
                '{:.2g} instead of 1, or a factor on the spread; ' \
                'epsilon = keras.backend.random_normal(shape) has 1'.format(
                    ratios.mean(), ratios.mean())
        elif not np.allclose(z.mean(axis=0), mean, atol=0.15):
            cause = 'z is not centred on the mean: likely z = ' \
                'exp(log_var / 2) * epsilon without + mean, or the mean ' \
                'and log_var swapped in the sampling'
    judged.add(finding(
        'z spread', 'ok' if good else 'fail', '' if good else
        'expected z around mean by exp(log_var / 2) ({}), found {} around '
        '{}'.format(rounded(wanted), rounded(spread),
                    rounded(z.mean(axis=0))),
        'the reparameterisation trick: z = mean + exp(log_var / 2) * '
        'epsilon, epsilon from N(0, 1)', cause))


def rounded(values):
    """Returns values as a list of numbers to two places."""
    return [round(float(value), 2) for value in values]


def decodes_z(judged, x, z_index, mean, log_var):
    """Checks that auto decodes a fresh z at each call, not the mean or
    the log variance: its outputs spread as the decoder's outputs on the
    z the encoder draws (whatever its spread: z spread checks that), and
    no nearer the decoded mean (or log variance) than a fraction of that
    spread."""
    rows = 256
    first = judged.predict(2, x[:rows])[0][0]
    second = judged.predict(2, x[:rows])[0][0]
    z = judged.predict(0, x[:rows])[0][z_index]
    sampled = judged.predict(1, z)[0][0]
    spread = sampled.std(axis=0).mean()
    found = first.std(axis=0).mean() if first.shape == sampled.shape \
        else 0.0
    fixed = {name: judged.predict(1, np.tile(value, (rows, 1)))[0][0]
             for name, value in (('mean', mean), ('log variance', log_var))}
    # a decoder that hardly moves with z cannot tell z from the mean:
    # then only an exact match counts
    near = 0.1 * spread if spread > 1e-4 else 1e-5
    same = [name for name, value in sorted(fixed.items())
            if first.shape == value.shape and
            np.abs(first - value).mean() <= near]
    anew = first.shape == second.shape and \
        np.abs(first - second).max() > 1e-4
    spreads = spread <= 1e-4 or 0.75 <= found / spread <= 1.33
    good = anew and spreads and not same
    judged.add(finding(
        'auto decodes z', 'ok' if good else 'fail', '' if good else
        'expected auto to decode a fresh z at each call, spread as the '
        'decoder on the encoder\'s z ({:.3g}), found '
        '{}'.format(spread, 'the decoded ' + same[0] if same else
                    'the same output twice' if not anew else
                    'a spread of {:.3g}'.format(found)),
        'the spec: the decoder reconstructs from the latent representation, '
        'not the mean: ' + GRADER + ', The 2024 edition',
        'auto decodes the {}: decode the encoder\'s first output, '
        'decoder(encoder(inputs)[0])'.format(same[0]) if same else
        'z is not drawn anew at each call' if not anew else
        'auto decodes something spread otherwise than z: decode the '
        'encoder\'s first output, decoder(encoder(inputs)[0])'
        if not good else ''))


def vae_loss(judged, decoder, x, mean, log_var):
    """Checks the loss on weights where the decoder's output does not
    depend on z (so it is known) and the KL is at least 1."""
    dense = dense_layers(decoder)
    if not dense:
        raise Broken('answers', 'expected the decoder\'s Dense layers '
                     'described, found none')
    i, first_dense = dense[0]
    kernel, bias = [tuple(shape) for shape in first_dense['weights']]
    judged.set_weights(1, i, [np.zeros(kernel, 'float32'),
                              judged.rng.normal(0, 0.5, bias)])
    output = judged.predict(1, np.zeros((1, len(mean))))[0][0][0]
    sample = x[:8]
    kinds = loss_kinds(cross_entropy(sample, output), sample.shape[1],
                       mean, log_var)
    expected, kl = kinds[0][0], kl_divergence(mean, log_var)
    loss = judged.evaluate(sample, 8)[0][0]
    good = abs(loss - expected) <= TOLERANCE * expected
    cause = next(('likely ' + said for value, said in kinds[1:]
                  if abs(loss - value) <= TOLERANCE * abs(value)), '')
    judged.add(finding(
        'loss', 'ok' if good else 'fail', '' if good else
        'expected the cross-entropy summed over the values plus the KL '
        'summed over the latent axis, {:.4f} on weights where the KL is '
        '{:.4f}, found {:.4f}'.format(expected, kl, loss),
        'the spec\'s loss; on an untrained model the KL is too small to '
        'tell a KL missing or averaged, so these weights make it {:.2f}'
        .format(kl), cause))


def cross_entropy(sample, output):
    """Returns the binary cross-entropy of output (one row, the same for
    every input) for each of sample's rows summed over its values,
    averaged over the rows: what Keras's loss is on them."""
    output = np.clip(output, 1e-7, 1 - 1e-7)
    return np.mean(-np.sum(sample * np.log(output) + (1 - sample) *
                           np.log(1 - output), axis=1))


def loss_kinds(reconstruction, size, mean, log_var):
    """Returns [(loss, its likely cause)]: the spec's loss first (no
    cause), then the loss of each mistake the check names, for a
    reconstruction term (the cross-entropy summed over size values) and
    the given mean and log_var."""
    kl = kl_divergence(mean, log_var)
    averaged = diagnoses.AVERAGED[len('likely '):]
    return [
        (reconstruction + kl, ''),
        (reconstruction, 'the KL is missing: add -0.5 * sum(1 + log_var - '
         'mean^2 - exp(log_var)) over the latent axis'),
        (reconstruction + 2 * kl, 'the KL is counted twice (in the compiled '
         'loss and with add_loss, or added twice): count it once'),
        (reconstruction + kl / 3, 'the KL averaged over the latent axis '
         '(keras.backend.mean): sum it over the latent axis'),
        (reconstruction / size + kl, averaged),
        (reconstruction / size + kl / 3, averaged + '; and the KL averaged '
         'over the latent axis: sum it'),
        (reconstruction / size, averaged + '; and the KL is missing'),
        (reconstruction + kl_divergence(log_var, mean),
         'the KL reads mean and log_var swapped: the loss unpacks the '
         'encoder\'s outputs in another order than the encoder returns '
         'them; unpack them as returned, z, mean, log_var'),
    ]
