"""Helpers shared by the tests (imported as ``support``; tests/ is on sys.path)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from fake_slack import json_arg
from slack_sdk.models.blocks import Block

from insights import Store
from insights.ingest import pending as pending_imports
from insights.ingest.importer import ImportSummary
from insights.store import responses

TEAM = "T-TEST"

# A one-theme pulse survey (columns "mine" and "theirs"), as an upload's codebook.
PULSE_CODEBOOK = """
[survey]
name = "pulse"
respondent_id = "id"

[scales.agree]
labels = ["Disagree", "Agree"]
positive = ["Agree"]

[[questions]]
column = "mine"
theme = "value"
perspective = "personal"
scale = "agree"

[[questions]]
column = "theirs"
theme = "value"
perspective = "organization"
scale = "agree"
"""


def pending_upload(store: Store, name: str, content: bytes) -> pending_imports.PendingImport:
    """A pending upload of the pulse survey's wave w1, sent by UADMIN in a DM."""
    return pending_imports.create(
        store,
        team_id=TEAM,
        user_id="UADMIN",
        channel_id="DADMIN",
        thread_ts="1.1",
        file_name=name,
        content=content,
        codebook=PULSE_CODEBOOK,
        survey="pulse",
        wave="w1",
    )


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


CliRun = Callable[..., Any]
"""run(*args, input=None) -> click's Result of ``empathy *args`` (the conftest fixture)."""
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


# -- what Slack reads as mrkdwn ------------------------------------------------------------

# Slack parses these as mrkdwn: a message's top-level ``text`` (its notification fallback)
# and a file share's ``initial_comment``; inside blocks and views, every text object of type
# "mrkdwn" (plain_text objects, button values and file titles are shown as they are).
MRKDWN_ARGUMENTS = ("text", "initial_comment")
# Arguments slack_sdk may send JSON-encoded in a form.
JSON_ARGUMENTS = ("blocks", "view", "attachments")
_SEQUENCE = re.compile(r"<([^<>]*)>")
_ENTITY = re.compile(r"&(amp|lt|gt);")


def _mrkdwn_objects(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _mrkdwn_objects(item, f"{where}[{index}]")
    elif isinstance(node, dict):
        if node.get("type") == "mrkdwn" and isinstance(node.get("text"), str):
            yield where, node["text"]
        for key, value in node.items():
            yield from _mrkdwn_objects(value, f"{where}.{key}")


def mrkdwn_fields(payload: dict[str, Any]) -> list[tuple[str, str]]:
    """(where, text) of every string in a Slack call's arguments that Slack reads as mrkdwn."""
    found = [
        (key, payload[key])
        for key in MRKDWN_ARGUMENTS
        if isinstance(payload.get(key), str) and payload.get("mrkdwn") is not False
    ]
    for key in JSON_ARGUMENTS:
        if key in payload:
            found += _mrkdwn_objects(json_arg(payload[key]), key)
    return found


def mrkdwn_problems(text: str, ours: re.Pattern[str]) -> list[str]:
    """What in ``text`` Slack would read as markup that is not ours: any ``<…>`` sequence
    whose inside does not fully match ``ours``, a stray ``<`` or ``>``, or an ``&`` that
    does not start one of the three escapes (``&amp;``, ``&lt;``, ``&gt;``)."""
    problems = [
        f"control sequence {m.group(0)!r}"
        for m in _SEQUENCE.finditer(text)
        if not ours.fullmatch(m.group(1))
    ]
    rest = _SEQUENCE.sub("", text)
    problems += [f"stray {ch!r}" for ch in "<>" if ch in rest]
    bare = [i for i, ch in enumerate(text) if ch == "&" and not _ENTITY.match(text, i)]
    problems += [f"bare '&' in {text[max(i - 10, 0) : i + 12]!r}" for i in bare]
    return problems


def _shown_as(sequence: str) -> str:
    """Roughly what Slack shows for a control sequence that is not ours: a link's label, a
    mention's "@" or "#" name. Never the sequence as written."""
    inside = sequence[1:-1]
    target, _, label = inside.partition("|")
    if label:
        return label
    if target[:1] in "!@":
        return "@" + target[1:].split("^")[-1]
    return target


def slack_display(text: str, ours: re.Pattern[str]) -> str:
    """``text`` as Slack shows it: our own control sequences left as written, anyone else's
    shown the way Slack renders it (a mention, a link's label), and the three escapes
    turned back into their characters in one pass, as Slack does."""
    unescape = {"amp": "&", "lt": "<", "gt": ">"}
    parts = []
    last = 0
    for match in _SEQUENCE.finditer(text):
        parts.append(_ENTITY.sub(lambda m: unescape[m.group(1)], text[last : match.start()]))
        sequence = match.group(0)
        parts.append(sequence if ours.fullmatch(match.group(1)) else _shown_as(sequence))
        last = match.end()
    parts.append(_ENTITY.sub(lambda m: unescape[m.group(1)], text[last:]))
    return "".join(parts)


def markup_from_data(
    payload: dict[str, Any], ours: re.Pattern[str], forged: Sequence[str] = ()
) -> list[str]:
    """Every problem in ``payload``'s mrkdwn fields (see ``mrkdwn_problems``), and any of
    ``forged`` that Slack would show: what an unescaped escape in the data would look like."""
    problems = []
    for where, text in mrkdwn_fields(payload):
        found = mrkdwn_problems(text, ours)
        shown = slack_display(text, ours)
        found += [f"shows {text!r}" for text in forged if text in shown]
        problems += [f"{where}: {problem}" for problem in found]
    return problems


def shown_by_slack(payload: dict[str, Any], ours: re.Pattern[str]) -> str:
    """All of ``payload``'s mrkdwn fields as Slack would show them, one after another."""
    return "\n".join(slack_display(text, ours) for _, text in mrkdwn_fields(payload))


# Two small waves of the tiny codebook, with hand-computed figures (shared by the engine
# and headline tests).
# 12 respondents: 8 agree personally but not for their organization (b), 1 the reverse (c),
# 3 agree on both. Yes/no: 6 of 12 say Yes.
WAVE_1 = (
    [[f"b{i}", "A", "s1", "Agree", "Disagree", "Yes" if i < 4 else "No"] for i in range(8)]
    + [["c0", "A", "s1", "Neutral", "Agree", "No"]]
    + [[f"d{i}", "B", "s1", "Agree", "Agree", "Yes" if i < 2 else "No"] for i in range(3)]
)
# 20 respondents: b = 10, c = 2, 8 concordant (4 agree on both); 15 of 20 say Yes.
WAVE_2 = (
    [[f"b{i}", "A", "s1", "Agree", "Neutral", "Yes"] for i in range(10)]
    + [[f"c{i}", "A", "s1", "Disagree", "Agree", "Yes"] for i in range(2)]
    + [[f"d{i}", "B", "s1", "Agree", "Agree", "Yes" if i < 3 else "No"] for i in range(4)]
    + [[f"e{i}", "B", "s1", "Disagree", "Disagree", "No"] for i in range(4)]
)
