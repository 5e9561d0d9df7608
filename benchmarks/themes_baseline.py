"""The pairing and naming of themes as ``codebook suggest`` did them before issue 13: every
personal statement compared with every organization statement, and every theme's name
with every other's. Kept only as the baseline of ``benchmarks/suggest.py`` and as the
reference ``tests/test_suggest_themes_scale.py`` checks the indexed version against.
"""

from __future__ import annotations

from collections.abc import Sequence

from insights.ingest.suggest._themes import (
    _FILLER,
    AFFIX_WORDS,
    CLOSE,
    NAME_WORDS,
    PAIR_THRESHOLD,
    Candidate,
    Themed,
    Themes,
    _paired,
)
from insights.ingest.suggest._wording import similarity, stem, tokens


def _unique_name(name: str, taken: set[str]) -> str:
    base = name.strip().lower()[:76] or "unnamed"
    unique, n = base, 1
    while unique in taken:
        n += 1
        unique = f"{base} {n}"
    taken.add(unique)
    return unique


Score = tuple[float, int, int]  # (similarity, personal candidate, organization candidate)


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
    theme_of = {
        k: _unique_name(name or _fallback(candidates[k].column), taken)
        for (k, _), name in zip(groups, names, strict=True)
    }
    theme_of |= {j: theme_of[i] for i, j in pairs.items()}
    questions = tuple(
        Themed(
            c.column, theme_of[k], (c.wording.perspective or "personal") if k in partner else None
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


def _scores(candidates: Sequence[Candidate]) -> list[Score]:
    """Every personal × organization pairing similar enough to consider, best first."""
    found: list[Score] = []
    for i, personal in enumerate(candidates):
        if personal.wording.perspective not in ("personal", None):  # unmarked: own view
            continue
        for j, organization in enumerate(candidates):
            if organization.wording.perspective != "organization":
                continue
            score = similarity(personal.wording.words, organization.wording.words)
            if score >= PAIR_THRESHOLD:
                found.append((score, i, j))
    return sorted(found, key=lambda s: (-s[0], s[1], s[2]))


def _pairs(candidates: Sequence[Candidate], scores: list[Score]) -> dict[int, int]:
    """Greedy best-first matching; a pair must share a scale for its gap to mean anything."""
    pairs: dict[int, int] = {}
    for _, i, j in scores:
        if i in pairs or j in pairs.values():
            continue
        if candidates[i].scale == candidates[j].scale:
            pairs[i] = j
    return pairs


def _ambiguities(
    candidates: Sequence[Candidate], scores: list[Score], pairs: dict[int, int]
) -> list[str]:
    chosen = {(i, j): score for score, i, j in scores if pairs.get(i) == j}
    best = {k: score for (i, j), score in chosen.items() for k in (i, j)}
    notes = []
    for (i, j), score in chosen.items():
        rivals = [
            candidates[j2 if i2 == i else i2].column
            for s2, i2, j2 in scores
            if ((i2 == i) != (j2 == j))
            and s2 >= score - CLOSE
            and candidates[i2].scale == candidates[j2].scale
            and best.get(j2 if i2 == i else i2, 0.0) <= s2  # rival not better placed elsewhere
        ]
        if rivals:
            notes.append(
                f"{candidates[i].column} was paired with {candidates[j].column}, but "
                f"{', '.join(rivals)} reads almost as close; check which questions belong together."
            )
    return notes


def _mismatched(
    candidates: Sequence[Candidate], scores: list[Score], partner: dict[int, int]
) -> list[str]:
    return [
        f"{candidates[i].column} and {candidates[j].column} read as a personal/organization "
        f"pair but use different scales ({candidates[i].scale}, {candidates[j].scale}), "
        "so they were not paired."
        for _, i, j in scores
        if i not in partner and j not in partner and candidates[i].scale != candidates[j].scale
    ]


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


def _names(groups: list[tuple[str, ...]]) -> list[str]:
    """Up to NAME_WORDS words per group: what is left once the wording it shares with its
    closest sibling is cut off.

    Sibling statements share a stem at the start ("customer empathy is necessary …") or the
    end ("… develop customer empathy"); the words in between say what each is about. Only
    whole runs at either end are cut, so "customer empathy" is never split in two.
    """
    cleaned = [tuple(w for w in g if w not in _FILLER) or g for g in groups]
    names = []
    for k, words in enumerate(cleaned):
        head, tail = max(
            (_affixes(words, other) for m, other in enumerate(cleaned) if m != k),
            key=sum,
            default=(0, 0),
        )
        if head + tail < AFFIX_WORDS or head + tail >= len(words):
            head = tail = 0
        kept = list(words[head : len(words) - tail])
        names.append(" ".join(kept[-NAME_WORDS:])[:80].strip())
    return names


def _affixes(words: tuple[str, ...], other: tuple[str, ...]) -> tuple[int, int]:
    """How many leading and trailing words two statements share (stems compared)."""
    a, b = [stem(w) for w in words], [stem(w) for w in other]
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _fallback(column: str) -> str:
    return " ".join(tokens(column))[:80] or column.strip().lower()[:80]
