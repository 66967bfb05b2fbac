#!/usr/bin/env python3
"""Which learners of a class handed in the same code beyond what the spec
makes every solution share (`make similar`, and a class's OUT/similar.csv
and page section after `make check SOLUTIONS=`). It reads the files as
text and runs none of them; the teacher decides what a pair means.

Each task file is read as its Python statements (statements()), each
normalised: comments, docstrings, blank lines and line breaks dropped,
every name the file binds (its variables, functions, arguments, the
aliases it imports under) written V, strings and numbers by their value.
A statement's grams are its runs of GRAM tokens, and a file is the set of
its statements' grams: a copy whose names, comments and docstrings were
changed holds the same grams, so does one whose independent lines were
swapped (no gram crosses from one statement to the next), and a token
changed costs the grams around it alone.

What every right solution shares counts for nothing: the grams of our
four files and the spec's mains (skeleton()). What many learners share
counts for little: each other gram weighs log((n + 1) / d), d of the n
families of files holding it (weights()), a family being files NEAR the
same (so that a gram many copies of one file share is still rare). The
share of a file found in another is the weight of its grams the other
holds over the weight of all its own. A pair is named where each file's
share in the other is SHARE at least and they hold TOKENS grams in
common beyond the skeleton (a file that is all skeleton pairs with
nobody: our own files as a learner's match no one).

Two more ways a pair is named (Pair.kind). Contained: one file holds
CONTAINED at least of the other's code beyond the skeleton, however much
else it adds, where that code is enough (the class's floor(): half the
usual file's grams beyond the skeleton, TOKENS at least): a copy padded
with statements of its own. Renamed: a copy whose names were replaced by
hand, with the slips find-and-replace leaves (a name replaced inside an
attribute or a string, an old name left in a call), is read again
loosely (statements() given vocabulary(): every name and string the
skeleton does not use is V or S, attributes included; Source.loose) and
named where each file holds SHARE of the other loosely and RENAMED of it
as first read. Padding itself is counted: the statements whose result
nothing reads (dead()), a file with PADDED more of them than its task's
usual in the class said beside its pair.

Learners joined by named pairs of one task file, three or more, are one
group; the pairs of learners (learners()) rank who shares how many of
their four files. Where the class was checked, a named pair whose
learners also fail one check of that file for the same cause, a cause
at most RARE of the class's learners have, says so (corroboration()).
Prior folders (earlier cohorts, public solutions) are sources only:
matched against the class, never against each other, never graded,
named `prior:`.

Not a library: copydetect (MOSS's winnowing, in Python) and Dolos (on
npm) weigh every fragment the boilerplate leaves alike, so the idioms
many learners write the same way pair those who share nothing else;
docs/similar.md has copydetect's measure beside ours on one class."""
import ast
import builtins
import io
import keyword
import math
import os
import tokenize

from tools.check import FILES, ROOT, TASKS
from tools.check.judge import files, report

# a pair is named where each file's share in the other is at least SHARE
# and what they share beyond the skeleton is at least TOKENS grams
SHARE = 0.7
TOKENS = 20
# the tokens of a gram: each run of this many tokens of a statement
GRAM = 5
# a statement of fewer tokens says nothing of who wrote it (return V)
SHORTEST = 4
# a pair is also named where one file holds CONTAINED of the other's code
# beyond the skeleton, given at least floor() grams of it
CONTAINED = 0.9
# read loosely, a pair is named where each holds SHARE of the other, and
# as first read RENAMED
RENAMED = 0.4
# a file has padding where it has this many more statements nothing reads
# than the usual (the median) of its task's files in the class
PADDED = 8
# files whose statements beyond the skeleton are this near the same, by
# tokens alone, are one family: one file, for how rare a statement is
NEAR = 0.8
# a cause is rare where at most this share of the class's learners (and
# at least two) fail for it
RARE = 0.1
# what stands for every name a file binds
NAME = 'V'
# the tokens that carry no code
SKIPPED = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
           tokenize.DEDENT, tokenize.ENCODING, tokenize.ENDMARKER)


class Statement(object):
    """One statement of a file: its normalised tokens, its text (key),
    the first and last lines it stands on, and its grams: each run of
    GRAM tokens in it (a shorter statement, itself)."""

    def __init__(self, tokens, first, last):
        """Keeps what was read."""
        self.tokens, self.first, self.last = tokens, first, last
        self.key = ' '.join(tokens)
        self.grams = set(' '.join(tokens[at:at + GRAM]) for at in range(
            max(1, len(tokens) - GRAM + 1)))


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


def statements(text, vocabulary=None):
    """Returns the Statements of a Python source text, normalised: no
    comment, docstring (a statement that is a string alone) or line
    break; every name it binds (bound()) written NAME, but an attribute
    (.Dense) and a keyword argument (activation=); strings and numbers by
    their value. Read loosely (a vocabulary given: vocabulary()), every name
    outside the vocabulary is NAME, attributes and keywords included, and
    every string outside it S. A text that does not tokenise is read a
    line at a time, its comments and spaces aside."""
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
                found.append(Statement([each[1] for each in current],
                                       current[0][2], current[-1][3]))
            current, depth = [], 0
            continue
        if kind in SKIPPED:
            continue
        if kind == tokenize.OP:
            depth += (value in '([{') - (value in ')]}')
        elif vocabulary is not None and kind == tokenize.NAME:
            if value not in vocabulary:
                value = NAME
        elif kind == tokenize.NAME and value in names:
            before = tokens[at - 1][1] if at else ''
            after = next((each[1] for each in tokens[at + 1:]
                          if each[0] not in SKIPPED), '')
            if before != '.' and not (depth > 0 and after == '='):
                value = NAME
        elif kind in (tokenize.STRING, tokenize.NUMBER):
            value = literal(value)
            if vocabulary is not None and kind == tokenize.STRING and \
                    value not in vocabulary:
                value = 'S'
        current.append((kind, value, token[2][0], token[3][0]))
    return found


def by_lines(text):
    """Returns the Statements of a text read a line at a time."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split('#')[0].split()
        if words:
            found.append(Statement(words, number, number))
    return found


def dead(text):
    """Returns how many statements of a source text produce what nothing
    reads: an assignment whose every target is a name the file never
    reads, or an expression statement that calls nothing (a string
    alone, a docstring, aside); 0 where it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return 0
    read = set(node.id for node in ast.walk(tree)
               if isinstance(node, ast.Name) and
               isinstance(node.ctx, ast.Load))
    count = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) \
                else [node.target]
            names = [target for target in targets
                     if isinstance(target, ast.Name)]
            if names and len(names) == len(targets) and not any(
                    target.id in read or target.id.startswith('__')
                    for target in names):
                count += 1
        elif isinstance(node, ast.Expr) and not any(
                isinstance(each, (ast.Call, ast.Await, ast.Yield,
                                  ast.YieldFrom))
                for each in ast.walk(node.value)) and not isinstance(
                    getattr(node.value, 'value', getattr(node.value, 's',
                                                         None)), str):
            count += 1
    return count


class Source(object):
    """One task file of a learner's (or of a prior source's): its text,
    its statements, the grams of those that say something (SHORTEST
    tokens or more), the same read loosely, and how many of its
    statements nothing reads (dead())."""

    def __init__(self, learner, file, text, prior=False):
        """Reads text's statements."""
        self.learner, self.file, self.text, self.prior = \
            learner, file, text, prior
        self.statements = statements(text)
        self.grams = grams_of(self.statements)
        self.loose = grams_of(statements(text, vocabulary()))
        self.dead = dead(text)

    @property
    def name(self):
        """The name a pair shows: the learner's, prior: before a
        source's."""
        return 'prior:' + self.learner if self.prior else self.learner

    def skeletal(self, common):
        """Returns the lines of its statements that are the skeleton's
        alone (every gram of theirs in common)."""
        return set(number for each in self.statements
                   if each.grams <= common
                   for number in range(each.first, each.last + 1))


def grams_of(read):
    """Returns the grams of the statements read that say something."""
    return set(gram for each in read if len(each.tokens) >= SHORTEST
               for gram in each.grams)


def skeleton_texts():
    """Returns the texts of our four task files and the spec's mains."""
    texts = []
    for task in TASKS:
        for name in (task.file, task.main):
            with open(os.path.join(ROOT, name)) as source:
                texts.append(source.read())
    return texts


def skeleton(loosely=False):
    """Returns the grams of what every right solution shares: the
    statements of our four task files and of the spec's mains (read
    loosely, where asked)."""
    grams = set()
    for text in skeleton_texts():
        for each in statements(text, vocabulary() if loosely else None):
            grams.update(each.grams)
    return grams


_vocabulary = []


def vocabulary():
    """Returns the words a loose reading keeps: Python's keywords and
    builtins, and the names and strings of the skeleton that it does not
    bind (keras, layers, Dense, 'relu', ...): the API every solution
    calls, not a learner's own names."""
    if not _vocabulary:
        words = set(keyword.kwlist) | set(dir(builtins))
        for text in skeleton_texts():
            for each in statements(text):
                words.update(token for token in each.tokens
                             if token != NAME)
        _vocabulary.append(words)
    return _vocabulary[0]


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


def families(sources, common, read='grams'):
    """Returns {index of a source: its family}: sources whose grams beyond
    the skeleton (common) are NEAR the same both ways, counted alike, and
    TOKENS at least, joined (and those they join in turn); each other
    source a family of its own. read names the grams (grams, or loose)."""
    family = list(range(len(sources)))

    def root(at):
        """Returns the family of the source at index at."""
        while family[at] != at:
            at = family[at]
        return at
    own = [getattr(source, read) - common for source in sources]
    for i in range(len(sources)):
        for j in range(i + 1, len(sources)):
            held = len(own[i] & own[j])
            if held >= TOKENS and held >= NEAR * max(len(own[i]),
                                                     len(own[j])):
                family[root(i)] = root(j)
    return {at: root(at) for at in range(len(sources))}


def weights(sources, common, read='grams'):
    """Returns {gram: weight} over sources (one task file's): a gram of
    common (the skeleton) weighs nothing; any other log((n + 1) / d), d
    of the n families() of sources holding it: what a family of copies
    shares is rare however many copies it has, and what many learners
    write alike on their own is not."""
    joined = families(sources, common, read)
    held = {}
    for at, source in enumerate(sources):
        for gram in getattr(source, read):
            held.setdefault(gram, set()).add(joined[at])
    count = len(set(joined.values()))
    return {gram: 0.0 if gram in common else
            math.log((count + 1.0) / len(kin))
            for gram, kin in held.items()}


class Pair(object):
    """Two task files named the same beyond the skeleton: the learner's
    (a) and the other's (b, a learner's or a prior source's), each one's
    share found in the other, the grams beyond the skeleton they hold in
    common, and the skeleton's grams (common)."""

    def __init__(self, a, b, share_a, share_b, grams, common, kind='same'):
        """Keeps what was found; kind says how it was named: same (each
        holds SHARE of the other), contained (one holds CONTAINED of the
        other) or renamed (read loosely)."""
        self.a, self.b, self.share_a, self.share_b = a, b, share_a, share_b
        self.grams, self.common, self.kind = grams, common, kind
        self.corroboration = ''
        self.padding = ''

    @property
    def larger(self):
        """The larger of the two shares: how the pairs are ranked."""
        return max(self.share_a, self.share_b)

    def how(self):
        """Returns how the pair was named, in words ('' for same)."""
        if self.kind == 'contained':
            held, holder = (self.a, self.b) \
                if self.share_a >= self.share_b else (self.b, self.a)
            return '{}\'s file holds {}\'s whole beyond the skeleton'.format(
                holder.name, held.name)
        if self.kind == 'renamed':
            return 'the same once names and strings are set aside: names ' \
                'replaced by hand'
        return ''

    def lines(self):
        """Returns [(a's first line, last line, b's first line, last
        line)] of each statement of a holding grams in common with b,
        beside b's statement holding most of them, in a's order."""
        found = []
        for mine in self.a.statements:
            shared = mine.grams & self.grams
            if not shared:
                continue
            theirs = max(self.b.statements,
                         key=lambda each: len(each.grams & shared))
            found.append((mine.first, mine.last, theirs.first, theirs.last))
        return found


def shares(a, b, weight, common, read='grams'):
    """Returns (a's share found in b, b's in a, the grams beyond the
    skeleton both hold) of sources a and b, read as read names."""
    mine, theirs = getattr(a, read), getattr(b, read)
    total_a = sum(weight[gram] for gram in mine)
    total_b = sum(weight[gram] for gram in theirs)
    both = (mine & theirs) - common
    held = sum(weight[gram] for gram in both)
    return (held / total_a if total_a else 0.0,
            held / total_b if total_b else 0.0, both)


def compared(a, b, weight, common, floor=TOKENS, loose=None):
    """Returns the Pair of sources a and b where it is named, else None:
    each holds SHARE of the other and they hold TOKENS grams in common
    (same); one holds CONTAINED of the other and floor grams (contained);
    or, loose given (the loose weights and skeleton), each holds SHARE of
    the other read loosely and RENAMED as first read (renamed)."""
    share_a, share_b, both = shares(a, b, weight, common)
    if len(both) >= TOKENS and min(share_a, share_b) >= SHARE:
        return Pair(a, b, share_a, share_b, both, common)
    if len(both) >= max(TOKENS, floor) and \
            max(share_a, share_b) >= CONTAINED:
        return Pair(a, b, share_a, share_b, both, common, 'contained')
    if loose is not None and len(both) >= TOKENS and \
            min(share_a, share_b) >= RENAMED:
        loose_a, loose_b, held = shares(a, b, loose[0], loose[1], 'loose')
        if len(held) >= TOKENS and min(loose_a, loose_b) >= SHARE:
            return Pair(a, b, share_a, share_b, both, common, 'renamed')
    return None


def floor(sources, common):
    """Returns the grams beyond the skeleton a contained file must hold:
    half the usual (median) count of a file of sources beyond the
    skeleton, TOKENS at least."""
    return max(TOKENS, usual(len(source.grams - common)
                             for source in sources) // 2)


def usual(counts):
    """Returns the median of counts (0 for none)."""
    counts = sorted(counts)
    return counts[len(counts) // 2] if counts else 0


def padding(pair, typical):
    """Notes on pair the file of the two with PADDED more statements that
    nothing reads than typical, the usual of its task in the class."""
    padded = [source for source in (pair.a, pair.b)
              if source.dead >= typical + PADDED]
    if padded:
        pair.padding = '; '.join(
            '{}\'s file adds {} statements nothing reads (the class\'s '
            'usual: {})'.format(source.name, source.dead, typical)
            for source in padded)


def similar(sources):
    """Returns {task file: (the named Pairs, most shared first; the groups
    of three or more learners, each a sorted list of names; how many
    pairs were compared)} over sources (a class's and prior ones)."""
    common, loosely = skeleton(), skeleton(loosely=True)
    found = {}
    for file in FILES:
        mine = [source for source in sources if source.file == file]
        weight = weights(mine, common)
        loose = (weights(mine, loosely, 'loose'), loosely)
        least = floor(mine, common)
        typical = usual(source.dead for source in mine)
        pairs, compared_count = [], 0
        for i, a in enumerate(mine):
            for b in mine[i + 1:]:
                if a.prior and b.prior:
                    continue
                if a.prior:
                    a, b = b, a
                compared_count += 1
                pair = compared(a, b, weight, common, least, loose)
                if pair is not None:
                    padding(pair, typical)
                    pairs.append(pair)
        pairs.sort(key=lambda pair: (-pair.larger, -min(
            pair.share_a, pair.share_b), pair.a.name, pair.b.name))
        found[file] = (pairs, groups([(pair.a.name, pair.b.name)
                                      for pair in pairs]), compared_count)
    return found


def groups(pairs):
    """Returns the groups of three or more learners (prior sources among
    them) that pairs of names join, each a sorted list of names."""
    parent = {}

    def root(name):
        """Returns the first name of name's group."""
        while parent.setdefault(name, name) != name:
            name = parent[name]
        return name
    for a, b in pairs:
        parent[root(a)] = root(b)
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


HEADER = ('file', 'learner', 'other', 'share_learner', 'share_other', 'how',
          'lines')
LEARNERS_HEADER = ('learner', 'other', 'files', 'of', 'named',
                   'lines_learner', 'lines_other')


class Learners(object):
    """Two learners (or a learner and a prior source) with named pairs of
    files: the files named (task file: Pair), how many task files each
    handed in, and the lines of their files that hold code in common
    beyond the skeleton, each one's."""

    def __init__(self, a, b):
        """Starts with no file."""
        self.a, self.b, self.pairs = a, b, {}
        self.handed = (0, 0)

    def lines(self):
        """Returns (a's lines, b's lines) in common, over the files."""
        mine, theirs = 0, 0
        for pair in self.pairs.values():
            spans = pair.lines()
            mine += len(set(number for a0, a1, _, _ in spans
                            for number in range(a0, a1 + 1)))
            theirs += len(set(number for _, _, b0, b1 in spans
                              for number in range(b0, b1 + 1)))
        return mine, theirs

    def key(self):
        """How pairs of learners are ranked: most files first, then most
        lines in common."""
        return (-len(self.pairs), -sum(self.lines()), self.a, self.b)


def learners(found, sources):
    """Returns [Learners] over the named pairs of found, ranked by how many
    of their files they share; sources tell how many task files each
    handed in."""
    handed = {}
    for source in sources:
        handed[source.name] = handed.get(source.name, 0) + 1
    joined = {}
    for file in FILES:
        for pair in found.get(file, ([], [], 0))[0]:
            a, b = pair.a.name, pair.b.name
            key = (a, b) if pair.b.prior or a < b else (b, a)
            if key not in joined:
                joined[key] = Learners(*key)
                joined[key].handed = (handed.get(key[0], 0),
                                      handed.get(key[1], 0))
            joined[key].pairs[file] = pair
    return sorted(joined.values(), key=Learners.key)


def learner_groups(ranked):
    """Returns the groups of three or more learners that pairs of learners
    (ranked) join, each a sorted list of names."""
    return groups([(each.a, each.b) for each in ranked])


def learner_rows(ranked):
    """Returns the rows of OUT/similar-learners.csv: a header, then one
    per pair of learners, the most files first: the learner, the other,
    how many task files they share, of how many the one who handed in
    fewer handed in, which, and the lines in common beyond the skeleton
    in each one's files."""
    table = [LEARNERS_HEADER]
    for each in ranked:
        mine, theirs = each.lines()
        table.append((each.a, each.b, len(each.pairs),
                      min(each.handed) or len(each.pairs),
                      ' '.join(file for file in FILES if file in each.pairs),
                      mine, theirs))
    return table


def learners_text(ranked):
    """Returns the terminal's lines on pairs of learners: those who share
    two files or more, most first, each said; then each group of three
    or more once; then each other pair outside a group."""
    grouped = learner_groups(ranked)
    lines = ['learners: {} pair(s) of learners share named files'.format(
        len(ranked))]

    def said(each):
        """One pair of learners, in a line."""
        mine, theirs = each.lines()
        return '  {} and {}: {} of {} file(s) ({}), {} and {} lines in ' \
            'common'.format(report.plain(each.a), report.plain(each.b),
                            len(each.pairs), min(each.handed) or
                            len(each.pairs), ', '.join(
                                file for file in FILES
                                if file in each.pairs), mine, theirs)
    lines += [said(each) for each in ranked if len(each.pairs) > 1]
    for group in grouped:
        lines.append('  one group of {}: {}'.format(len(group), ', '.join(
            report.plain(name) for name in group)))
    lines += [said(each) for each in ranked if len(each.pairs) == 1 and
              not any(each.a in group and each.b in group
                      for group in grouped)]
    return lines


def rows(found):
    """Returns the rows of OUT/similar.csv: a header, then one per named
    pair: the task file, the learner, the other (prior: a source), each
    one's share found in the other (0 to 1, two decimals), how it was
    named (same, contained, renamed: Pair.kind), and the lines
    they hold in common, learner's:other's, a pair a statement."""
    table = [HEADER]
    for file in FILES:
        for pair in found.get(file, ([], [], 0))[0]:
            table.append((file, pair.a.name, pair.b.name,
                          round(pair.share_a, 2), round(pair.share_b, 2),
                          pair.kind, ' '.join(
                              '{}:{}'.format(span(a0, a1), span(b0, b1))
                              for a0, a1, b0, b1 in pair.lines())))
    return table


def span(first, last):
    """Returns lines first to last as 12 or 12-14."""
    return str(first) if first == last else '{}-{}'.format(first, last)


def text(found, where, ranked=()):
    """Returns what the terminal says of found: the pairs of learners
    (ranked: learners()) first, then how many pairs of files were named
    of how many compared, each group of a task file, then each pair
    outside a group, and where to look."""
    named = sum(len(pairs) for pairs, _, _ in found.values())
    lines = learners_text(ranked) if ranked else []
    lines += ['similar: {} pair(s) of task files the same beyond the '
              'spec\'s skeleton, of {} compared (a pair is named where each '
              'file holds {:.0%} of the other\'s code beyond it at least, '
              'one holds {:.0%} of the other\'s, or the two are the same '
              'once names are set aside)'.format(
                  named, sum(count for _, _, count in found.values()),
                  SHARE, CONTAINED)]
    for file in FILES:
        pairs, grouped, count = found.get(file, ([], [], 0))
        for group in grouped:
            lines.append('  {}: one group of {}: {}'.format(
                file, len(group), ', '.join(report.plain(name)
                                            for name in group)))
        for pair in pairs:
            if any(pair.a.name in group for group in grouped):
                continue
            lines.append('  {}: {} and {}: {:.0%} and {:.0%}{}'.format(
                file, report.plain(pair.a.name), report.plain(pair.b.name),
                pair.share_a, pair.share_b, ''.join(
                    '; ' + report.plain(note) for note in (
                        pair.how(), pair.padding, pair.corroboration)
                    if note)))
    lines.append('side by side: {} (the teacher decides what a pair '
                 'means)'.format(where))
    return '\n'.join(lines)
