#!/usr/bin/env python3
"""`make similar SOLUTIONS=<folder> [PRIOR=<folder> ...] [OUT=<folder>]`:
which learners handed in the same code beyond the spec's skeleton
(tools.check.judge.similarity): first the pairs of learners, ranked by
how many of their four files they share (OUT/similar-learners.csv, and a
picture of who is linked with whom), then the pairs of files
(OUT/similar.csv), and a page, OUT/similar.html, that shows each pair's
files side by side with the statements they share marked; the terminal
says the same and where to look. Where OUT holds the class's JSONs
(after `make check SOLUTIONS=`), a pair that also fails a check for the
same rare cause says so. The class page holds the same section
(section()). Nothing here runs a learner's code."""
import html
import os
import sys

from helpers import files
from tools import check
from tools.check import FILES
from tools.check.judge import report, similarity
from tools.check.runners import pictures

# the colours of the statements a pair shares, in turn
MARKS = 6
# the pairs shown side by side, the most alike first (a page of a class
# of copies stays a few MB): the rest are rows of similar.csv
SHOWN = 100
STYLE = """
.pair { margin: 6px 0; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.sides pre { margin: 0; padding: 6px; border: 1px solid #ccc;
  font: 12px/1.35 ui-monospace, monospace; overflow-x: auto; }
.sides h5 { margin: 4px 0; }
.line { display: block; white-space: pre; }
.line .at { color: #888; display: inline-block; width: 3em; }
mark.m0 { background: #ffe08a; } mark.m1 { background: #b9e6b0; }
mark.m2 { background: #bcd9f5; } mark.m3 { background: #f5c6de; }
mark.m4 { background: #d9ccf2; } mark.m5 { background: #f7d2b4; }
.corroborated { color: #8a3b00; } .skeleton { color: #999; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc;
  padding: 2px 8px; text-align: left; }
"""


def sources_of(solutions, priors):
    """Returns the Sources of the class in solutions and of each prior
    folder (sources only)."""
    found = similarity.read_sources(solutions)
    for prior in priors:
        found += similarity.read_sources(prior, prior=True)
    return found


def marked(source, spans, skeletal):
    """Returns source's text as HTML lines, numbered, each line of a
    statement it shares marked with that statement's colour, the lines of
    the skeleton (skeletal) grey: spans is [(first line, last line)] in
    the order of the pair's statements."""
    colour = {}
    for k, (first, last) in enumerate(spans):
        for number in range(first, last + 1):
            colour.setdefault(number, k % MARKS)
    lines = []
    for number, line in enumerate(source.text.splitlines(), 1):
        shown = html.escape(report.plain(line))
        if number in colour:
            shown = '<mark class="m{}">{}</mark>'.format(colour[number],
                                                         shown or ' ')
        elif number in skeletal:
            shown = '<span class="skeleton">{}</span>'.format(shown)
        lines.append('<span class="line"><span class="at">{}</span>{}'
                     '</span>'.format(number, shown))
    return ''.join(lines)


def pair_html(file, pair):
    """Returns one named pair as HTML: who, each one's share, how it was
    named, its padding and corroboration, and the two files side by side,
    what they share marked."""
    spans = pair.lines()
    return (
        '<details class="pair"><summary>{file}: {a} and {b}: {sa:.0%} and '
        '{sb:.0%} the same beyond the spec\'s skeleton</summary>{note}'
        '<div class="sides"><div><h5>{a}\'s {file}</h5><pre>{left}</pre>'
        '</div><div><h5>{b}\'s {file}</h5><pre>{right}</pre></div></div>'
        '</details>'.format(
            file=html.escape(file), a=html.escape(report.plain(pair.a.name)),
            b=html.escape(report.plain(pair.b.name)), sa=pair.share_a,
            sb=pair.share_b, note=''.join(
                '<p class="corroborated">{}</p>'.format(
                    html.escape(report.plain(note)))
                for note in (pair.how(), pair.padding, pair.corroboration)
                if note),
            left=marked(pair.a, [(a0, a1) for a0, a1, _, _ in spans],
                        pair.a.skeletal(pair.common)),
            right=marked(pair.b, [(b0, b1) for _, _, b0, b1 in spans],
                         pair.b.skeletal(pair.common))))


def learners_html(ranked):
    """Returns the pairs of learners as HTML: the picture of who is linked
    with whom, each group of three or more once, and a table of the
    pairs, most files shared first."""
    if not ranked:
        return ''
    grouped = similarity.learner_groups(ranked)
    parts = ['<h3>Learners who share files</h3>', pictures.links(ranked)]
    for group in grouped:
        parts.append('<p>One group of {}: {}</p>'.format(
            len(group), html.escape(', '.join(report.plain(name)
                                              for name in group))))
    parts.append('<table><tr><th>learner</th><th>other</th><th>files the '
                 'same</th><th>which</th><th>lines in common</th></tr>')
    for each in ranked:
        mine, theirs = each.lines()
        parts.append('<tr><td>{}</td><td>{}</td><td>{} of {}</td><td>{}'
                     '</td><td>{} and {}</td></tr>'.format(
                         html.escape(report.plain(each.a)),
                         html.escape(report.plain(each.b)),
                         len(each.pairs), min(each.handed) or
                         len(each.pairs), html.escape(', '.join(
                             file for file in FILES if file in each.pairs)),
                         mine, theirs))
    return ''.join(parts) + '</table><h3>The pairs of files</h3>'


def section(found, ranked=()):
    """Returns the class page's section on similar code: what a pair
    means, the pairs of learners (ranked: similarity.learners()), how many
    pairs of files were named, the groups, then each pair."""
    named = [(file, pair) for file in FILES
             for pair in found.get(file, ([], [], 0))[0]]
    compared = sum(count for _, _, count in found.values())
    parts = ['<h2>The same code beyond the spec\'s skeleton</h2><p>{} '
             'pair(s) of task files named, of {} compared: each file holds '
             '{:.0%} at least of the other\'s code once what every right '
             'solution shares (our files, the spec\'s mains) is set aside '
             'and what many learners share counts for little, or one file '
             'holds {:.0%} of the other\'s (a copy with code added), or '
             'the two are the same once their own names and strings are '
             'set aside (names replaced by hand); names, comments, '
             'docstrings and the order of lines do not count. '
             'Side by side, each statement the two share beyond the '
             'skeleton has a colour of its own; the skeleton is grey. '
             'A pair is a place to look, not a finding: the teacher '
             'decides what it means.</p>'.format(
                 len(named), compared, similarity.SHARE,
                 similarity.CONTAINED), learners_html(ranked)]
    if named:
        parts.append(pictures.pairs(named))
    for file in FILES:
        for group in found.get(file, ([], [], 0))[1]:
            parts.append('<p>{}: one group of {}: {}</p>'.format(
                html.escape(file), len(group), html.escape(', '.join(
                    report.plain(name) for name in group))))
    shown = sorted(named, key=lambda entry: -entry[1].larger)[:SHOWN]
    parts += [pair_html(file, pair) for file, pair in named
              if (file, pair) in shown]
    if len(named) > SHOWN:
        parts.append('<p>{} more pair(s), less alike, are rows of '
                     'similar.csv.</p>'.format(len(named) - SHOWN))
    return ''.join(parts)


def page(title, found, ranked=()):
    """Returns OUT/similar.html: the section alone, one self-contained
    file."""
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<title>make similar: {title}</title><style>body {{ font: 14px/'
            '1.4 system-ui, sans-serif; margin: 24px; color: #222; }}{style}'
            '</style></head><body><h1>make similar: {title}</h1>{section}'
            '<p>The same, a row per pair: similar.csv and '
            'similar-learners.csv beside this page.</p>'
            '</body></html>\n'.format(title=html.escape(report.plain(title)),
                                      style=STYLE,
                                      section=section(found, ranked)))


def write(out, found, ranked=()):
    """Writes OUT/similar.csv and OUT/similar-learners.csv."""
    files.write_text(os.path.join(out, 'similar.csv'),
                     report.csv_text(similarity.rows(found)))
    files.write_text(os.path.join(out, 'similar-learners.csv'),
                     report.csv_text(similarity.learner_rows(ranked)))


def checked(out, names):
    """Returns {learner: their document} of those of names whose class
    JSON is in out (make check SOLUTIONS= wrote it), for corroboration."""
    found = {}
    for name in names:
        path = os.path.join(out, name + '.json')
        if os.path.isfile(path):
            try:
                found[name] = files.read_json(path)
            except (OSError, ValueError):
                pass
    return found


def main(named, names):
    """--similar SOLUTIONS [--prior=FOLDER[:FOLDER...]] [--out=DIR]:
    writes OUT/similar.csv and OUT/similar.html, prints what was found.
    Exit status 0, or 2 where SOLUTIONS or a prior is not a folder, or OUT
    lies inside SOLUTIONS (the solutions are never written to)."""
    try:
        solutions, out, priors = check.class_folders(named, names, 'similar')
    except ValueError as error:
        print('make similar: {}'.format(error), file=sys.stderr)
        return 2
    for folder in [solutions] + priors:
        if not os.path.isdir(folder):
            print('make similar: SOLUTIONS and PRIOR must be folders; {} '
                  'is not'.format(folder), file=sys.stderr)
            return 2
    sources = sources_of(solutions, priors)
    found = similarity.similar(sources)
    learners = sorted(set(source.learner for source in sources
                          if not source.prior))
    similarity.corroboration(found, checked(out, learners))
    ranked = similarity.learners(found, sources)
    os.makedirs(out, exist_ok=True)
    write(out, found, ranked)
    files.write_text(os.path.join(out, 'similar.html'),
                     page(os.path.basename(solutions), found, ranked))
    print(similarity.text(found, os.path.join(out, 'similar.html'), ranked))
    print('a row per pair: {} (of files), {} (of learners)'.format(
        os.path.join(out, 'similar.csv'),
        os.path.join(out, 'similar-learners.csv')))
    return 0
