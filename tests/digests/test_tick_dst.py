"""The slot follows the local wall clock across daylight-saving changes in both directions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack


@pytest.mark.parametrize(
    ("created", "before", "slot"),
    [
        # Spring forward on 2026-03-29: 09:00 Berlin is 08:00 UTC before, 07:00 UTC after.
        ("2026-03-20T00:00:00Z", "2026-03-23T07:59:00Z", "2026-03-23T08:00:00Z"),
        ("2026-03-24T00:00:00Z", "2026-03-30T06:59:00Z", "2026-03-30T07:00:00Z"),
        # Fall back on 2026-10-25: 07:00 UTC before, 08:00 UTC after.
        ("2026-10-13T00:00:00Z", "2026-10-19T06:59:00Z", "2026-10-19T07:00:00Z"),
        ("2026-10-20T00:00:00Z", "2026-10-26T07:59:00Z", "2026-10-26T08:00:00Z"),
    ],
)
def test_nine_oclock_berlin_on_both_sides_of_each_change(
    cli: DigestsCli,
    fake_slack: FakeSlack,
    subscribe_channel: Any,
    created: str,
    before: str,
    slot: str,
) -> None:
    subscribe_channel("weekly monday 09:00 Europe/Berlin", created=created)
    assert cli("tick", "--now", before).exit_code == 0
    assert fake_slack.posts() == []
    result = cli("tick", "--now", slot)
    assert f"slot {slot}" in result.output
    assert len(fake_slack.posts()) == 1


def test_one_digest_through_the_repeated_hour_of_fall_back(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any
) -> None:
    # Sunday 02:30 happens twice in Berlin on 2026-10-25; ticking every 30 minutes through
    # the night sends exactly one digest, at the first 02:30 (00:30 UTC).
    subscribe_channel("weekly sunday 02:30 Europe/Berlin", created="2026-10-24T00:00:00Z")
    start = datetime(2026, 10, 24, 22, 0, tzinfo=UTC)
    outputs = {}
    for step in range(12):
        now = (start + timedelta(minutes=30 * step)).strftime("%Y-%m-%dT%H:%M:%SZ")
        outputs[now] = cli("tick", "--now", now).output
    assert len(fake_slack.posts()) == 1
    assert "slot 2026-10-25T00:30:00Z" in outputs["2026-10-25T00:30:00Z"]
