"""Write the corpus test's second survey: SYNTHETIC employees, nobody's real answers.

Run ``python -m tests.corpus.pulse.generate`` from the repository root to rewrite the three
wave files next to this module. The output depends only on the seeds below, so
regenerating is byte-identical (``tests/test_corpus.py`` checks it).

What is invented, and why it looks the way it does:

* segment sizes are fixed per wave (so every department and tenure band has at least 5
  respondents), shuffled independently; Singapore has 4 respondents in every wave on
  purpose, so the privacy merge has something to do;
* each person has an optimism draw shared by their answers, so the personal and the
  organization side of a theme correlate as real answers do; the organization side trails
  the personal one (the gap), narrows a little from wave to wave except for "rewards
  empathy", which worsens, and leans by department, tenure band and office;
* blanks are realistic: a few people leave a segment empty, skip single questions, or stop
  after the first two themes.

The first wave writes numeric answer codes (1 = the scale's first label), the later ones
labels, so both ways of reading answers are used.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
AGREE5 = ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree")
YESNO = ("No", "Yes")

# Share of each department; the last one takes what rounding leaves.
DEPARTMENTS = (
    ("Support", 0.28),
    ("Sales", 0.24),
    ("Engineering", 0.16),
    ("Product", 0.14),
    ("Marketing", 0.10),
    ("Customer Success", 0.08),
)
TENURE = (("Under 1 year", 0.22), ("1-3 years", 0.38), ("3+ years", 0.40))
OFFICES = (("London", 0.35), ("New York", 0.30), ("Berlin", 0.20), ("Remote", 0.15))
SMALL_OFFICE = ("Singapore", 4)

# theme column stem -> (personal agreeing share, organization agreeing share) in wave 1
PAIRED = {
    "listen": (0.86, 0.52),
    "feedback": (0.80, 0.41),
    "first": (0.83, 0.47),
    "reward": (0.71, 0.28),
    "needs": (0.88, 0.58),
}
ORG_DRIFT = {"listen": 0.03, "feedback": 0.04, "first": 0.02, "reward": -0.04, "needs": 0.01}
SINGLES = (("tools", YESNO, 0.62), ("recommend", AGREE5, 0.69))
ORG_LEAN = {
    "Support": 0.05,
    "Engineering": -0.08,
    "Under 1 year": 0.10,
    "3+ years": -0.04,
    "Berlin": -0.05,
}
COLUMNS = (
    "response_id",
    "Dept",
    "Tenure band",
    "Office",
    *(f"{stem}_{side}" for stem in PAIRED for side in ("self", "org")),
    *(column for column, _, _ in SINGLES),
)
EARLY_STOP_AFTER = 4  # people who stop answer only the first two themes


@dataclass(frozen=True)
class Wave:
    label: str
    file: str
    respondents: int
    seed: int
    numeric_codes: bool
    id_prefix: str


WAVES = (
    Wave("Q1 2025", "wave_2025_q1.csv", 240, 7101, True, "CF25A"),
    Wave("Q3 2025", "wave_2025_q3.csv", 270, 7102, False, "CF25B"),
    Wave("Q1 2026", "wave_2026_q1.csv", 300, 7103, False, "CF26A"),
)


def allotted(shares: tuple[tuple[str, float], ...], total: int) -> list[str]:
    """Exactly ``total`` values in the given shares (the last value absorbs rounding)."""
    values: list[str] = []
    for name, share in shares[:-1]:
        values += [name] * round(share * total)
    values += [shares[-1][0]] * (total - len(values))
    return values


def segment_columns(wave: Wave, rng: random.Random) -> list[tuple[str, str, str]]:
    """(department, tenure, office) per respondent, each segment shuffled on its own."""
    offices = allotted(OFFICES, wave.respondents - SMALL_OFFICE[1])
    offices += [SMALL_OFFICE[0]] * SMALL_OFFICE[1]
    columns = [allotted(DEPARTMENTS, wave.respondents), allotted(TENURE, wave.respondents)]
    columns.append(offices)
    for column in columns:
        rng.shuffle(column)
    return list(zip(*columns, strict=True))


def agree5(agrees: bool, rng: random.Random) -> str:
    """A five-point answer: top-2-box when ``agrees``, else one of the three below."""
    draw = rng.random()
    if agrees:
        return AGREE5[4] if draw < 0.35 else AGREE5[3]
    return AGREE5[0] if draw < 0.15 else AGREE5[1] if draw < 0.5 else AGREE5[2]


def answers(wave_index: int, segments: tuple[str, ...], rng: random.Random) -> list[str]:
    """One person's answers in COLUMNS order after the segments ("" = not answered)."""
    optimism = rng.random() - 0.5
    lean = sum(ORG_LEAN.get(value, 0.0) for value in segments)
    labels: list[str] = []
    for stem, (personal, organization) in PAIRED.items():
        org = organization + ORG_DRIFT[stem] * wave_index + lean
        labels.append(agree5(rng.random() < personal + 0.1 * optimism, rng))
        labels.append(agree5(rng.random() < org + 0.3 * optimism, rng))
    for _, scale, share in SINGLES:
        agrees = rng.random() < share + 0.2 * optimism
        labels.append(("Yes" if agrees else "No") if scale == YESNO else agree5(agrees, rng))
    if rng.random() < 0.04:
        labels[EARLY_STOP_AFTER:] = [""] * (len(labels) - EARLY_STOP_AFTER)
    return ["" if rng.random() < 0.03 else label for label in labels]


def coded(label: str, column: str) -> str:
    """The numeric code a platform writes for ``label`` (1-based position on its scale)."""
    if not label:
        return ""
    scale = YESNO if column == "tools" else AGREE5
    return str(scale.index(label) + 1)


def rows(wave_index: int, wave: Wave) -> list[list[str]]:
    rng = random.Random(wave.seed)
    table = []
    for number, segments in enumerate(segment_columns(wave, rng), start=1):
        stated = ["" if rng.random() < 0.02 else value for value in segments]
        row = [f"{wave.id_prefix}-{number:04d}", *stated, *answers(wave_index, segments, rng)]
        if wave.numeric_codes:
            answered = zip(row[4:], COLUMNS[4:], strict=True)
            row[4:] = [coded(label, column) for label, column in answered]
        table.append(row)
    return table


def render_wave(wave_index: int) -> str:
    """The CSV text of one wave, as a survey platform's plain export would write it."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(wave_index, WAVES[wave_index]))
    return out.getvalue()


def main() -> None:
    for index, wave in enumerate(WAVES):
        (HERE / wave.file).write_text(render_wave(index), encoding="utf-8")
        print(f"wrote {wave.file} ({wave.respondents} respondents, wave {wave.label!r})")


if __name__ == "__main__":
    main()
