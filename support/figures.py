#!/usr/bin/env python3
"""The mains' figures: grids of images that open in a window where there
is a display and are written as PNG files where there is none (into
FIGURES_DIR, figures/ by default), with their paths printed."""
import os
import sys

import matplotlib

# Without a display matplotlib cannot open a window: draw off screen
if sys.platform.startswith('linux') and not (
        os.environ.get('DISPLAY') or os.environ.get('WAYLAND_DISPLAY')):
    matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

NON_INTERACTIVE = ('agg', 'cairo', 'pdf', 'pgf', 'ps', 'svg', 'template')


def originals_and_reconstructions(originals, reconstructed, name):
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
    return finish(figure, name)


def grid(images, rows, cols, name):
    """Shows images in a rows x cols grid, each reshaped to 28 x 28 (the
    VAE's decoded latent plane); returns the PNG's path when it is saved,
    else None."""
    figure = plt.figure(figsize=(cols * 0.4, rows * 0.4))
    for i in range(rows * cols):
        ax = figure.add_subplot(rows, cols, i + 1)
        ax.axis('off')
        ax.imshow(images[i].reshape((28, 28)))
    return finish(figure, name)


def finish(figure, name):
    """Opens figure in a window, or where there is no display saves it as
    FIGURES_DIR/name.png and prints the path; returns that path or None."""
    if matplotlib.get_backend().lower() not in NON_INTERACTIVE:
        plt.show()
        plt.close(figure)
        return None
    folder = os.environ.get('FIGURES_DIR', 'figures')
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name + '.png')
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print('figure saved to', path)
    return path
