"""Issue 20's loop with only Slack, through the real web process, the worker's tick and
the fake Slack: a channel asks for gap alerts, a pulse measures the team's gap, `gap vs
benchmark` sets it beside the published study, and a second pulse that moves the gap is
told to the channel once. Its own web process and database (this module's), so the pulse
survey's waves are this test's alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from fake_slack import Call, FakeSlack, json_arg
from harness import ADMIN, ImportWeb, SlackClient
from test_pulse_flow import (
    CHANNEL,
    NECESSITY_TEXTS,
    PEOPLE,
    answer,
    audience,
    pulse_id,
    start_pulse,
    tick,
)

__all__ = ["audience"]  # the fixture, used by name


ALERTED = "CALERTS"


def run_pulse(slack: SlackClient, fake: FakeSlack, organization: str) -> None:
    """A pulse of the 12 in which 9 answer the necessity pair, all agreeing personally and
    all answering ``organization`` for their organization; closed by the admin. The fake
    Slack is the session's, so this pulse's invitations are those sent after it started."""
    mark = len(fake.calls)

    def invited_now(call: Call) -> bool:
        return (
            call in fake.calls[mark:]
            and call.method == "chat.postMessage"
            and "pulse_answer" in json.dumps(json_arg(call.payload.get("blocks")))
        )

    start_pulse(slack, fake, CHANNEL, minimum=5)
    pulse = pulse_id(fake.wait_for(invited_now, len(PEOPLE))[0])
    for person in PEOPLE[:9]:
        pair = {"Role": "In-house", NECESSITY_TEXTS[0]: "Agree", NECESSITY_TEXTS[1]: organization}
        answer(slack, fake, person, pulse, pair)
    _, key = slack.command("pulse close", user=ADMIN)
    assert "9 responses are now wave" in fake.responded(key)["text"]


def test_a_team_measures_compares_with_the_study_and_is_told_when_its_gap_moves(
    import_web: ImportWeb, fake_slack: FakeSlack, audience: None
) -> None:
    """The loop of issue 20 with only Slack: a channel asks for alerts, a first pulse
    measures a gap (every one of 9 agrees personally, none for the organization), `gap vs
    benchmark` sets it beside the study's 91% / 36%, a second pulse finds the gap closed
    (all 9 agree for the organization too), and the worker's next tick tells the channel,
    once."""
    slack, fake = import_web.slack, fake_slack
    _, key = slack.command("alert when gap changes", user=ADMIN, channel=ALERTED)
    assert "alert" in fake.responded(key)["text"].lower()

    run_pulse(slack, fake, "Disagree")
    _, key = slack.command("gap vs benchmark survey empathy-pulse", user="UALICE")
    compared = fake.responded(key)["text"]
    assert "91%" in compared and "36%" in compared, compared
    assert "(9 of 9" in compared and "(0 of 9" in compared, compared

    now = datetime.now(UTC) + timedelta(minutes=1)
    tick(import_web, fake, now)
    assert fake.posts(ALERTED) == []  # a survey's first wave has nothing to move from

    run_pulse(slack, fake, "Agree")
    tick(import_web, fake, now + timedelta(minutes=1))
    tick(import_web, fake, now + timedelta(minutes=2))
    [alert] = fake.posts(ALERTED)
    said = str(alert.payload["text"])
    assert "necessity" in said.lower() and "100" in said, said
