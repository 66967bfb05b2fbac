#!/usr/bin/env python3
"""helpers.settings: oneDNN is asked for before TensorFlow starts, on any
CPU, unless TF_ENABLE_ONEDNN_OPTS says otherwise, and TensorFlow takes
what it was told; the settings line names what is in effect."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT, TF_VERSION
from helpers import settings

# A fresh Python that imports the helpers as a main does, then says what
# TF_ENABLE_ONEDNN_OPTS is and whether TensorFlow runs on oneDNN
PROBE = '''
import os
import helpers
from tensorflow.python.util import _pywrap_util_port as port
print(os.environ['TF_ENABLE_ONEDNN_OPTS'], port.IsMklEnabled())
'''


def probe(value):
    """Runs PROBE with TF_ENABLE_ONEDNN_OPTS unset (value None) or set to
    value; returns what it printed."""
    env = dict(os.environ)
    env.pop('TF_ENABLE_ONEDNN_OPTS', None)
    if value is not None:
        env['TF_ENABLE_ONEDNN_OPTS'] = value
    return subprocess.check_output([sys.executable, '-c', PROBE], cwd=ROOT,
                                   env=env, universal_newlines=True,
                                   timeout=300).split()


@pytest.mark.skipif(TF_VERSION < (2, 0), reason="TF 1.x's pip builds have "
                    "no oneDNN and ignore TF_ENABLE_ONEDNN_OPTS")
def test_onednn_is_on_on_any_cpu_unless_turned_off():
    """Unset: the helpers set 1 and TensorFlow runs on oneDNN, whatever
    this CPU's default; 0 is kept and TensorFlow leaves oneDNN off."""
    assert probe(None) == ['1', 'True']
    assert probe('0') == ['0', 'False']
    assert probe('1') == ['1', 'True']


def test_choose_sets_only_what_is_unset(monkeypatch):
    """choose() sets TF_ENABLE_ONEDNN_OPTS where it is unset or empty,
    remembering that it did, and leaves a value that was given."""
    monkeypatch.setattr(settings, 'CHOSEN', {})
    monkeypatch.setenv('TF_ENABLE_ONEDNN_OPTS', '0')
    settings.choose()
    assert os.environ['TF_ENABLE_ONEDNN_OPTS'] == '0' and not settings.CHOSEN
    assert not settings.onednn()
    monkeypatch.setenv('TF_ENABLE_ONEDNN_OPTS', '')
    settings.choose()
    assert os.environ['TF_ENABLE_ONEDNN_OPTS'] == '1'
    assert settings.CHOSEN == {'TF_ENABLE_ONEDNN_OPTS': '1'}
    assert settings.onednn()


def test_describe_names_what_is_in_effect(monkeypatch):
    """oneDNN on TF 2 and Keras 3 alone, XLA on Keras 3 alone; THREADS or
    TensorFlow's own."""
    monkeypatch.setenv('TF_ENABLE_ONEDNN_OPTS', '0')
    monkeypatch.setenv('THREADS', '1')
    assert settings.describe((2, 15)) == 'oneDNN off, threads 1'
    assert settings.describe((1, 15)) == 'threads 1'
    monkeypatch.setenv('TF_ENABLE_ONEDNN_OPTS', '1')
    monkeypatch.delenv('THREADS')
    monkeypatch.delenv('XLA', raising=False)
    assert settings.describe((2, 21)) == \
        "oneDNN on, XLA for the dense models, threads TensorFlow's default"
    assert settings.describe((2, 15)) == \
        "oneDNN on, threads TensorFlow's default"
    monkeypatch.setenv('XLA', '0')
    assert settings.describe((2, 21)) == \
        "oneDNN on, XLA off, threads TensorFlow's default"
