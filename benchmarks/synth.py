"""A synthetic survey of any size, written the way a survey platform exports it.

12 questions (5 paired themes and 2 organization-only questions, on a five-point agreement
scale, answers written as labels), 3 segment columns (role, seniority, region) with a few
blank cells, and one CSV per wave. Generated with numpy, column by column: a million
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


@dataclass(frozen=True)
class Question:
    column: str
    theme: str
    perspective: str | None
    agree: float


def questions() -> list[Question]:
    found = []
    for theme, personal, organization in zip(
        PAIRED, PERSONAL_AGREE, ORGANIZATION_AGREE, strict=True
    ):
        key = theme.replace(" ", "_")
        found.append(Question(f"{key}_personal", theme, "personal", personal))
        found.append(Question(f"{key}_organization", theme, "organization", organization))
    for theme, agree in zip(SINGLE, SINGLE_AGREE, strict=True):
        found.append(Question(theme.replace(" ", "_"), theme, None, agree))
    return found


def codebook_toml() -> str:
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
    for q in questions():
        lines += ["", "[[questions]]", f'column = "{q.column}"', f'theme = "{q.theme}"']
        if q.perspective:
            lines.append(f'perspective = "{q.perspective}"')
        lines += ['scale = "agree5"', f'text = "{q.theme} ({q.perspective or "organization"})"']
    for name in SEGMENTS:
        lines += ["", "[[segments]]", f'column = "{name}"']
    return "\n".join(lines) + "\n"


def wave_frame(respondents: int, wave: int, seed: int = 7) -> pd.DataFrame:
    """One wave's export as a frame of strings ("" for blank cells)."""
    rng = np.random.default_rng([seed, wave, respondents])
    columns: dict[str, np.ndarray] = {
        "respondent_id": np.char.add(f"W{wave}-", np.arange(1, respondents + 1).astype(str)),
    }
    for name, (values, weights) in SEGMENTS.items():
        picked = rng.choice(np.array(values, dtype=object), size=respondents, p=weights)
        picked[rng.random(respondents) < BLANK_SEGMENT] = ""
        columns[name] = picked
    labels = np.array(["", *LABELS], dtype=object)
    # A respondent's leaning shifts all their answers a little: answers correlate, as in
    # real surveys, so personal and organization answers are not independent.
    leaning = rng.normal(0.0, 0.1, size=respondents)
    drift = 0.02 * wave
    for q in questions():
        agree = rng.random(respondents) < np.clip(q.agree - drift + leaning, 0.0, 1.0)
        strongly = rng.random(respondents) < 0.4
        low = rng.integers(1, 4, size=respondents)  # 1..3: disagree or neutral
        codes = np.where(agree, np.where(strongly, 5, 4), low)
        codes[rng.random(respondents) < UNANSWERED] = 0
        columns[q.column] = labels[codes]
    return pd.DataFrame(columns)


def write_survey(directory: Path, respondents: int, waves: int = 2) -> tuple[Path, list[Path]]:
    """The codebook and one CSV per wave (``wave-1.csv`` … oldest first)."""
    directory.mkdir(parents=True, exist_ok=True)
    codebook = directory / "codebook.toml"
    codebook.write_text(codebook_toml(), encoding="utf-8")
    paths = []
    for wave in range(1, waves + 1):
        path = directory / f"wave-{wave}.csv"
        wave_frame(respondents, wave).to_csv(path, index=False)
        paths.append(path)
    return codebook, paths
