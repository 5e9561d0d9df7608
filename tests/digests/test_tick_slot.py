"""`empathy digests tick --now …` before and at the slot, and again in the same week."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from insights import Store
from insights.digests import subscriptions as subs

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack

CHANNEL = "CCXTEAM"


def test_nothing_before_the_slot_then_one_digest_at_it(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel("weekly monday 09:00 Europe/Berlin")

    early = cli("tick", "--now", "2026-03-30T06:59:59Z")  # 08:59:59 CEST
    assert early.exit_code == 0, early.output
    assert "Nothing due" in early.output
    assert fake_slack.posts() == []

    due = cli("tick", "--now", "2026-03-30T07:00:00Z")  # 09:00 CEST
    assert due.exit_code == 0, due.output
    assert "sent CCXTEAM 2026-W14" in due.output
    [post] = fake_slack.posts()
    assert post.payload["channel"] == CHANNEL
    assert "Weekly empathy digest" in post.payload["text"]


def test_a_second_tick_in_the_same_week_sends_nothing(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    subscription = subscribe_channel("weekly monday 09:00 Europe/Berlin")
    for now in ("2026-03-30T07:00:30Z", "2026-03-30T07:01:00Z", "2026-04-01T12:00:00Z"):
        assert cli("tick", "--now", now).exit_code == 0
    assert len(fake_slack.posts()) == 1
    assert subs.run_status(store, subscription.id, "2026-W14") == "sent"

    # The next week brings the next digest, which now says what changed.
    assert cli("tick", "--now", "2026-04-06T07:00:00Z").exit_code == 0
    first, second = fake_slack.posts()
    assert "First digest" in first.payload["text"]
    assert "New responses since the last digest: 0" in second.payload["text"]


def test_subscribed_after_this_weeks_slot_waits_for_next_week(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel("weekly monday 09:00 Europe/Berlin", created="2026-03-30T07:30:00Z")
    assert cli("tick", "--now", "2026-03-30T08:00:00Z").exit_code == 0
    assert fake_slack.posts() == []
    assert cli("tick", "--now", "2026-04-06T07:00:00Z").exit_code == 0
    assert len(fake_slack.posts()) == 1


def test_log_shows_what_ticks_did(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    subscribe_channel()
    cli("tick", "--now", "2026-03-30T07:00:00Z")
    log = cli("log", "--limit", "5")
    assert log.exit_code == 0
    assert "sent CCXTEAM 2026-W14 slot 2026-03-30T07:00:00Z ts 1700000000." in log.output


def test_run_forever_ticks_until_stopped(
    settings: Any, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    import threading

    from bot.slack.digest_sender import run_forever

    subscribe_channel()
    stop = threading.Event()
    seen: list[list[subs.RunRecord]] = []

    def on_tick(records: list[subs.RunRecord]) -> None:
        seen.append(records)
        stop.set()

    run_forever(
        settings, stop, clock=lambda: subs.parse_iso("2026-03-30T07:00:00Z"), on_tick=on_tick
    )
    assert [[r.status for r in records] for records in seen] == [["sent"]]
    assert len(fake_slack.posts()) == 1


def test_every_command_has_help(cli: DigestsCli) -> None:
    from bot.entrypoints.digest_cli import digests

    assert sorted(digests.commands) == ["log", "preview", "run", "tick"]
    for name, command in digests.commands.items():
        assert command.help, name
        assert cli(name, "--help").exit_code == 0
