"""The benchmark's measuring code, run for real on tiny surveys (no end-to-end burst).

Generating, importing with the real ``empathy import``, the cold-start process, every
design (this engine, plain SQLite, pandas, DuckDB as a count source and alone), the table
and the chart: all of it runs here, on two waves instead of four and with one timed run
for the baselines, so a change that breaks ``make benchmark`` (or makes the designs
disagree) fails in CI rather than at the next long run. No timing is asserted.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from benchmarks import chart, report
from benchmarks.measure import DESIGNS, Options, Result, measure, time_calls

SIZES = {"narrow": 300, "wide": 150}
OPTIONS = Options(
    runs=2, waves=2, engine_budget=1.0, baseline_budget=0.05, warmup=0, baseline_warmup=0
)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Result]:
    workdir = tmp_path_factory.mktemp("bench")
    return [measure(shape, size, OPTIONS, workdir, lambda _: None) for shape, size in SIZES.items()]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_the_table_has_a_filled_row_per_shape_and_query(results: list[Result]) -> None:
    lines = report.table(results, OPTIONS.runs).splitlines()
    assert cells(lines[0]) == list(report.COLUMNS)
    rows = [cells(line) for line in lines[2:]]
    assert all(len(row) == len(report.COLUMNS) for row in rows)
    for result in results:
        mine = [row for row in rows if row[0] == result.shape]
        asked = [query.text for query in result.queries]
        measured = [row for row in mine if row[2].endswith("median / p99")]
        assert [row[2].removesuffix(" median / p99").strip("`") for row in measured] == asked
        for row in measured:
            assert all(cell and cell != report.NOT_APPLICABLE for cell in row), row
            assert all(" ms" in cell for cell in row[3:8]), row
        assert any(row[2].startswith("import") and "DuckDB's own load" in row[6] for row in mine)
        assert any(row[2].startswith("cold start") and " ms" in row[3] for row in mine)
        assert any(row[2].startswith("memory") and " MB" in row[3] for row in mine)


def test_the_wide_shape_asks_about_its_segment_of_500_values(results: list[Result]) -> None:
    wide = next(result for result in results if result.shape == "wide")
    texts = [query.text for query in wide.queries]
    assert "gap by manager" in texts
    assert "gap role=in-house region=europe by department" in texts
    narrow = next(result for result in results if result.shape == "narrow")
    assert "gap by manager" not in [query.text for query in narrow.queries]


def test_every_design_gave_the_same_answers(results: list[Result]) -> None:
    for result in results:
        assert set(result.agree) == {query.text for query in result.queries}
        assert all(result.agree.values()), result.agree
        assert set(result.timings) == set(DESIGNS)
    narrow = next(result for result in results if result.shape == "narrow")
    assert not any(reply.startswith("refused") for reply in narrow.replies.values())
    assert "necessity" in narrow.replies["gap"].lower()  # a theme of the narrow shape


def test_the_targets_are_marked_only_at_a_million(results: list[Result]) -> None:
    text = report.table(results, OPTIONS.runs)
    assert "✓" not in text and "✗" not in text
    big = Result("wide", 1_000_000, 10, 24, import_seconds=9.0, import_rss_mb=2000.0)
    assert report.target(big, "≤ 10 s", big.import_seconds <= 10) == "≤ 10 s ✓"
    assert report.target(big, "≤ 1.5 GB", big.import_rss_mb <= 1536) == "≤ 1.5 GB ✗"


def test_the_chart_is_written(results: list[Result], tmp_path: Path) -> None:
    path = tmp_path / "latency.png"
    chart.draw(results, path)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_a_call_slower_than_its_budget_runs_once_warm_up_included() -> None:
    calls: list[float] = []

    def slow() -> None:
        calls.append(time.perf_counter())
        time.sleep(0.02)

    timing = time_calls(slow, runs=50, budget=0.001, warmup=3)
    assert len(calls) == 1 and len(timing.seconds) == 1
    quick = time_calls(lambda: calls.append(0.0), runs=5, budget=60.0, warmup=2)
    assert len(quick.seconds) == 5 and len(calls) == 1 + 2 + 5
