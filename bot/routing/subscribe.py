"""``subscribe …``, ``unsubscribe`` and ``subscriptions``: a channel's weekly digest,
from ``/empathy`` or a mention in that channel (or a DM, for the DM itself).

Plain functions over (settings, store, client, team, channel, user, text) returning the
reply to show; :mod:`bot.routing.router` calls :func:`handle` for every entry point.
Who may change subscriptions is decided in :mod:`bot.slack.permissions`, the one place for admin
checks; every change is recorded in the audit log by :mod:`insights.digests.subscriptions`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.errors.slack import error_message
from bot.routing.alerts import status_line
from bot.settings import Settings
from bot.slack.permissions import may_manage_subscriptions, refusal, user_info
from insights import Store, UserError
from insights.answers import Message
from insights.blocks import section
from insights.digests import (
    SCHEDULE_USAGE,
    Subscription,
    channel_subscription,
    digest_query,
    parse_weekly,
    subscribe_channel,
    subscription_query,
    unsubscribe_channel,
    valid_time_zone,
)
from insights.safe_text import escape_mrkdwn

logger = logging.getLogger(__name__)


def handle(
    settings: Settings,
    store: Store,
    client: WebClient,
    team_id: str,
    channel_id: str,
    user_id: str,
    text: str,
    *,
    now: datetime | None = None,
) -> Message:
    """Answer a subscription command; user mistakes become a friendly message."""
    word, _, rest = text.strip().partition(" ")
    now = now or datetime.now(UTC)
    try:
        if word.casefold() == "subscriptions":
            return list_subscriptions(store, team_id, channel_id, now)
        if not may_manage_subscriptions(settings, client, user_id):
            return _refusal()
        if word.casefold() == "unsubscribe":
            return unsubscribe(store, team_id, channel_id, user_id)
        return subscribe(settings, store, client, team_id, channel_id, user_id, rest, now)
    except UserError as error:
        return error_message(error, doing="change a digest subscription")


def _refusal() -> Message:
    return refusal("change digest subscriptions", "Ask one of them to set this up.")


def subscribe(
    settings: Settings,
    store: Store,
    client: WebClient,
    team_id: str,
    channel_id: str,
    user_id: str,
    text: str,
    now: datetime,
) -> Message:
    """``weekly DAY HH:MM [TZ] [filters]``: TZ defaults to the subscriber's Slack time
    zone, then DEFAULT_TIMEZONE. The word ``chart`` among the filters adds the digest's
    chart in its thread."""
    schedule, filters = parse_weekly(text, lambda: _default_zone(settings, client, user_id))
    query, _ = digest_query(store, team_id, filters)
    stored = subscription_query(query.canonical(), query.chart)
    sub = subscribe_channel(store, team_id, channel_id, schedule, stored, user_id, now)
    next_send = _local(sub.schedule.next_slot(now), sub.tz)
    text = escape_mrkdwn(
        f"Subscribed this channel to a digest {schedule.describe()}"
        f" ({sub.gap_query}){_with_chart(sub)}. Next one: {next_send}."
    )
    return Message(text=text, blocks=[section(f":calendar: {text}")])


def _default_zone(settings: Settings, client: WebClient, user_id: str) -> str:
    # Only asked when the command names no zone; Slack's may be missing or unknown here.
    tz = str(user_info(client, user_id).get("tz") or "")
    return tz if tz and valid_time_zone(tz) else settings.default_timezone


def unsubscribe(store: Store, team_id: str, channel_id: str, user_id: str) -> Message:
    if unsubscribe_channel(store, team_id, channel_id, actor=user_id):
        text = "Unsubscribed: this channel will get no more digests."
    else:
        text = "This channel has no digest subscription."
    return Message(text=text, blocks=[section(text)])


def list_subscriptions(store: Store, team_id: str, channel_id: str, now: datetime) -> Message:
    """This channel's subscription with its next send time in the subscription's zone, and
    whether it gets gap alerts."""
    alert = status_line(store, team_id, channel_id)
    sub = channel_subscription(store, team_id, channel_id)
    if sub is None:
        text = escape_mrkdwn(f"This channel has no digest subscription. {SCHEDULE_USAGE}\n{alert}")
        return Message(text=text, blocks=[section(text)])
    line = f"Digest {sub.schedule.describe()} · `/empathy {sub.gap_query}`{_with_chart(sub)}"
    if sub.status == "paused":
        state = f"Paused ({sub.pause_reason}); subscribe again to resume."
    else:
        state = f"Next: {_local(sub.schedule.next_slot(now), sub.tz)}"
    text = escape_mrkdwn(f"{line}\n{state}\n{alert}")
    return Message(text=text, blocks=[section(text)])


def _with_chart(sub: Subscription) -> str:
    return " · with chart" if sub.chart else ""


def _local(instant: datetime, tz: str) -> str:
    return instant.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M %Z")
