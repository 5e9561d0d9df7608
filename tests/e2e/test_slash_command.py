"""``/empathy QUERY`` is acked at once and answered ephemerally through the response_url."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient


def share_buttons(payload: dict[str, object]) -> list[dict[str, object]]:
    blocks = payload.get("blocks") or []
    assert isinstance(blocks, list)
    return [
        element
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("action_id") == "share_in_channel"
    ]


def test_gap_is_answered_ephemerally_with_a_share_button(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    ack, key = slack.command("gap")
    assert ack.status == 200
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert "91%" in answer["text"]
    assert "36%" in answer["text"]
    [button] = share_buttons(answer)
    assert button["value"] == "q:gap"


def test_a_filtered_gap(slack: SlackClient, fake_slack: FakeSlack) -> None:
    _, key = slack.command("gap role=in-house")
    answer = fake_slack.responded(key)
    assert "72%" in answer["text"]
    assert "30%" in answer["text"]


@pytest.mark.parametrize(
    "query", ["gap by role", "help", "themes", "segments", "surveys", "waves", "gap vs 2021-pilot"]
)
def test_every_kind_of_query_is_answered(
    slack: SlackClient, fake_slack: FakeSlack, query: str
) -> None:
    ack, key = slack.command(query)
    assert ack.status == 200
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].strip()
    assert "reference" not in answer["text"]


def test_bare_command_gives_an_overview(slack: SlackClient, fake_slack: FakeSlack) -> None:
    _, key = slack.command("")
    answer = fake_slack.responded(key)
    assert "%" in answer["text"]
    assert share_buttons(answer)


def test_a_user_error_is_friendly_and_ephemeral(slack: SlackClient, fake_slack: FakeSlack) -> None:
    _, key = slack.command("gap role=martian")
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert "martian" in answer["text"]
    assert "Traceback" not in answer["text"]
    assert "reference" not in answer["text"]
    assert not share_buttons(answer)


def test_a_question_that_would_give_a_few_away_is_refused_politely(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    # In the demo's 2022 wave, in-house staff in Asia-Pacific are all but a few of its staff:
    # beside `gap region=asia-pacific seniority=staff` this would show how those few answered.
    _, key = slack.command("gap region=asia-pacific seniority=staff role=in-house")
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert (
        "I can't show region = Asia-Pacific, seniority = Staff, role = In-house" in (answer["text"])
    )
    assert "how fewer than 5 people answered" in answer["text"]
    assert "Ask about a broader group" in answer["text"]
    assert "%" not in answer["text"] and "· n =" not in answer["text"]
    assert not share_buttons(answer)


def test_share_in_channel_recomputes_and_posts_visibly(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    _, key = slack.command("gap role=in-house")
    [button] = share_buttons(fake_slack.responded(key))
    click = slack.click_share(str(button["value"]), "share-1")
    assert click.status == 200
    shared = fake_slack.responded("share-1")
    assert shared["response_type"] == "in_channel"
    assert shared["replace_original"] is False
    assert "72%" in shared["text"]
    assert "<@UALICE>" in str(shared["blocks"])
    assert not share_buttons(shared)


def test_sharing_a_query_that_no_longer_answers_stays_ephemeral(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    slack.click_share("q:gap role=martian", "share-2")
    shared = fake_slack.responded("share-2")
    assert shared["response_type"] == "ephemeral"


def test_a_command_from_a_channel_whose_name_says_payload_is_answered(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    # Bolt reads any form mentioning "payload" as an interactive payload, found none, and
    # answered "unhandled request": here the channel's name is "cpayload".
    ack, key = slack.command("gap role=in-house", channel="CPAYLOAD")
    assert ack.status == 200
    assert "Personal: 89%" in fake_slack.responded(key)["text"]


def test_a_question_with_the_word_payload_gets_a_sentence(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    ack, key = slack.command("gap payload")
    assert ack.status == 200
    assert "I don't know 'payload'" in fake_slack.responded(key)["text"]
