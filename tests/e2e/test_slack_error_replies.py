"""A request Slack sends that cannot be answered as asked gets, through the real web
process, the message bot.errors.slack makes: the person's mistake in friendly words, with
the closest reading offered for a question not understood; never a reference id for it.
(A failure of ours, with its reference id: test_internal_error.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient

USER_ERROR_MARK = ":thinking_face:"


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ("gap region=Atlantis", "Segment 'region' has no value 'atlantis'."),
        ("who answered no?", "I can't show individual respondents"),
        (
            "gap role=Consultant seniority=Staff region=Europe",
            "hidden to protect their privacy",
        ),
    ],
    ids=["not-found", "refused", "suppressed"],
)
def test_a_question_that_cannot_be_answered_says_why_to_the_asker_alone(
    slack: SlackClient, fake_slack: FakeSlack, query: str, said: str
) -> None:
    ack, key = slack.command(query)
    assert ack.status == 200
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert said in answer["text"]
    assert answer["blocks"][0]["text"]["text"].startswith(USER_ERROR_MARK)
    assert "reference" not in answer["text"]


def test_a_question_not_understood_offers_the_closest_reading(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    _, key = slack.command("necessity not significant")
    answer = fake_slack.responded(key)
    assert "didn't understand" in answer["text"]
    [button] = answer["blocks"][-1]["elements"]
    assert button["text"]["text"].startswith("Ask: ")


def test_an_action_typed_wrong_says_how_to_type_it(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    _, key = slack.command("subscribe weekly blursday 09:00")
    answer = fake_slack.responded(key)
    assert answer["blocks"][0]["text"]["text"].startswith(USER_ERROR_MARK)
    assert "blursday" in answer["text"]
    assert all(block["type"] != "actions" for block in answer["blocks"])  # no reading offered
