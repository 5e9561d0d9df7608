"""Write the bundled demo survey: SYNTHETIC respondents, not anyone's real answers.

Run ``python -m insights.ingest.demo.generate`` to rewrite both CSV files next to this module.
The output depends only on the fixed seeds below, so regenerating is byte-identical.

Wave "2022" reproduces, to the whole percent (rounded half away from zero), the headline
figures published for the study "Empathy in Action: The Business Value of Customer
Empathy" (Alida with Bodine & Co. and the Customer Experience Professionals Association,
2022; nearly 200 CX consultants and in-house practitioners):

* necessity, all 197 respondents: 91% agree personally, 36% for their organization;
* business value, 150 in-house practitioners: 72% personally, 30% for their organization;
* organization effective at developing empathy (in-house): senior leaders 52%,
  middle managers 55%, staff 57%;
* in-house: 35% say their organization does not understand the business value of
  customer empathy, 65% say it does not measure it.

Only those totals come from the study. Which respondent gave which answer, the
seniority and region columns, the spread over non-agreeing answers and every segment
figure are invented. Wave "2021-pilot" is entirely ILLUSTRATIVE (the study had no such
wave); it writes numeric answer codes instead of labels so both import paths get used.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from insights.ingest.demo import WAVES

AGREE5 = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
YESNO = ("No", "Yes")
IN_HOUSE = "In-house"
CONSULTANT = "Consultant"
QUESTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("necessity_personal", AGREE5),
    ("necessity_organization", AGREE5),
    ("value_personal", AGREE5),
    ("value_organization", AGREE5),
    ("develops_senior_leaders", AGREE5),
    ("develops_middle_managers", AGREE5),
    ("develops_staff", AGREE5),
    ("understands_value", YESNO),
    ("measures_empathy", YESNO),
)
COLUMNS = ("respondent_id", "role", "seniority", "region", *(column for column, _ in QUESTIONS))

# How much each group leans towards agreeing, added to a uniform 0..1 draw per person.
PERSONAL_LEAN = {IN_HOUSE: 0.0, CONSULTANT: 0.05}
ORGANIZATION_LEAN = {"Staff": 0.0, "Middle manager": 0.05, "Senior leader": 0.15}
QUESTION_NOISE = 0.6  # fresh per question, so answers correlate without being identical
STRONGLY_AGREE_SHARE = 0.35


@dataclass(frozen=True)
class Pair:
    """Joint counts for a personal/organization question pair (McNemar's 2x2 table)."""

    both: int
    personal_only: int
    organization_only: int
    neither: int


@dataclass(frozen=True)
class WaveSpec:
    """Everything that makes one wave: sizes, exact agreeing counts and output form."""

    id_prefix: str
    seed: int  # fixed; picked among a few so segment splits look natural
    numeric_codes: bool
    cells: dict[tuple[str, str], int]  # (role, seniority) -> respondents
    regions: dict[str, int]
    necessity: Pair  # all respondents
    value: Pair  # in-house only, as are the rest
    develops: dict[str, int]  # column -> agreeing
    understands_no: int
    measures_no: int


@dataclass
class Person:
    """One synthetic respondent while their answers are being chosen."""

    role: str
    seniority: str
    region: str = ""
    personal: float = 0.0
    organization: float = 0.0
    answers: dict[str, str] = field(default_factory=dict)  # column -> label; absent = blank


SPECS: dict[str, WaveSpec] = {
    "2022": WaveSpec(
        id_prefix="R",
        seed=2026,
        numeric_codes=False,
        cells={
            (IN_HOUSE, "Staff"): 52,
            (IN_HOUSE, "Middle manager"): 58,
            (IN_HOUSE, "Senior leader"): 40,
            (CONSULTANT, "Staff"): 9,
            (CONSULTANT, "Middle manager"): 20,
            (CONSULTANT, "Senior leader"): 18,
        },
        regions={
            "North America": 96,
            "Europe": 58,
            "Asia-Pacific": 24,
            "Latin America": 15,
            "Middle East & Africa": 4,  # below the privacy threshold on purpose
        },
        necessity=Pair(both=67, personal_only=112, organization_only=4, neither=14),
        value=Pair(both=42, personal_only=66, organization_only=3, neither=39),
        develops={
            "develops_senior_leaders": 78,
            "develops_middle_managers": 83,
            "develops_staff": 86,
        },
        understands_no=52,
        measures_no=98,
    ),
    "2021-pilot": WaveSpec(
        id_prefix="P",
        seed=2028,
        numeric_codes=True,
        cells={
            (IN_HOUSE, "Staff"): 34,
            (IN_HOUSE, "Middle manager"): 34,
            (IN_HOUSE, "Senior leader"): 22,
            (CONSULTANT, "Staff"): 6,
            (CONSULTANT, "Middle manager"): 12,
            (CONSULTANT, "Senior leader"): 12,
        },
        regions={
            "North America": 64,
            "Europe": 33,
            "Asia-Pacific": 13,
            "Latin America": 7,
            "Middle East & Africa": 3,
        },
        necessity=Pair(both=30, personal_only=76, organization_only=4, neither=10),
        value=Pair(both=19, personal_only=44, organization_only=3, neither=24),
        develops={
            "develops_senior_leaders": 44,
            "develops_middle_managers": 46,
            "develops_staff": 48,
        },
        understands_no=36,
        measures_no=63,
    ),
}


def build_people(spec: WaveSpec, rng: random.Random) -> list[Person]:
    """One person per respondent, with a region and a personal/organizational lean."""
    people = [
        Person(role, level) for (role, level), size in spec.cells.items() for _ in range(size)
    ]
    regions = [region for region, size in spec.regions.items() for _ in range(size)]
    rng.shuffle(regions)
    for person, region in zip(people, regions, strict=True):
        person.region = region
        person.personal = rng.random() + PERSONAL_LEAN[person.role]
        person.organization = rng.random() + ORGANIZATION_LEAN[person.seniority]
    return people


def ranked(
    people: list[Person], lean: Callable[[Person], float], rng: random.Random
) -> list[Person]:
    """People from most to least inclined to agree on one question."""
    scored = [
        (lean(person) + QUESTION_NOISE * rng.random(), index) for index, person in enumerate(people)
    ]
    return [people[index] for _, index in sorted(scored, key=lambda item: (-item[0], item[1]))]


def personal_lean(person: Person) -> float:
    return person.personal


def organization_lean(person: Person) -> float:
    return person.organization


def answer_label(scale: tuple[str, ...], positive: bool, rng: random.Random) -> str:
    """A label on ``scale``: top-2-box (or "Yes") when positive, else a lower answer."""
    if scale == YESNO:
        return "Yes" if positive else "No"
    draw = rng.random()
    if positive:
        return "Strongly agree" if draw < STRONGLY_AGREE_SHARE else "Agree"
    if draw < 0.2:
        return "Strongly disagree"
    return "Disagree" if draw < 0.6 else "Neither agree nor disagree"


def answer_pair(people: list[Person], theme: str, counts: Pair, rng: random.Random) -> None:
    """Fill ``<theme>_personal`` and ``<theme>_organization`` with exactly ``counts``."""
    if (
        len(people)
        != counts.both + counts.personal_only + counts.organization_only + counts.neither
    ):
        raise ValueError(f"{theme}: cell counts do not add up to {len(people)} respondents")
    by_organization = ranked(people, organization_lean, rng)
    split = counts.both + counts.organization_only
    groups = (
        (by_organization[:split], True, counts.both),
        (by_organization[split:], False, counts.personal_only),
    )
    for group, organization_agrees, personal_agreeing in groups:
        for rank, person in enumerate(ranked(group, personal_lean, rng)):
            person.answers[f"{theme}_personal"] = answer_label(
                AGREE5, rank < personal_agreeing, rng
            )
            person.answers[f"{theme}_organization"] = answer_label(AGREE5, organization_agrees, rng)


def answer_single(
    people: list[Person], column: str, scale: tuple[str, ...], positive: int, rng: random.Random
) -> None:
    """Fill an organization-only question so exactly ``positive`` people agree (or say Yes)."""
    for rank, person in enumerate(ranked(people, organization_lean, rng)):
        person.answers[column] = answer_label(scale, rank < positive, rng)


def answer_wave(people: list[Person], spec: WaveSpec, rng: random.Random) -> None:
    in_house = [person for person in people if person.role == IN_HOUSE]
    answer_pair(people, "necessity", spec.necessity, rng)
    answer_pair(in_house, "value", spec.value, rng)
    for column, agreeing in spec.develops.items():
        answer_single(in_house, column, AGREE5, agreeing, rng)
    answer_single(in_house, "understands_value", YESNO, len(in_house) - spec.understands_no, rng)
    answer_single(in_house, "measures_empathy", YESNO, len(in_house) - spec.measures_no, rng)


def encode(answer: str, scale: tuple[str, ...], numeric: bool) -> str:
    """The CSV cell: blank when unanswered, else the label or its 1-based code."""
    if not answer or not numeric:
        return answer
    return str(scale.index(answer) + 1)


def render_wave(label: str) -> str:
    """The CSV text of one wave, exactly as bundled."""
    if label not in SPECS:
        raise ValueError(f"unknown demo wave {label!r}; expected one of {sorted(SPECS)}")
    spec = SPECS[label]
    rng = random.Random(spec.seed)
    people = build_people(spec, rng)
    answer_wave(people, spec, rng)
    rng.shuffle(people)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for number, person in enumerate(people, start=1):
        cells = [
            encode(person.answers.get(column, ""), scale, spec.numeric_codes)
            for column, scale in QUESTIONS
        ]
        writer.writerow(
            [f"{spec.id_prefix}{number:04d}", person.role, person.seniority, person.region, *cells]
        )
    return buffer.getvalue()


def main() -> None:
    for label, path in WAVES:
        path.write_text(render_wave(label), encoding="utf-8", newline="")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
