"""The Block Kit helpers are pure: checked here as data, and against slack_sdk's models."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.views.answers import (
    CHART_ACTION_ID,
    MAX_BLOCKS,
    SHARE_ACTION_ID,
    answer_actions,
    escape_mrkdwn,
    internal_error_message,
    query_from_value,
    shared_by,
    user_error_message,
    with_answer_actions,
)

ANSWER = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Gap* 55 points"}}]


def valid(blocks: list[dict[str, Any]]) -> bool:
    for raw in blocks:
        parsed = Block.parse(raw)
        assert parsed is not None
        parsed.validate_json()
    return True


STEPS = (("By role", "gap by role"), ("Trend", "gap trend"))


def test_answer_buttons_carry_complete_queries() -> None:
    block = answer_actions("gap", STEPS)
    assert block is not None
    assert block["type"] == "actions"
    assert [(e["action_id"], e["text"]["text"], e["value"]) for e in block["elements"]] == [
        ("answer_step_0", "By role", "q:gap by role"),
        ("answer_step_1", "Trend", "q:gap trend"),
        (CHART_ACTION_ID, "Chart", "q:gap"),
        (SHARE_ACTION_ID, "Share in channel", "q:gap"),
    ]
    assert valid([block])


def test_answers_in_a_conversation_have_no_share_button() -> None:
    block = answer_actions("gap", STEPS, share=False)
    assert block is not None
    assert SHARE_ACTION_ID not in [e["action_id"] for e in block["elements"]]


def test_the_value_round_trips_even_for_the_empty_overview_query() -> None:
    for query in ("", "gap", "gap role=in-house seniority=senior leader"):
        block = answer_actions(query)
        assert block is not None
        assert query_from_value(block["elements"][0]["value"]) == query
    assert query_from_value("something else") is None


def test_no_button_for_a_query_too_long_for_a_button_value() -> None:
    long = "x" * 2000
    assert answer_actions(long) is None
    assert with_answer_actions(ANSWER, long) == ANSWER
    block = answer_actions("gap", (("By role", long),))
    assert block is not None
    assert [e["action_id"] for e in block["elements"]] == [CHART_ACTION_ID, SHARE_ACTION_ID]


def test_with_answer_actions_appends_without_mutating() -> None:
    blocks = list(ANSWER)
    decorated = with_answer_actions(blocks, "gap", STEPS)
    assert decorated[:-1] == ANSWER and decorated[-1]["type"] == "actions"
    assert blocks == ANSWER
    assert with_answer_actions(ANSWER, None) == ANSWER


def test_no_buttons_when_the_message_is_already_full() -> None:
    full = ANSWER * MAX_BLOCKS
    assert with_answer_actions(full, "gap") == full


def test_shared_by_names_the_person_and_drops_buttons() -> None:
    decorated = with_answer_actions(ANSWER, "gap", STEPS)
    shared = shared_by(decorated, "U123", "gap <b>")
    assert shared[:-1] == ANSWER
    note = shared[-1]
    assert note["type"] == "context"
    assert note["elements"][0]["text"] == "Shared by <@U123> · `/empathy gap &lt;b&gt;`"
    assert valid(shared)
    assert "Someone" in shared_by(ANSWER, None, "")[-1]["elements"][0]["text"]


def test_user_error_message_keeps_the_suggestion_separate_and_escaped() -> None:
    message = user_error_message("No value '<x>' & co.", "Try `gap by role`.")
    # Slack reads the fallback as mrkdwn too (notifications): escaped like the blocks.
    assert message.text == "No value '&lt;x&gt;' &amp; co. Try `gap by role`."
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
