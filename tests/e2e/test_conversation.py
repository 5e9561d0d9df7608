"""A conversation in a thread through the real web process: a question in plain words,
three follow-ups, a ranking and a negation — each answered for the group asked about, with
its strict reading shown small at the end."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient


def reading_of(blocks: list[dict[str, Any]]) -> str:
    """The "Read as `…`" line of an answer (its last context block)."""
    lines = [
        element.get("text", "")
        for block in blocks
        if block.get("type") == "context"
        for element in block.get("elements", [])
    ]
    found = [line for line in lines if line.startswith("Read as")]
    assert found, f"no strict reading among {lines}"
    return found[-1]


def test_a_thread_of_questions_follow_ups_a_ranking_and_a_negation(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel, thread = slack.unique("C"), "1700005000.000100"
    turns = [
        ("what's the necessity gap for in-house folks?", "gap necessity role=In-house"),
        ("and for consultants?", "gap necessity role=Consultant"),
        ("now by senority", "gap necessity by seniority role=Consultant"),
        ("what about everyone?", "gap necessity by seniority"),
        ("which region has the biggest gap", "gap necessity by region widest"),
        ("everyone but consultants", "gap role!=Consultant"),
    ]
    replies = []
    for number, (text, strict) in enumerate(turns, start=1):
        ts = thread if number == 1 else f"1700005000.{number:06d}"
        slack.mention(text, channel=channel, ts=ts, thread_ts=None if number == 1 else thread)
        *_, reply = fake_slack.posted_in(channel, thread, count=number)
        replies.append(reply)
        assert f"`{strict}`" in reading_of(reply.payload["blocks"]), text

    follow_up = replies[2].payload
    assert "read “senority” as the segment “seniority”" in reading_of(follow_up["blocks"])
    assert "role = Consultant" in follow_up["text"]

    negation = replies[5].payload["text"]
    assert "role = all but Consultant" in negation
    assert "role = Consultant " not in negation
