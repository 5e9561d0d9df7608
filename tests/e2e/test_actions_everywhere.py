"""Actions typed in a mention or a direct message are routed as ``/empathy`` routes them,
through the real web process: never answered as a gap question. In a channel, what is for
admins (and every refusal) goes to the asker alone, ephemeral in the thread; a DM gets a
normal reply; a subscription is the channel's, said in the thread.

The web process runs on the demo survey with ADMIN_USER_IDS=UADMIN (so digests are admins
only too); users Slack says nothing about are not admins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import harness as e2e
import pytest
from fake_slack import json_arg

from insights import Store, record_miss

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebProcess

ADMIN = "UADMIN"
TEAM = "local"  # the single-workspace bot's data (DEFAULT_TEAM_ID)
LOCK = "Only the bot's admins and workspace admins can"


@pytest.fixture(scope="module")
def admin_site(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack
) -> Iterator[tuple[WebProcess, SlackClient]]:
    """A web process of its own: these tests forget a wave and subscribe channels."""
    directory = tmp_path_factory.mktemp("actions-web")
    web = e2e.start_web(
        directory, fake_slack, e2e.demo_database(directory), {"ADMIN_USER_IDS": ADMIN}
    )
    yield web, e2e.SlackClient(web.url, fake_slack)
    e2e.stop_web(web)


@pytest.fixture
def slack(admin_site: tuple[WebProcess, SlackClient]) -> SlackClient:
    return admin_site[1]


@pytest.fixture
def database(admin_site: tuple[WebProcess, SlackClient]) -> Path:
    return admin_site[0].database


def count(database: Path, sql: str, *params: object) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute(sql, params).fetchone()[0])


def mention(slack: SlackClient, text: str, user: str, channel: str, ts: str) -> None:
    event = e2e.mention_event(text, channel=channel, ts=ts) | {"user": user}
    assert slack.event(event).status == 200


def direct_message(slack: SlackClient, text: str, user: str, channel: str) -> None:
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": user,
        "text": text,
        "ts": e2e.unique_ts(),
    }
    assert slack.event(event).status == 200


def private_reply(
    fake: FakeSlack, slack: SlackClient, text: str, user: str
) -> tuple[str, dict[str, Any]]:
    """Mention ``text`` in a new channel as ``user``: the ephemeral reply in its thread, and
    the channel, where nothing was posted for everyone."""
    channel, ts = slack.unique("C"), e2e.unique_ts()
    mention(slack, text, user, channel, ts)
    [reply] = fake.ephemeral_in(channel, ts, user)
    assert fake.posts(channel) == []  # the one reply was the private one
    return channel, reply.payload


def blocks(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return list(json_arg(payload.get("blocks")) or [])


def delete_button(payload: dict[str, Any]) -> dict[str, Any]:
    for block in blocks(payload):
        for element in block.get("elements") or []:
            if element.get("action_id") == "forget_wave_delete":
                return dict(element)
    raise AssertionError(f"no Delete button in {payload}")


def test_forget_in_a_mention_asks_the_admin_privately_and_deletes_on_click(
    slack: SlackClient, fake_slack: FakeSlack, database: Path
) -> None:
    _, reply = private_reply(fake_slack, slack, "forget wave 2021-pilot", ADMIN)
    assert "Forget wave '2021-pilot'" in reply["text"]
    assert "%" not in reply["text"]  # not the gap of that wave
    assert count(database, "SELECT COUNT(*) FROM waves WHERE label = '2021-pilot'") == 1

    key = slack.unique("click")
    button = delete_button(reply)
    slack.click(button["action_id"], "empathy_forget", button["value"], key, user=ADMIN)
    assert "2021-pilot" in fake_slack.responded(key)["text"]
    assert count(database, "SELECT COUNT(*) FROM waves WHERE label = '2021-pilot'") == 0


def test_forget_in_a_mention_by_someone_else_is_refused_privately(
    slack: SlackClient, fake_slack: FakeSlack, database: Path
) -> None:
    user = slack.unique("UNOBODY")
    _, reply = private_reply(fake_slack, slack, "forget wave 2022", user)
    assert reply["text"].startswith(LOCK)
    assert "91%" not in reply["text"]
    assert count(database, "SELECT COUNT(*) FROM waves WHERE label = '2022'") == 1


def test_audit_in_a_direct_message_is_a_normal_reply_for_admins_only(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("C")
    _, key = slack.command("subscribe weekly friday 16:00", user=ADMIN, channel=channel)
    assert "Subscribed" in fake_slack.responded(key)["text"]

    dm = slack.unique("D")
    direct_message(slack, "audit", ADMIN, dm)
    [reply] = fake_slack.posted_in(dm, None)
    assert "Audit log" in reply.payload["text"] and f"subscribed {channel}" in reply.payload["text"]

    other = slack.unique("D")
    direct_message(slack, "audit", slack.unique("UNOBODY"), other)
    [refused] = fake_slack.posted_in(other, None)
    assert refused.payload["text"].startswith(LOCK)


def test_subscribe_in_a_mention_subscribes_that_channel(
    slack: SlackClient, fake_slack: FakeSlack, database: Path
) -> None:
    channel, ts = slack.unique("C"), e2e.unique_ts()
    mention(slack, "subscribe weekly monday 09:00", ADMIN, channel, ts)
    [reply] = fake_slack.posted_in(channel, ts)
    assert "Subscribed this channel" in reply.payload["text"]
    active = "SELECT COUNT(*) FROM subscriptions WHERE channel_id = ? AND status = 'active'"
    assert count(database, active, channel) == 1

    user = slack.unique("UNOBODY")
    later = e2e.unique_ts()
    mention(slack, "unsubscribe", user, channel, later)
    [refused] = fake_slack.ephemeral_in(channel, later, user)
    assert refused.payload["text"].startswith(LOCK)
    assert count(database, active, channel) == 1


def test_misses_for_admins_only(slack: SlackClient, fake_slack: FakeSlack, database: Path) -> None:
    store = Store.open(database)
    try:
        for _ in range(3):
            record_miss(
                store, TEAM, "<@UBOT> what fraction think their company tracks it", "not understood"
            )
    finally:
        store.close()

    _, key = slack.command("misses", user=ADMIN)
    listing = fake_slack.responded(key)
    assert listing["response_type"] == "ephemeral"
    assert "what fraction think their company tracks it" in listing["text"]
    assert "3 times" in listing["text"]

    _, key = slack.command("misses", user=slack.unique("UNOBODY"))
    assert fake_slack.responded(key)["text"].startswith(LOCK)

    _, reply = private_reply(fake_slack, slack, "misses", ADMIN)
    assert "3 times" in reply["text"]


def test_import_in_a_mention_tells_admins_how(slack: SlackClient, fake_slack: FakeSlack) -> None:
    forms = len(fake_slack.api("views.open"))
    _, reply = private_reply(fake_slack, slack, "import", ADMIN)
    assert "direct message" in reply["text"] and "/empathy import" in reply["text"]
    _, refused = private_reply(fake_slack, slack, "import", slack.unique("UNOBODY"))
    assert refused["text"].startswith(LOCK)

    dm = slack.unique("D")
    direct_message(slack, "import", ADMIN, dm)
    [reply_in_dm] = fake_slack.posted_in(dm, None)
    assert "send me its export here" in reply_in_dm.payload["text"]
    assert len(fake_slack.api("views.open")) == forms  # no form can open from a message
