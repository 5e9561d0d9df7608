"""Only requests signed with the signing secret, within five minutes, reach the app."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient


def test_a_signed_command_is_acknowledged(slack: SlackClient, fake_slack: FakeSlack) -> None:
    ack, key = slack.command("gap")
    assert ack.status == 200
    assert fake_slack.responded(key)["text"]


def test_refused_requests_get_401_and_are_never_answered(
    slack: SlackClient, fake_slack: FakeSlack
) -> None:
    unsigned, unsigned_key = slack.command("gap", signed=False)
    wrong, wrong_key = slack.command("gap", signature="v0=" + "0" * 64)
    stale_at = int(time.time()) - 6 * 60
    form = slack.command_form("gap", "stale")
    stale = slack.post(
        form,
        "application/x-www-form-urlencoded",
        timestamp=stale_at,
        signature=slack.sign(form, stale_at),
    )
    other_secret = slack.post(
        form,
        "application/x-www-form-urlencoded",
        signature=slack.sign(form, int(time.time()), secret="not-our-secret"),
    )
    assert [r.status for r in (unsigned, wrong, stale, other_secret)] == [401, 401, 401, 401]

    ack, key = slack.command("gap")  # a good request afterwards is answered …
    assert ack.status == 200
    fake_slack.responded(key)
    refused = {f"/respond/{k}" for k in (unsigned_key, wrong_key, "stale")}
    assert not fake_slack.matching(lambda call: call.path in refused)  # … the refused never


def test_a_tampered_body_is_refused(slack: SlackClient) -> None:
    now = int(time.time())
    signature = slack.sign(slack.command_form("gap", "x"), now)
    tampered = slack.command_form("gap by role", "x")
    reply = slack.post(
        tampered, "application/x-www-form-urlencoded", timestamp=now, signature=signature
    )
    assert reply.status == 401
