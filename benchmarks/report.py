"""The benchmark's table: one markdown row per shape, size and measure, every design side by
side, and the issue's targets marked ✓ or ✗ where they apply (at a million respondents)."""

from __future__ import annotations

import os
import platform
import sqlite3

import duckdb
import pandas as pd

from benchmarks.measure import E2E_QUERY, Result, Timing

TARGET_SIZE = 1_000_000
QUERY_MEDIAN_MS, QUERY_P99_MS = 25.0, 100.0
IMPORT_SECONDS, IMPORT_RSS_MB = 10.0, 1536.0
COLD_START_MS, MEMORY_MB = 300.0, 500.0
ACK_P99_MS, ANSWER_P99_MS = 300.0, 1000.0

COLUMNS = (
    "shape",
    "respondents",
    "measure",
    "this engine",
    "plain SQLite GROUP BY",
    "naive pandas",
    "DuckDB as count source",
    "DuckDB alone (one statement)",
    "target at 1M",
)
BASELINES = ("sql", "pandas", "duckdb", "duckdb alone")
NOT_APPLICABLE = "—"


def ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def check(ok: bool) -> str:
    return "✓" if ok else "✗"


def table(results: list[Result], runs: int) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    for result in results:
        lines += ["| " + " | ".join(row) + " |" for row in rows(result, runs)]
    return "\n".join(lines)


def rows(r: Result, runs: int) -> list[list[str]]:
    """The result's rows, each a cell per column of ``COLUMNS``."""
    load = f"DuckDB's own load of the same CSV: {r.duckdb_load_seconds:.2f} s"
    found = [
        row(
            r,
            "import (`empathy import`, latest wave), peak RSS",
            f"{r.import_seconds:.1f} s ({r.respondents / r.import_seconds:,.0f}/s),"
            f" {r.import_rss_mb:,.0f} MB",
            [NOT_APPLICABLE, NOT_APPLICABLE, load, NOT_APPLICABLE],
            target(r, f"≤ {IMPORT_SECONDS:.0f} s", r.import_seconds <= IMPORT_SECONDS)
            + ", "
            + target(r, "≤ 1.5 GB", r.import_rss_mb <= IMPORT_RSS_MB),
        )
    ]
    for query in r.queries:
        engine, *others = query_cells(r, query.text, runs)
        goal = target(r, "≤ 25 / ≤ 100 ms, ≤ DuckDB alone", query_ok(r, query.text))
        found.append(row(r, f"`{query.text}` median / p99", engine, others, goal))
    if r.cold is not None:
        first = r.cold.first_answer_seconds * 1000
        found.append(
            row(
                r,
                "cold start: a fresh process's first `gap` (latest wave)",
                f"{ms(first)} ms (after {r.cold.imports_seconds:.1f} s of imports,"
                f" {ms(r.cold.open_seconds * 1000)} ms to open the store)",
                None,
                target(r, f"≤ {COLD_START_MS:.0f} ms", first <= COLD_START_MS),
            )
        )
        found.append(
            row(
                r,
                "memory: that process's RSS after `gap` and `gap vs` the previous wave",
                f"{r.cold.rss_mb:,.0f} MB",
                None,
                target(r, f"≤ {MEMORY_MB:.0f} MB", r.cold.rss_mb <= MEMORY_MB),
            )
        )
    if r.acks or r.errors:
        found += e2e_rows(r)
    return found


def row(r: Result, measure: str, engine: str, others: list[str] | None, goal: str) -> list[str]:
    """A table row; ``others`` are the baselines' cells (None: not applicable)."""
    return [r.shape, f"{r.respondents:,}", measure, engine, *(others or [NOT_APPLICABLE] * 4), goal]


def target(r: Result, text: str, ok: bool) -> str:
    """The target, marked met or not where it applies (at a million respondents)."""
    return f"{text} {check(ok)}" if r.respondents >= TARGET_SIZE else text


def query_cells(r: Result, text: str, runs: int) -> list[str]:
    engine = r.timings["engine"][text]
    cells = [timed(engine, runs)]
    for design in BASELINES:
        other = r.timings[design][text]
        cells.append(f"{timed(other, runs)} (×{other.median_ms / engine.median_ms:,.1f})")
    if not r.agree.get(text, True):
        cells[-2] += " ⚠ answers differ"
    return cells


def timed(timing: Timing, runs: int) -> str:
    """Median / p99 in ms, and how many runs when the budget cut them short."""
    count = len(timing.seconds)
    short = f", {count} run{'s' if count > 1 else ''}" if count < runs else ""
    return f"{ms(timing.median_ms)} / {ms(timing.p99_ms)} ms{short}"


def query_ok(r: Result, text: str) -> bool:
    engine = r.timings["engine"][text]
    floor = r.timings["duckdb alone"][text]
    return (
        engine.median_ms <= QUERY_MEDIAN_MS
        and engine.p99_ms <= QUERY_P99_MS
        and engine.median_ms <= floor.median_ms
    )


def e2e_rows(r: Result) -> list[list[str]]:
    failures = f", {len(r.errors)} errors" if r.errors else ""
    found = []
    for what, seconds, limit in (
        ("ack", r.acks, ACK_P99_MS),
        ("answer at response_url", r.answers, ANSWER_P99_MS),
    ):
        timing = Timing(seconds or [float("nan")])
        ok = timing.p99_ms <= limit and not r.errors
        measure = f"end to end, bursts of concurrent `/empathy {E2E_QUERY}`: {what} p50 / p99"
        engine = f"{ms(timing.median_ms)} / {ms(timing.p99_ms)} ms{failures}"
        found.append(row(r, measure, engine, None, target(r, f"p99 ≤ {limit:,.0f} ms", ok)))
    return found


def machine() -> str:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (load average {load} at the end), Python"
        f" {platform.python_version()}, SQLite {sqlite3.sqlite_version}, pandas"
        f" {pd.__version__}, DuckDB {duckdb.__version__}"
    )
