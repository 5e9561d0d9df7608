"""Posting a message to Slack, for every sender on the edge but the digest sender (which needs
Slack's error code to pause or retry, ``bot.slack.digest_sender``); all retry by the clients'.

A refusal is Slack's answer, not our failure: it is logged with what was being posted and
where, and the caller learns it from the return value; nothing here raises SlackApiError.
"""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from insights.answers import Message

logger = logging.getLogger(__name__)


def post_message(
    client: WebClient,
    channel: str,
    message: Message,
    *,
    thread_ts: str | None = None,
    what: str = "a message",
) -> str | None:
    """Post ``message`` in ``channel`` (in ``thread_ts`` when given) for everyone: its ts,
    or ``None`` when Slack refused it (logged as refusing ``what``)."""
    try:
        response = client.chat_postMessage(
            channel=channel,
            thread_ts=thread_ts,
            text=message.text,
            blocks=message.blocks or None,
        )
    except SlackApiError as error:
        _log_refusal(what, channel, error)
        return None
    ts = response.get("ts")
    return str(ts) if ts else None


def post_ephemeral(
    client: WebClient,
    channel: str,
    user: str,
    message: Message,
    *,
    thread_ts: str | None = None,
    what: str = "a message",
) -> bool:
    """Post ``message`` in ``channel`` for ``user`` alone: whether Slack took it (a refusal
    is logged as refusing ``what``)."""
    try:
        client.chat_postEphemeral(
            channel=channel,
            user=user,
            thread_ts=thread_ts,
            text=message.text,
            blocks=message.blocks or None,
        )
    except SlackApiError as error:
        _log_refusal(what, channel, error)
        return False
    return True


def _log_refusal(what: str, channel: str, error: SlackApiError) -> None:
    logger.warning("Slack refused %s in %s: %s", what, channel, error.response.get("error"))
