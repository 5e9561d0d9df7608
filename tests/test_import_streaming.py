"""Imports read exports in chunks; checking and writing must not depend on where chunks end."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
import pytest
from support import TEAM, TINY_COLUMNS, answer_rows, dump, segment_rows, table_counts

from insights import ImportFailed, Store, ask
from insights.ingest.codebook import Codebook, parse_codebook
from insights.ingest.exports import Column, Export, Layout, Progress
from insights.ingest.importer import import_export

ROWS = [
    ["r1", "A", "s1", "Agree", "Disagree", "Yes"],
    ["r2", "A", "s1", "Agree", "Neutral", "No"],
    ["r3", "B", "s2", "Neutral", "Agree", "Yes"],
    ["r4", "B", "s2", "Agree", "Agree", "Yes"],
    ["r5", "A", "s2", "Disagree", "Disagree", ""],
    ["r6", "B", "s1", "agree", "DISAGREE", "no"],
    ["r7", "A", "s1", "Agree", "Disagree", "Yes"],
]


def frame_of(rows: Sequence[Sequence[str]], columns: Sequence[str] = TINY_COLUMNS) -> pd.DataFrame:
    frame = pd.DataFrame([list(r) for r in rows], columns=list(columns), dtype=str)
    frame.index = pd.RangeIndex(2, len(rows) + 2)  # spreadsheet rows: header is row 1
    return frame


def run(
    store: Store, export: Export, codebook: Codebook, chunk_rows: int = 2, wave: str = "w1"
) -> None:
    import_export(
        store, export, codebook, team_id=TEAM, wave=wave, chunk_rows=chunk_rows, actor="cli:test"
    )


def refusal(store: Store, export: Export, codebook: Codebook) -> ImportFailed:
    before = dump(store)
    with pytest.raises(ImportFailed) as caught:
        run(store, export, codebook)
    assert dump(store) == before
    return caught.value


def content(store: Store) -> list[object]:
    """What an import wrote, without timestamps."""
    respondents = store.db.execute("SELECT id, external_id FROM respondents ORDER BY id")
    return [respondents.fetchall(), answer_rows(store), segment_rows(store)]


def test_chunk_size_does_not_change_what_is_written(tiny_codebook: Codebook) -> None:
    dumps = []
    for chunk_rows in (1, 2, 3, 1000):
        store = Store.open(":memory:")
        run(store, Export.from_frame(frame_of(ROWS)), tiny_codebook, chunk_rows)
        dumps.append(content(store))
        store.close()
    assert all(d == dumps[0] for d in dumps)


def test_chunked_import_counts(store: Store, tiny_codebook: Codebook) -> None:
    run(store, Export.from_frame(frame_of(ROWS)), tiny_codebook, chunk_rows=3)
    assert table_counts(store)["respondents"] == 7
    assert len(answer_rows(store)) == 20  # 7 respondents × 3 questions, minus r5's blank 'm'
    # personal 'Agree' (code 3) for r1, r2, r4, r6, r7: 5 of 7 = 71%
    text = ask(store, TEAM, "gap", min_group_size=1).text
    assert "71%† (5 of 7" in text


def test_the_same_bad_answer_in_several_chunks_is_one_problem(
    store: Store, tiny_codebook: Codebook
) -> None:
    rows = [[f"r{i}", "A", "s1", "Sure" if i % 2 else "Agree", "Agree", "Yes"] for i in range(9)]
    error = refusal(store, Export.from_frame(frame_of(rows)), tiny_codebook)
    assert error.problems == [
        "rows 3, 5, 7, 9, column 'p': 'Sure' is not an answer on scale 'agree3' "
        "(expected one of: Disagree, Neutral, Agree; or a code 1–3)"
    ]


def test_a_respondent_id_repeated_in_another_chunk_is_found(
    store: Store, tiny_codebook: Codebook
) -> None:
    rows = [*ROWS, ["r2", "A", "s1", "Agree", "Agree", "Yes"]]
    error = refusal(store, Export.from_frame(frame_of(rows)), tiny_codebook)
    assert error.problems == ["rows 3, 9, column 'id': respondent id 'r2' is repeated"]


def test_problems_of_every_kind_come_together(store: Store, tiny_codebook: Codebook) -> None:
    rows = [*ROWS, ["", "A", "s1", "Nope", "Agree", "Yes"]]
    error = refusal(store, Export.from_frame(frame_of(rows)), tiny_codebook)
    assert [p.split(":")[0] for p in error.problems] == [
        "row 9, column 'id'",
        "row 9, column 'p'",
    ]


NUMERIC_CODEBOOK = """
[survey]
name = "recoded"

[scales.agree3]
labels = ["Disagree", "Neutral", "Agree"]
positive = ["Agree"]
codes = [7, 8, 9]

[[questions]]
column = "Q1"
theme = "care"
perspective = "personal"
scale = "agree3"

[[questions]]
column = "Q2"
theme = "care"
perspective = "organization"
scale = "agree3"
"""


def test_numeric_exports_use_the_scales_codes(store: Store) -> None:
    codebook = parse_codebook(NUMERIC_CODEBOOK)
    frame = frame_of(
        [["R_1", "9", "7"], ["R_2", "9", "9"], ["R_3", "8", "Agree"], ["R_4", "9", ""]],
        columns=["ResponseId", "Q1", "Q2"],
    )
    export = Export.from_frame(frame, respondent_id="ResponseId")
    run(store, export, codebook)
    text = ask(store, TEAM, "gap", min_group_size=1).text
    # The gap's base is the 3 who answered both (R_4 left Q2 blank).
    assert "Personal: 67%† (2 of 3" in text  # Q1: 9, 9, 8 → 2 agree
    assert "Organization: 67%† (2 of 3" in text  # Q2: 7, 9, Agree → 2 agree
    assert "answered only one (not counted): care 1" in text
    ids = [r[0] for r in store.db.execute("SELECT external_id FROM respondents ORDER BY id")]
    assert ids == ["R_1", "R_2", "R_3", "R_4"]


def test_a_code_outside_the_scale_lists_the_codes(store: Store) -> None:
    codebook = parse_codebook(NUMERIC_CODEBOOK)
    frame = frame_of([["R_1", "1", "9"]], columns=["ResponseId", "Q1", "Q2"])
    error = refusal(store, Export.from_frame(frame, respondent_id="ResponseId"), codebook)
    assert "'1' is not an answer on scale 'agree3'" in error.problems[0]
    assert "or a code 7–9" in error.problems[0]


def test_without_an_id_column_rows_are_respondents(store: Store) -> None:
    codebook = parse_codebook(NUMERIC_CODEBOOK)
    frame = frame_of([["9", "7"], ["9", "9"]], columns=["Q1", "Q2"])
    run(store, Export.from_frame(frame), codebook)
    ids = [r[0] for r in store.db.execute("SELECT external_id FROM respondents ORDER BY id")]
    assert ids == ["2", "3"]


def test_a_missing_column_suggests_close_names(store: Store, tiny_codebook: Codebook) -> None:
    frame = frame_of(ROWS, columns=["id", "team", "Site", "p", "o", "m"])
    error = refusal(store, Export.from_frame(frame), tiny_codebook)
    assert error.problems == [
        "column 'site' named in the codebook is missing from the file (did you mean 'Site'?)"
    ]


def excluding_export(kept: pd.DataFrame, excluded: dict[str, int]) -> Export:
    """An export whose reader drops some rows, as the Qualtrics reader does with previews."""
    layout = Layout("qualtrics", 3, tuple(Column(c) for c in kept.columns))

    def read(rows: int, progress: Progress | None) -> Iterator[pd.DataFrame]:
        export.excluded.update(excluded)
        if len(kept):
            yield kept

    export = Export(name="survey.csv", layout=layout, reader=read)
    return export


def test_the_summary_counts_what_was_left_out(store: Store, tiny_codebook: Codebook) -> None:
    export = excluding_export(frame_of(ROWS), {"survey preview": 2, "unfinished": 1})
    summary = import_export(store, export, tiny_codebook, team_id=TEAM, wave="w1", actor="cli:test")
    assert summary.respondents == 7
    assert summary.excluded == {"survey preview": 2, "unfinished": 1}
    assert summary.describe().endswith("Left out 3 rows (2 survey preview, 1 unfinished).")


def test_nothing_left_after_exclusions_is_explained(store: Store, tiny_codebook: Codebook) -> None:
    export = excluding_export(frame_of([]), {"unfinished": 4})
    error = refusal(store, export, tiny_codebook)
    assert "no respondents left to import: it left out 4 rows (4 unfinished)" in str(error)
    assert error.left_out == {"unfinished": 4}  # data: each edge says how to keep them
    assert "--include" not in str(error)  # the library names no edge's flags


def test_progress_is_reported_per_chunk(store: Store, tiny_codebook: Codebook) -> None:
    seen: list[tuple[int, int]] = []
    export = Export.from_frame(frame_of(ROWS))
    import_export(
        store,
        export,
        tiny_codebook,
        team_id=TEAM,
        wave="w1",
        chunk_rows=3,
        progress=lambda done, total: seen.append((done, total)),
        actor="cli:test",
    )
    assert seen == [(3, 7), (6, 7), (7, 7)]
