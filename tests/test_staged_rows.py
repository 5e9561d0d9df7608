"""Coding a chunk of respondents, and handing its rows to SQLite as plain Python values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insights.ingest.checks import Problems, coded_chunk, staged_rows
from insights.ingest.codebook import Codebook, parse_codebook

CODEBOOK = """
[survey]
name = "coding"

[scales.agree3]
labels = ["Disagree", "Neutral", "Agree"]
positive = ["Agree"]

[scales.yesno]
labels = ["No", "Yes"]
positive = ["Yes"]
codes = [0, 1]

[[questions]]
column = "q"
theme = "fit"
scale = "agree3"

[[questions]]
column = "yn"
theme = "ready"
scale = "yesno"

[[segments]]
column = "team"
"""


@pytest.fixture
def codebook() -> Codebook:
    return parse_codebook(CODEBOOK)


def chunk(rows: list[tuple[str, str, str, str]], first_row: int = 2) -> pd.DataFrame:
    index = pd.RangeIndex(first_row, first_row + len(rows))
    return pd.DataFrame(rows, columns=["id", "q", "yn", "team"], index=index, dtype=str)


ROWS = [
    ("r1", "Agree", "Yes", "Sales"),
    (" r2 ", " agree ", "no", " Sales "),
    ("r3", "1", "0", ""),
    ("r4", "", " ", "   "),
    ("r5", "NEUTRAL\t", "1", "Ops"),
]


def test_labels_codes_and_blanks_are_coded(codebook: Codebook) -> None:
    problems = Problems()
    coded = coded_chunk(chunk(ROWS), codebook, "id", problems)
    assert not problems
    assert coded["row"].tolist() == [2, 3, 4, 5, 6]
    assert coded["external_id"].tolist() == ["r1", "r2", "r3", "r4", "r5"]
    assert coded["q0"].astype(object).tolist() == [3, 3, 1, pd.NA, 2]
    assert coded["q1"].astype(object).tolist() == [2, 1, 1, pd.NA, 2]
    assert coded["s0"].fillna("-").tolist() == ["Sales", "Sales", "-", "-", "Ops"]


def test_unknown_answers_are_named_once_with_their_rows(codebook: Codebook) -> None:
    rows = [
        ("r1", "Agreee", "Yes", "A"),
        ("r2", " Agreee ", "Maybe", "A"),
        ("r3", "Agree", "2", "A"),
    ]
    problems = Problems()
    coded = coded_chunk(chunk(rows), codebook, "id", problems)
    listed = problems.listed()
    assert len(listed) == 3
    assert listed[0].startswith("rows 2, 3, column 'q': 'Agreee' is not an answer on scale")
    assert listed[1].startswith("row 3, column 'yn': 'Maybe' is not an answer")
    assert "row 4, column 'yn': '2' is not an answer" in listed[2]
    assert coded["q0"].isna().tolist() == [True, True, False]


def test_problems_accumulate_across_chunks(codebook: Codebook) -> None:
    problems = Problems()
    for start in (2, 12):
        rows = [(f"r{start + i}", "Nope", "", "") for i in range(4)]
        coded_chunk(chunk(rows, start), codebook, "id", problems)
    assert problems.listed() == [
        "rows 2, 3, 4, 5, 12 (and 3 more), column 'q': 'Nope' is not an answer on scale "
        "'agree3' (expected one of: Disagree, Neutral, Agree; or a code 1–3)"
    ]


def test_missing_cells_are_na_and_not_problems(codebook: Codebook) -> None:
    frame = chunk(ROWS[:2])
    frame.loc[2, ["q", "team"]] = np.nan
    problems = Problems()
    coded = coded_chunk(frame, codebook, "id", problems)
    assert not problems
    assert coded["q0"].isna().tolist() == [True, False]
    assert coded["s0"].isna().tolist() == [True, False]


def test_staged_rows_are_plain_python_values(codebook: Codebook) -> None:
    coded = coded_chunk(chunk(ROWS), codebook, "id", Problems())
    rows = list(staged_rows(coded))
    assert rows[0] == (2, "r1", "Sales", 3, 2)
    assert rows[3] == (5, "r4", None, None, None)
    assert {type(value) for row in rows for value in row} == {int, str, type(None)}


def test_staged_rows_match_converting_row_by_row(codebook: Codebook) -> None:
    rng = np.random.default_rng(3)
    cells = np.array(["Agree", " neutral", "", "3", "Yes", "0", "x", " Sales"], dtype=object)
    rows = [tuple(rng.choice(cells, 4)) for _ in range(500)]
    coded = coded_chunk(chunk(rows), codebook, "id", Problems())
    by_row = coded.astype(object).where(coded.notna(), None)
    assert list(staged_rows(coded)) == list(by_row.itertuples(index=False, name=None))


def test_an_empty_chunk_stages_nothing(codebook: Codebook) -> None:
    coded = coded_chunk(chunk([]), codebook, "id", Problems())
    assert list(staged_rows(coded)) == []
