#!/usr/bin/env python3
"""Which learners of a class handed in the same code beyond what the spec
makes every solution share (`make similar`, and a class's OUT/similar.csv
and page section after `make check SOLUTIONS=`). It reads the files as
text and runs none of them; the teacher decides what a pair means.

Each task file is read as its Python statements (statements()), each
normalised: comments, docstrings, blank lines and line breaks dropped,
every name the file binds (its variables, functions, arguments, the
aliases it imports under) written V, strings and numbers by their value.
A copy whose names, comments and docstrings were changed then reads the
same; and a file is the set of its statements, so a copy whose
independent lines were swapped holds the same ones.

What every right solution shares counts for nothing: the statements of
our four files and the spec's mains (skeleton()). What many learners
share counts for little: each other statement weighs its tokens times
log((n + 1) / d), d of the n files of that task holding it (weights()):
the rarer a statement, the more two files sharing it say. The share of
a file found in another is the weight of its statements the other holds
over the weight of all its own. A pair is named where each file's share
in the other is SHARE at least, and what they hold in common beyond the
skeleton is TOKENS tokens at least (a file that is all skeleton pairs
with nobody: our own files as a learner's match no one).

Learners joined by named pairs of one task file, three or more, are one
group. Where the class was checked, a named pair whose learners also
fail one check of that file for the same cause, a cause at most RARE of
the class's learners have, says so (corroboration()). Prior folders
(earlier cohorts, public solutions) are sources only: matched against
the class, never against each other, never graded, named `prior:`.

Why not a library: copydetect (MOSS's winnowing of k-grams of tokens,
with a boilerplate file) and Dolos (the same idea, on npm) weigh every
shared fragment alike once the boilerplate is taken out, so on a file of
twenty statements the idioms half a class writes the same way (keras-io's
and the blogs') pair learners who share nothing else; and k-grams that
cross a swapped line are lost. The measure against copydetect is in
docs/similar.md."""
import ast
import io
import math
import os
import tokenize

from tools.check import FILES, ROOT, TASKS
from tools.check.judge import files

# a pair is named where each file's share in the other is at least SHARE
# and what they share beyond the skeleton is at least TOKENS tokens
SHARE = 0.7
TOKENS = 20
# a statement of fewer tokens says nothing of who wrote it (return V)
SHORTEST = 4
# a cause is rare where at most this share of the class's learners (and
# at least two) fail for it
RARE = 0.1
# what stands for every name a file binds
NAME = 'V'
# the tokens that carry no code
SKIPPED = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
           tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER)


class Statement(object):
    """One statement of a file: its normalised text (key), its count of
    tokens (size), and the first and last lines it stands on."""

    def __init__(self, key, size, first, last):
        """Keeps what was read."""
        self.key, self.size, self.first, self.last = key, size, first, last


def bound(text):
    """Returns the names a source text binds: its variables (assigned,
    looped over, caught), functions and classes, their arguments, and the
    aliases it imports under (`as`); nothing where it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)) or (
                type(node).__name__ == 'AsyncFunctionDef'):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias) and node.asname:
            names.add(node.asname)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def literal(token):
    """Returns a string or number token written by its value ("relu" and
    'relu' alike), or the token as it is."""
    try:
        return repr(ast.literal_eval(token))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return token


def statements(text):
    """Returns the Statements of a Python source text, normalised: no
    comment, docstring (a statement that is a string alone) or line
    break; every name it binds (bound()) written NAME, but an attribute
    (.Dense) and a keyword argument (activation=); strings and numbers by
    their value. A text that does not tokenise is read a line at a time,
    its comments and spaces aside."""
    names = bound(text)
    found, current, depth = [], [], 0
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return by_lines(text)
    for at, token in enumerate(tokens):
        kind, value = token[0], token[1]
        if kind == tokenize.NEWLINE or kind == tokenize.ENDMARKER:
            if current and not all(each[0] == tokenize.STRING
                                   for each in current):
                found.append(Statement(
                    ' '.join(each[1] for each in current), len(current),
                    current[0][2], current[-1][3]))
            current, depth = [], 0
            continue
        if kind in SKIPPED:
            continue
        if kind == tokenize.OP:
            depth += (value in '([{') - (value in ')]}')
        elif kind == tokenize.NAME and value in names:
            before = tokens[at - 1][1] if at else ''
            after = next((each[1] for each in tokens[at + 1:]
                          if each[0] not in SKIPPED), '')
            if before != '.' and not (depth > 0 and after == '='):
                value = NAME
        elif kind in (tokenize.STRING, tokenize.NUMBER):
            value = literal(value)
        current.append((kind, value, token[2][0], token[3][0]))
    return found


def by_lines(text):
    """Returns the Statements of a text read a line at a time."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split('#')[0].split()
        if words:
            found.append(Statement(' '.join(words), len(words), number,
                                   number))
    return found


class Source(object):
    """One task file of a learner's (or of a prior source's): its text,
    its statements, and their keys that say something (SHORTEST tokens
    or more)."""

    def __init__(self, learner, file, text, prior=False):
        """Reads text's statements."""
        self.learner, self.file, self.text, self.prior = \
            learner, file, text, prior
        self.statements = statements(text)
        self.keys = {each.key: each.size for each in self.statements
                     if each.size >= SHORTEST}

    def skeletal(self, common):
        """Returns the lines of its statements that are the skeleton's
        (common)."""
        return set(number for each in self.statements if each.key in common
                   for number in range(each.first, each.last + 1))

    @property
    def name(self):
        """The name a pair shows: the learner's, prior: before a
        source's."""
        return 'prior:' + self.learner if self.prior else self.learner


def skeleton():
    """Returns the keys of what every right solution shares: the
    statements of our four task files and of the spec's mains."""
    keys = set()
    for task in TASKS:
        for name in (task.file, task.main):
            with open(os.path.join(ROOT, name)) as source:
                keys.update(each.key for each in statements(source.read()))
    return keys


def read_sources(folder, prior=False):
    """Returns the Sources of a folder of learners' folders (a class, or
    prior ones), or of one folder holding task files itself (a single
    prior source, named by its folder): regular files only, of the size
    the checker reads (tools.check.judge.files.read_regular); a folder
    or file that is a link is never followed."""
    def of(path, learner):
        """The Sources of one learner's folder."""
        found = []
        for file in FILES:
            data, _ = files.read_regular(os.path.join(path, file))
            if data is not None:
                found.append(Source(learner, file, data.decode(
                    'utf-8', 'replace'), prior))
        return found
    if any(os.path.lexists(os.path.join(folder, file)) for file in FILES):
        return of(folder, os.path.basename(os.path.normpath(folder)))
    found = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if not name.startswith('.') and not os.path.islink(path) and \
                os.path.isdir(path):
            found += of(path, name)
    return found


def weights(sources, common):
    """Returns {key: weight} over sources (one task file's): a key of
    common (the skeleton) weighs nothing; any other its tokens times
    log((n + 1) / d), d of the n sources holding it."""
    held = {}
    for source in sources:
        for key in source.keys:
            held[key] = held.get(key, 0) + 1
    count = len(sources)
    return {key: 0.0 if key in common else
            sizes_of(sources, key) * math.log((count + 1.0) / number)
            for key, number in held.items()}


def sizes_of(sources, key):
    """Returns the tokens of key (the same in every source holding it)."""
    return next(source.keys[key] for source in sources if key in source.keys)


class Pair(object):
    """Two task files named the same beyond the skeleton: the learner's
    (a) and the other's (b, a learner's or a prior source's), each one's
    share found in the other, the statements they hold in common (their
    keys, in a's order) and the tokens those hold; common, the skeleton's
    keys."""

    def __init__(self, a, b, share_a, share_b, keys, tokens, common):
        """Keeps what was found; common, the skeleton's keys."""
        self.a, self.b, self.share_a, self.share_b = a, b, share_a, share_b
        self.keys, self.tokens, self.common = keys, tokens, common
        self.corroboration = ''

    def lines(self):
        """Returns [(a's first line, last line, b's first line, last
        line)] of each statement they hold in common, in a's order."""
        found = []
        for key in self.keys:
            mine = next(each for each in self.a.statements if each.key == key)
            theirs = next(each for each in self.b.statements
                          if each.key == key)
            found.append((mine.first, mine.last, theirs.first, theirs.last))
        return found


def compared(a, b, weight, common):
    """Returns the Pair of sources a and b where it is named (SHARE,
    TOKENS), else None."""
    total_a = sum(weight[key] for key in a.keys)
    total_b = sum(weight[key] for key in b.keys)
    both = [key for key in a.keys if key in b.keys and key not in common]
    if not both or not total_a or not total_b:
        return None
    held = sum(weight[key] for key in both)
    tokens = sum(a.keys[key] for key in both)
    share_a, share_b = held / total_a, held / total_b
    if min(share_a, share_b) < SHARE or tokens < TOKENS:
        return None
    order = [each.key for each in a.statements]
    return Pair(a, b, share_a, share_b,
                sorted(both, key=order.index), tokens, common)


def similar(sources):
    """Returns {task file: (the named Pairs, most shared first; the groups
    of three or more learners, each a sorted list of names; how many
    pairs were compared)} over sources (a class's and prior ones)."""
    common = skeleton()
    found = {}
    for file in FILES:
        mine = [source for source in sources if source.file == file]
        weight = weights(mine, common)
        pairs, compared_count = [], 0
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                if a.prior and b.prior:
                    continue
                if a.prior:
                    a, b = b, a
                compared_count += 1
                pair = compared(a, b, weight, common)
                if pair is not None:
                    pairs.append(pair)
        pairs.sort(key=lambda pair: (-min(pair.share_a, pair.share_b),
                                     pair.a.name, pair.b.name))
        found[file] = (pairs, groups(pairs), compared_count)
    return found


def groups(pairs):
    """Returns the groups of three or more learners (prior sources among
    them) that named pairs join, each a sorted list of names."""
    parent = {}

    def root(name):
        """Returns the first name of name's group."""
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name
    for pair in pairs:
        parent[root(pair.a.name)] = root(pair.b.name)
    members = {}
    for name in parent:
        members.setdefault(root(name), []).append(name)
    return sorted(sorted(group) for group in members.values()
                  if len(group) >= 3)


def corroboration(found, results):
    """Notes on each named pair of two learners who, in results (the
    class's documents), both fail one check of that task file for the
    same cause, one at most RARE of the class's learners (two at least)
    fail for."""
    from tools.check.judge import report
    causes = {}
    for name, document in results.items():
        for task in document.get('tasks', []):
            for item in task['findings']:
                if item['status'] == 'fail':
                    key = (task['file'], item['check'], report.NUMBERS.sub(
                        '#', item.get('cause') or item['said']))
                    causes.setdefault(key, set()).add(name)
    rare = max(2, int(RARE * len(results)))
    for file, (pairs, _, _) in found.items():
        for pair in pairs:
            if pair.b.prior:
                continue
            shared = sorted(
                key for key, names in causes.items()
                if key[0] == file and len(names) <= rare and
                {pair.a.learner, pair.b.learner} <= names)
            if shared:
                _, check, cause = shared[0]
                pair.corroboration = (
                    'both fail {} for the same cause, which {} of the {} '
                    'learners checked have: {}'.format(
                        check, len(causes[shared[0]]), len(results), cause))


HEADER = ('file', 'learner', 'other', 'share_learner', 'share_other', 'lines')


def rows(found):
    """Returns the rows of OUT/similar.csv: a header, then one per named
    pair: the task file, the learner, the other (prior: a source), each
    one's share found in the other (0 to 1, two decimals), and the lines
    they hold in common, learner's:other's, a pair a statement."""
    table = [HEADER]
    for file in FILES:
        for pair in found.get(file, ([], [], 0))[0]:
            table.append((file, pair.a.name, pair.b.name,
                          round(pair.share_a, 2), round(pair.share_b, 2),
                          ' '.join('{}:{}'.format(span(a0, a1), span(b0, b1))
                                   for a0, a1, b0, b1 in pair.lines())))
    return table


def span(first, last):
    """Returns lines first to last as 12 or 12-14."""
    return str(first) if first == last else '{}-{}'.format(first, last)


def text(found, where):
    """Returns what the terminal says of found: how many pairs were named
    of how many compared, a line a task file, and where to look."""
    named = sum(len(pairs) for pairs, _, _ in found.values())
    lines = ['similar: {} pair(s) of task files the same beyond the spec\'s '
             'skeleton, of {} compared (a pair is named where each file '
             'holds {:.0%} of the other\'s code beyond it at least)'.format(
                 named, sum(count for _, _, count in found.values()),
                 SHARE)]
    for file in FILES:
        pairs, grouped, count = found.get(file, ([], [], 0))
        for pair in pairs:
            lines.append('  {}: {} and {}: {:.0%} and {:.0%}{}'.format(
                file, pair.a.name, pair.b.name, pair.share_a, pair.share_b,
                '; ' + pair.corroboration if pair.corroboration else ''))
        for group in grouped:
            lines.append('  {}: one group of {}: {}'.format(
                file, len(group), ', '.join(group)))
    lines.append('side by side: {} (the teacher decides what a pair '
                 'means)'.format(where))
    return '\n'.join(lines)
