"""@mentions and direct messages are answered in the right thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient


def test_a_mention_starts_a_thread_on_its_own_message(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("C")
    ack = slack.mention("what's the gap?", channel=channel, ts="1700000100.000100")
    assert ack.status == 200
    [reply] = fake_slack.posted_in(channel, "1700000100.000100")
    assert "91%" in reply.payload["text"]
    assert reply.headers["Authorization"] == "Bearer xoxb-1111-2222-e2eSecretBotToken"


def test_a_mention_inside_a_thread_is_answered_in_that_thread(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("C")
    slack.mention(
        "gap role=in-house", channel=channel, ts="1700000200.000300", thread_ts="1700000200.000100"
    )
    [reply] = fake_slack.posted_in(channel, "1700000200.000100")
    assert "72%" in reply.payload["text"]
    assert not fake_slack.matching(
        lambda c: (
            c.payload.get("channel") == channel
            and c.payload.get("thread_ts") == "1700000200.000300"
        )
    )


def test_free_text_is_mapped_onto_the_query_language(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("C")
    slack.mention(
        "what's the gap for in-house senior leaders?", channel=channel, ts="1700000300.000100"
    )
    [reply] = fake_slack.posted_in(channel, "1700000300.000100")
    assert "In-house" in reply.payload["text"]
    assert "reference" not in reply.payload["text"]


def test_a_user_error_in_a_mention_is_explained_in_the_thread(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("C")
    slack.mention("gap role=martian", channel=channel, ts="1700000400.000100")
    [reply] = fake_slack.posted_in(channel, "1700000400.000100")
    assert "martian" in reply.payload["text"]
    assert "Traceback" not in reply.payload["text"]


def test_a_direct_message_is_answered_like_a_mention(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    channel = slack.unique("D")
    message = {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": "UALICE",
        "text": "gap role=in-house",
        "ts": "1700000500.000100",
    }
    assert slack.event(message).status == 200
    [reply] = fake_slack.posted_in(channel, None)
    assert "72%" in reply.payload["text"]


def test_the_bots_own_messages_are_not_answered(slack: SlackClient, fake_slack: FakeSlack) -> None:
    channel = slack.unique("D")
    own = {
        "type": "message",
        "channel_type": "im",
        "channel": channel,
        "user": "UBOTE2E",
        "bot_id": "BE2E",
        "text": "gap",
        "ts": "1700000600.000100",
    }
    assert slack.event(own).status == 200
    person = {**own, "user": "UALICE", "ts": "1700000600.000200"}
    del person["bot_id"]
    slack.event(person)
    fake_slack.posted_in(channel, None)  # the person's message is answered …
    assert len(fake_slack.matching(lambda c: c.payload.get("channel") == channel)) == 1
