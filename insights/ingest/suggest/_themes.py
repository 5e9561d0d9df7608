"""Pair personal and organization questions into themes, and name every theme.

Nothing here compares every question with every other: similar statements are found
through an index of their words, and each theme's closest sibling through tries of the
statements' first and last words. The work grows with the number of questions (times
the few counterparts each has), so an export of thousands of columns is read in seconds;
the result is the one comparing every pair would give (benchmarks/suggest.py keeps that
way as its baseline, and a test checks the two agree).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from insights.ingest.codebook import Perspective
from insights.ingest.suggest._notes import listed
from insights.ingest.suggest._wording import Names, Wording, stem, tokens, word_set

# Pairs must share most of their topic words once the perspective phrase is gone: a lower
# bar pairs different questions that merely share "customer empathy".
PAIR_THRESHOLD = 0.6
CLOSE = 0.1  # a rival pairing this close to the chosen one is worth a person's look
NAME_WORDS = 4
# Sharing this many words at the start or end, two statements read as siblings (rows of
# one grid, or variations on one claim) whose shared wording says nothing about either.
AFFIX_WORDS = 2
# Words that frame a statement rather than say what it is about; never used in names.
_FILLER = word_set(
    "create define implement make makes help helps helping effective able extent rate "
    "following statement statements"
)
# Notes about pairs not made on account of their scales, before "and N more".
MISMATCHED_NOTES = 20
# Leading or trailing words compared when looking for a theme's closest sibling; no survey
# statement shares more than this with another.
AFFIX_DEPTH = 32

Score = tuple[float, int, int]  # (similarity, personal candidate, organization candidate)


@dataclass(frozen=True)
class Candidate:
    column: str
    scale: str
    wording: Wording
    text: str = ""  # the question as asked, quoted when a pairing is shown for review


@dataclass(frozen=True)
class Themed:
    column: str
    theme: str
    perspective: Perspective | None


@dataclass(frozen=True)
class Themes:
    questions: tuple[Themed, ...]  # in candidate order
    notes: tuple[str, ...]


def assign_themes(candidates: Sequence[Candidate], taken: set[str]) -> Themes:
    """Pair, then name; ``taken`` holds names already in use (they are avoided, then added)."""
    scores = _scores(candidates)
    pairs = _pairs(candidates, scores)
    partner = pairs | {j: i for i, j in pairs.items()}
    singles = [k for k in range(len(candidates)) if k not in partner]
    groups = [(i, candidates[i].wording.words) for i in sorted(pairs)] + [
        (k, candidates[k].wording.words) for k in singles
    ]
    # Pairs are named against pairs and singles against singles: what sets two paired themes
    # apart is what matters, not what they share with the organization-only questions.
    names = _names([g for _, g in groups[: len(pairs)]])
    names += _names([g for _, g in groups[len(pairs) :]])
    unique = Names(taken)
    theme_of = {
        k: unique.unique(name or _fallback(candidates[k].column))
        for (k, _), name in zip(groups, names, strict=True)
    }
    theme_of |= {j: theme_of[i] for i, j in pairs.items()}
    # A statement naming no side ("X is a necessary precaution") is the respondent's own
    # view once it pairs with one about others ("people in my community are doing X").
    questions = tuple(
        Themed(
            c.column,
            theme_of[k],
            (c.wording.perspective or "personal") if k in partner else None,
        )
        for k, c in enumerate(candidates)
    )
    notes = (
        _paired(candidates, pairs)
        + _ambiguities(candidates, scores, pairs)
        + _mismatched(candidates, scores, partner)
        + _unpaired(candidates, singles)
    )
    return Themes(questions, tuple(notes))


# --- pairing ---------------------------------------------------------------------------


def _scores(candidates: Sequence[Candidate]) -> list[Score]:
    """Every personal × organization pairing similar enough to consider, best first.

    Similarity is the Jaccard index of the stemmed topic words. Two word sets that similar
    share a word among the rarest few of each (prefix filtering): an organization
    statement is indexed under its rarest words only, and a personal statement compared
    with those its own rarest words lead to, so common words ("customer", "empathy") never
    bring every statement into every comparison.
    """
    stems = [frozenset(stem(w) for w in c.wording.words) for c in candidates]
    personal = _with_perspective(candidates, stems, "personal")
    personal += _with_perspective(candidates, stems, None)
    organization = _with_perspective(candidates, stems, "organization")
    frequency: dict[str, int] = defaultdict(int)
    for k in personal + organization:
        for word in stems[k]:
            frequency[word] += 1

    def rarest(k: int) -> list[str]:
        words = sorted(stems[k], key=lambda word: (frequency[word], word))
        return words[: _prefix(len(words))]

    index: dict[str, list[int]] = defaultdict(list)
    for j in organization:
        for word in rarest(j):
            index[word].append(j)
    found: list[Score] = []
    for i in personal:
        compared: set[int] = set()
        for word in rarest(i):
            for j in index.get(word, ()):
                if j not in compared:
                    compared.add(j)
                    score = len(stems[i] & stems[j]) / len(stems[i] | stems[j])
                    if score >= PAIR_THRESHOLD:
                        found.append((score, i, j))
    return sorted(found, key=lambda s: (-s[0], s[1], s[2]))


def _with_perspective(
    candidates: Sequence[Candidate], stems: list[frozenset[str]], perspective: Perspective | None
) -> list[int]:
    return [
        k for k, c in enumerate(candidates) if c.wording.perspective == perspective and stems[k]
    ]


def _prefix(size: int) -> int:
    """How many of a word set's rarest words any set similar enough must share one of: a
    set of ``size`` words shares at least ceil(threshold × size) with such a set.
    (Fraction: the threshold exactly as the float the scores are compared with.)"""
    return size - math.ceil(Fraction(PAIR_THRESHOLD) * size) + 1


def _pairs(candidates: Sequence[Candidate], scores: list[Score]) -> dict[int, int]:
    """Greedy best-first matching; a pair must share a scale for its gap to mean anything."""
    pairs: dict[int, int] = {}
    paired: set[int] = set()
    for _, i, j in scores:
        if i in pairs or j in paired:
            continue
        if candidates[i].scale == candidates[j].scale:
            pairs[i] = j
            paired.add(j)
    return pairs


def _paired(candidates: Sequence[Candidate], pairs: dict[int, int]) -> list[str]:
    """Every pairing, quoted, for a person to confirm: pairs are read from wording."""
    return [
        f"Paired for review: {_quoted(candidates[i], 'personal')} with "
        f"{_quoted(candidates[j], 'organization')}; confirm they ask the same thing from the "
        "two sides, or remove the perspective lines."
        for i, j in sorted(pairs.items())
    ]


def _quoted(candidate: Candidate, side: str) -> str:
    said = " ".join(candidate.text.split())
    said = said if len(said) <= 90 else said[:89] + "…"
    return f'{candidate.column} ({side}: "{said}")' if said else f"{candidate.column} ({side})"


def _ambiguities(
    candidates: Sequence[Candidate], scores: list[Score], pairs: dict[int, int]
) -> list[str]:
    chosen = {(i, j): score for score, i, j in scores if pairs.get(i) == j}
    best = {k: score for (i, j), score in chosen.items() for k in (i, j)}
    involving: dict[int, list[int]] = defaultdict(list)  # candidate → positions in scores
    for position, (_, i, j) in enumerate(scores):
        involving[i].append(position)
        involving[j].append(position)
    notes = []
    for (i, j), score in chosen.items():
        # Pairings sharing exactly one side with the chosen pair, in the order of scores.
        positions = sorted(set(involving[i]).symmetric_difference(involving[j]))
        rivals = [
            candidates[j2 if i2 == i else i2].column
            for s2, i2, j2 in (scores[p] for p in positions)
            if s2 >= score - CLOSE
            and candidates[i2].scale == candidates[j2].scale
            and best.get(j2 if i2 == i else i2, 0.0) <= s2  # rival not better placed elsewhere
        ]
        if rivals:
            notes.append(
                f"{candidates[i].column} was paired with {candidates[j].column}, but "
                f"{listed(rivals)} reads almost as close; check which questions belong together."
            )
    return notes


def _mismatched(
    candidates: Sequence[Candidate], scores: list[Score], partner: dict[int, int]
) -> list[str]:
    notes = [
        f"{candidates[i].column} and {candidates[j].column} read as a personal/organization "
        f"pair but use different scales ({candidates[i].scale}, {candidates[j].scale}), "
        "so they were not paired."
        for _, i, j in scores
        if i not in partner and j not in partner and candidates[i].scale != candidates[j].scale
    ]
    if len(notes) <= MISMATCHED_NOTES:
        return notes
    more = len(notes) - MISMATCHED_NOTES
    return [*notes[:MISMATCHED_NOTES], f"{more} more such pairs were not paired either."]


def _unpaired(candidates: Sequence[Candidate], singles: list[int]) -> list[str]:
    lonely = [
        f"{candidates[k].column} ({candidates[k].wording.perspective})"
        for k in singles
        if candidates[k].wording.perspective
    ]
    if not lonely:
        return []
    return [
        f"No counterpart was found for {len(lonely)} perspective question(s), so they are "
        f"single-perspective themes: {', '.join(lonely)}."
    ]


# --- naming ----------------------------------------------------------------------------


def _names(groups: list[tuple[str, ...]]) -> list[str]:
    """Up to NAME_WORDS words per group: what is left once the wording it shares with its
    closest sibling is cut off.

    Sibling statements share a stem at the start ("customer empathy is necessary …") or the
    end ("… develop customer empathy"); the words in between say what each is about. Only
    whole runs at either end are cut, so "customer empathy" is never split in two. The
    closest sibling is the first of those sharing the most words at both ends together.
    """
    cleaned = [tuple(w for w in g if w not in _FILLER) or g for g in groups]
    siblings = _Siblings([tuple(stem(w) for w in words) for words in cleaned])
    names = []
    for k, words in enumerate(cleaned):
        head, tail = siblings.closest_affixes(k)
        if head + tail < AFFIX_WORDS or head + tail >= len(words):
            head = tail = 0
        kept = list(words[head : len(words) - tail])
        names.append(" ".join(kept[-NAME_WORDS:])[:80].strip())
    return names


class _Siblings:
    """Statements (stemmed word sequences) indexed by how they start and end.

    Each statement's first and last ``d`` words are nodes of two tries (``d`` up to
    AFFIX_DEPTH). A bucket keyed by a (start node, end node) pair holds the first two
    statements that begin with the one and end with the other and are long enough for
    both; so "which statement shares h leading and t trailing words with this one" is one
    look-up. A statement is filed only under nodes some other statement passes through.
    """

    def __init__(self, statements: list[tuple[str, ...]]) -> None:
        self.statements = statements
        self.starts = _trie_paths(statements)
        self.ends = _trie_paths([s[::-1] for s in statements])
        self.shared_start = _shared_depths(self.starts)
        self.shared_end = _shared_depths(self.ends)
        self.buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
        for m, words in enumerate(statements):
            for head in range(self.shared_start[m] + 1):
                for tail in range(min(self.shared_end[m], len(words) - head) + 1):
                    bucket = self.buckets[self.starts[m][head], self.ends[m][tail]]
                    if len(bucket) < 2:  # statements are filed in order: the first two
                        bucket.append(m)

    def closest_affixes(self, k: int) -> tuple[int, int]:
        """(leading, trailing) words statement ``k`` shares with its closest sibling: the
        first statement for which the two add up to the most (below AFFIX_WORDS, or all of
        ``k``, the split does not matter: nothing is cut)."""
        words = self.statements[k]
        most = min(len(words), self.shared_start[k] + self.shared_end[k])
        for total in range(most, AFFIX_WORDS - 1, -1):
            first = self._first_sharing(k, total)
            if first is not None:
                return (0, 0) if total == len(words) else _affixes(words, self.statements[first])
        return 0, 0

    def _first_sharing(self, k: int, total: int) -> int | None:
        """The first statement sharing ``total`` words at the two ends with ``k``, if any.

        Searched from the most words down, the first total found is the most any statement
        shares: every statement sharing h and t words (h + t = total) is then found under
        (h, t), and shares exactly ``total``.
        """
        found = None
        for head in range(max(0, total - self.shared_end[k]), min(total, self.shared_start[k]) + 1):
            bucket = self.buckets.get((self.starts[k][head], self.ends[k][total - head]), [])
            other = next((m for m in bucket if m != k), None)
            if other is not None and (found is None or other < found):
                found = other
        return found


def _trie_paths(statements: list[tuple[str, ...]]) -> list[list[int]]:
    """Each statement's trie nodes for its first 0, 1, … AFFIX_DEPTH words (node 0: none)."""
    nodes: dict[tuple[int, str], int] = {}
    paths = []
    for words in statements:
        path = [0]
        for word in words[:AFFIX_DEPTH]:
            path.append(nodes.setdefault((path[-1], word), len(nodes) + 1))
        paths.append(path)
    return paths


def _shared_depths(paths: list[list[int]]) -> list[int]:
    """How deep each statement's path runs through nodes another statement passes too."""
    visits: dict[int, int] = defaultdict(int)
    for path in paths:
        for node in path:
            visits[node] += 1
    return [
        max((d for d, node in enumerate(path) if visits[node] > 1), default=0) for path in paths
    ]


def _affixes(words: tuple[str, ...], other: tuple[str, ...]) -> tuple[int, int]:
    """How many leading and trailing words two statements (stemmed) share."""
    head = 0
    while head < min(len(words), len(other)) and words[head] == other[head]:
        head += 1
    tail = 0
    while tail < min(len(words), len(other)) - head and words[-1 - tail] == other[-1 - tail]:
        tail += 1
    return head, tail


def _fallback(column: str) -> str:
    return " ".join(tokens(column))[:80] or column.strip().lower()[:80]
