"""Decide what each column of an export is: a rated question, a segment, or neither."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from insights.exports._model import Column
from insights.suggest._scales import ScaleSpec, match_scale, numeric_codes
from insights.suggest._scan import Profile
from insights.suggest._wording import looks_demographic, read_wording, word_set

SEGMENT_MAX = 30  # more different answers than this do not make a useful breakdown
SHORT_ANSWER = 60  # characters; a longer answer is prose, not a category
_MAX_WORDS = 8
_FEW = 5  # below this many answers, all-different answers are no evidence of an id column
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_DATE = re.compile(
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})(?:[ T]\d{1,2}:\d{2}.*)?"
)
# Why a column was skipped, as a person reading the notes needs it explained.
REASONS = {
    "metadata": "platform bookkeeping",
    "empty": "no answers",
    "free text": "long or many different answers",
    "id": "a different value in nearly every row",
    "numeric": "numbers that are not a short rating scale",
    "date": "dates",
    "single-answer": "every answer the same, so nothing to compare",
    "many-valued": f"more than {SEGMENT_MAX} different short answers, too many for a segment",
    "unrecognised-scale": "question wording, but answers on no known scale",
    "repeated": "a column id that appears more than once",
}
_ID_NAMES = word_set(
    "respondentid responseid respondent id participantid participant recordid responderid respid"
)


@dataclass(frozen=True)
class Asked:
    """A question answered on a scale."""

    column: Column
    scale: ScaleSpec
    not_on_scale: tuple[str, ...] = ()  # answers seen that the scale has no label for


@dataclass(frozen=True)
class Grouping:
    """A categorical column to break results down by."""

    column: Column
    values: tuple[str, ...]
    coded: bool = False  # answers are numeric codes, not the choices' text


@dataclass(frozen=True)
class Skip:
    reason: str  # a key of REASONS
    values: tuple[str, ...] = ()  # a sample, for reasons a person must act on


Kind = Asked | Grouping | Skip


def classify(column: Column, profile: Profile) -> Kind:
    if profile.answered == 0:
        return Skip("empty")
    values = list(profile.values)
    if profile.overflow:
        return Skip(_bulk_reason(values, profile) or "free text")
    matched = match_scale(values)
    if matched is not None:
        return Asked(column, matched.spec, matched.not_on_scale)
    if profile.longest > SHORT_ANSWER or any(len(v.split()) > _MAX_WORDS for v in values):
        return Skip("free text")
    if len(values) == 1:
        return Skip("single-answer")
    if all(_NUMBER.fullmatch(v) for v in values):
        return _numeric(column, values)
    if all(_DATE.fullmatch(v) for v in values):
        return Skip("date")
    if read_wording(column).perspective:
        return Skip("unrecognised-scale", tuple(values[:6]))
    if len(values) > SEGMENT_MAX or _all_different(values, profile):
        many = "many-valued" if len(values) > SEGMENT_MAX else "id"
        return Skip(_bulk_reason(values, profile) or many)
    return Grouping(column, tuple(values))


def _numeric(column: Column, values: Sequence[str]) -> Kind:
    spec = numeric_codes(values)
    if spec is None:
        return Skip("numeric")
    # A numeric export codes demographic choices too; their wording tells them apart.
    if looks_demographic(column):
        return Grouping(column, tuple(sorted(values, key=int)), coded=True)
    return Asked(column, spec)


def _all_different(values: Sequence[str], profile: Profile) -> bool:
    """No two respondents gave the same answer: the column identifies people, not groups."""
    return len(values) == profile.answered >= _FEW


def _bulk_reason(sample: Sequence[str], profile: Profile) -> str | None:
    """Why a column with many distinct answers is skipped, judged from a sample of them.

    None when the answers look like short categories (a long list of countries, say).
    """
    if all(_DATE.fullmatch(v) for v in sample):
        return "date"
    if all(_NUMBER.fullmatch(v) for v in sample):
        return "numeric"
    words = sum(len(v.split()) for v in sample) / len(sample)
    if profile.longest > SHORT_ANSWER or words >= 3:
        return "free text"
    return "id" if not any(" " in v for v in sample) else None


def id_like(column: Column) -> bool:
    """Whether a column's name says it holds respondent ids ("respondent_id", "Response ID")."""
    names = (column.id, column.text)
    return any(re.sub(r"[^a-z0-9]", "", n.casefold()) in _ID_NAMES for n in names)


def holds_ids(profile: Profile, rows: int) -> bool:
    """Filled in every row and, as far as the bounded scan can tell, never repeated."""
    return profile.answered == rows and (profile.overflow or len(profile.values) == rows)
