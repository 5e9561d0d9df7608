"""Matching people's words to a theme by its name *and its questions' wording*.

"does the company track empathy" names no theme, but its words are those of the question
"My organization measures customer empathy" once each word is reduced to a stem and
everyday synonyms are folded together ("company" → organization, "track" → measure).

A theme is chosen only when it is clearly the best match: its distinctive words (those few
themes share) outweigh every other theme's. Words every theme shares ("empathy",
"customer", "organization") decide nothing. The synonyms are ordinary English about
beliefs, organizations and measuring, never a survey's own names.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Everyday words people use for the words surveys use: each group folds into the stem of
# its first word.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("organization", "company", "companies", "firm", "employer", "org", "orgs",
     "organisation", "workplace"),
    ("leader", "leadership", "exec", "execs", "executive", "executives", "c-suite"),
    ("manager", "management", "boss", "bosses", "supervisor"),
    ("staff", "employee", "employees", "frontline", "workforce", "teammates"),
    ("measure", "track", "monitor", "quantify", "metric", "metrics", "kpi", "kpis", "gauge",
     "assess", "evaluate", "measurement"),
    ("necessary", "necessity", "essential", "need", "needed", "required", "requirement",
     "vital", "crucial", "critical", "important", "importance", "must", "indispensable"),
    ("develop", "grow", "growing", "build", "building", "train", "training", "foster",
     "nurture", "coach", "coaching", "teach", "cultivate"),
    ("value", "roi", "revenue", "profit", "profits", "money", "worth", "payoff", "returns"),
    ("understand", "grasp", "realise", "realize", "recognise", "recognize", "appreciate"),
)  # fmt: skip

# Words of a question that say nothing about its topic.
STOPWORDS = frozenset(
    """
    a about all am an and any are as at be believe believes by can do does for from has have
    how i in is it its my of on or our personally that the their them they this to we what
    which who why will with you your think thinks
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_SUFFIXES = (
    "ational", "ization", "isation", "ations", "ation", "ness", "ments", "ment", "ities",
    "ity", "ary", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s", "e", "y", "al",
    "ic", "ive", "ial",
)  # fmt: skip


def _bare_stem(word: str) -> str:
    """Lower case, letters only, common English suffixes removed (at most two), keeping at
    least three letters: 'necessity' and 'necessary' both give 'necess'."""
    word = re.sub(r"[^a-z]", "", word.casefold())
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
    return word


SYNONYMS: dict[str, str] = {
    _bare_stem(word): _bare_stem(group[0]) for group in SYNONYM_GROUPS for word in group
}


def stem(word: str) -> str:
    """A word's stem, folded to its synonym group's stem."""
    bare = _bare_stem(word)
    return SYNONYMS.get(bare, bare)


def stems(words: Iterable[str]) -> list[str]:
    """The stems of the words that carry meaning."""
    found = []
    for word in words:
        for part in re.split(r"[^0-9A-Za-z']+", word):
            part = part.casefold().removesuffix("'s").strip("'")
            if part and part not in STOPWORDS:
                found.append(stem(part))
    return [s for s in found if s]


@dataclass(frozen=True)
class ThemeWords:
    """A theme's name stems and every stem of its name and question texts."""

    theme: str
    name: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class Match:
    """The theme chosen and the indices of the words that chose it."""

    theme: str
    used: frozenset[int]


class ThemeMatcher:
    """Chooses a theme for a question's words, or none when no theme clearly wins."""

    def __init__(self, themes: Sequence[tuple[str, Sequence[str]]]) -> None:
        """``themes``: each theme's name and its questions' texts."""
        self.themes = [
            ThemeWords(
                name,
                frozenset(stems([name])),
                frozenset(stems([name, *texts])),
            )
            for name, texts in themes
        ]
        count = len(self.themes)
        seen: dict[str, int] = {}
        for theme in self.themes:
            for word in theme.words:
                seen[word] = seen.get(word, 0) + 1
        # A word every theme has weighs nothing; a word of one theme weighs most.
        self.weight = {w: math.log((count + 1) / n) if n < count else 0.0 for w, n in seen.items()}

    def match(
        self, words: Sequence[str], reserved: Iterable[int] = (), names: Iterable[int] = ()
    ) -> Match | None:
        """The theme whose distinctive words the question uses clearly most, if any.

        A theme wins with at least one distinctive word of its name among the question's,
        not counting the ``names`` (words that name a group: "staff" alone is a group,
        "developing staff" a theme), and a score a quarter above its runner-up's (so
        "develop" alone, shared by three themes, picks none of them). ``reserved`` words
        (a negation, a time word, a wave) are never a theme's."""
        kept = set(names)
        skipped = set(reserved)
        stemmed = [
            (i, s) for i, word in enumerate(words) if i not in skipped for s in stems([word])
        ]
        scored = []
        for theme in self.themes:
            hits = {s for _, s in stemmed if s in theme.words}
            named = {s for s in hits if s in theme.name and self.weight.get(s, 0) > 0}
            free = {s for i, s in stemmed if i not in kept and s in named}
            score = sum(self.weight.get(s, 0.0) for s in hits) + sum(
                self.weight.get(s, 0.0) for s in named
            )
            scored.append((score, bool(free), theme))
        scored.sort(key=lambda item: -item[0])
        if not scored or scored[0][0] <= 0 or not scored[0][1]:
            return None
        best, _, theme = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        if best < 1.25 * runner_up:
            return None
        # A group's name joins the theme only as part of the theme's own name.
        used = frozenset(
            i
            for i, s in stemmed
            if s in theme.words and self.weight.get(s, 0) > 0 and (i not in kept or s in theme.name)
        )
        return Match(theme.theme, used)
