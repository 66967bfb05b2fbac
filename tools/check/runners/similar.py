#!/usr/bin/env python3
"""`make similar SOLUTIONS=<folder> [PRIOR=<folder> ...] [OUT=<folder>]`:
which learners handed in the same code beyond the spec's skeleton
(tools.check.judge.similarity), written as OUT/similar.csv and a page,
OUT/similar.html, that shows each pair's files side by side with the
statements they share marked; the terminal says how many pairs and
where to look. Where OUT holds the class's JSONs (after `make check
SOLUTIONS=`), a pair that also fails a check for the same rare cause
says so. The class page holds the same section (section()). Nothing
here runs a learner's code."""
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
    """Returns one named pair as HTML: who, each one's share, the
    corroboration, and the two files side by side, what they share
    marked."""
    spans = pair.lines()
    return (
        '<details class="pair"><summary>{file}: {a} and {b}: {sa:.0%} and '
        '{sb:.0%} the same beyond the spec\'s skeleton</summary>{note}'
        '<div class="sides"><div><h5>{a}\'s {file}</h5><pre>{left}</pre>'
        '</div><div><h5>{b}\'s {file}</h5><pre>{right}</pre></div></div>'
        '</details>'.format(
            file=html.escape(file), a=html.escape(report.plain(pair.a.name)),
            b=html.escape(report.plain(pair.b.name)), sa=pair.share_a,
            sb=pair.share_b, note='<p class="corroborated">{}</p>'.format(
                html.escape(report.plain(pair.corroboration)))
            if pair.corroboration else '',
            left=marked(pair.a, [(a0, a1) for a0, a1, _, _ in spans],
                        pair.a.skeletal(pair.common)),
            right=marked(pair.b, [(b0, b1) for _, _, b0, b1 in spans],
                         pair.b.skeletal(pair.common))))


def section(found):
    """Returns the class page's section on similar code: what a pair
    means, how many were named, the groups, then each pair."""
    named = [(file, pair) for file in FILES
             for pair in found.get(file, ([], [], 0))[0]]
    compared = sum(count for _, _, count in found.values())
    parts = ['<h2>The same code beyond the spec\'s skeleton</h2><p>{} '
             'pair(s) of task files named, of {} compared: each file holds '
             '{:.0%} at least of the other\'s code once what every right '
             'solution shares (our files, the spec\'s mains) is set aside '
             'and what many learners share counts for little; names, '
             'comments, docstrings and the order of lines do not count. '
             'Side by side, each statement the two share beyond the '
             'skeleton has a colour of its own; the skeleton is grey. '
             'A pair is a place to look, not a finding: the teacher '
             'decides what it means.</p>'.format(
                 len(named), compared, similarity.SHARE)]
    if named:
        parts.append(pictures.pairs(named))
    for file in FILES:
        for group in found.get(file, ([], [], 0))[1]:
            parts.append('<p>{}: one group of {}: {}</p>'.format(
                html.escape(file), len(group), html.escape(', '.join(
                    report.plain(name) for name in group))))
    shown = sorted(named, key=lambda entry: -min(
        entry[1].share_a, entry[1].share_b))[:SHOWN]
    parts += [pair_html(file, pair) for file, pair in named
              if (file, pair) in shown]
    if len(named) > SHOWN:
        parts.append('<p>{} more pair(s), less alike, are rows of '
                     'similar.csv.</p>'.format(len(named) - SHOWN))
    return ''.join(parts)


def page(title, found):
    """Returns OUT/similar.html: the section alone, one self-contained
    file."""
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<title>make similar: {title}</title><style>body {{ font: 14px/'
            '1.4 system-ui, sans-serif; margin: 24px; color: #222; }}{style}'
            '</style></head><body><h1>make similar: {title}</h1>{section}'
            '<p>The same, a row per pair: similar.csv beside this page.</p>'
            '</body></html>\n'.format(title=html.escape(report.plain(title)),
                                      style=STYLE, section=section(found)))


def write(out, found):
    """Writes OUT/similar.csv."""
    files.write_text(os.path.join(out, 'similar.csv'),
                     report.csv_text(similarity.rows(found)))


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
    os.makedirs(out, exist_ok=True)
    write(out, found)
    files.write_text(os.path.join(out, 'similar.html'),
                     page(os.path.basename(solutions), found))
    print(similarity.text(found, os.path.join(out, 'similar.html')))
    print('a row per pair: ' + os.path.join(out, 'similar.csv'))
    return 0
