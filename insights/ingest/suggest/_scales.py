"""Answer vocabularies: recognise a column's answers as a known, ordered scale.

Each vocabulary lists its labels worst first. A position may have several spellings
("Neither agree nor disagree|Neutral"); the n-th spelling of every position together form
one variant of the scale, so unseen labels are filled in from the variant the export uses.
Matching is case-insensitive, but labels keep the spelling seen in the export because the
importer matches answers against the labels as written.
"""

from __future__ import annotations

import itertools
import re
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
        "i don't know",
        "idk",
        "prefer not to respond",
        "rather not say",
        "does not apply",
        "not relevant",
        "don't care",
        "no idea",
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
        """(position, variant) of an answer, or None when the answer is not on this scale.

        An exclamation mark does not change the answer ("Yes!" is at "Yes"), but it stays in
        the label, so "Yes!" and "Yes" columns are never put on one scale."""
        return self._positions.get(normalised) or self._positions.get(normalised.rstrip(" !"))

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
    _vocabulary("yesno", "yesno", "Yes/no", "No", "Maybe", "Yes"),
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
    _vocabulary(
        "favour5",
        "favourability",
        "Favourability",
        "Very unfavorable|Very unfavourable",
        "Somewhat unfavorable|Somewhat unfavourable|Mostly unfavorable|Mostly unfavourable|"
        "Unfavorable|Unfavourable",
        "Neither favorable nor unfavorable|Neither favourable nor unfavourable|Neutral",
        "Somewhat favorable|Somewhat favourable|Mostly favorable|Mostly favourable|Favorable|"
        "Favourable",
        "Very favorable|Very favourable",
    ),
    _vocabulary(
        "change5",
        "change",
        "Change",
        "Decreased|Decreased a lot|Decreased significantly|Gotten worse|Got worse|Worse|"
        "Significantly worse|Much worse",
        "Decreased a little|Decreased somewhat|Decreased slightly|Somewhat worse|Slightly worse|"
        "A little worse",
        "Stayed the same|Stayed about the same|About the same|No change|Unchanged|The same",
        "Increased a little|Increased somewhat|Increased slightly|Somewhat better|Slightly better|"
        "A little better",
        "Increased|Increased a lot|Increased significantly|Gotten better|Got better|Better|"
        "Significantly better|Much better",
    ),
    _vocabulary(
        "often5",
        "how often",
        "More or less often",
        "Much less often|A lot less often",
        "Less often|Less frequently|Less",
        "About the same|About as often|The same|No change|Same as before",
        "More often|More frequently|More",
        "Much more often|A lot more often",
    ),
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


_NUMBERED = re.compile(r"(-?\d{1,3})(?:\s*[-–—:=.)]\s*([^\W\d_].*)|\s*(\+)\s*\d{1,3})?")
SLIDER_CUT_OFF = 50  # a slider answer above this counts as positive, until a person says otherwise


@dataclass(frozen=True)
class ScaleSpec:
    """A scale suggested for one or more columns.

    ``labels`` holds only answers seen in the export, in the vocabulary's order: a scale is
    never padded with labels nobody chose (they change no count, and a padded scale can
    claim points the survey never offered). ``group`` is what columns must share to be
    put on one scale: the vocabulary, or for numbers the range they were read on.
    """

    base: str  # the name to give the scale (made unique by the caller)
    family: str
    comment: str
    labels: tuple[str, ...]
    positive: tuple[str, ...]
    codes: tuple[int, ...] | None = None
    alternatives: tuple[str, ...] = ()  # other fitting vocabularies that count differently
    missing: tuple[str, ...] = ()  # answers seen that mean "no answer" ("Don't know")
    placeholders: bool = False  # labels are stand-ins for the survey's answer texts
    group: tuple[object, ...] = ()
    positions: tuple[int, ...] = ()  # each label's position in its vocabulary

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


# "I'm not sure", "I am not informed enough about it": the speaker's "I'm" says nothing.
_SPEAKER = re.compile(r"^(?:i'm|i am) ")
_UNINFORMED = re.compile(r"^not (?:informed|familiar) enough\b")


def means_no_answer(answer: str) -> bool:
    """Whether an answer says "not answered" ("Don't know", "N/A", "Prefer not to say",
    "I'm not sure", "Not sure/Don't care"): every part of it around a slash does."""
    said = normalise(answer)
    return _says_no_answer(said) or all(_says_no_answer(part) for part in said.split("/"))


def _says_no_answer(part: str) -> bool:
    said = _SPEAKER.sub("", part.strip(" !"))
    return said in _NOT_ON_SCALE or _UNINFORMED.match(said) is not None


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
    on_scale = [a for a in distinct if not means_no_answer(a)]
    if not on_scale:
        return None
    not_on_scale = tuple(a for a in distinct if means_no_answer(a))
    fits = [(n, v, seen) for n, v in enumerate(VOCABULARIES) if (seen := _fit(v, on_scale))]
    if not fits:
        numbered = _numbered(on_scale, not_on_scale)
        return ScaleMatch(numbered, not_on_scale) if numbered else None
    index, vocabulary, seen = fits[0]
    counted = _canonical_positive(vocabulary)
    alternatives = tuple(
        dict.fromkeys(v.name for _, v, _ in fits[1:] if _canonical_positive(v) != counted)
    )
    spec = vocabulary_scale(index, dict(seen), not_on_scale, alternatives)
    return ScaleMatch(spec, not_on_scale)


def _fit(vocabulary: Vocabulary, answers: Sequence[str]) -> dict[int, str] | None:
    """Position → answer as written, or None if an answer is off the scale."""
    seen: dict[int, str] = {}
    for answer in answers:  # sorted, so "Agree" is kept over "agree" deterministically
        found = vocabulary.position(normalise(answer))
        if found is None:
            return None
        index = found[0]
        if index in seen and normalise(seen[index]) != normalise(answer):
            return None  # two different spellings for one position: not this vocabulary
        seen.setdefault(index, answer)
    return seen


def _canonical_positive(vocabulary: Vocabulary) -> frozenset[str]:
    return frozenset(normalise(vocabulary.spellings[i][0]) for i in vocabulary.positive_positions)


def vocabulary_scale(
    index: int,
    seen: dict[int, str],
    missing: tuple[str, ...] = (),
    alternatives: tuple[str, ...] = (),
) -> ScaleSpec:
    """The scale of VOCABULARIES[index] holding the answers seen at their positions.

    Positive is the vocabulary's top box among the labels seen; when nobody chose a
    positive answer, the vocabulary's top answers are added so the scale can count them."""
    vocabulary = VOCABULARIES[index]
    top = vocabulary.positive_positions
    if not any(i in seen for i in top):
        seen = seen | {i: vocabulary.spellings[i][0] for i in top}
    if len(seen) < 2:  # a scale needs two ends: add the worst answer, the one never chosen
        seen = {0: vocabulary.spellings[0][0]} | seen
    positions = tuple(sorted(seen))
    labels = tuple(seen[i] for i in positions)
    complete = len(positions) == len(vocabulary.spellings)
    base = vocabulary.name if complete else f"{vocabulary.name.rstrip('0123456789')}{len(labels)}"
    rule = "the affirmative answer" if len(top) == 1 else "the top two answers"
    if vocabulary.positive is None and len(top) == 2:
        rule = "top-2-box"
    comment = (
        f"{vocabulary.kind}, {len(labels)} of its {len(vocabulary.spellings)} points seen "
        f"(labels nobody chose are left out); codes 1..{len(labels)} follow the order of "
        f"`labels`. Positive = {rule}."
    )
    return ScaleSpec(
        base=base,
        family=vocabulary.family,
        comment=comment,
        labels=labels,
        positive=tuple(seen[i] for i in top if i in seen),
        alternatives=alternatives,
        missing=missing,
        group=("vocabulary", index),
        positions=positions,
    )


def merged(first: ScaleSpec, other: ScaleSpec) -> ScaleSpec | None:
    """One scale for two columns answered on the same vocabulary (grid rows, or questions
    offering the same answers), or None when they spell a position differently."""
    if first.group != other.group or first.group[:1] != ("vocabulary",):
        return None
    index = first.group[1]
    assert isinstance(index, int)
    seen = dict(zip(first.positions, first.labels, strict=True))
    for position, label in zip(other.positions, other.labels, strict=True):
        if normalise(seen.setdefault(position, label)) != normalise(label):
            return None
    missing = _distinct_answers(first.missing + other.missing)
    alternatives = tuple(dict.fromkeys(first.alternatives + other.alternatives))
    return vocabulary_scale(index, seen, missing, alternatives)


def _distinct_answers(answers: Iterable[str]) -> tuple[str, ...]:
    kept: dict[str, str] = {}
    for answer in answers:
        kept.setdefault(normalise(answer), answer)
    return tuple(kept.values())


def _numbered(answers: Sequence[str], missing: tuple[str, ...]) -> ScaleSpec | None:
    """Numbered labels ("1 - Not at all impressive", "2", …, "7 - Very impressive") or bins of
    a number scale ("1+2", …, "9+10"): at least one number carries a text (or is a bin) and
    every answer starts with a distinct number."""
    numbers: dict[int, str] = {}
    texts = 0
    for answer in answers:
        found = _NUMBERED.fullmatch(answer.strip())
        if found is None or int(found[1]) in numbers:
            return None
        numbers[int(found[1])] = answer
        texts += found[2] is not None or found[3] is not None  # a text, or bins ("5+6")
    if len(numbers) < 2 or not texts:
        return None
    order = sorted(numbers)
    labels = tuple(numbers[n] for n in order)
    step = min(b - a for a, b in itertools.pairwise(order))  # 2 for bins ("1+2", "3+4")
    points = (order[-1] - order[0]) // step + 1
    top = [n for n in order if n >= order[-1] - step] if points >= 4 else order[-1:]
    comment = (
        f"Numbered labels, {len(labels)} seen ({order[0]} to {order[-1]}), in number order. "
        f"Positive = {'the top two points' if points >= 4 else 'the highest point'} of "
        f"{order[0]}..{order[-1]} (those seen); check that the survey offered no higher number."
    )
    return ScaleSpec(
        base=f"numbered{len(labels)}",
        family="numbered",
        comment=comment,
        labels=labels,
        positive=tuple(numbers[n] for n in top),
        missing=missing,
        group=("numbered", tuple(normalise(label) for label in labels)),
    )


def numeric_codes(answers: Iterable[str]) -> ScaleSpec | None:
    """The scale of answers that are all whole numbers (see :func:`number_scale`)."""
    distinct = set(answers)
    if len(distinct) < 2 or not all(re.fullmatch(r"-?\d{1,3}", a) for a in distinct):
        return None
    numbers = {int(a) for a in distinct}
    return number_scale(min(numbers), max(numbers))


def number_scale(low: int, high: int) -> ScaleSpec | None:
    """A scale for whole-number answers from ``low`` to ``high``, or None.

    Codes −k…+k (k ≤ 5) count the codes above zero; 0/1…k (up to 0–10) count the top two
    codes (9–10 on 0–10, the promoters of a likelihood to recommend); a slider 0–100 counts
    answers above SLIDER_CUT_OFF. Every rule is stated in the comment for review.
    """
    if low < 0:
        k = max(-low, high)
        if k > 5 or high <= 0:
            return None
        codes = tuple(range(-k, k + 1))
        positive = tuple(str(c) for c in codes if c > 0)
        comment = (
            f"Negative codes {codes[0]}..+{codes[-1]} seen in the export (a scale around a "
            "neutral 0). Positive = the codes above 0. The labels are placeholders: replace "
            "them with the survey's answer labels, in code order."
        )
        return _codes_spec(f"bipolar{len(codes)}", comment, codes, positive, placeholders=True)
    if high - min(low, 1) + 1 <= MAX_CODES:
        codes = tuple(range(0 if low == 0 else 1, high + 1))
        if len(codes) < 2:
            return None
        positive = tuple(str(codes[i]) for i in _positive(len(codes)))
        if codes == tuple(range(11)):
            comment = (
                "Numbers 0..10 (NPS-style). Positive = 9 and 10 (the promoters); review if "
                "the question is not a likelihood to recommend."
            )
            return _codes_spec("scale0to10", comment, codes, positive, placeholders=False)
        comment = (
            f"Numeric codes {codes[0]}..{codes[-1]} seen in the export. Positive = "
            f"{'the top two codes' if len(positive) == 2 else 'the highest code'}. The labels "
            "are placeholders: replace them with the survey's answer labels, in code order."
        )
        return _codes_spec(f"codes{len(codes)}", comment, codes, positive, placeholders=True)
    if high <= 100:
        codes = tuple(range(101))
        positive = tuple(str(c) for c in codes if c > SLIDER_CUT_OFF)
        comment = (
            f"A slider 0..100. Positive = answers above {SLIDER_CUT_OFF}: a cut-off to review "
            "(move it by editing `positive`)."
        )
        return _codes_spec("slider", comment, codes, positive, placeholders=False)
    return None


def _codes_spec(
    base: str, comment: str, codes: tuple[int, ...], positive: tuple[str, ...], placeholders: bool
) -> ScaleSpec:
    labels = tuple(str(code) for code in codes)
    return ScaleSpec(
        base=base,
        family="codes",
        comment=comment,
        labels=labels,
        positive=positive,
        codes=codes,
        placeholders=placeholders,
        group=("codes", codes),
    )
