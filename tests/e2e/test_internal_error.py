"""A failure of ours is a short message with a reference id that is also in the log."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebFactory, WebProcess


def break_the_database(database: Path) -> None:
    with sqlite3.connect(database) as db:
        tables = db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'responses_%'")
        for (table,) in tables.fetchall():
            db.execute(f"ALTER TABLE {table} RENAME TO lost_{table}")
        db.execute("ALTER TABLE wave_columns RENAME TO wave_columns_lost")


@pytest.fixture(scope="module")
def broken(start_another_web: WebFactory) -> tuple[WebProcess, SlackClient]:
    return start_another_web(break_the_database)


def reference_in(text: str) -> str:
    found = re.search(r"reference:? `?([0-9a-f]{6,})`?", text)
    assert found, text
    return found.group(1)


def test_a_command_that_fails_gets_a_reference_id_not_a_traceback(
    broken: tuple[WebProcess, SlackClient], fake_slack: FakeSlack
) -> None:
    web, slack = broken
    ack, key = slack.command("gap")
    assert ack.status == 200
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert "Traceback" not in str(answer)
    assert "answers" not in answer["text"]  # no internals either
    reference = reference_in(answer["text"])
    assert reference in str(answer["blocks"])
    log = web.log_text()
    assert reference in log
    assert "Traceback" in log.split(reference, 1)[1]  # the traceback is logged with it


def test_a_mention_that_fails_gets_a_reference_id_in_the_thread(
    broken: tuple[WebProcess, SlackClient], fake_slack: FakeSlack
) -> None:
    web, slack = broken
    channel = slack.unique("C")
    slack.mention("what's the gap?", channel=channel, ts="1700007000.000100")
    [reply] = fake_slack.posted_in(channel, "1700007000.000100")
    assert "Traceback" not in str(reply.payload)
    assert reference_in(reply.payload["text"]) in web.log_text()
