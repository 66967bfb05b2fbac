#!/usr/bin/env python3
"""helpers.figures: without a display the mains' grids are written as
PNG files named after the main, into FIGURES_DIR."""
import os
import subprocess
import sys

import numpy as np

from conftest import ROOT
from helpers import figures


def png_size(path):
    """Returns (width, height) read from a PNG file's header."""
    with open(path, 'rb') as png:
        header = png.read(24)
    assert header[:8] == b'\x89PNG\r\n\x1a\n'
    return (int.from_bytes(header[16:20], 'big'),
            int.from_bytes(header[20:24], 'big'))


def test_no_display_means_drawing_off_screen():
    """Where Linux has no display, figures is set to draw off screen."""
    env = dict(os.environ)
    for name in ('DISPLAY', 'WAYLAND_DISPLAY', 'MPLBACKEND'):
        env.pop(name, None)
    backend = subprocess.check_output(
        [sys.executable, '-c', 'from helpers import figures; '
         'print(figures.matplotlib.get_backend())'],
        cwd=ROOT, env=env, universal_newlines=True, timeout=300)
    assert backend.strip().lower() in figures.NON_INTERACTIVE


def test_reconstructions_are_saved_as_png(tmpdir, monkeypatch, capsys):
    """A 2 x 10 grid saved as FIGURES_DIR/<name>.png, its path printed."""
    monkeypatch.setenv('FIGURES_DIR', str(tmpdir.join('out')))
    images = np.random.RandomState(0).rand(10, 784)
    path = figures.originals_and_reconstructions(images, images, '0-main')
    assert path == os.path.join(str(tmpdir), 'out', '0-main.png')
    assert 'figure saved to ' + path in capsys.readouterr().out
    width, height = png_size(path)
    assert width > 3 * height


def test_grid_is_saved_as_png(tmpdir, monkeypatch):
    """A 25 x 25 grid of 28 x 28 images, square."""
    monkeypatch.setenv('FIGURES_DIR', str(tmpdir))
    images = np.random.RandomState(0).rand(625, 28, 28)
    path = figures.grid(images, 25, 25, '3-main-manifold')
    width, height = png_size(path)
    assert path.endswith('3-main-manifold.png') and width == height
