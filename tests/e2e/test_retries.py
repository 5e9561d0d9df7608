"""A retried event (same event_id, X-Slack-Retry-Num) is answered once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient


def test_a_retry_while_the_first_is_in_progress_is_not_answered_again(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, ts = slack.unique("C"), "1700004000.000100"
    event_id = slack.unique("EvRetry")
    with ThreadPoolExecutor(max_workers=3) as pool:
        deliveries = [
            pool.submit(
                slack.mention,
                "gap by role",
                channel=channel,
                ts=ts,
                event_id=event_id,
                retry=retry,
            )
            for retry in (None, 1, 2)
        ]
        assert [d.result().status for d in deliveries] == [200, 200, 200]
    fake_slack.posted_in(channel, ts)

    late = slack.mention("gap by role", channel=channel, ts=ts, event_id=event_id, retry=3)
    assert late.status == 200
    # A later, different event in the same channel is answered; by then no second answer came.
    slack.mention("gap", channel=channel, ts="1700004001.000100")
    fake_slack.posted_in(channel, "1700004001.000100")
    assert (
        len(
            fake_slack.matching(
                lambda c: c.payload.get("channel") == channel and c.payload.get("thread_ts") == ts
            )
        )
        == 1
    )


def test_a_retry_of_a_lost_first_delivery_is_answered(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    """Only the retry arrived (the first never reached us): it must be answered."""
    channel, ts = slack.unique("C"), "1700005000.000100"
    assert slack.mention("gap", channel=channel, ts=ts, retry=1).status == 200
    fake_slack.posted_in(channel, ts)
