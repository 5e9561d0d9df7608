"""After months without a tick: at most one late digest, older weeks recorded as missed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from insights import Store

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack


def _statuses(store: Store, subscription_id: int) -> dict[str, int]:
    rows = store.db.execute(
        "SELECT status, COUNT(*) FROM digest_runs WHERE subscription_id = ? GROUP BY status",
        [subscription_id],
    ).fetchall()
    return {status: count for status, count in rows}


def test_back_within_the_grace_window_sends_one_late_digest(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    subscription = subscribe_channel(created="2026-01-01T00:00:00Z")
    # Monday 2026-05-04, 3 hours after the 09:00 Berlin slot (07:00 UTC).
    result = cli("tick", "--now", "2026-05-04T10:00:00Z")
    assert result.exit_code == 0, result.output
    assert len(fake_slack.posts()) == 1
    assert result.output.count(" sent CCXTEAM 2026-W19") == 1
    assert "late by 3h00m" in result.output
    # Every Monday from 2026-01-05 to 2026-04-27: 17 weeks, recorded, never sent.
    assert _statuses(store, subscription.id) == {"missed": 17, "sent": 1}

    again = cli("tick", "--now", "2026-05-04T10:01:00Z")
    assert "Nothing due" in again.output
    assert len(fake_slack.posts()) == 1


def test_back_after_the_grace_window_sends_nothing(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any, store: Store
) -> None:
    subscription = subscribe_channel(created="2026-01-01T00:00:00Z")
    result = cli("tick", "--now", "2026-05-05T12:00:00Z")  # Tuesday: this week's slot is stale
    assert fake_slack.posts() == []
    assert _statuses(store, subscription.id) == {"missed": 18}
    assert "missed CCXTEAM 2026-W19" in result.output

    log = cli("log", "--limit", "3")
    assert log.output.count("missed") == 3
    assert "not sent within the grace window" in log.output

    # The scheduler is back: next Monday's digest goes out as usual.
    cli("tick", "--now", "2026-05-11T07:00:00Z")
    assert len(fake_slack.posts()) == 1
