"""Slack 429 and 5xx: the clients' one retry policy waits and retries (through the tick's
sleep); when its retries are spent the period fails for this tick and the next one retries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.settings import Settings
from bot.slack.digest_sender import tick
from insights import Store
from insights.digests import subscriptions as subs

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack, Scripted

from fake_slack import Scripted as Reply

SLOT = "2026-03-30T07:00:00Z"


def rate_limited(seconds: str) -> Scripted:
    return Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": seconds})


def server_error() -> Scripted:
    return Reply(503, {"ok": False, "error": "service_unavailable"})


def test_429_then_success_through_the_cli(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel()
    fake_slack.script("chat.postMessage", rate_limited("0"))
    result = cli("tick", "--now", SLOT)
    assert "sent CCXTEAM 2026-W14" in result.output
    assert len(fake_slack.posts()) == 2  # the refused attempt and the retry
    assert fake_slack.delivered() == 1


def test_429_waits_retry_after_before_retrying(
    settings: Settings, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel()
    fake_slack.script("chat.postMessage", rate_limited("7"), rate_limited("2"))
    waits: list[float] = []
    records = tick(settings, subs.parse_iso(SLOT), sleep=waits.append)
    assert waits == [7.0, 2.0]
    assert [r.status for r in records] == ["sent"]
    assert fake_slack.delivered() == 1


def test_5xx_backs_off_then_fails_and_the_next_tick_sends_once(
    settings: Settings, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    settings = settings.model_copy(update={"slack_max_retries": 3})
    subscription = subscribe_channel()
    fake_slack.script("chat.postMessage", *(server_error() for _ in range(4)))
    waits: list[float] = []
    [failed] = tick(settings, subs.parse_iso(SLOT), sleep=waits.append)
    assert waits == [1.0, 2.0, 4.0]  # SLACK_MAX_RETRIES backoffs, then give up for this tick
    assert failed.status == "failed"
    assert "service_unavailable" in (failed.reason or "")
    assert subs.run_status(store, subscription.id, "2026-W14") == "failed"
    assert fake_slack.delivered() == 0

    [sent] = tick(settings, subs.parse_iso("2026-03-30T07:01:00Z"), sleep=waits.append)
    assert sent.status == "sent"
    assert tick(settings, subs.parse_iso("2026-03-30T07:02:00Z"), sleep=waits.append) == []
    assert fake_slack.delivered() == 1
    assert [r.status for r in subs.read_log(store)] == ["failed", "sent"]


def test_a_failed_week_left_beyond_the_grace_window_becomes_missed(
    settings: Settings, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    subscription = subscribe_channel()
    fake_slack.script("chat.postMessage", *(server_error() for _ in range(4)))
    tick(settings, subs.parse_iso(SLOT), sleep=lambda _: None)
    [missed] = tick(settings, subs.parse_iso("2026-03-30T14:00:00Z"), sleep=lambda _: None)
    assert missed.status == "missed"
    assert subs.run_status(store, subscription.id, "2026-W14") == "missed"
    assert fake_slack.delivered() == 0


def test_a_429_asking_for_more_than_the_cap_is_left_to_the_next_tick(
    settings: Settings, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    """No tick sits out a long Retry-After: the period fails now, and a later tick within
    the grace window sends it once."""
    subscription = subscribe_channel()
    fake_slack.script("chat.postMessage", rate_limited("600"))
    waits: list[float] = []
    [failed] = tick(settings, subs.parse_iso(SLOT), sleep=waits.append)
    assert waits == []
    assert failed.status == "failed"
    assert failed.reason == "rate limited by Slack: will retry on the next tick"
    assert subs.run_status(store, subscription.id, "2026-W14") == "failed"

    [sent] = tick(settings, subs.parse_iso("2026-03-30T07:10:00Z"), sleep=waits.append)
    assert sent.status == "sent" and waits == []
    assert fake_slack.delivered() == 1
