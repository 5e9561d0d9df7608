"""Every message the app sends passes slack_sdk's Block Kit validation."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from slack_sdk.models.blocks import Block

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient

QUERIES = [
    "",
    "help",
    "gap",
    "gap by role",
    "gap by region",
    "gap role=in-house seniority=senior leader",
    "gap necessity by region",
    "gap vs 2021-pilot",
    "gap wave 2021-pilot",
    "themes",
    "segments",
    "waves",
    "surveys",
    "gap role=martian",
    "what is this",
]


def assert_valid_message(payload: dict[str, Any]) -> None:
    assert isinstance(payload.get("text"), str) and payload["text"].strip()
    blocks = payload.get("blocks")
    if isinstance(blocks, str):  # chat.postMessage may send blocks JSON-encoded
        blocks = json.loads(blocks)
    assert isinstance(blocks, list) and blocks
    assert len(blocks) <= 50
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, f"unknown block {raw}"
        block.validate_json()
        assert block.to_dict()["type"] == raw["type"]


@pytest.mark.parametrize("query", QUERIES)
def test_command_replies_are_valid_block_kit(
    slack: SlackClient, fake_slack: FakeSlack, query: str
) -> None:
    _, key = slack.command(query)
    assert_valid_message(fake_slack.responded(key))


@pytest.mark.parametrize("query", ["gap by role", "and by region?", "nonsense words"])
def test_mention_replies_are_valid_block_kit(
    slack: SlackClient, fake_slack: FakeSlack, query: str
) -> None:
    channel = slack.unique("C")
    slack.mention(query, channel=channel, ts="1700006000.000100")
    [reply] = fake_slack.posted_in(channel, "1700006000.000100")
    assert_valid_message(reply.payload)


def test_shared_answers_are_valid_block_kit(slack: SlackClient, fake_slack: FakeSlack) -> None:
    key = slack.unique("share")
    slack.click_share("q:gap by seniority", key)
    assert_valid_message(fake_slack.responded(key))
