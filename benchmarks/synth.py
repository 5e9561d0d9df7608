"""A synthetic survey of any size and shape, written the way a survey platform exports it.

Shapes (:data:`SHAPES`): *narrow*, 12 questions (5 paired themes and 2 organization-only
questions) and 3 segment columns (role, seniority, region); *wide*, 24 questions and 10
segments, one of 500 managers and one of 40 countries (sizes falling off like a long
tail); *many questions*, 80 questions (40 themes) and the narrow shape's segments. Answers
are on a five-point agreement scale, written as labels; segments have a few blank cells;
one CSV per wave. Generated with numpy, column by column: a million
respondents take a few seconds. The same seed gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SURVEY = "bench"
LABELS = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
SEGMENTS: dict[str, tuple[list[str], list[float]]] = {
    "role": (
        ["in-house", "consultant", "agency", "vendor", "academic", "other"],
        [0.55, 0.15, 0.12, 0.1, 0.05, 0.03],
    ),
    "seniority": (
        ["staff", "team lead", "middle manager", "senior leader", "executive"],
        [0.35, 0.2, 0.25, 0.15, 0.05],
    ),
    "region": (
        [
            "north america",
            "latin america",
            "europe",
            "middle east",
            "africa",
            "south asia",
            "east asia",
            "oceania",
        ],
        [0.3, 0.08, 0.3, 0.05, 0.04, 0.08, 0.1, 0.05],
    ),
}
PAIRED = ["necessity", "business value", "leadership", "training", "measurement"]
SINGLE = ["understands value", "rewards empathy"]
BLANK_SEGMENT = 0.03  # share of blank segment cells
UNANSWERED = 0.05  # share of unanswered questions
# Chance of agreeing (top-2-box) per theme: people believe in empathy more than they say
# their organization does, and a little less with each wave... of the previous year.
PERSONAL_AGREE = [0.88, 0.82, 0.75, 0.7, 0.66]
ORGANIZATION_AGREE = [0.55, 0.5, 0.42, 0.38, 0.3]
SINGLE_AGREE = [0.45, 0.25]


def _skewed(prefix: str, count: int) -> tuple[list[str], list[float]]:
    """``count`` values whose sizes fall off like 1/rank (a few big teams, a long tail)."""
    weights = 1.0 / np.arange(1, count + 1) ** 0.8
    return [f"{prefix} {i:03d}" for i in range(1, count + 1)], list(weights / weights.sum())


def _even(prefix: str, count: int) -> tuple[list[str], list[float]]:
    return [f"{prefix} {i}" for i in range(1, count + 1)], [1.0 / count] * count


@dataclass(frozen=True)
class Shape:
    """A survey's shape: its segment columns (values and their shares) and how many paired
    themes and single questions it asks."""

    name: str
    segments: dict[str, tuple[list[str], list[float]]]
    paired: int
    single: int

    @property
    def questions(self) -> int:
        return 2 * self.paired + self.single

    def describe(self) -> str:
        widths = ", ".join(str(len(values)) for values, _ in self.segments.values())
        return (
            f"{self.name}: {len(self.segments)} segments ({widths} values),"
            f" {self.questions} questions"
        )


NARROW = Shape("narrow", SEGMENTS, paired=5, single=2)
WIDE = Shape(
    "wide",
    {
        **SEGMENTS,
        "department": _even("department", 12),
        "country": _skewed("country", 40),
        "manager": _skewed("manager", 500),
        "tenure": _even("tenure band", 6),
        "office": _skewed("office", 20),
        "team size": _even("team size", 5),
        "channel": _even("channel", 4),
    },
    paired=12,
    single=0,
)
MANY_QUESTIONS = Shape("many questions", SEGMENTS, paired=40, single=0)
SHAPES = {shape.name.replace(" ", "-"): shape for shape in (NARROW, WIDE, MANY_QUESTIONS)}


@dataclass(frozen=True)
class Question:
    column: str
    theme: str
    perspective: str | None
    agree: float


def questions(shape: Shape = NARROW) -> list[Question]:
    """The shape's questions: the narrow shape's named themes first, then numbered ones."""
    found = []
    for i in range(shape.paired):
        theme = PAIRED[i] if i < len(PAIRED) else f"theme {i + 1:02d}"
        personal = PERSONAL_AGREE[i % len(PERSONAL_AGREE)]
        organization = ORGANIZATION_AGREE[i % len(ORGANIZATION_AGREE)]
        key = theme.replace(" ", "_")
        found.append(Question(f"{key}_personal", theme, "personal", personal))
        found.append(Question(f"{key}_organization", theme, "organization", organization))
    for i in range(shape.single):
        theme = SINGLE[i] if i < len(SINGLE) else f"single {i + 1:02d}"
        found.append(Question(theme.replace(" ", "_"), theme, None, SINGLE_AGREE[i % 2]))
    return found


def codebook_toml(shape: Shape = NARROW) -> str:
    lines = [
        "[survey]",
        f'name = "{SURVEY}"',
        'title = "Synthetic benchmark survey"',
        'respondent_id = "respondent_id"',
        "",
        "[scales.agree5]",
        "labels = [" + ", ".join(f'"{label}"' for label in LABELS) + "]",
        'positive = ["Agree", "Strongly agree"]',
    ]
    for q in questions(shape):
        lines += ["", "[[questions]]", f'column = "{q.column}"', f'theme = "{q.theme}"']
        if q.perspective:
            lines.append(f'perspective = "{q.perspective}"')
        lines += ['scale = "agree5"', f'text = "{q.theme} ({q.perspective or "organization"})"']
    for name in shape.segments:
        lines += ["", "[[segments]]", f'column = "{name}"']
    return "\n".join(lines) + "\n"


def wave_frame(respondents: int, wave: int, seed: int = 7, shape: Shape = NARROW) -> pd.DataFrame:
    """One wave's export as a frame of strings ("" for blank cells)."""
    rng = np.random.default_rng([seed, wave, respondents])
    columns: dict[str, np.ndarray] = {
        "respondent_id": np.char.add(f"W{wave}-", np.arange(1, respondents + 1).astype(str)),
    }
    for name, (values, weights) in shape.segments.items():
        picked = rng.choice(np.array(values, dtype=object), size=respondents, p=weights)
        picked[rng.random(respondents) < BLANK_SEGMENT] = ""
        columns[name] = picked
    labels = np.array(["", *LABELS], dtype=object)
    # A respondent's leaning shifts all their answers a little: answers correlate, as in
    # real surveys, so personal and organization answers are not independent.
    leaning = rng.normal(0.0, 0.1, size=respondents)
    drift = 0.02 * wave
    for q in questions(shape):
        agree = rng.random(respondents) < np.clip(q.agree - drift + leaning, 0.0, 1.0)
        strongly = rng.random(respondents) < 0.4
        low = rng.integers(1, 4, size=respondents)  # 1..3: disagree or neutral
        codes = np.where(agree, np.where(strongly, 5, 4), low)
        codes[rng.random(respondents) < UNANSWERED] = 0
        columns[q.column] = labels[codes]
    return pd.DataFrame(columns)


def write_survey(
    directory: Path, respondents: int, waves: int = 2, shape: Shape = NARROW
) -> tuple[Path, list[Path]]:
    """The codebook and one CSV per wave (``wave-1.csv`` … oldest first)."""
    directory.mkdir(parents=True, exist_ok=True)
    codebook = directory / "codebook.toml"
    codebook.write_text(codebook_toml(shape), encoding="utf-8")
    paths = []
    for wave in range(1, waves + 1):
        path = directory / f"wave-{wave}.csv"
        wave_frame(respondents, wave, shape=shape).to_csv(path, index=False)
        paths.append(path)
    return codebook, paths
