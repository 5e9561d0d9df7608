"""Pulses over Slack: who a pulse asks (a channel's members, a user group's users), the one
invitation and the one reminder each person gets, and the worker's tick that sends them and
closes pulses whose time has run out.

Each DM is claimed in the store before it is sent (:func:`insights.pulse.claim_invite`), so a
person is invited once, and reminded at most once, even when two workers tick at once. Log
lines name pulses and counts, never a person beside anything they answered (they name no
person at all).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors.references import log_failure
from bot.settings import Settings
from bot.slack.posting import post_message
from bot.views.pulse import closed_message, invitation, reminder
from insights import Store
from insights.answers import Message
from insights.pulse import (
    Closed,
    Pulse,
    add_audience,
    claim_invite,
    claim_reminder,
    close_pulse,
    due_to_close,
    pulse_codebook,
    pulses_to_invite,
    pulses_to_remind,
    to_remind,
    uninvited,
)

logger = logging.getLogger(__name__)

PAGE = 200  # members asked for per page (Slack recommends no more than 200)
MAX_PAGES = 500  # 100,000 members: a guard against a cursor that never ends

ClientFor = Callable[[str], WebClient | None]


def title_of(pulse: Pulse) -> str:
    codebook = pulse_codebook(pulse.codebook)
    return codebook.survey.title or codebook.survey.name


def audience_members(client: WebClient, pulse: Pulse) -> list[str]:
    """The user ids the pulse asks, without the bot itself: a channel's members
    (``conversations.members``, every page) or a user group's (``usergroups.users.list``)."""
    if pulse.audience_kind == "usergroup":
        response = client.usergroups_users_list(usergroup=pulse.audience_id)
        members = [str(user) for user in response.get("users") or []]
    else:
        members = _channel_members(client, pulse.audience_id)
    bot = str(client.auth_test().get("user_id") or "")
    return [member for member in members if member and member != bot]


def _channel_members(client: WebClient, channel: str) -> list[str]:
    members: list[str] = []
    cursor = ""
    for _ in range(MAX_PAGES):
        response = client.conversations_members(channel=channel, limit=PAGE, cursor=cursor)
        members += [str(member) for member in response.get("members") or []]
        cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
        if not cursor:
            break
    return members


def send_dm(client: WebClient, user_id: str, message: Message, what: str) -> bool:
    """Post ``message`` in the bot's DM with ``user_id``; whether Slack took it. ``what``
    names it in the log (never with the person)."""
    try:
        opened = client.conversations_open(users=user_id)
    except SlackApiError as error:
        logger.warning("conversations.open refused for %s: %s", what, error.response.get("error"))
        return False
    channel = (opened.get("channel") or {}).get("id")
    return bool(channel) and post_message(client, str(channel), message, what=what) is not None


def reach_audience(store: Store, client: WebClient, pulse: Pulse, now: datetime) -> int:
    """Load the pulse's audience if it is not yet, and invite everyone not yet invited
    (each claimed first: at most one invitation per person); returns how many were asked."""
    if not pulse.audience_loaded:
        add_audience(store, pulse.id, audience_members(client, pulse))
    message = invitation(pulse.id, title_of(pulse), pulse.closes_at, pulse.minimum)
    sent = 0
    for user in uninvited(store, pulse.id):
        if claim_invite(store, pulse.id, user, now):
            sent += send_dm(client, user, message, f"pulse {pulse.id}'s invitation")
    logger.info("pulse %s: %s invitations sent", pulse.id, sent)
    return sent


def remind(store: Store, client: WebClient, pulse: Pulse, now: datetime) -> int:
    """The one reminder, to whoever was invited and has not answered; returns how many."""
    message = reminder(pulse.id, title_of(pulse), pulse.closes_at)
    sent = 0
    for user in to_remind(store, pulse, now):
        if claim_reminder(store, pulse.id, user, now):
            sent += send_dm(client, user, message, f"pulse {pulse.id}'s reminder")
    logger.info("pulse %s: %s reminders sent", pulse.id, sent)
    return sent


def close_and_tell(
    settings: Settings, store: Store, client_for: ClientFor, pulse: Pulse, now: datetime
) -> Closed:
    """Close a pulse whose time ran out, as the admin who started it, and tell them how it
    went in a DM."""
    closed = close_pulse(
        store,
        pulse.id,
        actor=pulse.started_by,
        min_group_size=settings.min_group_size,
        now=now,
    )
    client = client_for(pulse.team_id)
    if client is not None:
        send_dm(client, pulse.started_by, closed_message(closed), f"pulse {pulse.id}'s outcome")
    return closed


def tick_pulses(settings: Settings, store: Store, now: datetime, client_for: ClientFor) -> None:
    """Close what is due, remind whoever is due a reminder, invite whoever is not yet
    invited (a repeating pulse's next wave, or an invitation a failure left unsent). A
    failure with one pulse is logged and leaves the others to go on."""
    for pulse in due_to_close(store, now):
        _guarded(pulse, "close", lambda p: close_and_tell(settings, store, client_for, p, now))
    for pulse in pulses_to_remind(store, now):
        _guarded(pulse, "remind", lambda p: _with_client(client_for, p, remind, store, now))
    for pulse in pulses_to_invite(store):
        _guarded(pulse, "invite", lambda p: _with_client(client_for, p, reach_audience, store, now))


Step = Callable[[Store, WebClient, Pulse, datetime], int]


def _with_client(
    client_for: ClientFor, pulse: Pulse, step: Step, store: Store, now: datetime
) -> int:
    """``step`` with the pulse's workspace client; nothing without a usable token."""
    client = client_for(pulse.team_id)
    return 0 if client is None else step(store, client, pulse, now)


def _guarded(pulse: Pulse, doing: str, step: Callable[[Pulse], object]) -> None:
    try:
        step(pulse)
    except Exception as error:
        log_failure(logger, error, f"{doing} for pulse {pulse.id}")
