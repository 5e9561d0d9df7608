"""Answer vocabularies: recognise a column's answers as a known, ordered scale.

Each vocabulary lists its labels worst first. A position may have several spellings
("Neither agree nor disagree|Neutral"); the n-th spelling of every position together form
one variant of the scale, so unseen labels are filled in from the variant the export uses.
Matching is case-insensitive, but labels keep the spelling seen in the export because the
importer matches answers against the labels as written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

# Answers that mean "no answer on this scale"; they do not stop a column matching a scale,
# but they are reported because the importer only accepts the scale's labels.
_NOT_ON_SCALE = frozenset(
    {
        "n/a",
        "na",
        "not applicable",
        "don't know",
        "dont know",
        "do not know",
        "not sure",
        "unsure",
        "prefer not to say",
        "prefer not to answer",
        "no opinion",
        "can't say",
        "cannot say",
    }
)
_NEITHER_AGREE = "Neither agree nor disagree|Neither agree or disagree|Neutral"
_NEITHER_SATISFIED = "Neither satisfied nor dissatisfied|Neither satisfied or dissatisfied|Neutral"
MAX_CODES = 11  # 0..10 is the longest numeric scale in common use (likelihood to recommend)


@dataclass(frozen=True)
class Vocabulary:
    name: str
    family: str  # vocabularies of one family describe the same idea at different lengths
    kind: str  # how a TOML comment describes it
    spellings: tuple[tuple[str, ...], ...]  # per position, worst first
    positive: tuple[int, ...] | None = None  # positions; None: the rule in _positive

    def position(self, normalised: str) -> tuple[int, int] | None:
        """(position, variant) of an answer, or None when the answer is not on this scale."""
        return self._positions.get(normalised)

    @cached_property
    def _positions(self) -> dict[str, tuple[int, int]]:
        """Normalised spelling → its first (position, variant), worst position first."""
        found: dict[str, tuple[int, int]] = {}
        for index, spellings in enumerate(self.spellings):
            for variant, spelling in enumerate(spellings):
                found.setdefault(normalise(spelling), (index, variant))
        return found

    @property
    def positive_positions(self) -> tuple[int, ...]:
        return self.positive if self.positive is not None else _positive(len(self.spellings))


def _vocabulary(
    name: str, family: str, kind: str, *labels: str, positive: tuple[int, ...] | None = None
) -> Vocabulary:
    return Vocabulary(name, family, kind, tuple(tuple(x.split("|")) for x in labels), positive)


# Order matters: the first vocabulary that fits every answer wins, so common scales come
# before rarer ones that contain the same labels (agree5 before agree7, quality5 before 4).
VOCABULARIES: tuple[Vocabulary, ...] = (
    _vocabulary("yesno", "yesno", "Yes/no", "No|N", "Yes|Y"),
    _vocabulary("truefalse", "truefalse", "True/false", "False", "True"),
    _vocabulary(
        "agree5",
        "agreement",
        "Five-point agreement",
        "Strongly disagree",
        "Disagree",
        _NEITHER_AGREE,
        "Agree",
        "Strongly agree",
    ),
    _vocabulary(
        "agree5",
        "agreement",
        "Five-point agreement",
        "Strongly disagree",
        "Somewhat disagree",
        _NEITHER_AGREE,
        "Somewhat agree",
        "Strongly agree",
    ),
    _vocabulary(
        "agree7",
        "agreement",
        "Seven-point agreement",
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree|Slightly disagree",
        _NEITHER_AGREE,
        "Somewhat agree|Slightly agree",
        "Agree",
        "Strongly agree",
    ),
    _vocabulary(
        "importance5",
        "importance",
        "Five-point importance",
        "Not at all important",
        "Slightly important",
        "Moderately important",
        "Very important",
        "Extremely important",
    ),
    _vocabulary(
        "importance4",
        "importance",
        "Four-point importance",
        "Not important|Not at all important",
        "Somewhat important|Slightly important",
        "Important",
        "Very important",
    ),
    _vocabulary(
        "likely5",
        "likelihood",
        "Five-point likelihood",
        "Extremely unlikely|Very unlikely",
        "Somewhat unlikely|Unlikely",
        "Neither likely nor unlikely|Neutral",
        "Somewhat likely|Likely",
        "Extremely likely|Very likely",
    ),
    _vocabulary(
        "satisfied5",
        "satisfaction",
        "Five-point satisfaction",
        "Very dissatisfied|Extremely dissatisfied",
        "Dissatisfied|Somewhat dissatisfied",
        _NEITHER_SATISFIED,
        "Satisfied|Somewhat satisfied",
        "Very satisfied|Extremely satisfied",
    ),
    _vocabulary(
        "satisfied7",
        "satisfaction",
        "Seven-point satisfaction",
        "Extremely dissatisfied",
        "Moderately dissatisfied",
        "Slightly dissatisfied",
        _NEITHER_SATISFIED,
        "Slightly satisfied",
        "Moderately satisfied",
        "Extremely satisfied",
    ),
    _vocabulary(
        "frequency5",
        "frequency",
        "Five-point frequency",
        "Never",
        "Rarely|Seldom",
        "Sometimes|Occasionally",
        "Often|Usually|Frequently|Very often",
        "Always",
    ),
    _vocabulary(
        "frequency5",
        "frequency",
        "Five-point frequency",
        "Never",
        "Sometimes",
        "About half the time",
        "Most of the time",
        "Always",
    ),
    _vocabulary(
        "quality5",
        "quality",
        "Five-point quality",
        "Poor",
        "Fair",
        "Good",
        "Very good",
        "Excellent",
    ),
    _vocabulary("quality4", "quality", "Four-point quality", "Poor", "Fair", "Good", "Excellent"),
    # Invented for the study's "necessary or helpful" wording; both count as positive.
    # Common misspellings of "necessary" are listed because free-typed choices carry them.
    _vocabulary(
        "necessity3",
        "necessity",
        "Three-point necessity",
        "Not needed|Not necessary|Unnecessary|Not required|Not neccessary|Unneccessary",
        "Helpful|Useful|Nice to have|Helpfull",
        "Necessary|Essential|Required|Needed|Neccessary|Necesary|Neccesary",
        positive=(1, 2),
    ),
)


@dataclass(frozen=True)
class ScaleSpec:
    """A scale suggested for one column; columns with equal ``key`` share a scale."""

    base: str  # the name to give the scale (made unique by the caller)
    family: str
    comment: str
    labels: tuple[str, ...]
    positive: tuple[str, ...]
    codes: tuple[int, ...] | None = None
    alternatives: tuple[str, ...] = ()  # other fitting vocabularies that count differently

    @property
    def key(self) -> tuple[tuple[str, ...], tuple[int, ...] | None]:
        return tuple(label.casefold() for label in self.labels), self.codes

    @property
    def numeric(self) -> bool:
        return self.codes is not None


@dataclass(frozen=True)
class ScaleMatch:
    spec: ScaleSpec
    not_on_scale: tuple[str, ...]  # answers such as "Don't know" that the scale lacks


def normalise(answer: str) -> str:
    """Fold case, curly apostrophes, spacing and trailing full stops so spellings compare."""
    folded = answer.replace("\u2019", "'").casefold()
    return re.sub(r"\s+", " ", folded).strip(" .")


def _positive(points: int) -> tuple[int, ...]:
    # Affirmative (last) answer for 2- and 3-point scales, top-2-box from four points up.
    return (points - 1,) if points <= 3 else (points - 2, points - 1)


def match_scale(answers: Iterable[str]) -> ScaleMatch | None:
    """The first known vocabulary that fits every answer (ignoring "Don't know" and kin).

    The columns of a survey share a few sets of short answers, so those are matched once
    and remembered (a few hundred, never long texts)."""
    distinct = tuple(sorted(set(answers)))
    if sum(map(len, distinct)) <= _REMEMBERED_CHARS:
        return _match_remembered(distinct)
    return _match_distinct(distinct)


_REMEMBERED_CHARS = 2048


@lru_cache(maxsize=256)
def _match_remembered(distinct: tuple[str, ...]) -> ScaleMatch | None:
    return _match_distinct(distinct)


def _match_distinct(distinct: tuple[str, ...]) -> ScaleMatch | None:
    on_scale = [a for a in distinct if normalise(a) not in _NOT_ON_SCALE]
    if not on_scale:
        return None
    fits = [(v, seen) for v in VOCABULARIES if (seen := _fit(v, on_scale)) is not None]
    if not fits:
        return None
    vocabulary, seen = fits[0]
    counted = _canonical_positive(vocabulary)
    alternatives = tuple(
        dict.fromkeys(v.name for v, _ in fits[1:] if _canonical_positive(v) != counted)
    )
    spec = _spec(vocabulary, seen, alternatives)
    not_on_scale = tuple(a for a in distinct if a not in on_scale)
    return ScaleMatch(spec, not_on_scale)


def _fit(vocabulary: Vocabulary, answers: Sequence[str]) -> dict[int, tuple[str, int]] | None:
    """Position → (answer as written, variant), or None if an answer is off the scale."""
    seen: dict[int, tuple[str, int]] = {}
    for answer in answers:  # sorted, so "Agree" is kept over "agree" deterministically
        found = vocabulary.position(normalise(answer))
        if found is None:
            return None
        index, variant = found
        if index in seen and normalise(seen[index][0]) != normalise(answer):
            return None  # two different spellings for one position: not this vocabulary
        seen.setdefault(index, (answer, variant))
    return seen


def _canonical_positive(vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(normalise(vocabulary.spellings[i][0]) for i in vocabulary.positive_positions)


def _spec(
    vocabulary: Vocabulary, seen: dict[int, tuple[str, int]], alternatives: tuple[str, ...]
) -> ScaleSpec:
    # Unseen labels follow the variant most seen answers use; on a tie, the canonical one.
    ranked = Counter(variant for _, variant in seen.values()).most_common()
    tied = len(ranked) > 1 and ranked[0][1] == ranked[1][1]
    variant = 0 if tied else ranked[0][0]
    labels = tuple(
        seen[i][0] if i in seen else spellings[variant if variant < len(spellings) else 0]
        for i, spellings in enumerate(vocabulary.spellings)
    )
    points = len(labels)
    rule = "the affirmative answer" if points <= 3 else "top-2-box"
    if vocabulary.positive is not None:
        rule = "the top two answers"
    comment = (
        f"{vocabulary.kind}; codes 1..{points} follow the order of `labels`. Positive = {rule}."
    )
    positive = tuple(labels[i] for i in vocabulary.positive_positions)
    return ScaleSpec(
        vocabulary.name, vocabulary.family, comment, labels, positive, None, alternatives
    )


def numeric_codes(answers: Iterable[str]) -> ScaleSpec | None:
    """A placeholder scale for answers that are all small whole numbers (numeric exports)."""
    distinct = set(answers)
    if len(distinct) < 2 or not all(re.fullmatch(r"\d{1,2}", a) for a in distinct):
        return None
    numbers = {int(a) for a in distinct}
    first = 0 if 0 in numbers else 1  # a scale is assumed to start at 1 unless 0 is seen
    codes = tuple(range(first, max(numbers) + 1))
    if len(codes) > MAX_CODES:
        return None
    labels = tuple(str(code) for code in codes)
    positive = tuple(labels[i] for i in _positive(len(codes)))
    comment = (
        f"Numeric codes {codes[0]}..{codes[-1]} seen in the export. The labels are placeholders:"
        " replace them with the survey's answer labels, in code order."
    )
    return ScaleSpec(f"codes{len(codes)}", "codes", comment, labels, positive, codes)
