"""Feedback on answers through the real web process: an answer to a question in plain words
ends with feedback buttons; a click (a signed ``block_actions`` payload of a
``feedback_buttons`` element, as Slack sends it) is thanked privately and recorded with the
question and its strict reading, never the person; a thumbs down reaches ``/empathy misses``.

The web process runs on the demo survey with ADMIN_USER_IDS=UADMIN."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import harness as e2e
import pytest
from fake_slack import json_arg

from bot.views.answers import FEEDBACK_ACTION_ID, FEEDBACK_BLOCK_ID, THANKS, THANKS_FOR_A_MISS

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebProcess

ADMIN = "UADMIN"
ASKER = "UFEEDBACKASKER"
NATURAL = "what's the necessity gap for in-house folks?"
STRICT_READING = "gap necessity role=In-house"


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, fake_slack: FakeSlack
) -> Iterator[tuple[WebProcess, SlackClient]]:
    """A web process of its own, so the misses it lists are only this module's."""
    directory = tmp_path_factory.mktemp("feedback-web")
    web = e2e.start_web(
        directory, fake_slack, e2e.demo_database(directory), {"ADMIN_USER_IDS": ADMIN}
    )
    yield web, e2e.SlackClient(web.url, fake_slack)
    e2e.stop_web(web)


@pytest.fixture
def slack(site: tuple[WebProcess, SlackClient]) -> SlackClient:
    return site[1]


@pytest.fixture
def database(site: tuple[WebProcess, SlackClient]) -> Path:
    return site[0].database


def stored(database: Path, table: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as db:
        return [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY id")]


def feedback_buttons(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The feedback_buttons element of a message's context_actions block, if any."""
    blocks = json_arg(payload.get("blocks")) or []
    found = [
        element
        for block in blocks
        if block.get("type") == "context_actions"
        for element in block.get("elements", [])
        if element.get("type") == "feedback_buttons"
    ]
    assert len(found) <= 1
    return found[0] if found else None


def mention_as(slack: SlackClient, text: str, channel: str, ts: str) -> None:
    event = e2e.mention_event(text, channel=channel, ts=ts) | {"user": ASKER}
    assert slack.event(event).status == 200


def click_feedback(
    slack: SlackClient, value: str, *, channel: str = "CGENERAL", message: dict[str, Any] | None
) -> str:
    key = slack.unique("feedback")
    response = slack.click(
        FEEDBACK_ACTION_ID,
        FEEDBACK_BLOCK_ID,
        value,
        key,
        user=ASKER,
        channel=channel,
        message=message,
        action_type="feedback_buttons",
    )
    assert response.status == 200
    return key


def test_a_thumbs_down_in_a_thread_is_thanked_and_shown_to_admins_without_who(
    slack: SlackClient, fake_slack: FakeSlack, database: Path
) -> None:
    channel, ts = slack.unique("CFEED"), e2e.unique_ts()
    mention_as(slack, NATURAL, channel, ts)
    [reply] = fake_slack.posted_in(channel, ts)
    buttons = feedback_buttons(reply.payload)
    assert buttons is not None, reply.payload
    message = {"ts": reply.reply["ts"], "thread_ts": ts}
    key = click_feedback(
        slack, buttons["negative_button"]["value"], channel=channel, message=message
    )

    thanks = fake_slack.responded(key)
    assert thanks["text"] == THANKS_FOR_A_MISS
    assert thanks["response_type"] == "ephemeral" and thanks["replace_original"] is False

    _, listing_key = slack.command("misses", user=ADMIN)
    listing = fake_slack.responded(listing_key)["text"]
    assert NATURAL in listing and "negative feedback" in listing

    [row] = [row for row in stored(database, "feedback") if NATURAL in row]
    assert STRICT_READING in row and 0 in row
    every_value = [
        str(v) for table in ("feedback", "misses") for r in stored(database, table) for v in r
    ]
    for secret in (ASKER, channel, ts, str(reply.reply["ts"]), "UALICE", "CGENERAL"):
        assert not any(secret in value for value in every_value), secret


def test_a_thumbs_up_under_a_slash_answer_is_noted_and_is_no_miss(
    slack: SlackClient, fake_slack: FakeSlack, database: Path
) -> None:
    question = "how do consultants see the necessity gap?"
    _, key = slack.command(question, user=ASKER)
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    buttons = feedback_buttons(answer)
    assert buttons is not None, answer
    thanks = fake_slack.responded(
        click_feedback(slack, buttons["positive_button"]["value"], message=None)
    )
    assert thanks["text"] == THANKS and thanks["response_type"] == "ephemeral"

    rows = [row for row in stored(database, "feedback") if question in row]
    assert len(rows) == 1 and 1 in rows[0]
    assert not any(question in row for row in stored(database, "misses"))


@pytest.mark.parametrize("text", ["gap by role", "purple monkey dishwasher"])
def test_strict_answers_and_apologies_have_no_feedback(
    slack: SlackClient, fake_slack: FakeSlack, text: str
) -> None:
    channel, ts = slack.unique("CSTRICT"), e2e.unique_ts()
    mention_as(slack, text, channel, ts)
    [reply] = fake_slack.posted_in(channel, ts)
    assert feedback_buttons(reply.payload) is None
    _, key = slack.command(text, user=ASKER)
    assert feedback_buttons(fake_slack.responded(key)) is None


def test_a_value_we_did_not_make_records_nothing_and_says_so(
    slack: SlackClient, fake_slack: FakeSlack, database: Path
) -> None:
    before = stored(database, "feedback")
    reply = fake_slack.responded(click_feedback(slack, 'f-:{"q": 42}', message=None))
    assert "could not read that feedback" in reply["text"]
    assert "Traceback" not in reply["text"]
    assert stored(database, "feedback") == before
