"""A subscription with ``chart``: the digest is posted, then its chart in the digest's thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.routing.subscribe import handle
from bot.settings import Settings
from insights import Store
from insights.digests import subscriptions as subs

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack

CHANNEL = "CCXTEAM"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BEFORE = subs.parse_iso("2026-03-28T10:00:00Z")  # a Saturday
SLOT = "2026-03-30T09:00:00Z"  # Monday 09:00 UTC
LATER = "2026-03-30T09:05:00Z"


def subscribe(settings: Settings, store: Store, client: Any, text: str) -> str:
    reply = handle(settings, store, client, "local", CHANNEL, "UADMIN", text, now=BEFORE)
    return reply.text


def test_subscribing_with_chart_is_stored_and_listed(
    settings: Settings, store: Store, client: Any
) -> None:
    reply = subscribe(settings, store, client, "subscribe weekly mon 09:00 role=in-house chart")
    assert "Subscribed" in reply and "with chart" in reply
    sub = subs.require_channel_subscription(store, "local", CHANNEL)
    assert sub.chart and sub.gap_query == "gap role=In-house"
    listing = subscribe(settings, store, client, "subscriptions")
    assert "`/empathy gap role=In-house` · with chart" in listing

    subscribe(settings, store, client, "subscribe weekly mon 09:00 role=in-house")
    plain = subs.require_channel_subscription(store, "local", CHANNEL)
    assert not plain.chart and plain.query == "gap role=In-house"
    assert "with chart" not in subscribe(settings, store, client, "subscriptions")


def test_the_chart_follows_the_digest_in_its_thread(
    settings: Settings, store: Store, client: Any, cli: DigestsCli, fake_slack: FakeSlack
) -> None:
    subscribe(settings, store, client, "subscribe weekly mon 09:00 chart")
    result = cli("tick", "--now", SLOT)
    assert result.exit_code == 0, result.output
    assert "sent CCXTEAM 2026-W14" in result.output and "chart not posted" not in result.output

    [post] = fake_slack.posts(CHANNEL)
    assert "Weekly empathy digest" in post.payload["text"]
    ts = post.reply["ts"]
    [upload] = fake_slack.uploads_in(CHANNEL, ts)
    assert fake_slack.uploaded(upload.file.id).startswith(PNG_SIGNATURE)
    alt = upload.file.alt_txt or ""
    assert "necessity: personal 91% (n = 197), organization 36% (n = 197)" in alt
    assert "business value: personal 72% (n = 150), organization 30% (n = 150)" in alt
    # The Drill down button asks the gap itself; the chart was a presentation choice.
    assert '"value": "gap"' in str(post.payload["blocks"]).replace("'", '"')


def test_without_chart_nothing_is_uploaded(
    settings: Settings, store: Store, client: Any, cli: DigestsCli, fake_slack: FakeSlack
) -> None:
    subscribe(settings, store, client, "subscribe weekly mon 09:00")
    assert cli("tick", "--now", SLOT).exit_code == 0
    assert len(fake_slack.posts(CHANNEL)) == 1
    uploads = [c for c in fake_slack.calls if c.method.startswith("files.")]
    assert uploads == []


def test_a_failed_chart_upload_never_unsends_or_resends_the_digest(
    settings: Settings, store: Store, client: Any, cli: DigestsCli, fake_slack: FakeSlack
) -> None:
    subscribe(settings, store, client, "subscribe weekly mon 09:00 chart")
    fake_slack.fail("files.getUploadURLExternal", "internal_error")

    first = cli("tick", "--now", SLOT)
    assert first.exit_code == 0, first.output
    assert "sent CCXTEAM 2026-W14" in first.output and "chart not posted" in first.output
    assert fake_slack.delivered(CHANNEL) == 1
    assert fake_slack.uploads_in(CHANNEL, fake_slack.posts(CHANNEL)[0].reply["ts"], 0) == []
    sub = subs.require_channel_subscription(store, "local", CHANNEL)
    assert subs.run_status(store, sub.id, "2026-W14") == "sent"

    second = cli("tick", "--now", LATER)
    assert second.exit_code == 0 and "Nothing due" in second.output
    assert len(fake_slack.posts(CHANNEL)) == 1
    [logged] = subs.read_log(store)
    assert logged.status == "sent" and "chart not posted" in (logged.reason or "")


def test_a_chart_upload_that_cannot_reach_slack_is_logged_not_raised(
    settings: Settings, store: Store, client: Any, cli: DigestsCli, fake_slack: FakeSlack
) -> None:
    subscribe(settings, store, client, "subscribe weekly mon 09:00 chart")
    fake_slack.break_down("upload", 503)  # the upload URL itself fails, after the announce

    result = cli("tick", "--now", SLOT)
    assert result.exit_code == 0, result.output
    assert "sent CCXTEAM 2026-W14" in result.output and "chart not posted" in result.output
    assert fake_slack.delivered(CHANNEL) == 1
