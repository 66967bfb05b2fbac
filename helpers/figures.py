#!/usr/bin/env python3
"""The mains' figures: digits above their reconstructions, and a grid of
decoded images. A figure opens in a window where there is a display;
where there is none, or a folder is given, it is written as a PNG file
(into FIGURES_DIR, figures/ by default), whole or not at all
(helpers.files), and its path printed. The
report's charts (tools.charts) end the same way, through finish()."""
import os
import sys

import matplotlib

from helpers import variables

# Without a display matplotlib cannot open a window: draw off screen
if sys.platform.startswith('linux') and not (
        variables.get('DISPLAY') or variables.get('WAYLAND_DISPLAY')):
    matplotlib.use('Agg')

import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

from helpers import files  # noqa: E402

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
    folder = folder or variables.get('FIGURES_DIR')
    path = os.path.join(folder, name + '.png')
    try:
        with files.whole(path) as temporary:
            figure.savefig(temporary, dpi=100)
    finally:
        plt.close(figure)
    print('figure saved to', path)
    return path
