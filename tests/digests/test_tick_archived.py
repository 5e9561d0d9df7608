"""A channel we can no longer post to pauses its subscription, once, with the reason."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from insights import Store
from insights.digests import subscriptions as subs

if TYPE_CHECKING:
    from conftest import DigestsCli, FakeSlack

from fake_slack import Scripted


@pytest.mark.parametrize("error", ["is_archived", "channel_not_found", "not_in_channel"])
def test_unpostable_channel_pauses_the_subscription(
    cli: DigestsCli, fake_slack: FakeSlack, subscribe_channel: Any, store: Store, error: str
) -> None:
    subscription = subscribe_channel()
    fake_slack.script("chat.postMessage", Scripted(200, {"ok": False, "error": error}))
    result = cli("tick", "--now", "2026-03-30T07:00:00Z")
    assert result.exit_code == 0
    assert f"failed CCXTEAM 2026-W14 slot 2026-03-30T07:00:00Z — {error}" in result.output
    paused = subs.channel_subscription(store, "local", "CCXTEAM")
    assert paused is not None and paused.status == "paused" and paused.pause_reason == error

    # No crash loop: later ticks leave the paused subscription alone.
    for now in ("2026-03-30T07:01:00Z", "2026-04-06T07:00:00Z"):
        assert "Nothing due" in cli("tick", "--now", now).output
    assert len(fake_slack.posts()) == 1
    assert f"{error}: subscription paused" in cli("log").output
    assert subs.run_status(store, subscription.id, "2026-W14") == "failed"
