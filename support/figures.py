#!/usr/bin/env python3
"""Every figure of the project: the mains' image grids, and the report's
curves, scatter and histograms. A figure opens in a window where there is
a display; where there is none, or a folder is given, it is written as
a PNG file (into FIGURES_DIR, figures/ by default) and its path printed."""
import os
import sys

import matplotlib

# Without a display matplotlib cannot open a window: draw off screen
if sys.platform.startswith('linux') and not (
        os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')):
    matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

NON_INTERACTIVE = ('agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg', 'template')


def originals_and_reconstructions(originals, reconstructed, name,
                                  folder=None):
    """Shows originals in a top row above their reconstructions, each
    image reshaped to 28 x 28, as the spec's mains do; returns the PNG's
    path when it is saved, else None."""
    count = len(originals)
    figure = plt.figure(figsize=(count, 2.2))
    for i in range(count):
        for row, images in enumerate((originals, reconstructed)):
            ax = figure.add_subplot(2, count, row * count + i + 1)
            ax.axis('off')
            ax.imshow(images[i].reshape((28, 28)))
    return finish(figure, name, folder)


def grid(images, rows, cols, name, folder=None):
    """Shows images in a rows x cols grid, each reshaped to 28 x 28 (the
    VAE's decoded latent plane), on the scale [0, 1] of the pixels;
    returns the PNG's path when it is saved, else None. The grid is one
    picture with thin gaps, not one plot per image: 625 plots take
    matplotlib seconds to draw."""
    side, gap = 28, 2
    mosaic = np.full((rows * (side + gap) - gap, cols * (side + gap) - gap),
                     np.nan)
    for i in range(rows * cols):
        top, left = (i // cols) * (side + gap), (i % cols) * (side + gap)
        mosaic[top:top + side, left:left + side] = \
            np.asarray(images[i]).reshape((side, side))
    figure = plt.figure(figsize=(cols * 0.4, rows * 0.4))
    ax = figure.add_axes([0, 0, 1, 1])
    ax.axis('off')
    ax.imshow(mosaic, vmin=0, vmax=1)
    return finish(figure, name, folder)


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


def finish(figure, name, folder=None):
    """Opens figure in a window where there is a display and no folder is
    given; else saves it as folder/name.png (folder defaults to
    FIGURES_DIR, or figures/) and prints the path. Returns the path, or
    None when shown."""
    if folder is None and \
            matplotlib.get_backend().lower() not in NON_INTERACTIVE:
        plt.show()
        plt.close(figure)
        return None
    folder = folder or os.environ.get('FIGURES_DIR', 'figures')
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + '.png')
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print('figure saved to', path)
    return path
