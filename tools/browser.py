#!/usr/bin/env python3
"""A real browser for the project's pages: Debian's Chromium, driven by
Playwright from PyPI with executable_path set to it (Playwright's own
browser download needs the internet). The browser tests, the explorer's
screenshot and the live view's strip (docs/) use it.

    python -m tools.browser screenshot PAGE.html OUT.png [WIDTH HEIGHT]
    python -m tools.browser strip REPLAY.html OUT.png

strip: the VAE's latent plane from a live replay (helpers.live) before
training, within the first epoch, after epochs 1 and 5, and at the end,
side by side, each under its snapshot's label.
"""
import os
import shutil
import sys

from helpers import files, variables

# Chromium as root, offline and headless: no sandbox (root), no GPU, and
# none of the background connections this machine's closed network
# would refuse many at a time
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
                 '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync']


def chromium():
    """Returns the Chromium to drive: CHROMIUM, else chromium on PATH,
    else /usr/bin/chromium; None where there is none."""
    for candidate in (variables.get('CHROMIUM'), shutil.which('chromium'),
                      '/usr/bin/chromium'):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def missing():
    """Returns why the browser tests cannot run here, or None."""
    if sys.version_info < (3, 7):
        return ('Playwright needs Python 3.7 or newer; this line has '
                '{}.{}'.format(*sys.version_info[:2]))
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'playwright is not installed (pip install playwright)'
    if chromium() is None:
        return ('no Chromium: install Debian\'s chromium package (apt-get '
                'install chromium) or set CHROMIUM to one')
    return None


def launch(playwright):
    """Returns a headless Chromium started by playwright (a sync_playwright
    instance)."""
    return playwright.chromium.launch(executable_path=chromium(),
                                      headless=True, args=CHROMIUM_ARGS)


def watched_page(browser, width=1280, height=1400):
    """Returns a new tab of browser that records, for the tests, every
    console error and page error (tab.errors) and every request it makes
    (tab.requests)."""
    tab = browser.new_page(viewport={'width': width, 'height': height})
    tab.errors, tab.requests = [], []
    tab.on('console', lambda message: message.type == 'error' and
           tab.errors.append(message.text))
    tab.on('pageerror', lambda error: tab.errors.append(str(error)))
    tab.on('request', lambda request: tab.requests.append(request.url))
    return tab


def screenshot(page_path, out, width=1280, height=1800):
    """Opens page_path from disk and writes a full-page screenshot to
    out, once the page says it is ready (the explorer) or has drawn a
    snapshot (a live replay); a page with no script (make check's class
    page) once it has loaded."""
    from playwright.sync_api import sync_playwright
    with open(page_path) as source:
        scripted = '<script' in source.read()
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={'width': width, 'height': height})
        page.goto('file://' + os.path.abspath(page_path))
        if scripted:
            page.wait_for_function(
                '(window.explorer && window.explorer.ready) || '
                '(window.live && window.live.painted > 0)')
        with files.whole(out) as temporary:
            page.screenshot(path=temporary, full_page=True)
        browser.close()
    print('screenshot written to', out)


STRIP = ('before training', 'epoch 1, ', 'epoch 1', 'epoch 5', None)


def strip(replay, out, labels=STRIP):
    """Writes to out the latent plane of replay (a VAE's live replay) at
    the first snapshot whose label starts with each of labels (None: the
    last; a label the replay lacks is passed over), side by side under
    their labels."""
    import io
    from PIL import Image, ImageDraw
    from playwright.sync_api import sync_playwright
    pictures = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={'width': 1280, 'height': 1400})
        page.goto('file://' + os.path.abspath(replay))
        page.wait_for_function('window.live && window.live.painted > 0')
        names = page.evaluate('Array.from({length: window.live.count()}, '
                              '(_, i) => window.live.label(i))')
        for wanted in labels:
            # 'epoch 1, ' stands for any share of the first epoch
            found = [i for i, name in enumerate(names)
                     if wanted is None or name == wanted or
                     (wanted.endswith(' ') and name.startswith(wanted))]
            if not found:
                continue
            index = found[-1] if wanted is None else found[0]
            page.evaluate('window.live.show({})'.format(index))
            shot = Image.open(io.BytesIO(page.locator('#plane').screenshot()))
            framed = Image.new('RGB', (shot.width, shot.height + 28), 'white')
            framed.paste(shot, (0, 28))
            ImageDraw.Draw(framed).text((8, 8), names[index], fill='black')
            pictures.append(framed)
        browser.close()
    width = sum(picture.width for picture in pictures) + 8 * len(pictures)
    joined = Image.new('RGB', (width, pictures[0].height), 'white')
    left = 0
    for picture in pictures:
        joined.paste(picture, (left, 0))
        left += picture.width + 8
    with files.whole(out) as temporary:
        joined.save(temporary)
    print('strip written to', out)


def main(arguments):
    """The command line: screenshot PAGE OUT [WIDTH HEIGHT], or strip
    REPLAY OUT."""
    if not ((len(arguments) in (3, 5) and arguments[0] == 'screenshot') or
            (len(arguments) == 3 and arguments[0] == 'strip')):
        print(__doc__)
        return 2
    reason = missing()
    if reason:
        print('cannot take a screenshot:', reason)
        return 1
    if arguments[0] == 'strip':
        strip(arguments[1], arguments[2])
        return 0
    size = [int(n) for n in arguments[3:]] or [1280, 1800]
    screenshot(arguments[1], arguments[2], *size)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
