"""After `/empathy unsubscribe`, ticks send nothing to the channel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.routing.subscribe import handle
from bot.settings import Settings
from insights import Store
from insights.digests.subscriptions import parse_iso

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack


def test_unsubscribed_channel_gets_no_digest(
    cli: DigestsCli, fake_slack: FakeSlack, settings: Settings, store: Store, client: Any
) -> None:
    now = parse_iso("2026-03-28T10:00:00Z")
    reply = handle(
        settings,
        store,
        client,
        "local",
        "CCXTEAM",
        "UALICE",
        "subscribe weekly monday 09:00 Europe/Berlin",
        now=now,
    )
    assert reply.text.startswith("Subscribed")
    reply = handle(settings, store, client, "local", "CCXTEAM", "UALICE", "unsubscribe", now=now)
    assert reply.text.startswith("Unsubscribed")
    assert "Nothing due" in cli("tick", "--now", "2026-03-30T07:00:00Z").output
    assert fake_slack.posts() == []
