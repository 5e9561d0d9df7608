"""Helpers shared by the tests (imported as ``support``; tests/ is on sys.path)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from slack_sdk.models.blocks import Block

from insights import Store, responses
from insights.importer import ImportSummary

TEAM = "T-TEST"

# A small survey: one paired theme on a 3-point scale, one yes/no organization question,
# and two segments. Hand-made datasets for import and suppression tests use it.
TINY_CODEBOOK = """
[survey]
name = "tiny"
title = "Tiny survey"
respondent_id = "id"

[scales.agree3]
labels = ["Disagree", "Neutral", "Agree"]
positive = ["Agree"]

[scales.yesno]
labels = ["No", "Yes"]
positive = ["Yes"]

[[questions]]
column = "p"
theme = "care"
perspective = "personal"
scale = "agree3"
text = "I care"

[[questions]]
column = "o"
theme = "care"
perspective = "organization"
scale = "agree3"
text = "My organization cares"

[[questions]]
column = "m"
theme = "measures"
scale = "yesno"
text = "We measure it"

[[segments]]
column = "team"

[[segments]]
column = "site"
"""
TINY_COLUMNS = ("id", "team", "site", "p", "o", "m")


def rows_csv(rows: Sequence[Sequence[object]], header: Sequence[str] = TINY_COLUMNS) -> str:
    """CSV text from a header and rows (no quoting needed for the hand-made data)."""
    lines = [",".join(header), *(",".join(str(cell) for cell in row) for row in rows)]
    return "\n".join(lines) + "\n"


def table_counts(store: Store) -> dict[str, int]:
    """Row count of every table: a database's content, for before/after comparisons."""
    names = [
        row[0]
        for row in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    ]
    return {
        name: int(store.db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])
        for name in names
    }


def answer_rows(store: Store) -> list[tuple[int, int, int, int]]:
    """Every stored answer as (respondent id, question id, value, positive), in that order:
    the respondent-level data one row per answer, whatever its layout."""
    found: list[tuple[int, int, int, int]] = []
    for survey_id, qid in store.db.execute("SELECT survey_id, id FROM questions").fetchall():
        table = responses.table_name(survey_id)
        value, positive = responses.answer_column(qid), responses.positive_column(qid)
        found += store.db.execute(
            f"SELECT respondent_id, {qid}, {value}, {positive} FROM {table}"
            f" WHERE {value} IS NOT NULL"
        ).fetchall()
    return sorted(found)


def segment_rows(store: Store) -> list[tuple[int, int, str]]:
    """Every stated segment value as (respondent id, segment id, value), in that order."""
    found: list[tuple[int, int, str]] = []
    for survey_id, sid in store.db.execute("SELECT survey_id, id FROM segments").fetchall():
        table, column = responses.table_name(survey_id), responses.segment_column(sid)
        found += store.db.execute(
            f"SELECT respondent_id, {sid}, {column} FROM {table} WHERE {column} IS NOT NULL"
        ).fetchall()
    return sorted(found)


def dump(store: Store) -> list[str]:
    """Every statement that would recreate the database, timestamps included."""
    return list(store.db.conn.iterdump())


Writer = Callable[..., Path]
"""write_csv(rows, name="wave.csv", header=TINY_COLUMNS) -> path of a UTF-8 CSV."""
Importer = Callable[..., ImportSummary]
"""import_rows(rows, wave="w1") -> summary of importing rows of the tiny survey."""


# Slack's Block Kit limits (api.slack.com/reference/block-kit): header text, section and
# context text; a message holds 50 blocks, a Home tab view 100.
SLACK_MAX_HEADER = 150
SLACK_MAX_TEXT = 3000


def assert_valid_blocks(blocks: list[dict[str, Any]], max_blocks: int) -> None:
    """Every block parses as Block Kit, passes slack_sdk's own checks, and keeps the limits."""
    assert 0 < len(blocks) <= max_blocks
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        block.validate_json()  # raises SlackObjectFormationError when a limit is broken
        if raw["type"] == "header":
            assert len(raw["text"]["text"]) <= SLACK_MAX_HEADER
        if raw["type"] == "section":
            assert 0 < len(raw["text"]["text"]) <= SLACK_MAX_TEXT
        if raw["type"] == "context":
            assert all(0 < len(e["text"]) <= SLACK_MAX_TEXT for e in raw["elements"])
