#!/usr/bin/env python3
"""The report's and the sweep's charts: loss curves, the VAE's latent
scatter, code histograms, measures against lambtha and rows of
reconstructions. Each is saved (or shown) as the mains' figures are, by
helpers.figures.finish."""
import numpy as np

from helpers.figures import finish, plt


def loss_curves(histories, name, folder=None):
    """Plots loss and val_loss per epoch, one panel per model; histories
    maps a model's name to {'loss': [...], 'val_loss': [...]}."""
    figure = plt.figure(figsize=(4 * len(histories), 3.2))
    for i, (model, history) in enumerate(sorted(histories.items())):
        ax = figure.add_subplot(1, len(histories), i + 1)
        epochs = range(1, len(history['loss']) + 1)
        ax.plot(epochs, history['loss'], label='loss')
        ax.plot(epochs, history['val_loss'], label='val_loss')
        ax.set_title(model)
        ax.set_xlabel('epoch')
        ax.legend()
    figure.tight_layout()
    return finish(figure, name, folder)


def latent_scatter(points, labels, name, folder=None):
    """Scatters 2-D latent points coloured by their digit's label."""
    figure = plt.figure(figsize=(6.5, 5.5))
    ax = figure.add_subplot(1, 1, 1)
    cloud = ax.scatter(points[:, 0], points[:, 1], c=labels, cmap='tab10',
                       s=2)
    figure.colorbar(cloud, ax=ax, ticks=range(10), label='digit')
    ax.set_xlabel('mean[0]')
    ax.set_ylabel('mean[1]')
    return finish(figure, name, folder)


def histograms(counts, edges, name, folder=None):
    """Draws one step histogram per series, over shared bin edges, on a
    log scale; counts maps a series' label to its counts per bin."""
    figure = plt.figure(figsize=(6.5, 4))
    ax = figure.add_subplot(1, 1, 1)
    for label, values in sorted(counts.items()):
        # one step per bin, drawn from its left edge
        ax.step(edges[:-1], values, where='post', label=label)
    ax.set_yscale('log')
    ax.set_xlabel('code activation')
    ax.set_ylabel('count over the test set')
    ax.legend()
    return finish(figure, name, folder)


def sparsity_sweep(lambthas, measures, marked, name, folder=None):
    """Plots each measure (a dict: its label -> one value per lambtha)
    against lambtha on a log axis, one panel each, with lambtha marked
    by a dashed line. A lambtha of 0 stands a decade left of the least
    other one, labelled 0."""
    others = [value for value in lambthas if value > 0]
    zero_at = min(others) / 10 if others else 1e-6
    xs = [value if value > 0 else zero_at for value in lambthas]
    figure = plt.figure(figsize=(4.2 * len(measures), 3.4))
    for i, (label, values) in enumerate(measures.items()):
        ax = figure.add_subplot(1, len(measures), i + 1)
        ax.plot(xs, values, 'o-')
        ax.set_xscale('log')
        ax.axvline(marked, color='tab:red', linestyle='--',
                   label='the spec\'s penalty')
        ticks = sorted(set(xs))
        ax.set_xticks(ticks)
        ax.set_xticklabels(['0' if tick == zero_at else '{:g}'.format(tick)
                            for tick in ticks], rotation=45, fontsize=7)
        ax.minorticks_off()
        ax.set_xlabel('lambtha')
        ax.set_title(label, fontsize=9)
        if i == 0:
            ax.legend(fontsize=7)
    figure.tight_layout()
    return finish(figure, name, folder)


def reconstruction_rows(originals, rows, name, folder=None):
    """Shows originals in a top row and, below, one row of images per
    (label, images) of rows, the label at its left; each image is
    reshaped to 28 x 28."""
    count = len(originals)
    rows = [('original', originals)] + list(rows)
    figure = plt.figure(figsize=(count * 0.7 + 1.6, len(rows) * 0.75))
    for row, (label, images) in enumerate(rows):
        for i in range(count):
            ax = figure.add_subplot(len(rows), count, row * count + i + 1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.imshow(np.asarray(images[i]).reshape((28, 28)), cmap='gray',
                      vmin=0, vmax=1)
            if i == 0:
                ax.set_ylabel(label, rotation=0, ha='right', va='center',
                              fontsize=8)
    figure.subplots_adjust(left=0.2, right=0.99, top=0.99, bottom=0.01,
                           wspace=0.05, hspace=0.05)
    return finish(figure, name, folder)


def latent_planes(planes, labels, name, folder=None, extent=4):
    """Scatters, one panel each, the 2-D latent points of planes (a list
    of (title, points)) coloured by their digit's label, every panel on
    the same axes [-extent, extent]^2."""
    figure = plt.figure(figsize=(3 * len(planes), 3.3))
    for i, (title, points) in enumerate(planes):
        ax = figure.add_subplot(1, len(planes), i + 1)
        ax.scatter(points[:, 0], points[:, 1], c=labels, cmap='tab10', s=1,
                   vmin=0, vmax=9)
        ax.set_xlim(-extent, extent)
        ax.set_ylim(-extent, extent)
        ax.set_aspect('equal')
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(title, fontsize=10)
    figure.tight_layout()
    return finish(figure, name, folder)
