"""Exports are streamed: bounded chunks, row numbers carried across them, progress reported."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from export_fixtures import response_id, sample_responses, write_plain, write_qualtrics
from openpyxl import Workbook

from insights.ingest.exports import Export, open_export

RESPONDENTS = 30_000


@pytest.fixture(scope="module")
def large_qualtrics(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30,000 responses; every 10th a preview, every 7th (not 10th) unfinished."""
    path = tmp_path_factory.mktemp("large") / "large.csv"
    return write_qualtrics(
        path, sample_responses(RESPONDENTS, preview_every=10, unfinished_every=7)
    )


def expected_counts() -> tuple[int, int]:
    previews = RESPONDENTS // 10
    unfinished = sum(1 for i in range(1, RESPONDENTS + 1) if i % 7 == 0 and i % 10)
    return previews, unfinished


def test_large_csv_is_read_in_many_bounded_chunks(large_qualtrics: Path) -> None:
    export = open_export(large_qualtrics)

    frames = list(export.chunks(rows=1000))

    previews, unfinished = expected_counts()
    assert len(frames) == RESPONDENTS // 1000
    assert all(0 < len(f) <= 1000 for f in frames)
    assert dict(export.excluded) == {"survey preview": previews, "unfinished": unfinished}
    rows = pd.concat(frames).index
    assert len(rows) == RESPONDENTS - previews - unfinished
    assert rows.is_monotonic_increasing and rows.is_unique
    # Response i (1-based) is on file row 3 + i: rows 4, 5, 6 … with the left-out ones missing.
    assert rows[:6].tolist() == [4, 5, 6, 7, 8, 9]
    assert 13 not in rows and 10 not in rows  # 10th: unfinished (7th), 13th: preview
    assert rows[-1] == 3 + RESPONDENTS - 1  # the 30,000th is a preview
    last = frames[-1].iloc[-1]
    assert last["ResponseId"] == response_id(RESPONDENTS - 2)


def test_progress_counts_bytes_up_to_the_file_size(large_qualtrics: Path) -> None:
    calls: list[tuple[int, int]] = []

    for _ in open_export(large_qualtrics).chunks(rows=1000, progress=lambda *c: calls.append(c)):
        pass

    size = large_qualtrics.stat().st_size
    assert len(calls) == RESPONDENTS // 1000
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(set(done)) > 20
    assert {t for _, t in calls} == {size}
    assert done[-1] == size


def peak_memory(export: Export, rows: int) -> int:
    tracemalloc.start()
    try:
        for _ in export.chunks(rows=rows):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_follows_the_chunk_size_not_the_file_size(large_qualtrics: Path) -> None:
    export = open_export(large_qualtrics)

    small, whole = peak_memory(export, 1000), peak_memory(export, RESPONDENTS)

    assert small * 4 < whole
    assert small < large_qualtrics.stat().st_size / 2


def test_a_stream_can_be_abandoned_and_restarted(large_qualtrics: Path) -> None:
    export = open_export(large_qualtrics)

    chunks: Iterator[pd.DataFrame] = export.chunks(rows=500)
    first = next(chunks)
    del chunks
    again = next(export.chunks(rows=500))

    pd.testing.assert_frame_equal(first, again)
    # Only the first 500 records' exclusions, counted afresh: 50 previews, 64 unfinished.
    assert dict(export.excluded) == {"survey preview": 50, "unfinished": 64}


def test_xlsx_is_read_in_batches_with_row_progress(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        [f"r{i}", "Sales" if i % 2 else "Support", i % 5 + 1] for i in range(2500)
    ]
    rows[1200] = [None, None, None]
    export = open_export(
        write_plain(tmp_path / "big.xlsx", ["id", "team", "score"], rows, xlsx=True)
    )
    calls: list[tuple[int, int]] = []

    frames = list(export.chunks(rows=500, progress=lambda *c: calls.append(c)))

    assert [len(f) for f in frames] == [500, 500, 499, 500, 500]
    assert calls == [(501, 2501), (1001, 2501), (1501, 2501), (2001, 2501), (2501, 2501)]
    combined = pd.concat(frames)
    assert 1202 not in combined.index  # the blank row
    assert combined.loc[2501].tolist() == ["r2499", "Sales", "5"]


def test_xlsx_without_declared_size_reports_rows_so_far(tmp_path: Path) -> None:
    book = Workbook(write_only=True)  # writes no <dimension>, as some generators do
    sheet = book.create_sheet("Export")
    for row in [["id"], *([f"r{i}"] for i in range(1000))]:
        sheet.append(row)
    book.save(tmp_path / "streamed.xlsx")
    calls: list[tuple[int, int]] = []

    list(
        open_export(tmp_path / "streamed.xlsx").chunks(
            rows=400, progress=lambda *c: calls.append(c)
        )
    )

    assert calls == [(401, 401), (801, 801), (1001, 1001)]
