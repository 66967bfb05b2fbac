#!/usr/bin/env python3
"""The spec's own figures, in one place: the losses its four mains
printed on TF 1.12 (the first five epochs and the last five), and how a
later line prints the same run. `make seed-logs`, the report and the
live page set ours beside them. (The mains' arguments and epochs are in
helpers.configurations.)"""
from helpers.configurations import BATCH_SIZE, configuration

# (loss, val_loss) of the first five epochs of each main, then of the
# last five
FIRST = {
    'vanilla': [(0.2504, 0.1667), (0.1498, 0.1361), (0.1312, 0.1242),
                (0.1220, 0.1173), (0.1170, 0.1132)],
    'sparse': [(0.3123, 0.2538), (0.2463, 0.2410), (0.2400, 0.2381),
               (0.2379, 0.2360), (0.2360, 0.2339)],
    'convolutional': [(63.9743, 43.5109), (39.9287, 37.1333),
                      (35.7883, 34.1952), (33.4408, 32.2462),
                      (31.8871, 30.9729)],
    'variational': [(214.4525, 177.2306), (171.7558, 168.7191),
                    (167.4977, 166.5061), (165.6473, 165.1279),
                    (164.0918, 163.7083)],
}
LAST = {
    'vanilla': [(0.0852, 0.0850), (0.0851, 0.0846), (0.0850, 0.0848),
                (0.0849, 0.0845), (0.0848, 0.0844)],
    'sparse': [(0.1602, 0.1609), (0.1601, 0.1608), (0.1601, 0.1601),
               (0.1601, 0.1604), (0.1597, 0.1601)],
    'convolutional': [(23.9016, 23.6926), (23.9029, 23.7102),
                      (23.8331, 23.5239), (23.8047, 23.5510),
                      (23.7744, 23.4939)],
    'variational': [(148.1491, 151.3205), (148.0358, 151.2141),
                    (147.9396, 151.3823), (147.8144, 151.4026),
                    (147.6572, 151.1969)],
}


def on_line_scale(name, log, line_scale):
    """Returns log (pairs of losses) of model name as a line after TF
    1.12 prints it where line_scale: the convolutional loss per image,
    the spec's divided by the batch size that TF 1.12 summed over."""
    if line_scale and name == 'convolutional':
        return [(loss / BATCH_SIZE, val / BATCH_SIZE) for loss, val in log]
    return list(log)


def spec_log(name, epochs, line_scale=False):
    """Returns the spec's first epochs (at most five) of model name; with
    line_scale, as later lines print it (on_line_scale)."""
    return on_line_scale(name, FIRST[name][:epochs], line_scale)


def printed_epochs(name, line_scale=False):
    """Returns [(epoch, loss, val_loss)] of every epoch the spec printed
    for model name: the first five and the last five."""
    epochs = configuration(name).epochs
    first = on_line_scale(name, FIRST[name], line_scale)
    last = on_line_scale(name, LAST[name], line_scale)
    return [(i + 1, loss, val) for i, (loss, val) in enumerate(first)] + \
        [(epochs - 4 + i, loss, val) for i, (loss, val) in enumerate(last)]
