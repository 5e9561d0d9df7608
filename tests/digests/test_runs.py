"""The library's run loop with a sender that is not Slack: the loop decides what is due,
claims it and records the outcome; the sender only transports (``insights.digests.runs``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from insights import Store
from insights.digests import Delivery, Digest, send_due_digests
from insights.digests import subscriptions as subs

SLOT = subs.parse_iso("2026-03-30T07:00:00Z")


@dataclass
class Outbox:
    """A sender that keeps what it is given and answers what it is told to."""

    answer: Delivery = field(default_factory=lambda: Delivery(ts="1700000000.000100"))
    blocked: Delivery | None = None
    sent: list[tuple[str, str, Digest]] = field(default_factory=list)

    def unavailable(self, team_id: str) -> Delivery | None:
        return self.blocked

    def send(self, team_id: str, channel_id: str, digest: Digest) -> Delivery:
        self.sent.append((team_id, channel_id, digest))
        return self.answer

    def send_chart(self, team_id: str, channel_id: str, digest: Digest, thread_ts: str) -> None:
        raise AssertionError("no subscription here asks for a chart")


def test_the_due_digest_is_handed_to_the_sender_once_and_settled(
    store: Store, subscribe_channel: Any
) -> None:
    subscription = subscribe_channel()
    outbox = Outbox()
    [record] = send_due_digests(store, outbox, SLOT, min_group_size=5)
    [(team, channel, digest)] = outbox.sent
    assert (team, channel) == (subscription.team_id, subscription.channel_id)
    assert digest.query == "gap" and digest.headline
    assert (record.status, record.message_ts) == ("sent", "1700000000.000100")
    assert send_due_digests(store, outbox, SLOT, min_group_size=5) == []
    assert len(outbox.sent) == 1


def test_a_workspace_the_sender_cannot_serve_claims_nothing_and_is_tried_again(
    store: Store, subscribe_channel: Any
) -> None:
    subscription = subscribe_channel()
    outbox = Outbox(blocked=Delivery(reason="token lookup timed out", retry=True))
    [record] = send_due_digests(store, outbox, SLOT, min_group_size=5)
    assert record.status == "failed"
    assert record.reason == "token lookup timed out: will retry on the next tick"
    assert subs.run_status(store, subscription.id, "2026-W14") is None
    assert outbox.sent == []

    outbox.blocked = None
    [sent] = send_due_digests(
        store, outbox, subs.parse_iso("2026-03-30T07:01:00Z"), min_group_size=5
    )
    assert sent.status == "sent" and len(outbox.sent) == 1


def test_a_delivery_that_says_pause_pauses_the_subscription(
    store: Store, subscribe_channel: Any
) -> None:
    subscription = subscribe_channel()
    outbox = Outbox(answer=Delivery(reason="channel gone", pause=True))
    [record] = send_due_digests(store, outbox, SLOT, min_group_size=5)
    assert record.reason == "channel gone: subscription paused"
    paused = subs.require_channel_subscription(store, subscription.team_id, subscription.channel_id)
    assert (paused.status, paused.pause_reason) == ("paused", "channel gone")
    assert subs.run_status(store, subscription.id, "2026-W14") == "failed"
