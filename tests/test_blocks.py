"""The Block Kit helpers are pure: checked here as data, and against slack_sdk's models."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.blocks import (
    MAX_BLOCKS,
    SHARE_ACTION_ID,
    escape_mrkdwn,
    internal_error_message,
    query_from_share_value,
    share_button,
    shared_by,
    user_error_message,
    with_share_button,
)

ANSWER = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Gap* 55 points"}}]


def valid(blocks: list[dict[str, Any]]) -> bool:
    for raw in blocks:
        parsed = Block.parse(raw)
        assert parsed is not None
        parsed.validate_json()
    return True


def test_share_button_carries_the_query() -> None:
    block = share_button("gap by role")
    assert block == {
        "type": "actions",
        "block_id": "empathy_share",
        "elements": [
            {
                "type": "button",
                "action_id": SHARE_ACTION_ID,
                "text": {"type": "plain_text", "text": "Share in channel", "emoji": True},
                "value": "q:gap by role",
            }
        ],
    }
    assert valid([block])


def test_the_share_value_round_trips_even_for_the_empty_overview_query() -> None:
    for query in ("", "gap", "gap role=in-house seniority=senior leader"):
        block = share_button(query)
        assert block is not None
        assert query_from_share_value(block["elements"][0]["value"]) == query
    assert query_from_share_value("something else") is None


def test_no_button_for_a_query_too_long_for_a_button_value() -> None:
    assert share_button("x" * 2000) is None
    assert with_share_button(ANSWER, "x" * 2000) == ANSWER


def test_with_share_button_appends_without_mutating() -> None:
    blocks = list(ANSWER)
    decorated = with_share_button(blocks, "gap")
    assert decorated[:-1] == ANSWER and decorated[-1]["type"] == "actions"
    assert blocks == ANSWER
    assert with_share_button(ANSWER, None) == ANSWER


def test_no_button_when_the_message_is_already_full() -> None:
    full = ANSWER * MAX_BLOCKS
    assert with_share_button(full, "gap") == full


def test_shared_by_names_the_person_and_drops_buttons() -> None:
    decorated = with_share_button(ANSWER, "gap")
    shared = shared_by(decorated, "U123", "gap <b>")
    assert shared[:-1] == ANSWER
    note = shared[-1]
    assert note["type"] == "context"
    assert note["elements"][0]["text"] == "Shared by <@U123> · `/empathy gap &lt;b&gt;`"
    assert valid(shared)
    assert "Someone" in shared_by(ANSWER, None, "")[-1]["elements"][0]["text"]


def test_user_error_message_keeps_the_suggestion_separate_and_escaped() -> None:
    message = user_error_message("No value '<x>' & co.", "Try `gap by role`.")
    assert message.text == "No value '<x>' & co. Try `gap by role`."
    assert message.blocks[0]["text"]["text"].endswith("No value '&lt;x&gt;' &amp; co.")
    assert message.blocks[1] == {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "Try `gap by role`."}],
    }
    assert valid(message.blocks)
    assert len(user_error_message("Nope.").blocks) == 1


def test_internal_error_message_shows_the_reference_and_nothing_else() -> None:
    message = internal_error_message("abc123def0")
    assert "abc123def0" in message.text
    assert "abc123def0" in message.blocks[1]["elements"][0]["text"]
    assert valid(message.blocks)


def test_escape_mrkdwn() -> None:
    assert escape_mrkdwn("a < b & c > d") == "a &lt; b &amp; c &gt; d"
