"""Malformed requests, even correctly signed, get a 4xx, never a 5xx."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest

if TYPE_CHECKING:
    from harness import SlackClient

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

BODIES = [
    pytest.param(b"{not json", JSON, id="bad-json"),
    pytest.param(b"[1, 2, 3]", JSON, id="json-list"),
    pytest.param(b'"just a string"', JSON, id="json-string"),
    pytest.param(b"payload=%7Bbroken", FORM, id="bad-payload-json"),
    pytest.param(b"payload=%5B%5D", FORM, id="payload-list"),
    pytest.param(b"", FORM, id="empty"),
    pytest.param(b"text=gap", FORM, id="command-without-command"),
    pytest.param(urlencode({"command": "/empathy", "text": "gap"}).encode(), FORM, id="no-url"),
    pytest.param(urlencode({"command": "/other", "text": "x"}).encode(), FORM, id="other-cmd"),
    pytest.param(json.dumps({"type": "event_callback"}).encode(), JSON, id="event-no-event"),
    pytest.param(
        json.dumps({"type": "event_callback", "event": "nope"}).encode(), JSON, id="event-str"
    ),
    pytest.param(
        json.dumps({"type": "event_callback", "event": {"type": "app_mention"}}).encode(),
        JSON,
        id="mention-without-fields",
    ),
    pytest.param(
        urlencode({"payload": json.dumps({"type": "block_actions"})}).encode(),
        FORM,
        id="actions-missing",
    ),
    pytest.param(
        urlencode({"payload": json.dumps({"type": "block_actions", "actions": "x"})}).encode(),
        FORM,
        id="actions-not-a-list",
    ),
    pytest.param(
        urlencode(
            {"payload": json.dumps({"type": "block_actions", "actions": [{"value": "q:gap"}]})}
        ).encode(),
        FORM,
        id="action-without-id",
    ),
    pytest.param(b"\xff\xfe not utf-8", FORM, id="not-utf8"),
]


@pytest.mark.parametrize(("body", "content_type"), BODIES)
def test_malformed_signed_bodies_get_4xx(
    slack: SlackClient, body: bytes, content_type: str
) -> None:
    reply = slack.post(body, content_type)
    assert 400 <= reply.status < 500, (reply.status, reply.body)
    assert "Traceback" not in reply.body


def test_a_bad_timestamp_header_gets_401(slack: SlackClient) -> None:
    reply = slack.post(b"text=gap", FORM, timestamp=0, signature="v0=abc")
    assert reply.status == 401
    reply = slack.post(
        b"text=gap",
        FORM,
        signed=False,
        headers={"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"},
    )
    assert reply.status == 401


DEEP = 100_000  # far past Python's recursion limit (1,000)
SHALLOW_ENOUGH_TO_PARSE = 900  # json.loads parses it; recursive code after it would not


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def deep_event(depth: int) -> bytes:
    event = {"type": "app_mention", "user": "UALICE", "channel": "C1", "ts": "1.0", "text": "hi"}
    envelope = json.dumps({"type": "event_callback", "event_id": "EvDeep", "event": event})
    # The nesting goes in by hand: json.dumps itself would refuse to build it.
    return envelope.replace('"text": "hi"', f'"text": "hi", "blocks": {nested(depth)}').encode()


NESTED_BODIES = [
    pytest.param(nested(DEEP).encode(), JSON, id="json-brackets"),
    pytest.param(('{"a": ' * DEEP + "1" + "}" * DEEP).encode(), JSON, id="json-objects"),
    pytest.param(deep_event(DEEP), JSON, id="event-with-deep-blocks"),
    pytest.param(urlencode({"payload": nested(DEEP)}).encode(), FORM, id="form-payload"),
    pytest.param(
        urlencode(
            {"payload": '{"type": "block_actions", "actions": ' + nested(DEEP) + "}"}
        ).encode(),
        FORM,
        id="form-payload-actions",
    ),
    pytest.param(deep_event(SHALLOW_ENOUGH_TO_PARSE), JSON, id="parseable-but-900-deep"),
]


@pytest.mark.parametrize(("body", "content_type"), NESTED_BODIES)
def test_deeply_nested_signed_bodies_get_400(
    slack: SlackClient, body: bytes, content_type: str
) -> None:
    reply = slack.post(body, content_type)
    assert reply.status == 400, (reply.status, reply.body)
    assert "nested" in reply.body
    assert slack.post(b"", FORM, signed=False).status == 401  # and the process goes on
