"""Tokens and the signing secret never reach the log, even at DEBUG level."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness import FakeSlack, SlackClient, WebProcess


def test_no_secret_is_logged(slack: SlackClient, fake_slack: FakeSlack, web: WebProcess) -> None:
    _, key = slack.command("gap")
    fake_slack.responded(key)
    channel = slack.unique("C")
    slack.mention("gap", channel=channel, ts="1700008000.000100")
    fake_slack.posted_in(channel, "1700008000.000100")
    log = web.log_text()
    assert "DEBUG" in log  # the process really logged at DEBUG
    assert "e2eSecretBotToken" not in log
    assert "e2e-signing-secret" not in log
