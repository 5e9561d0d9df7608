"""Cells the importer would store, or quote in a problem, are bounded like the reader's
cells (issue 13, defect 8): a segment value or id longer than a cell may be is a problem
of its row, an off-scale answer is quoted by its start, and ``codebook suggest`` refuses
an export holding an over-long answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import TEAM, TINY_CODEBOOK, TINY_COLUMNS, dump, rows_csv

from insights import ImportFailed, Store
from insights.ingest.codebook import parse_codebook
from insights.ingest.exports import Limits, open_export
from insights.ingest.importer import import_export
from insights.ingest.suggest import suggest_codebook

LIMITS = Limits(max_cell_chars=100)
# The reader checks the header and the first records itself; the importer the rest.
FIRST = [[f"r{n}", "A", "s1", "Agree", "Agree", "Yes"] for n in range(4)]


def refusal(store: Store, path: Path) -> ImportFailed:
    before = dump(store)
    with pytest.raises(ImportFailed) as caught:
        export = open_export(path, limits=LIMITS)
        import_export(
            store, export, parse_codebook(TINY_CODEBOOK), team_id=TEAM, wave="w", actor="cli:test"
        )
    assert dump(store) == before
    return caught.value


def test_a_segment_value_longer_than_a_cell_may_be_is_a_problem_of_its_row(
    store: Store, tmp_path: Path
) -> None:
    rows = [*FIRST, ["r9", "B" * 101, "s1", "Agree", "Agree", "No"]]
    path = tmp_path / "w.csv"
    path.write_text(rows_csv(rows))
    problems = refusal(store, path).problems
    assert problems == [
        "row 6, column 'team': the cell holds more than 100 characters, the most a cell may"
    ]


def test_a_respondent_id_longer_than_a_cell_may_be_is_a_problem_of_its_row(
    store: Store, tmp_path: Path
) -> None:
    rows = [*FIRST, ["r" * 101, "A", "s1", "Agree", "Agree", "Yes"]]
    path = tmp_path / "w.csv"
    path.write_text(rows_csv(rows))
    assert "row 6, column 'id': the cell holds more than 100" in refusal(store, path).problems[0]


def test_an_off_scale_answer_is_quoted_by_its_start(store: Store, tmp_path: Path) -> None:
    rows = [*FIRST, ["r9", "A", "s1", "Agree", "Agree", "Maybe" * 20_000]]
    path = tmp_path / "w.csv"
    path.write_text(rows_csv(rows))
    with pytest.raises(ImportFailed) as caught:
        import_export(
            store,
            open_export(path),
            parse_codebook(TINY_CODEBOOK),
            team_id=TEAM,
            wave="w",
            actor="cli:test",
        )
    [problem] = caught.value.problems
    assert problem.startswith("row 6, column 'm': 'MaybeMaybe") and "…' is not an answer" in problem
    assert len(problem) < 300


def test_suggest_refuses_an_answer_longer_than_a_cell_may_be(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(rows_csv([*FIRST, ["r9", "A", "s1", "Agree", "x" * 101, "Yes"]], TINY_COLUMNS))
    with pytest.raises(ImportFailed) as caught:
        suggest_codebook(open_export(path, limits=LIMITS))
    assert caught.value.message.startswith("File w.csv, column 'o': one cell holds 101 characters")
