"""The bundled demo survey: reproducible, and faithful to the published figures.

The CSVs are read with pandas directly (not through the importer), so these tests pin
down the data itself. Expected numbers are worked out by hand from the study's figures.
"""

from __future__ import annotations

import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

from insights.ingest.demo import CODEBOOK_PATH, DEMO_DIR, SURVEY_NAME, WAVES
from insights.ingest.demo.generate import render_wave

AGREE5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
SEGMENT_COLUMNS = ["respondent_id", "role", "seniority", "region"]
QUESTION_COLUMNS = [
    "necessity_personal",
    "necessity_organization",
    "value_personal",
    "value_organization",
    "develops_senior_leaders",
    "develops_middle_managers",
    "develops_staff",
    "understands_value",
    "measures_empathy",
]
IN_HOUSE_ONLY = QUESTION_COLUMNS[2:]
YESNO_COLUMNS = {"understands_value", "measures_empathy"}


def codebook() -> dict[str, object]:
    return tomllib.loads(CODEBOOK_PATH.read_text(encoding="utf-8"))


def wave_path(label: str) -> Path:
    return dict(WAVES)[label]


def raw(label: str) -> pd.DataFrame:
    """The file as written: every cell a string, blank cells as ""."""
    return pd.read_csv(wave_path(label), dtype=str, keep_default_na=False)


def labelled(label: str) -> pd.DataFrame:
    """Answers as labels whichever way the wave wrote them (numeric codes are 1-based)."""
    frame = raw(label)
    for column in QUESTION_COLUMNS:
        labels = ["No", "Yes"] if column in YESNO_COLUMNS else AGREE5
        frame[column] = frame[column].map(
            lambda cell, labels=labels: labels[int(cell) - 1] if cell.isdigit() else cell
        )
    return frame


def positive(answers: pd.Series) -> pd.Series:
    return answers.isin(["Agree", "Strongly agree", "Yes"])


def whole_percent(count: int, base: int) -> int:
    """Percentage rounded half away from zero, as the study reports it."""
    exact = Decimal(100 * count) / Decimal(base)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_rounding_is_half_away_from_zero() -> None:
    assert whole_percent(1, 8) == 13  # 12.5
    assert whole_percent(5, 8) == 63  # 62.5
    assert whole_percent(179, 197) == 91  # 90.863...
    assert whole_percent(52, 150) == 35  # 34.666...


# --- reproducibility and file format ---------------------------------------------------


def test_package_constants() -> None:
    assert SURVEY_NAME == "empathy-in-action"
    assert [label for label, _ in WAVES] == ["2021-pilot", "2022"]
    assert CODEBOOK_PATH == DEMO_DIR / "codebook.toml"
    assert all(path.parent == DEMO_DIR and path.is_file() for _, path in WAVES)


@pytest.mark.parametrize(("label", "path"), WAVES)
def test_regeneration_is_byte_identical(label: str, path: Path) -> None:
    bundled = path.read_bytes()
    assert render_wave(label).encode("utf-8") == bundled
    assert b"\r" not in bundled
    assert bundled.endswith(b"\n")


def test_unknown_wave_is_refused() -> None:
    with pytest.raises(ValueError, match="2023"):
        render_wave("2023")


def test_codebook_matches_the_files() -> None:
    book = codebook()
    assert book["survey"] == {
        "name": "empathy-in-action",
        "title": "Empathy in Action (synthetic demo data)",
        "respondent_id": "respondent_id",
    }
    assert book["scales"] == {
        "agree5": {"labels": AGREE5, "positive": ["Agree", "Strongly agree"]},
        "yesno": {"labels": ["No", "Yes"], "positive": ["Yes"]},
    }
    questions = book["questions"]
    assert isinstance(questions, list)
    assert [q["column"] for q in questions] == QUESTION_COLUMNS
    assert [q.get("perspective") for q in questions] == [
        "personal",
        "organization",
        "personal",
        "organization",
        None,
        None,
        None,
        None,
        None,
    ]
    assert [q["scale"] for q in questions] == ["agree5"] * 7 + ["yesno"] * 2
    assert book["segments"] == [{"column": "role"}, {"column": "seniority"}, {"column": "region"}]
    for label, _ in WAVES:
        assert list(raw(label).columns) == SEGMENT_COLUMNS + QUESTION_COLUMNS


@pytest.mark.parametrize(
    ("label", "prefix", "size"), [("2022", "R", 197), ("2021-pilot", "P", 120)]
)
def test_respondent_ids_are_sequential_and_unique(label: str, prefix: str, size: int) -> None:
    ids = raw(label)["respondent_id"].tolist()
    assert ids == [f"{prefix}{number:04d}" for number in range(1, size + 1)]


@pytest.mark.parametrize("label", ["2022", "2021-pilot"])
def test_rows_are_shuffled_not_grouped(label: str) -> None:
    roles = raw(label)["role"]
    assert not roles.is_monotonic_increasing
    assert not roles.is_monotonic_decreasing
    # In-house and consultant rows alternate many times, not in two blocks.
    assert (roles != roles.shift()).sum() > 20


def test_2022_writes_labels() -> None:
    frame = raw("2022")
    for column in QUESTION_COLUMNS:
        allowed = {"", "No", "Yes"} if column in YESNO_COLUMNS else {"", *AGREE5}
        assert set(frame[column]) <= allowed, column


def test_pilot_writes_numeric_codes() -> None:
    frame = raw("2021-pilot")
    for column in QUESTION_COLUMNS:
        allowed = {"", "1", "2"} if column in YESNO_COLUMNS else {"", "1", "2", "3", "4", "5"}
        values = set(frame[column])
        assert values <= allowed, column
        assert values - {""}, column
    # Both yes/no codes are used, and all five agreement codes somewhere.
    assert set(frame["measures_empathy"]) == {"", "1", "2"}
    assert set(frame["value_organization"]) == {"", "1", "2", "3", "4", "5"}


# --- the published figures (wave 2022) and the illustrative pilot --------------------

# (wave, column, answer counted, base, count, whole percent); percentages worked out by hand:
# 179/197 = 90.86, 71/197 = 36.04, 108/150 = 72.00, 45/150 = 30.00, 78/150 = 52.00,
# 83/150 = 55.33, 86/150 = 57.33, 98/150 = 65.33, 52/150 = 34.67.
FIGURES = [
    ("2022", "necessity_personal", "agree", 197, 179, 91),
    ("2022", "necessity_organization", "agree", 197, 71, 36),
    ("2022", "value_personal", "agree", 150, 108, 72),
    ("2022", "value_organization", "agree", 150, 45, 30),
    ("2022", "develops_senior_leaders", "agree", 150, 78, 52),
    ("2022", "develops_middle_managers", "agree", 150, 83, 55),
    ("2022", "develops_staff", "agree", 150, 86, 57),
    ("2022", "understands_value", "No", 150, 52, 35),
    ("2022", "understands_value", "Yes", 150, 98, 65),
    ("2022", "measures_empathy", "No", 150, 98, 65),
    ("2022", "measures_empathy", "Yes", 150, 52, 35),
    # Illustrative pilot: 106/120 = 88.33, 34/120 = 28.33, 63/90 = 70.00, 22/90 = 24.44,
    # 44/90 = 48.89, 46/90 = 51.11, 48/90 = 53.33, 36/90 = 40.00, 63/90 = 70.00.
    ("2021-pilot", "necessity_personal", "agree", 120, 106, 88),
    ("2021-pilot", "necessity_organization", "agree", 120, 34, 28),
    ("2021-pilot", "value_personal", "agree", 90, 63, 70),
    ("2021-pilot", "value_organization", "agree", 90, 22, 24),
    ("2021-pilot", "develops_senior_leaders", "agree", 90, 44, 49),
    ("2021-pilot", "develops_middle_managers", "agree", 90, 46, 51),
    ("2021-pilot", "develops_staff", "agree", 90, 48, 53),
    ("2021-pilot", "understands_value", "No", 90, 36, 40),
    ("2021-pilot", "understands_value", "Yes", 90, 54, 60),
    ("2021-pilot", "measures_empathy", "No", 90, 63, 70),
    ("2021-pilot", "measures_empathy", "Yes", 90, 27, 30),
]


@pytest.mark.parametrize(("label", "column", "answer", "base", "count", "percent"), FIGURES)
def test_figure(label: str, column: str, answer: str, base: int, count: int, percent: int) -> None:
    answers = labelled(label)[column]
    answered = answers[answers != ""]
    counted = positive(answered) if answer == "agree" else answered == answer
    assert len(answered) == base
    assert int(counted.sum()) == count
    assert whole_percent(count, base) == percent


def test_published_figures_are_the_2022_ones() -> None:
    # The press release: 91% vs 36% (necessity), 72% vs 30% (value, in-house),
    # 52/55/57% effective at developing empathy, 35% don't understand, 65% don't measure.
    published = [91, 36, 72, 30, 52, 55, 57, 35, 65, 65, 35]
    assert [row[5] for row in FIGURES if row[0] == "2022"] == published


@pytest.mark.parametrize(
    ("label", "in_house", "consultants"), [("2022", 150, 47), ("2021-pilot", 90, 30)]
)
def test_role_split_and_bases(label: str, in_house: int, consultants: int) -> None:
    frame = raw(label)
    assert frame["role"].value_counts().to_dict() == {
        "In-house": in_house,
        "Consultant": consultants,
    }
    is_consultant = frame["role"] == "Consultant"
    for column in ["necessity_personal", "necessity_organization"]:
        assert (frame[column] != "").all(), column
    for column in IN_HOUSE_ONLY:
        assert (frame.loc[is_consultant, column] == "").all(), column
        assert (frame.loc[~is_consultant, column] != "").all(), column


# (wave, theme, both agree, personal only, organization only, neither)
PAIRS = [
    ("2022", "necessity", 67, 112, 4, 14),
    ("2022", "value", 42, 66, 3, 39),
    ("2021-pilot", "necessity", 30, 76, 4, 10),
    ("2021-pilot", "value", 19, 44, 3, 24),
]


@pytest.mark.parametrize(("label", "theme", "both", "personal", "organization", "neither"), PAIRS)
def test_paired_cells(
    label: str, theme: str, both: int, personal: int, organization: int, neither: int
) -> None:
    frame = labelled(label)
    answered = frame[(frame[f"{theme}_personal"] != "") & (frame[f"{theme}_organization"] != "")]
    mine = positive(answered[f"{theme}_personal"])
    theirs = positive(answered[f"{theme}_organization"])
    assert int((mine & theirs).sum()) == both
    assert int((mine & ~theirs).sum()) == personal
    assert int((~mine & theirs).sum()) == organization
    assert int((~mine & ~theirs).sum()) == neither
    # McNemar's test needs both discordant cells; some agree for the organization only.
    assert personal > 0
    assert organization > 0


def test_non_agreeing_answers_are_spread() -> None:
    counts = raw("2022")["necessity_organization"].value_counts().to_dict()
    assert counts == {
        "Neither agree nor disagree": 52,
        "Agree": 50,
        "Disagree": 45,
        "Strongly disagree": 29,
        "Strongly agree": 21,
    }


# --- segments -------------------------------------------------------------------------

ROLE_BY_SENIORITY = {
    "2022": {
        ("In-house", "Staff"): 52,
        ("In-house", "Middle manager"): 58,
        ("In-house", "Senior leader"): 40,
        ("Consultant", "Staff"): 9,
        ("Consultant", "Middle manager"): 20,
        ("Consultant", "Senior leader"): 18,
    },
    "2021-pilot": {
        ("In-house", "Staff"): 34,
        ("In-house", "Middle manager"): 34,
        ("In-house", "Senior leader"): 22,
        ("Consultant", "Staff"): 6,
        ("Consultant", "Middle manager"): 12,
        ("Consultant", "Senior leader"): 12,
    },
}


@pytest.mark.parametrize("label", ["2022", "2021-pilot"])
def test_role_by_seniority_cells(label: str) -> None:
    cells = raw(label).groupby(["role", "seniority"]).size().to_dict()
    assert cells == ROLE_BY_SENIORITY[label]
    assert min(cells.values()) >= 5


@pytest.mark.parametrize(
    ("label", "regions"),
    [
        (
            "2022",
            {
                "North America": 96,
                "Europe": 58,
                "Asia-Pacific": 24,
                "Latin America": 15,
                "Middle East & Africa": 4,
            },
        ),
        (
            "2021-pilot",
            {
                "North America": 64,
                "Europe": 33,
                "Asia-Pacific": 13,
                "Latin America": 7,
                "Middle East & Africa": 3,
            },
        ),
    ],
)
def test_regions(label: str, regions: dict[str, int]) -> None:
    assert raw(label)["region"].value_counts().to_dict() == regions


def test_small_region_is_below_the_privacy_threshold() -> None:
    assert (raw("2022")["region"] == "Middle East & Africa").sum() == 4


def test_senior_leaders_rate_their_organization_higher() -> None:
    frame = labelled("2022")
    answered = frame[frame["value_organization"] != ""]
    agreeing = positive(answered["value_organization"]).groupby(answered["seniority"]).sum()
    sizes = answered.groupby("seniority").size()
    # Senior leaders 16/40 = 40%, middle managers 19/58 = 33%, staff 10/52 = 19%.
    assert agreeing.to_dict() == {"Middle manager": 19, "Senior leader": 16, "Staff": 10}
    assert sizes.to_dict() == {"Middle manager": 58, "Senior leader": 40, "Staff": 52}
    necessity = positive(frame["necessity_organization"]).groupby(frame["seniority"]).sum()
    # Senior leaders 22/58 = 38%, middle managers 29/78 = 37%, staff 20/61 = 33%.
    assert necessity.to_dict() == {"Middle manager": 29, "Senior leader": 22, "Staff": 20}
