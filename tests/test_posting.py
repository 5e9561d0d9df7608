"""bot.slack.posting: the one door for posting a message, against the fake Slack Web API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.slack.posting import post_ephemeral, post_message
from insights.answers.render import Message
from insights.blocks import section
from tests.fake_slack import FakeSlack

MESSAGE = Message(text="Hello &amp; welcome", blocks=[section("Hello &amp; welcome")])


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def client_of(slack: FakeSlack) -> WebClient:
    return WebClient(base_url=slack.api_url, token=slack.token)


def test_a_posted_message_returns_its_ts_and_arrives_as_given(slack: FakeSlack) -> None:
    ts = post_message(client_of(slack), "C1", MESSAGE, thread_ts="1.0")
    (call,) = slack.posts("C1")
    assert ts is not None and call.reply["ts"] == ts
    assert call.payload["thread_ts"] == "1.0" and call.payload["text"] == MESSAGE.text
    assert call.payload["blocks"] == MESSAGE.blocks


def test_a_message_without_blocks_is_posted_as_text_alone(slack: FakeSlack) -> None:
    assert post_message(client_of(slack), "C1", Message(text="a note", blocks=[])) is not None
    (call,) = slack.posts("C1")
    assert "blocks" not in call.payload and call.payload["text"] == "a note"


def test_a_refusal_is_logged_with_what_and_where_and_never_raised(
    slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.fail("chat.postMessage", "not_in_channel")
    slack.fail("chat.postEphemeral", "user_not_in_channel")
    client = client_of(slack)
    assert post_message(client, "C1", MESSAGE, what="a reply") is None
    assert post_ephemeral(client, "C2", "U1", MESSAGE, what="a refusal") is False
    assert "Slack refused a reply in C1: not_in_channel" in caplog.text
    assert "Slack refused a refusal in C2: user_not_in_channel" in caplog.text


def test_an_ephemeral_message_goes_to_its_user_alone(slack: FakeSlack) -> None:
    assert post_ephemeral(client_of(slack), "C1", "U1", MESSAGE) is True
    (call,) = slack.api("chat.postEphemeral")
    assert call.payload["user"] == "U1" and call.payload["channel"] == "C1"
