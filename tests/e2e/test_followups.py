"""Follow-ups in a thread keep its context, which lives in SQLite (it survives restarts)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebProcess


def remembered(web: WebProcess, channel: str, thread_ts: str) -> str | None:
    with sqlite3.connect(web.database) as db:
        row = db.execute(
            "SELECT query FROM thread_context WHERE channel_id = ? AND thread_ts = ?",
            [channel, thread_ts],
        ).fetchone()
    return None if row is None else str(row[0])


def test_a_follow_up_reuses_the_threads_last_query(
    slack: SlackClient, fake_slack: FakeSlack, web: WebProcess
) -> None:
    channel, thread = slack.unique("C"), "1700001000.000100"
    slack.mention("what's the gap for in-house?", channel=channel, ts=thread)
    fake_slack.posted_in(channel, thread)
    first = remembered(web, channel, thread)
    assert first is not None and "in-house" in first.lower()

    slack.mention("and by region?", channel=channel, ts="1700001000.000200", thread_ts=thread)
    _, follow_up = fake_slack.posted_in(channel, thread, count=2)
    assert "In-house" in follow_up.payload["text"]
    assert "North America" in follow_up.payload["text"]
    second = remembered(web, channel, thread)
    assert second is not None
    assert "in-house" in second.lower() and "region" in second.lower()

    slack.mention("and for consultants?", channel=channel, ts="1700001000.000300", thread_ts=thread)
    *_, third = fake_slack.posted_in(channel, thread, count=3)
    assert "Consultant" in third.payload["text"]
    assert "region" in (remembered(web, channel, thread) or "")


def test_context_comes_from_the_database_not_memory(
    slack: SlackClient, fake_slack: FakeSlack, web: WebProcess
) -> None:
    """A context written by an earlier process (here: directly) is used by this one."""
    channel, thread = slack.unique("C"), "1700002000.000100"
    with sqlite3.connect(web.database) as db:
        db.execute(
            "INSERT INTO thread_context (team_id, channel_id, thread_ts, query)"
            " VALUES ('local', ?, ?, 'gap role=in-house')",
            [channel, thread],
        )
    slack.mention("and by region?", channel=channel, ts="1700002000.000200", thread_ts=thread)
    [reply] = fake_slack.posted_in(channel, thread)
    assert "In-house" in reply.payload["text"]
    assert "North America" in reply.payload["text"]


def test_threads_do_not_share_context(slack: SlackClient, fake_slack: FakeSlack) -> None:
    channel = slack.unique("C")
    slack.mention("gap role=in-house", channel=channel, ts="1700003000.000100")
    fake_slack.posted_in(channel, "1700003000.000100")
    slack.mention("gap by region", channel=channel, ts="1700003001.000100")
    [other] = fake_slack.posted_in(channel, "1700003001.000100")
    assert "In-house" not in other.payload["text"]
