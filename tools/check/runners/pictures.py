#!/usr/bin/env python3
"""The class in pictures, drawn into the class page itself as inline SVG
(the page stays one file that asks for nothing): the scores' spread
(scores()), the mistakes by cause as bars, the one that costs the most
learners first (mistakes()), who shares files with whom (links()), and
the pairs of similar files ranked by how much of each is found in the
other (pairs()). Every label is the learners' text made plain and
escaped."""
import html
import math

from tools.check.judge import report

# the width of a picture, of its labels' column, and the height of a bar
WIDTH, LABELS, BAR = 860, 400, 22
# the most bars a picture draws (the tables below it list every row)
MOST = 15
COLOURS = {'fail': '#c0392b', 'note': '#d4a017', 'pair': '#2e6da4',
           'score': '#2e8b57'}


def text(value):
    """Returns a learner's (or a cause's) text as SVG text: plain,
    escaped."""
    return html.escape(report.plain(str(value)))


def shortened(label, most=56):
    """Returns label cut to most characters, an ellipsis marking the cut."""
    return label if len(label) <= most else label[:most - 1] + u'\u2026'


def svg(title, height, body):
    """Returns an SVG picture of title (its accessible name) and body."""
    return ('<figure><svg xmlns="http://www.w3.org/2000/svg" role="img" '
            'width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            'aria-label="{t}"><title>{t}</title>{body}</svg></figure>'
            .format(w=WIDTH, h=height, t=text(title), body=body))


def bars(title, rows, unit):
    """Returns a picture of horizontal bars, one a row of rows: (label,
    value, colour, what the bar says); the longest bar is the largest
    value, unit names what a value counts."""
    rows = rows[:MOST]
    largest = max([value for _, value, _, _ in rows] or [1]) or 1
    room = WIDTH - LABELS - 130
    parts = []
    for i, (label, value, colour, said) in enumerate(rows):
        y = 8 + i * (BAR + 6)
        parts.append(
            '<text x="{lx}" y="{ty}" text-anchor="end" font-size="12">{label}'
            '</text><rect x="{x}" y="{y}" width="{w:.1f}" height="{h}" '
            'fill="{c}"><title>{label}: {said}</title></rect>'
            '<text x="{tx:.1f}" y="{ty}" font-size="12">{said}</text>'.format(
                lx=LABELS - 8, ty=y + BAR * 0.7, label=text(shortened(label)),
                x=LABELS, y=y, w=max(1.0, room * value / float(largest)),
                h=BAR, c=colour, said=text(said),
                tx=LABELS + room * value / float(largest) + 6))
    height = 16 + len(rows) * (BAR + 6)
    return svg('{} ({})'.format(title, unit), height, ''.join(parts))


def scores(results):
    """Returns the picture of the class's scores: how many learners
    scored in each tenth of the most points (a learner the checker broke
    on is not counted)."""
    totals = [(document['score']['points'], document['score']['max'])
              for document in results.values() if 'score' in document]
    counts = [0] * 10
    for points, most in totals:
        counts[min(9, int(10 * points / most))] += 1 if most else 0
    tallest = max(counts) or 1
    plot, base = 180, 210
    width = (WIDTH - 60) / 10.0
    parts = ['<line x1="40" y1="{0}" x2="{1}" y2="{0}" stroke="#888"/>'
             .format(base, WIDTH - 20)]
    for i, count in enumerate(counts):
        x = 40 + i * width
        height = plot * count / float(tallest)
        parts.append(
            '<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            'fill="{c}"><title>{lo}-{hi}%: {n} learner(s)</title></rect>'
            '<text x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" '
            'font-size="12">{n}</text><text x="{cx:.1f}" y="{ly}" '
            'text-anchor="middle" font-size="11">{lo}-{hi}%</text>'.format(
                x=x + 3, y=base - height, w=width - 6, h=height,
                c=COLOURS['score'], lo=10 * i, hi=10 * i + 10, n=count,
                cx=x + width / 2, ty=base - height - 4, ly=base + 16))
    return svg('The scores: learners by share of the points ({} learner(s))'
               .format(len(totals)), 236, ''.join(parts))


def mistakes(rows):
    """Returns the picture of the mistakes by cause (classroom.mistakes'
    rows, the commonest first): a bar a cause, as long as the number of
    learners it costs; fails red, notes yellow."""
    return bars('The mistakes by cause, the commonest first', [
        (what, len(names), COLOURS[status], '{} {} learner(s)'.format(
            report.MARKS[status], len(names)))
        for status, what, names, _, _ in rows], 'learners')


def pairs(named):
    """Returns the picture of the similar pairs, [(task file, Pair)]: a
    bar a pair, as long as the larger of the two shares (a file held
    whole in another is seen), the most alike first."""
    ranked = sorted(named, key=lambda entry: -entry[1].larger)
    return bars('The pairs of files most alike beyond the skeleton', [
        ('{}: {} ~ {}'.format(file, pair.a.name, pair.b.name),
         100 * pair.larger, COLOURS['pair'],
         '{:.0%} / {:.0%}'.format(pair.share_a, pair.share_b))
        for file, pair in ranked], 'the larger share, %')


# the most learners the picture of links draws (the table lists all)
LINKED = 40


def links(ranked):
    """Returns the picture of who shares files with whom: each learner of
    a pair of learners (similarity.learners(), ranked) a point on a
    circle, named, each pair a line as thick as the files they share,
    its count at its middle; the LINKED learners of the most files."""
    names = []
    for each in ranked:
        for name in (each.a, each.b):
            if name not in names:
                names.append(name)
    names = names[:LINKED]
    size = 460
    centre, radius = size / 2.0, size / 2.0 - 110
    place = {}
    for i, name in enumerate(names):
        angle = 2 * math.pi * i / len(names) - math.pi / 2
        place[name] = (centre + radius * math.cos(angle) + 200,
                       centre + radius * math.sin(angle), math.cos(angle))
    parts = []
    for each in ranked:
        if each.a not in place or each.b not in place:
            continue
        (x1, y1, _), (x2, y2, _) = place[each.a], place[each.b]
        count = len(each.pairs)
        parts.append(
            '<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" '
            'stroke="{}" stroke-width="{}" stroke-opacity="0.7"><title>'
            '{} and {}: {} file(s)</title></line><text x="{:.1f}" '
            'y="{:.1f}" font-size="11" text-anchor="middle">{}</text>'.format(
                x1, y1, x2, y2, COLOURS['pair'], 1 + 2 * count,
                text(each.a), text(each.b), count, (x1 + x2) / 2,
                (y1 + y2) / 2 - 3, count))
    for name in names:
        x, y, side = place[name]
        parts.append(
            '<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="#222"/><text '
            'x="{:.1f}" y="{:.1f}" font-size="12" text-anchor="{}">{}</text>'
            .format(x, y, x + (9 if side >= 0 else -9), y + 4,
                    'start' if side >= 0 else 'end',
                    text(shortened(name, 28))))
    return svg('Who shares files with whom: a line a pair of learners, as '
               'thick as the files they share', size, ''.join(parts))
