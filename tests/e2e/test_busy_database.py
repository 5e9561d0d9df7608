"""Another process writing for a while (an import of a million respondents holds the write
lock for seconds): the bot's own writes wait for it, and the answer still comes."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebProcess

HELD_SECONDS = 6.0  # longer than the 5 s writes used to wait before failing


def hold_write_lock(database: Path, seconds: float, taken: threading.Event) -> None:
    other = sqlite3.connect(database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    taken.set()
    time.sleep(seconds)
    other.execute("COMMIT")
    other.close()


def test_a_mention_during_a_long_write_is_answered_once_it_ends(
    web: WebProcess, slack: SlackClient, fake_slack: FakeSlack
) -> None:
    taken = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(web.database, HELD_SECONDS, taken))
    holder.start()
    taken.wait()
    started = time.monotonic()
    channel, ts = slack.unique("CBUSY"), "1700900000.000100"
    assert slack.mention("gap by role", channel=channel, ts=ts).status == 200  # acked at once
    assert time.monotonic() - started < 3
    [reply] = fake_slack.posted_in(channel, ts)
    holder.join()
    assert time.monotonic() - started >= HELD_SECONDS - 0.5  # it waited for the writer
    assert "Empathy gap by role" in reply.payload["text"]
    # The claim and the thread context were written after the wait: a follow-up works.
    slack.mention("and for consultants?", channel=channel, ts="1700900001.000100", thread_ts=ts)
    [*_, follow_up] = fake_slack.posted_in(channel, ts, count=2)
    assert "role = Consultant" in follow_up.payload["text"]
