"""The one ack every lazy listener sends first."""

from __future__ import annotations

from slack_bolt import Ack


def acknowledge(ack: Ack) -> None:
    """An empty ack, sent within Slack's 3 seconds before any work: every listener's reply
    follows after it (lazily, through the response_url, chat.postMessage or a view), so
    nothing Slack waits on depends on the store or a Slack call."""
    ack()
