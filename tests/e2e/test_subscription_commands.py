"""``/empathy subscribe|subscriptions|unsubscribe`` and a digest's Drill down button, through
the real web process."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient


def test_subscribe_list_and_unsubscribe_in_a_channel(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    ack, key = slack.command("subscribe weekly monday 09:00 Europe/Berlin role=in-house")
    assert ack.status == 200
    reply = fake_slack.responded(key)
    assert reply["response_type"] == "ephemeral"
    assert "Monday" in reply["text"] and "09:00" in reply["text"]
    assert "Europe/Berlin" in reply["text"]

    _, key = slack.command("subscriptions")
    listing = fake_slack.responded(key)["text"]
    assert "Monday" in listing and "role" in listing

    _, key = slack.command("unsubscribe")
    assert "nsubscribed" in fake_slack.responded(key)["text"]
    _, key = slack.command("subscriptions")
    assert "Monday" not in fake_slack.responded(key)["text"]


def test_a_bad_schedule_gets_a_friendly_error(slack: SlackClient, fake_slack: FakeSlack) -> None:
    _, key = slack.command("subscribe weekly funday 09:00")
    reply = fake_slack.responded(key)
    assert reply["response_type"] == "ephemeral"
    assert "funday" in reply["text"]
    assert "Traceback" not in reply["text"]


def test_the_digest_drill_down_button_answers_its_query(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    key = slack.unique("drill")
    response = slack.click("digest_drill_down", "empathy_digest", "gap role=In-house", key)
    assert response.status == 200
    answer = fake_slack.responded(key)
    assert answer["response_type"] == "ephemeral"
    assert "72%" in answer["text"] and "30%" in answer["text"]
