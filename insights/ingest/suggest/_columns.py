"""Decide what each column of an export is: a rated question, a segment, or neither."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from insights.ingest.exports._model import Column
from insights.ingest.suggest._scales import ScaleSpec, match_scale, number_scale
from insights.ingest.suggest._scan import Profile
from insights.ingest.suggest._wording import (
    looks_demographic,
    read_wording,
    statement,
    tokens,
    word_set,
)

SEGMENT_MAX = 30  # more different answers than this do not make a useful breakdown
SHORT_ANSWER = 60  # characters; a longer answer is prose, not a category
_MAX_WORDS = 8
_FEW = 5  # below this many answers, all-different answers are no evidence of an id column
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_DATE = re.compile(
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})(?:[ T]\d{1,2}:\d{2}.*)?"
)
# Why a column was skipped, as a person reading the notes needs it explained.
CODED_MAX = 12  # the highest code of a choice list a numeric export writes
REASONS = {
    "metadata": "platform bookkeeping",
    "empty": "no answers",
    "free text": "open answers: long, many different, or asked as 'please specify' or 'comments'",
    "id": "a different value in nearly every row",
    "numeric": "numbers that are not a short rating scale",
    "date": "dates",
    "single-answer": "every answer the same, so nothing to compare",
    "many-valued": f"more than {SEGMENT_MAX} different short answers, too many for a segment",
    "unrecognised-scale": "question wording, but answers on no known scale",
    "repeated": "a column id that appears more than once",
    "typed": "one answer spelt several ways, or most answers given only once: typed by hand "
    "or merged from differently coded sources, so not a list of choices",
    "personal data": "personal data (e-mail, IP address, name, phone, address or location), "
    "which the import does not store",
}
_PERSONAL_NAMES = word_set(
    "email emailaddress recipientemail ipaddress ip recipientfirstname recipientlastname "
    "firstname lastname fullname name yourname surname locationlatitude locationlongitude "
    "latitude longitude lat long lng phone phonenumber mobile telephone address "
    "streetaddress homeaddress postcode postalcode zipcode zip location gps"
)
_PERSONAL_WORDING = re.compile(
    r"\b(?:e-?mail|ip address|your (?:full |first |last )?name|phone number|"
    r"(?:home|street|postal|mailing) address|zip code|post ?code|latitude|longitude)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_IP = re.compile(
    r"\d{1,3}(?:\.\d{1,3}){3}|(?=[0-9a-f:]*(?:::|[a-f]))[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}",
    re.IGNORECASE,
)
# Wording that asks for prose, not a choice ("Other (please specify)", "please self-describe").
_OPEN_WORDING = re.compile(
    r"\b(?:please (?:specify|describe|explain|elaborate|tell|list|share)|self[- ]describe|"
    r"specify|comments?|in your own words|anything else|suggestions?|why\b|_text$)",
    re.IGNORECASE,
)
# A column of typed answers: this many distinct answers, most of them given only once.
_LONG_TAIL = 8
# Wording of numbers that are counts or measurements, never a rating.
_COUNTED = re.compile(
    r"\b(?:how\s+(?:many|long|old)|number\s+of|count|age|born|year\s+of\s+birth|"
    r"in\s+(?:years|months|weeks|days|hours|minutes|seconds)|per\s+(?:day|week|month|year)|"
    r"times|percent(?:age)?|income|salary|weight|height|duration|seconds)\b",
    re.IGNORECASE,
)
_ID_NAMES = word_set(
    "respondentid responseid respondent id participantid participant recordid responderid respid "
    "uniqueid"
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
class Numbers:
    """A column answered in whole numbers; its scale is chosen with its grid's siblings."""

    column: Column
    low: int
    high: int


@dataclass(frozen=True)
class Skip:
    reason: str  # a key of REASONS
    values: tuple[str, ...] = ()  # a sample, for reasons a person must act on


Kind = Asked | Grouping | Numbers | Skip


def classify(column: Column, profile: Profile) -> Kind:
    if profile.answered == 0:
        return Skip("empty")
    values = list(profile.values)
    if personal_data(column) or _holds_contacts(values):
        return Skip("personal data")
    if profile.all_whole_numbers and len(values) > 1:
        return _numeric(column, profile)
    if profile.overflow:
        return Skip(_bulk_reason(values, profile) or "free text")
    matched = match_scale(values)
    if matched is not None:
        return Asked(column, matched.spec, matched.not_on_scale)
    return _unrated(column, profile, values)


def _unrated(column: Column, profile: Profile, values: list[str]) -> Kind:
    """A column on no scale: a segment only when its answers are a short list of choices."""
    if profile.longest > SHORT_ANSWER or any(len(v.split()) > _MAX_WORDS for v in values):
        return Skip("free text")
    if len(values) == 1:
        return Skip("single-answer")
    if all(_NUMBER.fullmatch(v) for v in values):
        return Skip("numeric")
    if all(_DATE.fullmatch(v) for v in values):
        return Skip("date")
    if read_wording(column).perspective:
        return Skip("unrecognised-scale", tuple(values[:6]))
    if _OPEN_WORDING.search(f"{column.id} {statement(column)}"):
        return Skip("free text")
    spelt = _spelt_twice(values)
    if spelt or _long_tail(profile):
        return Skip("typed", tuple(spelt or values)[:8])
    if len(values) > SEGMENT_MAX or _all_different(values, profile):
        many = "many-valued" if len(values) > SEGMENT_MAX else "id"
        return Skip(_bulk_reason(values, profile) or many)
    return Grouping(column, tuple(values))


def _numeric(column: Column, profile: Profile) -> Kind:
    values = list(profile.values)
    if profile.low is None or profile.high is None:
        return Skip("numeric")
    # A numeric export codes demographic choices too (from 1, where a count starts at 0);
    # their wording tells them apart ("How long have you worked here?" coded 1-3).
    coded = profile.low >= 1 and not profile.overflow and len(values) <= SEGMENT_MAX
    # Codes number a short list of choices, nearly every one of them chosen by someone;
    # 1, 4 and 50 (or 1, 5 and 6 employees) are counts, whatever the wording.
    span = profile.high - profile.low + 1
    coded = coded and profile.high <= CODED_MAX and span <= len(values) + 1
    if coded and looks_demographic(column):
        return Grouping(column, tuple(sorted(values, key=lambda v: float(v))), coded=True)
    if _COUNTED.search(f"{' '.join(tokens(column.id))} {statement(column)}"):
        return Skip("numeric")
    return Numbers(column, profile.low, profile.high)


def resolve_numbers(kinds: dict[str, Kind]) -> dict[str, Kind]:
    """Give number columns their scale, the rows of one grid together: a row whose answers
    happened to stay within 0–3 is put on its siblings' 0–10 scale, not a 4-point one."""
    grids: dict[str, list[Numbers]] = {}
    for kind in kinds.values():
        if isinstance(kind, Numbers):
            grids.setdefault(kind.column.question or kind.column.id, []).append(kind)
    resolved: dict[str, Kind] = dict(kinds)
    for rows in grids.values():
        spec = number_scale(min(r.low for r in rows), max(r.high for r in rows))
        for row in rows:
            resolved[row.column.id] = Asked(row.column, spec) if spec else Skip("numeric")
    return resolved


def _spelt_twice(values: Sequence[str]) -> list[str]:
    """Answers spelt more than one way ("Student", "student"; "Prefer not to say",
    "prefer_not_to_say"): typed by hand, or merged from sources that coded choices
    differently. Empty when every answer has one spelling."""
    spellings: dict[str, list[str]] = {}
    for value in values:
        spellings.setdefault(re.sub(r"[\W_]+", "", value.casefold()), []).append(value)
    return [v for group in spellings.values() if len(group) > 1 for v in group]


def _long_tail(profile: Profile) -> bool:
    """Many different answers, most given only once: typed, not chosen from a list."""
    once = sum(1 for count in profile.values.values() if count == 1)
    return len(profile.values) >= _LONG_TAIL and once * 2 >= len(profile.values)


def personal_data(column: Column) -> bool:
    """Whether a column's name says it holds personal data (e-mail, IP, name, location)."""
    compact = {re.sub(r"[^a-z0-9]", "", n.casefold()) for n in (column.id, column.text)}
    return bool(compact & _PERSONAL_NAMES) or bool(_PERSONAL_WORDING.search(statement(column)))


def _holds_contacts(values: Sequence[str]) -> bool:
    """Whether most sampled answers are e-mail or IP addresses."""
    found = sum(1 for v in values if _EMAIL.fullmatch(v) or _IP.fullmatch(v))
    return found * 2 > len(values)


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
