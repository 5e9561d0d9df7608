"""Twenty people asking at once are all acknowledged within Slack's 3 seconds."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient

QUERIES = ["gap", "gap by role", "gap by region", "gap role=in-house", "gap by seniority"]


def test_twenty_concurrent_commands_are_acked_within_3_seconds(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    keys = [slack.unique("burst") for _ in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        acks = list(
            pool.map(lambda i: slack.command(QUERIES[i % len(QUERIES)], keys[i])[0], range(20))
        )
    assert [ack.status for ack in acks] == [200] * 20
    slowest = max(ack.seconds for ack in acks)
    assert slowest < 3.0, f"slowest ack took {slowest:.2f}s"
    for key in keys:
        answer = fake_slack.responded(key)
        assert "%" in answer["text"]
