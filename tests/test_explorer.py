#!/usr/bin/env python3
"""`make explore` in a real browser: the page is generated from briefly
trained models, exactly as `make explore EPOCHS=1` does (on a subset of
the digits), then opened from disk in headless Chromium (Debian's,
driven by Playwright). It loads without a console error or a network
request, its JavaScript layers give Keras's codes and reconstructions,
and it answers the mouse. The page is built on every line; where
Playwright cannot run (Python 3.6, on TF 1.12) the browser tests skip
and `make test` says so; in CI they must run wherever it can."""
import base64
import os

import numpy as np
import pytest

from conftest import needs_browser
from helpers import configurations
from tools import browser, models, runs, training


TOLERANCE = 1e-4


@pytest.fixture(scope='module')
def generated(tmpdir_factory):
    """Runs `python -m explorer.build` with EPOCHS=1 on 2048 digits into
    a fresh folder; returns (page path, models folder, its output)."""
    folder = str(tmpdir_factory.mktemp('explore'))
    store = os.path.join(folder, 'models')
    code, output = runs.run(['-m', 'explorer.build'], EPOCHS='1',
                            SUBSET='2048', MODELS_DIR=store,
                            EXPLORER_DIR=os.path.join(folder, 'explorer'))
    assert code == 0, output[-3000:]
    page = os.path.join(folder, 'explorer', 'index.html')
    assert 'explorer written to {}'.format(page) in output
    return page, store, output


@pytest.fixture(scope='module')
def page(generated):
    """The page open in headless Chromium, with every console error,
    page error and request it made recorded."""
    from playwright.sync_api import sync_playwright
    path = generated[0]
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        tab = browser.watched_page(chromium, 1280, 1600)
        tab.goto('file://' + path)
        tab.wait_for_function('window.explorer && window.explorer.ready')
        yield tab
        chromium.close()


def test_training_showed_progress_and_saved_every_model(generated):
    """The missing models were trained with the report's progress line
    and saved, and the page is one file of a few MB."""
    path, store, output = generated
    for name in configurations.NAMES:
        assert '{} epoch 1/1: loss '.format(name) in output
        assert models.saved(name, store)['epochs'] == 1
    assert 1e6 < os.path.getsize(path) < 10e6


@needs_browser
def test_page_is_self_contained_and_loads_cleanly(page, generated):
    """No console error; the one request is the page itself; nothing in
    it names another file or host to load."""
    assert page.errors == []
    assert page.requests == ['file://' + generated[0]]
    with open(generated[0]) as source:
        text = source.read()
    for reference in ('src=', 'href=', 'http://', 'https://', 'import(',
                      'fetch(', 'XMLHttpRequest', '@import', 'url('):
        assert reference not in text
    assert page.evaluate('window.explorer.names') == configurations.NAMES


def inputs():
    """Returns (label, 784 pixels) pairs: real test digits the page does
    not store, a blank image and seeded noise."""
    _, x_test, _ = training.load_digits()
    noise = np.random.RandomState(0).rand(784).astype('float32')
    return ([('test digit {}'.format(i), x_test[i]) for i in (100, 2024)] +
            [('blank', np.zeros(784, 'float32')), ('noise', noise)])


@needs_browser
@pytest.mark.parametrize('name', configurations.NAMES)
def test_encode_and_decode_equal_keras(page, generated, name):
    """window.explorer.encode and decode give what the saved model's
    encoder.predict and decoder.predict give, within 1e-4, for digits,
    a blank image, noise and codes no page could have stored."""
    import tensorflow as tf
    tf.keras.backend.clear_session()
    encoder, decoder, _, _ = models.load(name, generated[1])
    spec = configurations.configuration(name)
    for label, pixels in inputs():
        keras_code = encoder.predict(spec.shape(pixels[None]), verbose=0)
        if name == 'variational':
            keras_code = keras_code[1]
        keras_code = keras_code.reshape(-1)
        page_code = np.array(page.evaluate(
            '([name, pixels]) => window.explorer.encode(name, pixels)',
            [name, pixels.tolist()]))
        np.testing.assert_allclose(page_code, keras_code, atol=TOLERANCE,
                                   rtol=TOLERANCE, err_msg=label)
        codes = [keras_code, np.random.RandomState(1).rand(
            keras_code.size).astype('float32') * 2]
        for code in codes:
            keras_pixels = decoder.predict(
                code.reshape((1,) + tuple(decoder.input_shape[1:])),
                verbose=0).reshape(-1)
            page_pixels = np.array(page.evaluate(
                '([name, code]) => window.explorer.decode(name, code)',
                [name, code.tolist()]))
            assert page_pixels.shape == (784,)
            np.testing.assert_allclose(page_pixels, keras_pixels,
                                       atol=TOLERANCE, err_msg=label)


def canvas(page, selector):
    """Returns the PNG bytes of the canvas at selector."""
    url = page.evaluate('s => document.querySelector(s).toDataURL()',
                        selector)
    return base64.b64decode(url.split(',', 1)[1])


@needs_browser
def test_hovering_the_latent_plane_decodes_the_point(page):
    """Moving over the plane decodes another point into another digit."""
    box = page.locator('#plane').bounding_box()
    page.mouse.move(box['x'] + box['width'] * 0.3,
                    box['y'] + box['height'] * 0.3)
    first, where = canvas(page, '#decoded'), page.inner_text('#probe')
    page.mouse.move(box['x'] + box['width'] * 0.7,
                    box['y'] + box['height'] * 0.8)
    assert canvas(page, '#decoded') != first
    assert page.inner_text('#probe') != where


@needs_browser
def test_drawing_on_the_pad_changes_every_reconstruction(page, tmpdir):
    """Strokes on the cleared pad change each model's reconstruction and
    code, and the page's screenshot is written."""
    page.click('#clear')
    cards = ['#card-{} .reconstruction'.format(name)
             for name in configurations.NAMES]
    before = [canvas(page, card) for card in cards]
    box = page.locator('#pad').bounding_box()
    page.mouse.move(box['x'] + box['width'] * 0.5, box['y'] + box['height']
                    * 0.2)
    page.mouse.down()
    for step in range(1, 13):
        page.mouse.move(box['x'] + box['width'] * (0.5 - 0.01 * step),
                        box['y'] + box['height'] * (0.2 + 0.05 * step))
    page.mouse.up()
    page.wait_for_timeout(100)
    after = [canvas(page, card) for card in cards]
    assert all(a != b for a, b in zip(before, after))
    assert page.inner_text('#source') == 'your drawing'
    path = str(tmpdir.join('explorer.png'))
    page.screenshot(path=path, full_page=True)
    with open(path, 'rb') as png:
        assert png.read(8) == b'\x89PNG\r\n\x1a\n'
