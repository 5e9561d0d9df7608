"""``alert when gap changes``, ``alerts off`` (also "stop alerts", "no more alerts") and
``alerts``: whether the channel (or DM) it is typed in is told when a new wave moves a gap.

Plain functions over (settings, store, client, team, channel, user, text) returning the
reply to show; :mod:`bot.routing.router` calls :func:`handle` for every entry point. Turning
alerts on or off is for admins (:func:`bot.slack.permissions.may_manage_alerts`); the change
and its audit entry are the library's (:mod:`insights.digests.alerts`), and so is what an
alert says and when it is sent (the digest worker's tick).
"""

from __future__ import annotations

from typing import Literal

from slack_sdk import WebClient

from bot.errors.slack import error_message
from bot.settings import Settings
from bot.slack.permissions import may_manage_alerts, refusal
from insights import QueryError, Store, UserError
from insights.answers import Message, tokenize
from insights.blocks import section
from insights.digests import AlertSubscription, channel_alerts, subscribe_alerts, unsubscribe_alerts
from insights.safe_text import escape_mrkdwn

USAGE = "`alert when gap changes` to be told here when a new wave moves a gap, `alerts off` to stop"
Intent = Literal["on", "off", "status"]
_OFF_WORDS = frozenset({"off", "stop", "cancel", "disable", "mute", "no"})
_ON_WORDS = frozenset({"when", "on", "if", "me", "whenever", "changes", "moves"})


def handle(
    settings: Settings,
    store: Store,
    client: WebClient,
    team_id: str,
    channel_id: str,
    user_id: str,
    text: str,
) -> Message:
    """Answer an alert command; user mistakes become a friendly message."""
    try:
        intent = read_intent(text)
        if intent == "status":
            text = escape_mrkdwn(status_line(store, team_id, channel_id))
            return Message(text=text, blocks=[section(text)])
        if not may_manage_alerts(settings, client, user_id):
            return refusal("turn gap alerts on or off", "Ask one of them to set this up.")
        if intent == "off":
            return _turned_off(unsubscribe_alerts(store, team_id, channel_id, actor=user_id))
        subscription, changed = subscribe_alerts(store, team_id, channel_id, user_id)
        return _turned_on(subscription, changed)
    except UserError as error:
        return error_message(error, doing="change this channel's gap alerts")


def read_intent(text: str) -> Intent:
    """What ``alert …``/``alerts …`` asks: on, off, or this channel's status (the word
    alone). Anything else is a QueryError naming the usage."""
    words = [word.casefold() for word in tokenize(text)][1:]
    if not words:
        return "status"
    if _OFF_WORDS & set(words):
        return "off"
    if _ON_WORDS & set(words):
        return "on"
    raise QueryError(f"I don't know {' '.join(words)!r} for alerts.", suggestion=f"Type {USAGE}.")


def status_line(store: Store, team_id: str, channel_id: str) -> str:
    """This channel's alert, in a line (also part of the ``subscriptions`` reply)."""
    found = channel_alerts(store, team_id, channel_id)
    if found is None:
        return f"Gap alerts: off. Type {USAGE}."
    since = found.active_since[:10]
    if found.status == "paused":
        return (
            f"Gap alerts: paused ({found.pause_reason}); type `alert when gap changes` to resume."
        )
    return f"Gap alerts: on since {since}, for every wave imported since then (`alerts off` stops)."


def _turned_on(subscription: AlertSubscription, changed: bool) -> Message:
    if not changed:
        text = f"This channel already gets gap alerts (since {subscription.active_since[:10]})."
    else:
        text = (
            "Gap alerts on: after each new wave, I post here when a theme's gap moved"
            " significantly since the survey's previous wave (the same test as `gap vs`,"
            " Holm-adjusted across the themes), and nothing when none did."
            " Waves already imported are not alerted."
        )
    return Message(text=text, blocks=[section(f":bell: {text}")])


def _turned_off(cancelled: bool) -> Message:
    text = (
        "Gap alerts off: this channel will get no more alerts."
        if cancelled
        else "This channel gets no gap alerts."
    )
    return Message(text=text, blocks=[section(text)])
