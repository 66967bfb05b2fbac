#!/usr/bin/env python3
"""`make similar` (tools.check.judge.similarity, tools.check.runners.similar):
a class made of the learner-style files of tests/learners, and copies of
them disguised as learners disguise them (names, comments, docstrings
changed, two independent lines swapped): every copy is paired with its
source, the files written from one file are one group, and no other
pair is named; our own files as a learner's pair with nobody; a copy of a
prior cohort's file is paired with that source alone, and two prior
sources never with each other; three copies are one group; a pair that
also fails for one rare cause says so; the CSV's columns; the page in
Chromium. No TensorFlow runs: the files are read as text."""
import csv
import io
import os
import shutil
import subprocess
import sys
import tokenize

import pytest

from conftest import BROWSER_MISSING, ROOT, TF_VERSION
from tools.check import FILES
from tools.check.judge import similarity

LEARNERS = os.path.join(ROOT, 'tests', 'learners')
# the command and the pages are the same code on every line: run where
# the exercise is graded (the reading of the files runs on every line)
same_code = pytest.mark.skipif(
    TF_VERSION != (2, 15), reason='make similar and its pages are the same '
    'code on every line: tested on TF 2.15')
# the task file of each learner-style file, by the start of its name
PREFIXES = {'vanilla_': FILES[0], 'sparse_': FILES[1],
            'conv_': FILES[2], 'vae_': FILES[3]}


# the learner-style VAE files written from one file, a line or two
# changed in each: the same code
FAMILY = ['vae_decoder_on_all_outputs', 'vae_epsilon_scaled',
          'vae_exp_without_half', 'vae_kl_averaged', 'vae_tuple_outputs']


def class_of(root):
    """Writes a class under root: a folder per learner-style file of
    tests/learners (the tricks aside: they are ours with an addition),
    named after it; returns the folder."""
    folder = os.path.join(root, 'class')
    for name in sorted(os.listdir(LEARNERS)):
        if not name.endswith('.py') or name.startswith('trick'):
            continue
        file = next(task for prefix, task in PREFIXES.items()
                    if name.startswith(prefix))
        os.makedirs(os.path.join(folder, name[:-3]))
        shutil.copy(os.path.join(LEARNERS, name),
                    os.path.join(folder, name[:-3], file))
    return folder


def disguised(name):
    """Returns the text of tests/learners/<name>.py disguised: its names
    changed, its comments and docstrings rewritten, two independent lines
    swapped and a blank line added."""
    with open(os.path.join(LEARNERS, name + '.py')) as source:
        text = source.read()
    for old, new in (('z_mean', 'mu'), ('z_log_sigma', 'log_variance'),
                     ('X_input', 'images'), ('hidden', 'h'),
                     ('nodes', 'width'), ('"""Samples z"""',
                                          '"""Draws z from q(z|x)."""'),
                     ('"""The VAE loss"""', '"""Reconstruction plus KL."""'),
                     ('"""Creates a variational autoencoder"""',
                      '"""Builds my VAE."""')):
        assert old in text, old
        text = text.replace(old, new)
    first = '    mu = keras.layers.Dense(latent_dims, activation=None)(h)\n'
    second = ('    log_variance = keras.layers.Dense(latent_dims, '
              'activation=None)(h)\n')
    assert first + second in text
    return text.replace(first + second,
                        second + '    # the mean last\n\n' + first)


def put(folder, learner, file, text):
    """Writes text as learner's file in folder."""
    os.makedirs(os.path.join(folder, learner), exist_ok=True)
    with open(os.path.join(folder, learner, file), 'w') as target:
        target.write(text)


def named(found):
    """Returns {(file, learner, other)} of the pairs named in found."""
    return {(file, pair.a.name, pair.b.name) for file in found
            for pair in found[file][0]}


def test_statements_are_read_without_names_comments_or_docstrings():
    """Names the file binds are V, attributes and keywords kept; comments,
    docstrings and line breaks gone; 'relu' and "relu" alike."""
    read = similarity.statements(
        '"""A module."""\nimport tensorflow.keras as K\n\n\ndef f(units):\n'
        '    """Doc."""\n    x = K.layers.Dense(units,  # why\n'
        '                       activation="relu")(x)\n    return x\n')
    assert [(each.key, each.first, each.last) for each in read] == [
        ('import tensorflow . keras as V', 2, 2), ('def V ( V ) :', 5, 5),
        ("V = V . layers . Dense ( V , activation = 'relu' ) ( V )", 7, 8),
        ('return V', 9, 9)]


def test_a_disguised_copy_is_paired_with_its_source_and_nobody_else(tmpdir):
    """The class and a disguised copy of the TF 1 loss idiom: that pair is
    named, each file holding the whole of the other's code beyond the
    skeleton; the family of files written from one (FAMILY) one group,
    and no other pair; our own files as a learner's pair with nobody,
    though they share the skeleton with all."""
    folder = class_of(str(tmpdir))
    put(folder, 'copycat', FILES[3], disguised('vae_tf1_loss'))
    for file in FILES:
        put(folder, 'ours', file, open(os.path.join(ROOT, file)).read())
    found = similarity.similar(similarity.read_sources(folder))
    pairs = named(found)
    assert (FILES[3], 'copycat', 'vae_tf1_loss') in pairs, pairs
    [pair] = [pair for pair in found[FILES[3]][0]
              if pair.a.name == 'copycat']
    assert pair.share_a > 0.95 and pair.share_b > 0.95
    assert not [each for each in pairs if 'ours' in each]
    # the other pairs are within the family of five VAE files that are one
    # file with a line or two changed, named as one group; the two
    # convolutional files that differ by filters.reverse() alone are our
    # skeleton but for a few tokens: no pair
    assert {learner for _, a, b in pairs - {(
        FILES[3], 'copycat', 'vae_tf1_loss')} for learner in (a, b)} == \
        set(FAMILY), pairs
    assert found[FILES[3]][1] == [FAMILY]
    assert found[FILES[2]][0] == []


def padded(text, count):
    """Returns text with count statements that nothing reads, as a learner
    who heard of similarity checkers pads a copy: one before each of its
    first logical lines that can take one, at that line's indentation."""
    starts, fresh = [], True
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token[0] == tokenize.NEWLINE:
            fresh = True
        elif fresh and token[0] not in (tokenize.NL, tokenize.COMMENT,
                                        tokenize.INDENT, tokenize.DEDENT):
            fresh = False
            if token[0] == tokenize.NAME and token[2][1] and token[1] not in (
                    'else', 'elif', 'except', 'finally'):
                starts.append(token[2])
    lines = text.splitlines(True)
    for n, (row, column) in reversed(list(enumerate(starts[:count]))):
        lines.insert(row - 1, '{}_unused{} = [{}, 9] * 4\n'.format(
            ' ' * column, n, n))
    return ''.join(lines)


def renamed_by_hand(name):
    """Returns tests/learners/<name>.py as a copy renamed by find-and-
    replace, slips and all: each name replaced wherever its letters
    stand (mean inside keras.backend.mean, sum inside keras.backend.sum,
    reconstruct inside two names), and the old name left in a call and in
    the encoder's inputs."""
    with open(os.path.join(LEARNERS, name + '.py')) as source:
        text = source.read()
    for old, new in (('z_log_var', 'logvar'), ('mean', 'mu'),
                     ('inputs', 'images'), ('nodes', 'units'),
                     ('epsilon', 'noise'), ('reconstruct', 'rebuilt'),
                     ('sum', 'total'), ('batch', 'size')):
        assert old in text, old
        text = text.replace(old, new)
    for old, new in (('exp(0.5 * logvar)', 'exp(0.5 * z_log_var)'),
                     ('Model(images, [z', 'Model(inputs, [z')):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def test_a_padded_copy_is_named_and_its_padding_said(tmpdir):
    """A copy of a learner's VAE padded with 25 statements nothing reads
    holds a small share of its own code in the original's, the original
    the whole of its own in the copy: named as held whole, which file
    holds which said, the padding counted beside the class's usual; the
    rest of the class as before (the family alone)."""
    import ast
    folder = class_of(str(tmpdir))
    with open(os.path.join(LEARNERS, 'vae_tf1_loss.py')) as source:
        text = padded(source.read(), 25)
    ast.parse(text)
    assert text.count('_unused') == 25
    put(folder, 'padder', FILES[3], text)
    found = similarity.similar(similarity.read_sources(folder))
    [pair] = [pair for pair in found[FILES[3]][0]
              if 'padder' in (pair.a.name, pair.b.name)]
    assert pair.kind == 'contained'
    shares = {pair.a.name: pair.share_a, pair.b.name: pair.share_b}
    assert shares['vae_tf1_loss'] > 0.95 and shares['padder'] < 0.5
    assert pair.how() == ('padder\'s file holds vae_tf1_loss\'s whole '
                          'beyond the skeleton')
    assert pair.padding == ('padder\'s file adds 25 statements nothing '
                            'reads (the class\'s usual: 0)')
    assert {learner for _, a, b in named(found) - {(
        FILES[3], pair.a.name, pair.b.name)} for learner in (a, b)} == \
        set(FAMILY)


def test_statements_nothing_reads_are_counted():
    """An assignment to a name never read, and an expression statement
    that calls nothing, are dead; a docstring, a call, a name read later,
    augmented assignment to a read name and __all__ are not."""
    assert similarity.dead(
        '"""Doc."""\n__all__ = ["f"]\nx = 1\ny = 2\nprint(y)\n'
        'def f(a):\n    """Doc."""\n    b = a * 2\n    a + 1\n    [3, 4]\n'
        '    c = 0\n    c += 1\n    return c\n') == 4
    assert similarity.dead('def broken(:\n') == 0


def test_a_copy_renamed_by_hand_is_named_with_its_slips(tmpdir):
    """A VAE renamed by find-and-replace, a name replaced inside two
    attributes, two old names left in calls: as first read it holds less
    than SHARE of the original, read loosely (the names and strings the
    skeleton does not use set aside) each holds SHARE of the other:
    named as renamed; the rest of the class as before."""
    folder = class_of(str(tmpdir))
    put(folder, 'renamer', FILES[3], renamed_by_hand('vae_add_loss'))
    found = similarity.similar(similarity.read_sources(folder))
    [pair] = [pair for pair in found[FILES[3]][0]
              if 'renamer' in (pair.a.name, pair.b.name)]
    assert {pair.a.name, pair.b.name} == {'renamer', 'vae_add_loss'}
    assert pair.kind == 'renamed' and \
        min(pair.share_a, pair.share_b) < similarity.SHARE
    assert 'names replaced by hand' in pair.how()
    assert {learner for _, a, b in named(found) - {(
        FILES[3], pair.a.name, pair.b.name)} for learner in (a, b)} == \
        set(FAMILY)


def test_learners_who_share_files_come_first_groups_once(tmpdir):
    """Two learners who hand in the same three files of their four (the
    fourth of each their own) are the first pair of learners: 3 of 4
    files, which, the lines in common, said whatever group they are in;
    three learners who share a file are one group, said once, their
    pairs of one file not again."""
    folder = str(tmpdir.join('class'))
    for name, task in (('trick_vanilla_takes_the_machine', 0),
                       ('trick_sparse_writes_the_channel', 1),
                       ('vae_tf1_loss', 3)):
        with open(os.path.join(LEARNERS, name + '.py')) as source:
            text = source.read()
        for learner in ('ann', 'bo'):
            put(folder, learner, FILES[task], text)
    put(folder, 'ann', FILES[2], open(os.path.join(ROOT, FILES[2])).read())
    put(folder, 'bo', FILES[2], open(os.path.join(
        LEARNERS, 'conv_one_channel.py')).read())
    put(folder, 'cy', FILES[3], disguised('vae_tf1_loss'))
    put(folder, 'dee', FILES[3], open(os.path.join(
        LEARNERS, 'vae_add_loss.py')).read())
    # two who share one file alone, named before ann and bo would be
    for learner in ('aa', 'ab'):
        put(folder, learner, FILES[0], open(os.path.join(
            LEARNERS, 'trick_conv_forges_an_answer.py')).read())
    sources = similarity.read_sources(folder)
    found = similarity.similar(sources)
    ranked = similarity.learners(found, sources)
    first = ranked[0]
    assert (first.a, first.b, len(first.pairs), first.handed) == (
        'ann', 'bo', 3, (4, 4))
    assert sorted(first.pairs) == [FILES[0], FILES[1], FILES[3]]
    assert min(first.lines()) > 20
    assert sorted((each.a, each.b, len(each.pairs))
                  for each in ranked[1:]) == [
        ('aa', 'ab', 1), ('ann', 'cy', 1), ('bo', 'cy', 1)]
    # most files first, then most lines in common
    assert [(-len(each.pairs), -sum(each.lines())) for each in ranked] == \
        sorted((-len(each.pairs), -sum(each.lines())) for each in ranked)
    lines = similarity.learners_text(ranked)
    assert lines[1].startswith('  ann and bo: 3 of 4 file(s) (0-vanilla.py, '
                               '1-sparse.py, 3-variational.py), ')
    assert lines[2] == '  one group of 3: ann, bo, cy'
    assert lines[3].startswith('  aa and ab: 1 of 1 file(s) (0-vanilla.py)')
    assert len(lines) == 4
    rows = similarity.learner_rows(ranked)
    assert rows[0] == similarity.LEARNERS_HEADER
    assert rows[1][:5] == ('ann', 'bo', 3, 4, ' '.join(
        [FILES[0], FILES[1], FILES[3]]))


def test_a_prior_source_is_matched_against_never_paired_with_another(tmpdir):
    """A learner whose file is a disguised copy of a prior cohort's: named
    against that source (prior:), the learner first; the two prior
    sources that hold the same file are never a pair; a prior folder that
    holds task files itself is one source named by its folder."""
    folder = str(tmpdir.join('class'))
    put(folder, 'dan', FILES[3], disguised('vae_tf1_loss'))
    put(folder, 'eli', FILES[3], open(os.path.join(
        LEARNERS, 'vae_add_loss.py')).read())
    prior = str(tmpdir.join('2023'))
    for name in ('kim', 'lee'):
        put(prior, name, FILES[3], open(os.path.join(
            LEARNERS, 'vae_tf1_loss.py')).read())
    single = str(tmpdir.join('public'))
    put(single, '', FILES[3], open(os.path.join(
        LEARNERS, 'vae_tf1_loss.py')).read())
    from tools.check.runners import similar
    found = similarity.similar(similar.sources_of(folder, [prior, single]))
    assert named(found) == {(FILES[3], 'dan', 'prior:kim'),
                            (FILES[3], 'dan', 'prior:lee'),
                            (FILES[3], 'dan', 'prior:public')}
    assert found[FILES[3]][2] == 2 * 3 + 1


def test_three_copies_are_one_group_and_a_rare_cause_corroborates(tmpdir):
    """Three learners holding one file are one group of three; two of
    them also failing one check for a cause few others have: their pair
    says so; a cause most of the class has says nothing."""
    folder = class_of(str(tmpdir))
    for learner in ('ann', 'bo'):
        put(folder, learner, FILES[3], disguised('vae_tf1_loss'))
    found = similarity.similar(similarity.read_sources(folder))
    assert found[FILES[3]][1] == [['ann', 'bo', 'vae_tf1_loss'], FAMILY]
    learners = sorted(os.listdir(folder))
    results = {name: {'tasks': [{'file': FILES[3], 'findings': [
        {'check': 'loss', 'status': 'fail', 'said': 's',
         'cause': 'the KL read with mean and log_var swapped'}]}]}
        for name in ('ann', 'bo')}
    for name in learners:
        results.setdefault(name, {'tasks': [{'file': FILES[3], 'findings': [
            {'check': 'metrics', 'status': 'fail', 'said': 's',
             'cause': 'a metric'}]}]})
    for name in ('ann', 'bo'):
        results[name]['tasks'][0]['findings'].append(
            {'check': 'metrics', 'status': 'fail', 'said': 's',
             'cause': 'a metric'})
    similarity.corroboration(found, results)
    notes = {(pair.a.name, pair.b.name): pair.corroboration
             for pair in found[FILES[3]][0]}
    assert notes[('ann', 'bo')].startswith(
        'both fail loss for the same cause, which 2 of the {} learners '
        'checked have'.format(len(results))), notes
    assert notes[('ann', 'vae_tf1_loss')] == ''


@same_code
def test_the_command_writes_the_csv_and_a_page_chromium_shows(tmpdir):
    """python -m tools.check --similar: exit 0, the terminal names the
    pair and where to look; similar.csv has the documented columns and a
    row per pair, the lines as learner's:other's; similar.html shows the
    pair side by side, its statements marked, with no console error and
    no request but itself (in Chromium, where there is one: not on
    Python 3.6, which has no Playwright)."""
    folder = class_of(str(tmpdir))
    put(folder, '=copycat', FILES[3], disguised('vae_tf1_loss'))
    out = str(tmpdir.join('out'))
    process = subprocess.run(
        [sys.executable, '-m', 'tools.check', '--similar=' + folder,
         '--out=' + out], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, universal_newlines=True, timeout=300)
    assert process.returncode == 0, process.stderr
    assert '3-variational.py: =copycat and vae_tf1_loss: 100% and 100%' in \
        process.stdout, process.stdout
    # the pairs of learners first
    assert process.stdout.index('=copycat and vae_tf1_loss: 1 of 1 ') < \
        process.stdout.index('similar: '), process.stdout
    assert 'similar.html' in process.stdout
    with open(os.path.join(out, 'similar.csv'), newline='') as source:
        table = list(csv.reader(source))
    assert table[0] == ['file', 'learner', 'other', 'share_learner',
                        'share_other', 'how', 'lines']
    row = next(row for row in table if row[2] == 'vae_tf1_loss')
    # a learner's name that would start a formula is text
    assert row[:6] == [FILES[3], "'=copycat", 'vae_tf1_loss', '1', '1',
                       'same']
    assert all(':' in span for span in row[6].split()), row
    with open(os.path.join(out, 'similar-learners.csv'),
              newline='') as source:
        table = list(csv.reader(source))
    assert table[0] == list(similarity.LEARNERS_HEADER)
    assert ["'=copycat", 'vae_tf1_loss', '1', '1', FILES[3]] in [
        row[:5] for row in table]
    if BROWSER_MISSING is None:
        page_check(os.path.join(out, 'similar.html'))


def page_check(path):
    """The page in Chromium: the pair opens side by side, marked."""
    from playwright.sync_api import sync_playwright
    from tools import browser
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        tab = browser.watched_page(chromium, 1280, 1000)
        tab.goto('file://' + path)
        # who is linked with whom, and the pairs of files
        assert tab.locator('svg').count() == 2
        tab.click('text==copycat and vae_tf1_loss: 100%')
        assert tab.locator('details[open] .sides pre').count() == 2
        assert tab.locator('details[open] .sides mark').count() >= 2 * 10
        assert tab.errors == []
        assert tab.requests == ['file://' + path]
        chromium.close()


@pytest.mark.parametrize('text', ['def broken(:\n    pass\n',
                                  '\tx = 1\n  y = 2\n', 'x = """\n'])
def test_a_file_that_does_not_parse_is_still_read(text):
    """A learner's file that neither parses nor tokenises is read a line at
    a time; nothing raises."""
    assert similarity.statements(text)


def documents(names):
    """Returns {learner: a class JSON document} for names: each with our
    vanilla file's checks, all ok but for the first names' layers (a
    fail) and one learner's builds (another fail), scored."""
    from tools.check import TASKS
    from tools.check.judge import score
    found = {}
    for i, name in enumerate(names):
        findings = []
        for check in score.checks(TASKS[0], quick=True):
            status = 'fail' if (check == 'layers' and i < 3) or (
                check == 'builds' and i == 3) else 'ok'
            findings.append({'check': check, 'status': status,
                             'said': 'found <b>{}</b>'.format(check),
                             'why': 'w', 'cause': 'a cause of ' + check
                             if status == 'fail' else ''})
        document = {'folder': name, 'line': '2.15.1', 'isolated': True,
                    'isolation': 'isolated: ...', 'status': 'fail',
                    'quick': True, 'tasks': [
                        {'task': 0, 'file': FILES[0], 'findings': findings}]}
        document['score'] = score.score(document)
        found[name] = document
    return found


@same_code
def test_the_class_page_draws_the_class_in_pictures(tmpdir):
    """The class page (tools.check.runners.classroom.page) of a class with
    a disguised copy: four pictures drawn into it, inline SVG (the
    scores' spread, the mistakes by cause as bars, the commonest first,
    who is linked with whom, the similar pairs), and the pair's section;
    in Chromium (where there is one) no console error and no request but
    the page itself, and a screenshot kept beside it for a person to look
    at."""
    from tools.check.runners import classroom
    folder = class_of(str(tmpdir))
    put(folder, 'copycat', FILES[3], disguised('vae_tf1_loss'))
    sources = similarity.read_sources(folder)
    found = similarity.similar(sources)
    results = documents(sorted(os.listdir(folder)))
    text = classroom.page('class', results, found,
                          similarity.learners(found, sources))
    assert text.count('<svg') == 4 and '<script' not in text
    assert 'Learners who share files' in text
    # the bars: the layers fail (three learners) before the builds (one)
    assert text.index('a cause of layers') < text.index('a cause of builds')
    assert 'copycat ~ vae_tf1_loss' in text
    assert "The same code beyond the spec's skeleton" in text
    path = str(tmpdir.join('class.html'))
    with open(path, 'w') as target:
        target.write(text)
    if BROWSER_MISSING is not None:
        return
    from playwright.sync_api import sync_playwright
    from tools import browser
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        tab = browser.watched_page(chromium, 1280, 1000)
        tab.goto('file://' + path)
        assert tab.locator('figure svg').count() == 4
        for figure in range(4):
            box = tab.locator('figure svg').nth(figure).bounding_box()
            assert box['width'] > 500 and box['height'] > 40, box
        tab.screenshot(path=str(tmpdir.join('class.png')), full_page=True)
        assert tab.errors == []
        assert tab.requests == ['file://' + path]
        chromium.close()
