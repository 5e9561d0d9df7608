"""`/empathy subscribe|unsubscribe|subscriptions`: parsing, defaults, permissions, listing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.routing.subscribe import handle
from bot.settings import Settings
from bot.slack.permissions import may_manage_subscriptions
from insights import Store
from insights.digests import subscriptions as subs
from insights.digests.subscriptions import parse_iso

if TYPE_CHECKING:
    from conftest import FakeSlack

NOW = parse_iso("2026-03-28T10:00:00Z")  # a Saturday
CHANNEL = "CCXTEAM"


def run(settings: Settings, store: Store, client: Any, text: str, user: str = "UALICE") -> str:
    return handle(settings, store, client, "local", CHANNEL, user, text, now=NOW).text


def users_info_calls(fake: FakeSlack) -> int:
    return sum(1 for c in fake.calls if c.method == "users.info")


def test_subscribe_with_zone_and_filters(
    settings: Settings, store: Store, client: Any, fake_slack: FakeSlack
) -> None:
    text = run(settings, store, client, "subscribe weekly monday 09:00 Europe/Berlin role=in-house")
    assert "Next one: Mon 30 Mar 2026 09:00 CEST" in text
    sub = subs.channel_subscription(store, "local", CHANNEL)
    assert sub is not None
    assert (sub.weekday, sub.local_time, sub.tz) == (0, "09:00", "Europe/Berlin")
    assert sub.query == "gap role=In-house" and sub.created_by == "UALICE"
    assert users_info_calls(fake_slack) == 0  # the zone was given; no need to ask Slack


def test_zone_defaults_to_the_users_slack_zone(
    settings: Settings, store: Store, client: Any, fake_slack: FakeSlack
) -> None:
    fake_slack.users["UALICE"] = {"tz": "America/New_York"}
    run(settings, store, client, "subscribe weekly friday 16:30")
    sub = subs.channel_subscription(store, "local", CHANNEL)
    assert sub is not None and sub.tz == "America/New_York"


def test_zone_falls_back_to_default_timezone(
    settings: Settings, store: Store, client: Any, fake_slack: FakeSlack
) -> None:
    settings = settings.model_copy(update={"default_timezone": "Asia/Tokyo"})
    fake_slack.users["UALICE"] = {"tz": None}
    run(settings, store, client, "subscribe weekly friday 16:30")
    sub = subs.channel_subscription(store, "local", CHANNEL)
    assert sub is not None and sub.tz == "Asia/Tokyo"


def test_mistakes_are_explained_and_nothing_is_stored(
    settings: Settings, store: Store, client: Any
) -> None:
    for text in (
        "subscribe daily 09:00",
        "subscribe weekly moonday 09:00",
        "subscribe weekly monday 09:00 Mars/Olympus",
        "subscribe weekly monday 09:00 UTC role=astronaut",
        "subscribe weekly monday 09:00 UTC by role",
        "subscribe weekly monday 09:00 UTC trend",
    ):
        reply = handle(settings, store, client, "local", CHANNEL, "UALICE", text, now=NOW)
        assert reply.blocks and not reply.text.startswith("Subscribed"), text
    assert subs.channel_subscription(store, "local", CHANNEL) is None


def test_non_admin_is_refused_and_nothing_is_stored(
    settings: Settings, store: Store, client: Any, fake_slack: FakeSlack
) -> None:
    settings = settings.model_copy(update={"admin_user_ids": ["UADMIN"]})
    fake_slack.users["UBOB"] = {"is_admin": False, "is_owner": False, "tz": "Europe/Berlin"}
    text = run(settings, store, client, "subscribe weekly monday 09:00", user="UBOB")
    assert "Only the bot's admins and workspace admins" in text
    assert subs.channel_subscription(store, "local", CHANNEL) is None
    assert store.db.execute("SELECT COUNT(*) FROM subscriptions").fetchone()[0] == 0

    run(settings, store, client, "subscribe weekly monday 09:00 UTC", user="UADMIN")
    refused = run(settings, store, client, "unsubscribe", user="UBOB")
    assert "Only the bot's admins" in refused
    assert subs.channel_subscription(store, "local", CHANNEL) is not None
    # Anyone may look.
    assert "Digest weekly on Monday" in run(settings, store, client, "subscriptions", "UBOB")


def test_who_may_manage_subscriptions(
    settings: Settings, client: Any, fake_slack: FakeSlack
) -> None:
    assert may_manage_subscriptions(settings, client, "UANYONE")  # no ADMIN_USER_IDS: everyone
    assert users_info_calls(fake_slack) == 0
    settings = settings.model_copy(update={"admin_user_ids": ["UADMIN"]})
    fake_slack.users.update(
        UOWNER={"is_owner": True}, UWSADMIN={"is_admin": True}, UBOB={"is_admin": False}
    )
    assert may_manage_subscriptions(settings, client, "UADMIN")
    assert may_manage_subscriptions(settings, client, "UOWNER")
    assert may_manage_subscriptions(settings, client, "UWSADMIN")
    assert not may_manage_subscriptions(settings, client, "UBOB")


def test_listing_shows_next_send_in_the_channels_zone(
    settings: Settings, store: Store, client: Any
) -> None:
    assert "no digest subscription" in run(settings, store, client, "subscriptions")
    run(settings, store, client, "subscribe weekly monday 09:00 America/New_York")
    text = run(settings, store, client, "subscriptions")
    assert "Digest weekly on Monday at 09:00 America/New_York" in text
    assert "Next: Mon 30 Mar 2026 09:00 EDT" in text

    subs.pause(store, subs.require_channel_subscription(store, "local", CHANNEL).id, "is_archived")
    assert "Paused (is_archived)" in run(settings, store, client, "subscriptions")
    run(settings, store, client, "subscribe weekly monday 09:00 America/New_York")
    assert "Next:" in run(settings, store, client, "subscriptions")  # resubscribing resumes
